import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EventBus } from '@aduan/bus';
import { deliveryIds, hubSignature256, twilioSignature, type RunningChannel } from '@aduan/channel-sdk';
import type { ComplaintFollowUp, ComplaintReceived, DeliveryOutcome, Notification } from '@aduan/contracts';
import {
  capturedLogger,
  collectEvents,
  createTestDatabase,
  eventually,
  testEnv,
  uniqueTopicPrefix,
  type TestDatabase,
  type RecordedRequest,
} from '@aduan/testing';
import { startChannelWhatsapp } from '../src/app';
import { fakeCloudApi, fakeSmsGateway, sentText, type FakeCloudApi, type FakeServer } from './fake-providers';

const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name));
const SECRET = 'test_app_secret';
// Published with the fixtures: X-Hub-Signature-256 of the exact bytes of whatsapp-text.json under test_app_secret.
const TEXT_VECTOR = 'sha256=539004114ddfe258e472eeb3020fd0ca0e57951a627b90e437862aa3b9963c1d';
const SMS_TOKEN = 'test-sms-auth-token';

const HOUR = 3_600_000;

/**
 * The fixtures share one message id and sender; each test gives its copy its own, written
 * `ageMs` ago (the fixtures' own dates are from 2023, outside WhatsApp's 24-hour window), then
 * signs those bytes.
 */
function variant(name: string, messageId: string, sender: string, ageMs = 0): Buffer {
  const at = String(Math.floor((Date.now() - ageMs) / 1000));
  return Buffer.from(
    fixture(name)
      .toString('utf8')
      .replaceAll('wamid.xyzxyz', messageId)
      .replaceAll('972987654321', sender)
      .replace(/"timestamp": "\d+"/, `"timestamp": "${at}"`),
  );
}

