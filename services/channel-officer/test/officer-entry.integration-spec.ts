import { EventBus } from '@aduan/bus';
import type { ComplaintReceived, Notification } from '@aduan/contracts';
import { signOfficerToken } from '@aduan/platform';
import {
  capturedLogger,
  collectEvents,
  createTestDatabase,
  eventually,
  testEnv,
  uniqueTopicPrefix,
  type TestDatabase,
  startRecordingServer,
  startSmtpSink,
  type RecordingServer,
  type SmtpSink,
} from '@aduan/testing';
import { reportIdFor, type RunningChannel } from '@aduan/channel-sdk';
import { startChannelOfficer } from '../src/officer';

const SECRET = 'test-officer-jwt-secret';
const REFUSED_NUMBER = '+6281234567099';

interface SmsPart {
  to: string;
  text: string;
  reference: string;
}

/** The SMS parts the gateway was asked to send to one number. */
function partsTo(sms: RecordingServer, to: string): SmsPart[] {
  return sms.requests.map((r) => r.body as SmsPart).filter((p) => p.to === to);
}

describe("channel-officer: entries on a citizen's behalf, against a real broker, database and SMTP server", () => {
  const prefix = uniqueTopicPrefix();
  const { logger, lines } = capturedLogger('channel-officer');
  let db: TestDatabase;
  let sms: RecordingServer;
  let smsSent = 0;
  let smtp: SmtpSink;
  let service: RunningChannel;
  let bus: EventBus;
  let received: ComplaintReceived[];
  let base: string;
  let token: string;

  beforeAll(async () => {
    // The outgoing-SMS gateway contract of @aduan/channel-sdk, and a real SMTP server.
    [db, sms, smtp] = await Promise.all([
      createTestDatabase('officer'),
      // A number the gateway refuses for good, as a real one refuses a number that cannot exist.
      startRecordingServer((req) =>
        (req.body as SmsPart).to === REFUSED_NUMBER
          ? { status: 400, body: { error: 'invalid destination' } }
          : { status: 202, body: { id: `sms-${++smsSent}` } },
      ),
      startSmtpSink(),
    ]);
    service = await startChannelOfficer(
      {
        OFFICER_PORT: '0',
        OFFICER_JWT_SECRET: SECRET,
        SMS_GATEWAY_URL: `${sms.url}/v1/messages`,
        SMS_GATEWAY_TOKEN: 'gateway-token',
        SMTP_URL: smtp.url,
        EMAIL_FROM: 'Aduan Jakarta <aduan@jakarta.go.id>',
        DATABASE_URL: db.url,
        KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
        KAFKA_TOPIC_PREFIX: prefix,
      },
      logger,
    );
    base = `http://127.0.0.1:${service.port}`;
    token = await signOfficerToken({ sub: 'officer-17', role: 'crm_officer', unit: 'CRM' }, SECRET);
    bus = new EventBus({
      brokers: testEnv.kafkaBrokers,
      clientId: 'officer-test',
      source: '/test',
      logger,
      topicPrefix: prefix,
    });
    await bus.connect();
    received = await collectEvents(bus, 'aduan.complaint.received.v1');
  });

  afterAll(async () => {
    await service?.stop();
    await bus?.close();
    await Promise.all([sms?.close(), smtp?.stop()]);
    await db?.drop();
  });

  const enter = (body: unknown, bearer: string | null = token, headers: Record<string, string> = {}) =>
    fetch(`${base}/v1/officer/entries`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
        ...headers,
      },
      body: JSON.stringify(body),
    });
  const eventOf = (reportId: string) =>
    eventually(() => {
      const e = received.find((r) => r.reportId === reportId);
      if (!e) throw new Error('not yet on the topic');
      return e;
    });

  it('records a letter with a phone number and acknowledges it by SMS', async () => {
    const res = await enter({
      channel: 'letter',
      text: 'Saluran air di RT 05 tersumbat sejak dua minggu.',
      subject: 'Surat warga RW 03',
      reference: 'No. 12/RW03/XI/2026',
      category: 'Saluran Air, Kali/Sungai',
      receivedAt: '2026-11-27T02:00:00.000Z',
      contact: { name: 'Slamet Riyadi', phone: '0812-3456-7001' },
    });
    expect(res.status).toBe(202);
    const entered = (await res.json()) as { reportId: string; trackingCode: string; acknowledgement: string };
    expect(entered.acknowledgement).toBe('sms');
    const event = await eventOf(entered.reportId);
    expect(event).toMatchObject({
      channel: 'letter',
      subject: 'Surat warga RW 03',
      reporter: { anonymous: false, answers: true },
      source: { receivedAt: '2026-11-27T02:00:00.000Z' },
    });
    expect(await service.keptContact(event)).toEqual({ name: 'Slamet Riyadi', phone: '+6281234567001' });
    expect(event.text).toContain('[Ref: No. 12/RW03/XI/2026]');
    const parts = await eventually(() => {
      const found = partsTo(sms, '+6281234567001');
      expect(found.length).toBeGreaterThan(0);
      return found;
    });
    expect(parts.map((p) => p.text).join('')).toContain(entered.trackingCode);
    expect(sms.requests.every((r) => r.headers.authorization === 'Bearer gateway-token')).toBe(true);
  });

  it('records a walk-in with an e-mail address and acknowledges it by e-mail', async () => {
    const res = await enter({
      channel: 'walk_in',
      text: 'Lampu taman mati',
      contact: { email: 'warga.rw03@example.org' },
    });
    const entered = (await res.json()) as { reportId: string; trackingCode: string; acknowledgement: string };
    expect(entered.acknowledgement).toBe('email');
    expect((await eventOf(entered.reportId)).channel).toBe('walk_in');
    const mail = await eventually(() => {
      const m = smtp.mails.find((x) => x.text?.includes(entered.trackingCode));
      if (!m) throw new Error('no mail yet');
      return m;
    });
    expect(mail.subject).toContain(entered.trackingCode);
    expect(mail.to).toEqual(['warga.rw03@example.org']);
  });

  it('records a phone call without a contact and a media item by its URL, sending nothing', async () => {
    const mailsBefore = smtp.mails.length;
    const smsBefore = sms.requests.length;
    const call = (await (
      await enter({ channel: 'phone', text: 'Pohon tumbang di Jl. Gatot Subroto arah Semanggi' })
    ).json()) as { reportId: string; acknowledgement: string };
    expect(call.acknowledgement).toBe('none');
    expect((await eventOf(call.reportId)).reporter).toEqual({
      ref: expect.stringMatching(/^rp_/),
      anonymous: false,
      answers: false,
    });
    const media = (await (
      await enter({
        channel: 'media',
        text: 'Warga keluhkan banjir di Kemang',
        reference: 'https://news.example.id/2026/11/28/banjir-kemang',
      })
    ).json()) as { reportId: string };
    expect((await eventOf(media.reportId)).source.url).toBe(
      'https://news.example.id/2026/11/28/banjir-kemang',
    );
    await service.flushOutbox();
    expect(smtp.mails).toHaveLength(mailsBefore);
    expect(sms.requests).toHaveLength(smsBefore);
  });

  it('gives a repeated Idempotency-Key the same report', async () => {
    const body = { channel: 'phone', text: 'Sampah belum diangkut tiga hari' };
    const a = (await (await enter(body, token, { 'idempotency-key': 'call-2026-11-28-001' })).json()) as {
      reportId: string;
    };
    const b = (await (await enter(body, token, { 'idempotency-key': 'call-2026-11-28-001' })).json()) as {
      reportId: string;
    };
    expect(b.reportId).toBe(a.reportId);
  });

  it('answers 409 to the same Idempotency-Key with another entry, and 400 to a malformed key', async () => {
    const key = 'letter-2026-11-28-007';
    const first = await enter({ channel: 'letter', text: 'Jembatan penyeberangan retak' }, token, {
      'idempotency-key': key,
    });
    expect(first.status).toBe(202);
    const other = await enter({ channel: 'letter', text: 'Jembatan penyeberangan ambruk' }, token, {
      'idempotency-key': key,
    });
    expect(other.status).toBe(409);
    expect(((await other.json()) as { message: string }).message).toMatch(/different request body/);
    // Keys are per officer: another officer's identical key is another report.
    const colleague = await signOfficerToken({ sub: 'officer-18', role: 'crm_officer' }, SECRET);
    const theirs = await enter({ channel: 'letter', text: 'Jembatan penyeberangan ambruk' }, colleague, {
      'idempotency-key': key,
    });
    expect(theirs.status).toBe(202);
    const ids = [(await first.json()) as { reportId: string }, (await theirs.json()) as { reportId: string }];
    expect(ids[1]!.reportId).not.toBe(ids[0]!.reportId);
    const bad = await enter({ channel: 'letter', text: 'x' }, token, { 'idempotency-key': 'spasi di kunci' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/Idempotency-Key must be/);
  });

  it('sends the acknowledgement once the SMS gateway is back, and gives up on a number it refuses', async () => {
    sms.failNext(2, 503);
    const later = (await (
      await enter({ channel: 'phone', text: 'Got mampet di Jl. Kenari', contact: { phone: '081234567010' } })
    ).json()) as { trackingCode: string };
    await eventually(
      () =>
        expect(
          partsTo(sms, '+6281234567010')
            .map((p) => p.text)
            .join(''),
        ).toContain(later.trackingCode),
      { timeoutMs: 20_000 },
    );
    const refused = (await (
      await enter({
        channel: 'phone',
        text: 'Pohon miring di Jl. Salemba',
        contact: { phone: REFUSED_NUMBER },
      })
    ).json()) as { reportId: string; acknowledgement: string };
    expect(refused.acknowledgement).toBe('sms');
    const failed = await eventually(async () => {
      const d = await service.context.outbox.find(`ack:${refused.reportId}`);
      expect(d?.status).toBe('failed');
      return d!;
    });
    expect(failed).toMatchObject({
      attempts: 1,
      holdsRecipient: false,
      lastError: expect.stringMatching(/400/),
    });
    expect(partsTo(sms, REFUSED_NUMBER)).toHaveLength(1);
  });

  it.each([
    ['no token', undefined, 401, /officer token is required/],
    ['a token signed with another secret', 'other', 401, /not valid/],
    ['a unit officer', 'unit_officer', 403, /may not enter reports/],
    ['a validator', 'validator', 403, /may not enter reports/],
  ])('refuses %s and publishes nothing', async (_case, who, status, message) => {
    const text = `refused entry: ${_case}`;
    const bearer =
      who === undefined
        ? null
        : who === 'other'
          ? await signOfficerToken({ sub: 'x', role: 'admin' }, 'another-secret')
          : await signOfficerToken({ sub: 'u-1', role: who as 'unit_officer' | 'validator' }, SECRET);
    const res = await enter({ channel: 'letter', text }, bearer);
    expect(res.status).toBe(status);
    expect(((await res.json()) as { message: string }).message).toMatch(message);
    await new Promise((r) => setTimeout(r, 300));
    expect(received.filter((e) => e.text === text)).toHaveLength(0);
  });

  it('accepts an admin, and refuses bad entries with 400 naming the problem', async () => {
    const admin = await signOfficerToken({ sub: 'admin-1', role: 'admin' }, SECRET);
    expect((await enter({ channel: 'walk_in', text: 'Trotoar rusak' }, admin)).status).toBe(202);
    const cases: Array<[unknown, RegExp]> = [
      [{ channel: 'fax', text: 'x' }, /channel must be one of letter, walk_in, phone, media, lapor/],
      [{ channel: 'letter', text: '  ' }, /text must not be empty/],
      [
        { channel: 'letter', text: 'x', contact: { phone: 'call me' } },
        /contact.phone is not a phone number/,
      ],
      [
        { channel: 'letter', text: 'x', contact: { email: 'nobody' } },
        /contact.email is not an e-mail address/,
      ],
      [{ channel: 'letter', text: 'x', category: 'Alien' }, /category "Alien" is not a known category/],
      [{ channel: 'letter', text: 'x', receivedAt: '2099-01-01T00:00:00Z' }, /must not be in the future/],
      [{ channel: 'media', text: 'x', reference: 'Kompas, hal. 3' }, /article's URL/],
    ];
    for (const [body, message] of cases) {
      const res = await enter(body, admin);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { message: string }).message).toMatch(message);
    }
  });

  it("records a LAPOR! item by LAPOR!'s own id: the report channel-lapor reads, answered through LAPOR!", async () => {
    const item = {
      channel: 'lapor',
      laporId: 'LPR-7712345',
      text: 'Lampu penerangan jalan mati di Jl. Salemba Raya.',
      receivedAt: '2026-11-26T01:00:00.000Z',
      anonymous: true,
      confidential: true,
    };
    const res = await enter(item, token, { 'idempotency-key': 'lapor-entry-1' });
    expect(res.status).toBe(202);
    const entered = (await res.json()) as { reportId: string; acknowledgement: string };
    expect(entered.reportId).toBe(reportIdFor('lapor', 'LPR-7712345'));
    expect(entered.acknowledgement).toBe('lapor');
    expect(await eventOf(entered.reportId)).toMatchObject({
      channel: 'lapor',
      source: { id: 'LPR-7712345', receivedAt: '2026-11-26T01:00:00.000Z' },
      reporter: { anonymous: true, answers: true },
      visibility: 'private',
      confidential: true,
    });
    // Entered again under another key: the same report, not a second one.
    const again = await enter(item, token, { 'idempotency-key': 'lapor-entry-2' });
    expect(((await again.json()) as { reportId: string }).reportId).toBe(entered.reportId);
    await service.flushOutbox();
    expect(sms.requests.filter((r) => JSON.stringify(r.body).includes('LPR-7712345'))).toHaveLength(0);
  });

  it("refuses a LAPOR! item without LAPOR!'s id, or with a contact when it is anonymous, naming the problem", async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ channel: 'lapor', text: 'Jalan rusak' }, /laporId \(LAPOR!'s tracking number\) is required/],
      [{ channel: 'lapor', text: 'Jalan rusak', laporId: '../x' }, /laporId is not a LAPOR! tracking number/],
      [
        {
          channel: 'lapor',
          text: 'Jalan rusak',
          laporId: 'LPR-1',
          anonymous: true,
          contact: { name: 'Budi' },
        },
        /an anonymous LAPOR! item carries no contact/,
      ],
      [{ channel: 'letter', text: 'Jalan rusak', laporId: 'LPR-1' }, /for LAPOR! items only/],
    ];
    for (const [body, message] of cases) {
      const res = await enter(body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { message: string }).message).toMatch(message);
    }
    expect(received.some((e) => e.text === 'Jalan rusak')).toBe(false);
  });

  it('delivers notifications of letter and walk-in reports by SMS or e-mail, once each, and none a forger addresses', async () => {
    const entered = async (body: unknown) => {
      const res = await enter(body);
      expect(res.status).toBe(202);
      return (await res.json()) as { reportId: string; trackingCode: string };
    };
    const letter = await entered({
      channel: 'letter',
      text: 'Lampu jalan di gang 3 mati.',
      contact: { phone: '0812-3456-7002' },
    });
    const walkIn = await entered({
      channel: 'walk_in',
      text: 'Trotoar rusak di depan pasar.',
      contact: { email: 'pelapor@example.org' },
    });
    // Addressed by report only: the adapter answers from its own record (ADR 0055).
    const notification = (id: string, channel: Notification['channel'], reportId: string): Notification => ({
      notificationId: id,
      reportId,
      trackingCode: 'ABCDE-FGHJK',
      channel,
      locale: 'id',
      state: 'COMPLETED',
      message: 'Laporan ABCDE-FGHJK telah selesai ditangani.',
    });
    const bySms = notification('0b9f3c1e-1d2a-4c5b-8e7f-0000000000a1', 'letter', letter.reportId);
    const byMail = notification('0b9f3c1e-1d2a-4c5b-8e7f-0000000000a2', 'walk_in', walkIn.reportId);
    // Forged on the bus: a report this adapter never opened, to a number of the forger's choosing.
    const forged: Notification = {
      ...notification(
        '0b9f3c1e-1d2a-4c5b-8e7f-0000000000a3',
        'letter',
        '5f0d7a52-7c0e-5b0e-9c61-1a2b3c4d5e6f',
      ),
      recipient: { address: '+6281234567003' },
    };
    await bus.publish('aduan.notification.v1', bySms);
    await bus.publish('aduan.notification.v1', bySms);
    await bus.publish('aduan.notification.v1', byMail);
    await bus.publish('aduan.notification.v1', forged);
    const done = (p: { text?: string }) => Boolean(p.text?.includes('telah selesai'));
    await eventually(() => expect(smtp.mails.filter(done)).toHaveLength(1), { timeoutMs: 30_000 });
    expect(smtp.mails.filter(done)[0]!.to).toContain('pelapor@example.org');
    await eventually(() => expect(partsTo(sms, '+6281234567002').filter(done)).toHaveLength(1));
    await new Promise((r) => setTimeout(r, 800));
    expect(partsTo(sms, '+6281234567002').filter(done)).toHaveLength(1);
    expect(partsTo(sms, '+6281234567003')).toHaveLength(0);
  });

  it('never writes contact data to its log', () => {
    const log = lines.join('\n');
    expect(log).toContain('report entered by an officer');
    for (const secret of [
      'Slamet',
      '6281234567001',
      '3456-7001',
      'warga.rw03@example.org',
      'pelapor@example.org',
      '6281234567002',
      '6281234567010',
      '6281234567099',
    ]) {
      expect(log).not.toContain(secret);
    }
  });
});
