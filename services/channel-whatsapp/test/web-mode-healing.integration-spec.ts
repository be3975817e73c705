import { EventBus } from '@aduan/bus';
import { DEV_TRACKING_SECRET, type RunningChannel } from '@aduan/channel-sdk';
import type { ComplaintReceived } from '@aduan/contracts';
import { signOfficerToken, type OfficerRole } from '@aduan/platform';
import {
  capturedLogger,
  collectEvents,
  createTestDatabase,
  eventually,
  testEnv,
  uniqueTopicPrefix,
  type TestDatabase,
} from '@aduan/testing';
import { MessageTypes, WAState, type MessageMedia } from 'whatsapp-web.js';
import { startChannelWhatsapp } from '../src/app';
import { webSourceId, type WebMessageLike } from '../src/web/web-message';
import { StandInWhatsApp } from './whatsapp-web-stand-in';

const JWT_SECRET = 'test-officer-jwt-secret-of-32-characters!';

/**
 * Web mode against a stand-in of whatsapp-web.js (no phone can be paired in a test), with the
 * real broker and database: pairing from the console, healing after the session is lost, and
 * every message sent meanwhile taken in exactly once.
 */
describe('channel-whatsapp in web mode: pairing, healing and catch-up', () => {
  const prefix = uniqueTopicPrefix();
  const { logger, lines } = capturedLogger('channel-whatsapp');
  const account = new StandInWhatsApp();
  let db: TestDatabase;
  let service: RunningChannel;
  let bus: EventBus;
  let received: ComplaintReceived[];
  let env: NodeJS.ProcessEnv;
  let base: string;

  const start = async () => {
    service = await startChannelWhatsapp(env, logger, { webClients: () => account.factory });
    base = `http://127.0.0.1:${service.port}`;
  };

  beforeAll(async () => {
    db = await createTestDatabase('whatsapp_web');
    env = {
      WHATSAPP_MODE: 'web',
      WHATSAPP_PORT: '0',
      WHATSAPP_WEB_RECONNECT_MAX_SECONDS: '2',
      WHATSAPP_WEB_START_TIMEOUT_SECONDS: '2',
      // Every message a report of its own, so "taken in once" reads as one event per message.
      CONVERSATION_WINDOW_MINUTES: '0',
      OFFICER_JWT_SECRET: JWT_SECRET,
      DATABASE_URL: db.url,
      KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: prefix,
    };
    bus = new EventBus({
      brokers: testEnv.kafkaBrokers,
      clientId: 'whatsapp-web-test',
      source: '/test',
      logger,
      topicPrefix: prefix,
    });
    await bus.connect();
    await start();
    received = await collectEvents(bus, 'aduan.complaint.received.v1');
  });

  afterAll(async () => {
    await service?.stop();
    await bus?.close();
    await db?.drop();
  });

  const token = (role: OfficerRole) => signOfficerToken({ sub: `officer-${role}`, role }, JWT_SECRET);
  const asAdmin = async (path: string) =>
    fetch(`${base}${path}`, { headers: { authorization: `Bearer ${await token('admin')}` } });
  const pairing = async () =>
    (await (await asAdmin('/v1/officer/whatsapp/pairing')).json()) as Record<string, unknown>;
  const readiness = async () => {
    const res = await fetch(`${base}/health/ready`);
    const body = (await res.json()) as { checks: Record<string, { status: string; error?: string }> };
    return { status: res.status, whatsapp: body.checks['whatsapp-web'] };
  };
  /** Complaint events on Kafka that came from this message. */
  const takenIn = (m: WebMessageLike) =>
    received.filter((e) => e.source.id === webSourceId(m.id._serialized, DEV_TRACKING_SECRET));
  const allTakenOnce = async (messages: WebMessageLike[]) => {
    await eventually(() => {
      for (const m of messages) expect([m.body, takenIn(m).length]).toEqual([m.body, 1]);
    });
    // Long enough for a second copy (a repeated catch-up, a redelivered event) to have shown up.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    for (const m of messages) expect([m.body, takenIn(m).length]).toEqual([m.body, 1]);
  };
  const logged = (message: string) => lines.some((l) => l.includes(`"${message}"`));
  const connected = () =>
    eventually(async () => {
      expect(await readiness()).toMatchObject({ status: 200, whatsapp: { status: 'ok' } });
    });

  it('waits for pairing: not ready, and an admin sees the state and the QR code as an image', async () => {
    await eventually(() => expect(account.waiting).toBeDefined());
    expect(await readiness()).toMatchObject({
      status: 503,
      whatsapp: { status: 'failing', error: expect.stringContaining('waiting_for_scan') },
    });
    expect(await pairing()).toMatchObject({ state: 'waiting_for_scan', qr: true });
    expect(
      logged(
        'WhatsApp Web waits to be paired: an administrator scans the QR code on the console (/console/whatsapp/)',
      ),
    ).toBe(true);
    const image = await asAdmin('/v1/officer/whatsapp/pairing/qr.svg');
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(image.headers.get('cache-control')).toBe('no-store');
    expect(await image.text()).toMatch(/^<svg [^>]*viewBox="0 0 \d+ \d+"/);
  });

  it.each(['/v1/officer/whatsapp/pairing', '/v1/officer/whatsapp/pairing/qr.svg'])(
    'serves %s to an admin only: 401 without a token, 403 to another role',
    async (path) => {
      const none = await fetch(`${base}${path}`);
      expect(none.status).toBe(401);
      const forged = await fetch(`${base}${path}`, { headers: { authorization: 'Bearer not.a.token' } });
      expect(forged.status).toBe(401);
      for (const role of ['crm_officer', 'unit_officer', 'validator'] as const) {
        const res = await fetch(`${base}${path}`, {
          headers: { authorization: `Bearer ${await token(role)}` },
        });
        expect([role, res.status]).toEqual([role, 403]);
        expect(await res.text()).not.toContain('<svg');
      }
    },
  );

  it('once the phone scans the code the number is connected, and a citizen is answered with a tracking code', async () => {
    account.scan();
    await connected();
    expect(await pairing()).toMatchObject({ state: 'connected', qr: false });
    expect((await asAdmin('/v1/officer/whatsapp/pairing/qr.svg')).status).toBe(404);

    const m = account.citizenWrites('6281200000001', 'Lampu jalan mati di Jl. Kenanga');
    await allTakenOnce([m]);
    await service.flushOutbox();
    const answers = account.sent.filter((s) => s.chatId === '6281200000001@c.us');
    expect(answers).toHaveLength(1);
    expect(answers[0]!.text).toContain(takenIn(m)[0]!.trackingCode);
  });

  it('after a disconnect, every message sent while offline is taken in exactly once after the reconnection', async () => {
    const before = account.citizenWrites('6281200000002', 'Got mampet di RT 03');
    await allTakenOnce([before]);
    const clients = account.clients.length;

    account.disconnect(WAState.CONFLICT);
    await eventually(async () =>
      expect(await readiness()).toMatchObject({
        status: 503,
        whatsapp: { error: expect.stringContaining('CONFLICT') },
      }),
    );
    expect(await pairing()).toMatchObject({
      state: expect.stringMatching(/disconnected|starting/),
      reason: 'CONFLICT',
    });
    // Offline: nobody hears these; one shares the second of the message taken before the drop.
    const offline = [
      account.citizenWrites('6281200000002', 'Airnya sudah meluap ke jalan', { timestamp: before.timestamp }),
      account.citizenWrites('6281200000003', 'Sampah menumpuk di pasar'),
      account.citizenWrites('6281200000003', 'Sudah tiga hari tidak diangkut'),
      account.citizenWrites('6281200000004', 'Jalan berlubang dekat sekolah'),
    ];
    expect(account.live).toBeUndefined();

    await connected();
    expect(account.clients.length).toBe(clients + 1);
    // WhatsApp Web may also deliver some of them as events once it is back.
    account.redeliver(offline[1]!);
    account.redeliver(before);
    await allTakenOnce([before, ...offline]);
    expect(logged('WhatsApp Web disconnected; reconnecting')).toBe(true);
  });

  it('a dropped socket that comes back within the session is read again, and readiness says so meanwhile', async () => {
    account.interrupt(WAState.TIMEOUT);
    await eventually(async () =>
      expect(await readiness()).toMatchObject({
        status: 503,
        whatsapp: { error: expect.stringContaining('TIMEOUT') },
      }),
    );
    // WhatsApp Web syncs what arrived during the drop into the chat without an event.
    const missed = account.citizenWrites('6281200000005', 'Banjir setinggi lutut');
    account.resume();
    await connected();
    await allTakenOnce([missed]);
  });

  it('a photo that cannot be downloaded for a moment holds its chat until it can; the next message waits its turn', async () => {
    let attempts = 0;
    const photo = account.citizenWrites('6281200000006', 'Lihat fotonya', {
      type: MessageTypes.IMAGE,
      hasMedia: true,
      downloadMedia: async () => {
        if (++attempts < 2) throw new Error('Evaluation failed: media download interrupted');
        return { mimetype: 'image/jpeg', data: Buffer.from('not a jpeg').toString('base64') } as MessageMedia;
      },
    });
    const next = account.citizenWrites('6281200000006', 'Tolong segera', { timestamp: photo.timestamp + 1 });
    await allTakenOnce([photo, next]);
    expect(attempts).toBe(2);
    expect(received.indexOf(takenIn(photo)[0]!)).toBeLessThan(received.indexOf(takenIn(next)[0]!));
  });

  it('a login failure shows on readiness and in the console, and the number comes back when login works again', async () => {
    account.failNextLogin = 'Unable to restore the session';
    account.disconnect(WAState.UNPAIRED_IDLE);
    await eventually(async () => {
      expect(await readiness()).toMatchObject({
        status: 503,
        whatsapp: { error: expect.stringContaining('auth_failure: Unable to restore the session') },
      });
      expect(await pairing()).toMatchObject({
        state: 'auth_failure',
        reason: 'Unable to restore the session',
      });
    });
    expect(logged('WhatsApp Web login failed; reconnecting')).toBe(true);
    await connected();
  });

  it('a client that does not start is started again', async () => {
    account.failNextStart = 'Failed to launch the browser process!';
    account.disconnect(WAState.CONFLICT);
    await eventually(() => expect(logged('WhatsApp Web did not start; reconnecting')).toBe(true));
    await connected();
  });

  it('a browser that hangs without a QR code or a login is closed and started again', async () => {
    account.hangNextStart = true;
    const clients = account.clients.length;
    account.disconnect(WAState.CONFLICT);
    await eventually(async () =>
      expect(await pairing()).toMatchObject({ reason: 'neither a QR code nor a login within 2 s' }),
    );
    await connected();
    expect(account.clients.length).toBe(clients + 2);
    expect(account.clients.at(-2)!.destroyed).toBe(true);
  });

  it('a restart of the adapter takes in what arrived while it was down, and nothing it had already taken', async () => {
    const taken = [...account.chats.values()].flat();
    await service.stop();
    const whileDown = [
      account.citizenWrites('6281200000001', 'Lampunya masih mati'),
      account.citizenWrites('6281200000007', 'Pohon tumbang di taman'),
    ];
    await start();
    await connected();
    await allTakenOnce([...taken, ...whileDown]);
  });
});