describe('channel-whatsapp: Cloud API and SMS webhooks against a real broker and database', () => {
  const prefix = uniqueTopicPrefix();
  const { logger, lines } = capturedLogger('channel-whatsapp');
  let db: TestDatabase;
  let cloud: FakeCloudApi;
  let gateway: FakeServer;
  let service: RunningChannel;
  let bus: EventBus;
  let received: ComplaintReceived[];
  let followUps: ComplaintFollowUp[];
  let outcomes: DeliveryOutcome[];
  let base: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    [db, cloud, gateway] = await Promise.all([
      createTestDatabase('whatsapp'),
      fakeCloudApi(),
      fakeSmsGateway(),
    ]);
    env = {
      WHATSAPP_PORT: '0',
      WHATSAPP_APP_SECRET: SECRET,
      WHATSAPP_VERIFY_TOKEN: 'verify-me',
      WHATSAPP_ACCESS_TOKEN: 'test-access-token',
      WHATSAPP_API_BASE_URL: `${cloud.url}/v21.0`,
      SMS_WEBHOOK_AUTH_TOKEN: SMS_TOKEN,
      SMS_GATEWAY_URL: `${gateway.url}/v1/messages`,
      SMS_GATEWAY_TOKEN: 'test-sms-gateway-token',
      DATABASE_URL: db.url,
      KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: prefix,
    };
    service = await startChannelWhatsapp(env, logger);
    base = `http://127.0.0.1:${service.port}`;
    bus = new EventBus({
      brokers: testEnv.kafkaBrokers,
      clientId: 'whatsapp-test',
      source: '/test',
      logger,
      topicPrefix: prefix,
    });
    await bus.connect();
    received = await collectEvents(bus, 'aduan.complaint.received.v1');
    followUps = await collectEvents(bus, 'aduan.complaint.followup.v1');
    outcomes = await collectEvents(bus, 'aduan.delivery.outcome.v1');
  });

  afterAll(async () => {
    await service?.stop();
    await bus?.close();
    await Promise.all([cloud?.close(), gateway?.close()]);
    await db?.drop();
  });

  const postWhatsapp = (body: Buffer | string, signature?: string) =>
    fetch(`${base}/webhooks/whatsapp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(signature ? { 'x-hub-signature-256': signature } : {}),
      },
      body,
    });
  const repliesTo = (to: string): RecordedRequest[] =>
    cloud.requests.filter((r) => r.method === 'POST' && (r.body as { to?: string }).to === to);
  const reportOf = (phone: string) =>
    eventually(() => {
      const found = eventFrom(phone);
      expect(found).toHaveLength(1);
      return found[0]!;
    });
  // The bus names the sender by reference only; the adapter's book gives the reference of a number.
  const fromPhone = (e: ComplaintReceived, phone: string) =>
    e.reporter.ref === service.context.store.reporters.refFor(e.channel, { anonymous: false, phone });
  const eventFrom = (phone: string) => received.filter((e) => fromPhone(e, phone));
  const quietly = () => new Promise((r) => setTimeout(r, 400));

  describe('the subscription handshake', () => {
    it('echoes the challenge when the verify token matches', async () => {
      const res = await fetch(
        `${base}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444`,
      );
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('1158201444');
    });

    it('refuses a wrong token', async () => {
      const res = await fetch(
        `${base}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1158201444`,
      );
      expect(res.status).toBe(403);
      expect(await res.text()).not.toContain('1158201444');
    });
  });

  describe('refused deliveries publish nothing', () => {
    it.each([
      ['no signature', undefined, 401, /header is missing/],
      [
        'a signature made with another secret',
        hubSignature256(fixture('whatsapp-text.json'), 'not-the-secret'),
        401,
        /does not match/,
      ],
      ['a malformed signature', 'sha256=nope', 401, /64 hex digits/],
    ])('answers 401 to %s', async (_case, signature, status, message) => {
      const res = await postWhatsapp(fixture('whatsapp-text.json'), signature);
      expect(res.status).toBe(status);
      expect(((await res.json()) as { message: string }).message).toMatch(message);
    });

    it('answers 400 to signed bodies that are not Cloud API webhooks', async () => {
      const broken = Buffer.from('{"object":"whatsapp_business_account","entry":[');
      expect((await postWhatsapp(broken, hubSignature256(broken, SECRET))).status).toBe(400);
      const wrongShape = Buffer.from(JSON.stringify({ object: 'page', entry: [] }));
      const res = await postWhatsapp(wrongShape, hubSignature256(wrongShape, SECRET));
      expect(res.status).toBe(400);
      expect(((await res.json()) as { message: string }).message).toMatch(/object/);
      await quietly();
      expect(received).toHaveLength(0);
    });
  });

  describe('each fixture becomes a report and gets a reply', () => {
    it('text (the exact fixture bytes, signed by the published test vector)', async () => {
      const res = await postWhatsapp(fixture('whatsapp-text.json'), TEXT_VECTOR);
      expect(res.status).toBe(200);
      const [event] = await eventually(() => {
        const found = eventFrom('+972987654321');
        expect(found).toHaveLength(1);
        return found;
      });
      expect(event).toMatchObject({
        channel: 'whatsapp',
        text: 'Body Text',
        source: {
          id: 'wamid.xyzxyz',
          thread: '1122334455667',
          receivedAt: new Date(1697043223_000).toISOString(),
        },
        reporter: { anonymous: false, answers: true },
      });
      expect(await service.keptContact(event!)).toEqual({ phone: '+972987654321', name: 'Test Name' });
      const [reply] = await eventually(() => {
        const found = repliesTo('972987654321');
        expect(found).toHaveLength(1);
        return found;
      });
      expect(reply!.path).toBe('/v21.0/1122334455667/messages');
      expect(reply!.headers.authorization).toBe('Bearer test-access-token');
      // The fixture was written in 2023: long past the 24-hour window, so only a template may go.
      expect(reply!.body).toEqual({
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: '972987654321',
        type: 'template',
        template: {
          name: 'aduan_acknowledgement',
          language: { code: 'id' },
          components: [
            {
              type: 'body',
              parameters: [
                { type: 'text', text: event!.trackingCode },
                { type: 'text', text: `http://127.0.0.1:3000/lacak/${event!.trackingCode}` },
              ],
            },
          ],
        },
      });
    });

    it('a fresh text is acknowledged with free text inside the window', async () => {
      const body = variant('whatsapp-text.json', 'wamid.fresh', '6281100000010');
      expect((await postWhatsapp(body, hubSignature256(body, SECRET))).status).toBe(200);
      const event = await reportOf('+6281100000010');
      const [reply] = await eventually(() => {
        const found = repliesTo('6281100000010');
        expect(found).toHaveLength(1);
        return found;
      });
      expect(reply!.body).toMatchObject({
        messaging_product: 'whatsapp',
        type: 'text',
        text: { body: expect.stringContaining(event.trackingCode) },
      });
    });

    it.each([
      ['whatsapp-image.json', '6281100000001'],
      ['whatsapp-image-with-url.json', '6281100000002'],
    ])('%s: a photo, downloaded with the token and kept in the media store', async (name, sender) => {
      const body = variant(name, `wamid.${sender}`, sender);
      expect((await postWhatsapp(body, hubSignature256(body, SECRET))).status).toBe(200);
      const [event] = await eventually(() => {
        const found = eventFrom(`+${sender}`);
        expect(found).toHaveLength(1);
        return found;
      });
      const sha256 = createHash('sha256').update(cloud.photo).digest('hex');
      expect(event!.attachments).toEqual([
        {
          url: `${base}/media/${sha256}`,
          contentType: 'image/jpeg',
          size: expect.any(Number),
          name: 'whatsapp-65463453',
        },
      ]);
      expect(event!.text).toMatch(/Foto tanpa keterangan/);
      expect(cloud.requests.some((r) => r.method === 'GET' && r.path === '/v21.0/65463453')).toBe(true);
      expect(cloud.downloads.at(-1)).toEqual({
        path: '/whatsapp_business/attachments/?mid=65463453&ext=1&hash=secret-signature',
        authorization: 'Bearer test-access-token',
      });
      // A stable link of our own, not the provider's, which expires and needs the token.
      const photo = await fetch(event!.attachments[0]!.url);
      expect(photo.status).toBe(200);
      expect(photo.headers.get('content-type')).toBe('image/jpeg');
      expect(Number(photo.headers.get('content-length'))).toBe(event!.attachments[0]!.size);
      await eventually(() => expect(repliesTo(sender)).toHaveLength(1));
    });

    it('a photo Meta no longer has is dropped with a note, and the complaint still counts', async () => {
      const body = Buffer.from(
        variant('whatsapp-image.json', 'wamid.photo-gone', '6281100000011')
          .toString('utf8')
          .replace('"65463453"', '"gone-65463453"')
          .replace('"image": {', '"image": {"caption": "Trotoar amblas depan halte",'),
      );
      expect((await postWhatsapp(body, hubSignature256(body, SECRET))).status).toBe(200);
      const event = await reportOf('+6281100000011');
      expect(event.attachments).toEqual([]);
      expect(event.text).toMatch(
        /^Trotoar amblas depan halte\n\[Foto tidak dapat disimpan \/ photo not kept: Cloud API answered 404/,
      );
    });

    it('a photo that cannot be fetched yet is answered 503, so Meta delivers it again', async () => {
      const sender = '6281100000012';
      const body = variant('whatsapp-image.json', 'wamid.photo-later', sender);
      cloud.up = false;
      try {
        const res = await postWhatsapp(body, hubSignature256(body, SECRET));
        expect(res.status).toBe(503);
        expect(res.headers.get('retry-after')).toBeTruthy();
      } finally {
        cloud.up = true;
      }
      expect((await postWhatsapp(body, hubSignature256(body, SECRET))).status).toBe(200);
      const event = await reportOf(`+${sender}`);
      expect(event.attachments).toEqual([
        expect.objectContaining({ url: expect.stringMatching(/\/media\/[0-9a-f]{64}$/) }),
      ]);
    });

    it('a named location keeps its coordinates, name and address', async () => {
      const body = variant('whatsapp-location.json', 'wamid.loc-named', '6281100000003');
      expect((await postWhatsapp(body, hubSignature256(body, SECRET))).status).toBe(200);
      const [event] = await eventually(() => {
        const found = eventFrom('+6281100000003');
        expect(found).toHaveLength(1);
        return found;
      });
      expect(event!.location).toEqual({
        lat: 37.4611978,
        lon: -122.2164385,
        address: 'Facebook HQ, 1 Hacker Way, Menlo Park, CA 94025',
      });
      await eventually(() => expect(repliesTo('6281100000003')).toHaveLength(1));
    });

    it('a bare current location', async () => {
      const body = variant('whatsapp-location-current.json', 'wamid.loc-current', '6281100000004');
      expect((await postWhatsapp(body, hubSignature256(body, SECRET))).status).toBe(200);
      const [event] = await eventually(() => {
        const found = eventFrom('+6281100000004');
        expect(found).toHaveLength(1);
        return found;
      });
      expect(event!.location).toEqual({ lat: 12.25089, lon: 43.90539 });
      expect(event!.text).toMatch(/Lokasi dibagikan/);
    });
  });

  describe('the same number within the window, and redeliveries', () => {
    it('continues the open report instead of opening another, and says so', async () => {
      const sender = '6281100000005';
      const first = variant('whatsapp-text.json', 'wamid.first', sender);
      await postWhatsapp(first, hubSignature256(first, SECRET));
      const [opened] = await eventually(() => {
        const found = eventFrom(`+${sender}`);
        expect(found).toHaveLength(1);
        return found;
      });
      const second = Buffer.from(
        variant('whatsapp-text.json', 'wamid.second', sender)
          .toString('utf8')
          .replace('Body Text', 'Fotonya menyusul'),
      );
      expect((await postWhatsapp(second, hubSignature256(second, SECRET))).status).toBe(200);
      // What the citizen added reaches the status service (officers), without their number or name.
      const [added] = await eventually(() => {
        const found = followUps.filter((f) => f.reportId === opened!.reportId);
        expect(found).toHaveLength(1);
        return found;
      });
      expect(added).toMatchObject({
        channel: 'whatsapp',
        trackingCode: opened!.trackingCode,
        text: 'Fotonya menyusul',
        source: { id: 'wamid.second' },
      });
      expect(JSON.stringify(added)).not.toContain(sender);
      const replies = await eventually(() => {
        const found = repliesTo(sender);
        expect(found).toHaveLength(2);
        return found;
      });
      const texts = replies.map(sentText);
      expect(texts.every((t) => t.includes(opened!.trackingCode))).toBe(true);
      expect(texts.some((t) => /informasi tambahan/.test(t))).toBe(true);
      await quietly();
      expect(eventFrom(`+${sender}`)).toHaveLength(1);
    });

    it('a webhook Meta delivers twice gives one report and one reply', async () => {
      const sender = '6281100000006';
      const body = variant('whatsapp-text.json', 'wamid.twice', sender);
      await postWhatsapp(body, hubSignature256(body, SECRET));
      await postWhatsapp(body, hubSignature256(body, SECRET));
      await eventually(() => expect(repliesTo(sender)).toHaveLength(1));
      await service.flushOutbox();
      await quietly();
      expect(repliesTo(sender)).toHaveLength(1);
      expect(new Set(eventFrom(`+${sender}`).map((e) => e.reportId)).size).toBe(1);
    });

    it('retries the reply while the Cloud API is down', async () => {
      const sender = '6281100000007';
      cloud.failNext(2, 503);
      const body = variant('whatsapp-location-current.json', 'wamid.outage', sender);
      expect((await postWhatsapp(body, hubSignature256(body, SECRET))).status).toBe(200);
      await eventually(() => expect(repliesTo(sender)).toHaveLength(1), { timeoutMs: 20_000 });
    });
  });

  describe('what is not a complaint', () => {
    it('acknowledges status callbacks and unknown message types without publishing', async () => {
      const statuses = Buffer.from(
        JSON.stringify({
          object: 'whatsapp_business_account',
          entry: [
            {
              id: '1',
              changes: [
                {
                  field: 'messages',
                  value: {
                    metadata: { phone_number_id: '1122334455667' },
                    statuses: [
                      {
                        id: 'wamid.s',
                        status: 'delivered',
                        timestamp: '1697043300',
                        recipient_id: '6281100000099',
                      },
                    ],
                  },
                },
              ],
            },
          ],
        }),
      );
      expect((await postWhatsapp(statuses, hubSignature256(statuses, SECRET))).status).toBe(200);
      const sticker = Buffer.from(
        variant('whatsapp-text.json', 'wamid.sticker', '6281100000008')
          .toString('utf8')
          .replace(
            '"text": {\n                  "body": "Body Text"\n                },',
            '"sticker": {"id": "1", "mime_type": "image/webp"},',
          )
          .replace('"type": "text"', '"type": "sticker"'),
      );
      const res = await postWhatsapp(sticker, hubSignature256(sticker, SECRET));
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ accepted: 0, quarantined: 0 });
      await quietly();
      expect(
        received.filter((e) => e.source.id === 'wamid.sticker' || fromPhone(e, '+6281100000099')),
      ).toHaveLength(0);
      expect(
        lines.some((l) => l.includes('message type not taken as a complaint') && l.includes('sticker')),
      ).toBe(true);
    });
  });

  describe('SMS', () => {
    const smsUrl = () => `${base}/webhooks/sms`;
    const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
    const postSms = (fields: Record<string, string>, signature?: string) =>
      fetch(smsUrl(), {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          ...(signature ? { 'x-twilio-signature': signature } : {}),
        },
        body: form(fields),
      });
    const sms = (sid: string, from: string, body: string) => ({
      ToCountry: 'ID',
      SmsMessageSid: sid,
      NumMedia: '0',
      SmsSid: sid,
      SmsStatus: 'received',
      Body: body,
      To: '+6221500001',
      NumSegments: '1',
      MessageSid: sid,
      AccountSid: 'AC00000000000000000000000000000000',
      From: from,
      ApiVersion: '2010-04-01',
    });
    const gatewayTo = (to: string) => gateway.requests.filter((r) => (r.body as { to?: string }).to === to);

    it('takes a signed SMS, publishes it and answers by SMS through the gateway', async () => {
      const fields = sms(
        'SM00000000000000000000000000000001',
        '+6281200000001',
        'Lampu jalan mati di Jl. Kenari',
      );
      const res = await postSms(fields, twilioSignature(smsUrl(), fields, SMS_TOKEN));
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('<Response></Response>');
      const [event] = await eventually(() => {
        const found = eventFrom('+6281200000001');
        expect(found).toHaveLength(1);
        return found;
      });
      expect(event).toMatchObject({
        channel: 'sms',
        text: 'Lampu jalan mati di Jl. Kenari',
        source: { id: 'SM00000000000000000000000000000001' },
      });
      const parts = await eventually(() => {
        const found = gatewayTo('+6281200000001');
        expect(found.length).toBeGreaterThan(0);
        return found;
      });
      const text = parts.map((p) => (p.body as { text: string }).text).join('');
      expect(text).toContain(event!.trackingCode);
      for (const p of parts) expect((p.body as { text: string }).text.length).toBeLessThanOrEqual(160);
      expect(parts[0]!.headers.authorization).toBe('Bearer test-sms-gateway-token');
    });

    it('refuses a wrong signature with 401 and a signed form without From with 400', async () => {
      const fields = sms('SM00000000000000000000000000000002', '+6281200000002', 'halo');
      expect((await postSms(fields, twilioSignature(smsUrl(), fields, 'wrong'))).status).toBe(401);
      expect((await postSms(fields)).status).toBe(401);
      const { From: _omit, ...noFrom } = fields;
      const res = await postSms(noFrom, twilioSignature(smsUrl(), noFrom, SMS_TOKEN));
      expect(res.status).toBe(400);
      expect(((await res.json()) as { message: string }).message).toMatch(/From is required/);
      await quietly();
      expect(eventFrom('+6281200000002')).toHaveLength(0);
    });
  });

  describe('notifications', () => {
    const REPORT = '5f0d7a52-7c0e-5b0e-9c61-1a2b3c4d5e6f';
    const notification = (over: Partial<Notification>): Notification => ({
      notificationId: '0b9f3c1e-1d2a-4c5b-8e7f-000000000001',
      reportId: REPORT,
      trackingCode: 'ABCDE-FGHJK',
      channel: 'whatsapp',
      locale: 'id',
      state: 'IN_PROGRESS',
      message: 'Laporan ABCDE-FGHJK sedang diproses oleh Dinas Bina Marga.',
      ...over,
    });

    it('reach WhatsApp and SMS exactly once, even when redelivered after a restart', async () => {
      // Notifications name the report only; the adapter answers from its own record of who
      // reported it (ADR 0055), kept here as its intake keeps it.
      const { replies } = service.context.store;
      await replies.record('whatsapp', REPORT, { address: '+6281300000001', thread: '1122334455667' });
      await replies.record('sms', REPORT, { address: '+6281300000002' });
      const wa = notification({});
      await bus.publish('aduan.notification.v1', wa);
      await eventually(() => expect(repliesTo('6281300000001')).toHaveLength(1), { timeoutMs: 30_000 });
      // Nobody here knows when this citizen last wrote: only a template is sure to be delivered.
      expect(repliesTo('6281300000001')[0]!.body).toMatchObject({
        type: 'template',
        template: { name: 'aduan_notification' },
      });
      expect(sentText(repliesTo('6281300000001')[0]!)).toBe(`ABCDE-FGHJK ${wa.message}`);

      await service.stop();
      service = await startChannelWhatsapp(env, logger);
      base = `http://127.0.0.1:${service.port}`;

      const long = 'Laporan ABCDE-FGHJK sudah selesai ditangani. '.repeat(8).trim();
      await bus.publish('aduan.notification.v1', wa);
      await bus.publish(
        'aduan.notification.v1',
        notification({
          notificationId: '0b9f3c1e-1d2a-4c5b-8e7f-000000000002',
          channel: 'sms',
          state: 'COMPLETED',
          message: long,
        }),
      );
      const parts = await eventually(
        () => {
          const found = gateway.requests.filter((r) => (r.body as { to?: string }).to === '+6281300000002');
          expect(found.length).toBeGreaterThan(1);
          return found;
        },
        { timeoutMs: 30_000 },
      );
      expect(parts.map((p) => (p.body as { text: string }).text).join('')).toBe(long);
      expect(parts.map((p) => (p.body as { reference: string }).reference)).toEqual(
        parts.map((_, i) => `0b9f3c1e-1d2a-4c5b-8e7f-000000000002#${i + 1}/${parts.length}`),
      );
      await quietly();
      expect(repliesTo('6281300000001')).toHaveLength(1);
    });
  });

  describe("WhatsApp's 24-hour window and delivery receipts", () => {
    const notify = (reportId: string, trackingCode: string, n: number, message: string) =>
      bus.publish('aduan.notification.v1', {
        notificationId: `0b9f3c1e-1d2a-4c5b-8e7f-00000000010${n}`,
        reportId,
        trackingCode,
        channel: 'whatsapp',
        locale: 'id',
        state: 'IN_PROGRESS',
        message,
      });

    it('a notification more than 24 hours after the citizen last wrote goes out as the approved template', async () => {
      const sender = '6281400000001';
      const body = variant('whatsapp-text.json', 'wamid.old', sender, 25 * HOUR);
      expect((await postWhatsapp(body, hubSignature256(body, SECRET))).status).toBe(200);
      const report = await reportOf(`+${sender}`);
      await eventually(() => expect(repliesTo(sender)).toHaveLength(1));
      const message = 'Laporan Anda sedang diproses.\nPetugas Dinas Bina Marga menuju lokasi.';
      await notify(report.reportId, report.trackingCode, 1, message);
      const [, sent] = await eventually(
        () => {
          const found = repliesTo(sender);
          expect(found).toHaveLength(2);
          return found;
        },
        { timeoutMs: 30_000 },
      );
      // Sent from the number the citizen wrote to, to the citizen's own number.
      expect(sent!.path).toBe('/v21.0/1122334455667/messages');
      expect(sent!.body).toEqual({
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: sender,
        type: 'template',
        template: {
          name: 'aduan_notification',
          language: { code: 'id' },
          components: [
            {
              type: 'body',
              parameters: [
                { type: 'text', text: report.trackingCode },
                // Meta refuses line breaks inside a parameter.
                {
                  type: 'text',
                  text: 'Laporan Anda sedang diproses. Petugas Dinas Bina Marga menuju lokasi.',
                },
              ],
            },
          ],
        },
      });
    });

    it('within 24 hours the same notification is plain text', async () => {
      const sender = '6281400000002';
      const body = variant('whatsapp-text.json', 'wamid.recent', sender, 23 * HOUR);
      expect((await postWhatsapp(body, hubSignature256(body, SECRET))).status).toBe(200);
      const report = await reportOf(`+${sender}`);
      await notify(report.reportId, report.trackingCode, 2, 'Laporan Anda sedang diproses.');
      const sent = await eventually(
        () => {
          const found = repliesTo(sender);
          expect(found).toHaveLength(2);
          return found;
        },
        { timeoutMs: 30_000 },
      );
      expect(sent.map((r) => (r.body as { type: string }).type)).toEqual(['text', 'text']);
      expect(sent.map(sentText)).toContain('Laporan Anda sedang diproses.');
    });

    it('a failed-delivery receipt marks the message failed, with the reason, and tells officers', async () => {
      const sender = '6281400000003';
      const body = variant('whatsapp-text.json', 'wamid.undelivered', sender);
      expect((await postWhatsapp(body, hubSignature256(body, SECRET))).status).toBe(200);
      const report = await reportOf(`+${sender}`);
      const deliveryId = deliveryIds.acknowledgement(report.reportId);
      const sent = await eventually(async () => {
        const view = await service.context.outbox.find(deliveryId);
        expect(view).toMatchObject({ status: 'sent', providerMessageId: expect.stringMatching(/^wamid\./) });
        return view!;
      });
      // https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/payload-examples#status--message-failed
      const statuses = Buffer.from(
        JSON.stringify({
          object: 'whatsapp_business_account',
          entry: [
            {
              id: '102290129340398',
              changes: [
                {
                  field: 'messages',
                  value: {
                    messaging_product: 'whatsapp',
                    metadata: { display_phone_number: '15550783881', phone_number_id: '1122334455667' },
                    statuses: [
                      {
                        id: sent.providerMessageId,
                        status: 'failed',
                        timestamp: String(Math.floor(Date.now() / 1000)),
                        recipient_id: sender,
                        errors: [
                          {
                            code: 131026,
                            title: 'Message undeliverable',
                            message: 'Message undeliverable',
                            error_data: { details: 'Message Undeliverable.' },
                            href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
                          },
                        ],
                      },
                    ],
                  },
                },
              ],
            },
          ],
        }),
      );
      expect((await postWhatsapp(statuses, hubSignature256(statuses, SECRET))).status).toBe(200);
      expect(await service.context.outbox.find(deliveryId)).toMatchObject({
        receipt: 'failed',
        receiptError: '131026 Message undeliverable: Message Undeliverable.',
      });
      const told = await eventually(() => {
        const found = outcomes.filter((o) => o.deliveryId === deliveryId && o.status === 'failed');
        expect(found).toHaveLength(1);
        return found[0]!;
      });
      expect(told).toMatchObject({
        reportId: report.reportId,
        channel: 'whatsapp',
        kind: 'acknowledgement',
        reason: '131026 Message undeliverable: Message Undeliverable.',
      });
      expect(JSON.stringify(told)).not.toContain(sender);
    });
  });

  it('never writes a phone number or a name to the log', () => {
    const log = lines.join('\n');
    expect(log).toContain('report opened');
    for (const secret of [
      '972987654321',
      '6281100000001',
      '6281200000001',
      '6281300000001',
      'Test Name',
      SMS_TOKEN,
      'test-access-token',
    ]) {
      expect(log).not.toContain(secret);
    }
  });
});
