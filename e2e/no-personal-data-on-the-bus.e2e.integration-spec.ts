import { generateKeyPairSync, createPublicKey } from 'node:crypto';
import { EventBus } from '@aduan/bus';
import { hubSignature256 } from '@aduan/channel-sdk';
import type { ComplaintReceived } from '@aduan/contracts';
import { signInternalToken } from '@aduan/platform';
import {
  capturedLogger,
  collectEvents,
  createTestDatabase,
  eventually,
  testEnv,
  uniqueTopicPrefix,
  type TestDatabase,
} from '@aduan/testing';
import { calculateJwkThumbprint, exportJWK } from 'jose';
import { Kafka, logLevel } from 'kafkajs';
import { DataSource } from 'typeorm';
import { startChannelJaki } from '../services/channel-jaki/src/app';
import { startChannelOfficer } from '../services/channel-officer/src/officer';
import { startChannelWhatsapp } from '../services/channel-whatsapp/src/app';
import { startRouter } from '../services/router/src/app';
import { startStatus } from '../services/status/src/app';
import { OfficerClient } from '../services/status/test/harness';
import { freePort } from '../services/web/test/support/status-process';
import { whatsappMessage } from './hostile-input/cases';
import { sendSms } from './stack';

/**
 * Citizens with distinctive names, phone numbers and e-mail addresses report through JAKI,
 * WhatsApp, SMS and an officer's entry of a letter; officers reveal one of them (two officers
 * agreeing) and erase another. Then every topic of the run is read from its beginning — intake,
 * routing, lifecycle, state, notifications, outcomes, erasures and every dead-letter topic — and
 * no key, value or header may hold any piece of any reporter (ADR 0058). The complaint texts name
 * nobody: the text is carried as written, for the officers.
 */

const API_KEY = 'e2e-app-key';
const WHATSAPP_SECRET = 'e2e-whatsapp-app-secret';
const SMS_TOKEN = 'e2e-sms-gateway-auth-token';
const ADMIN = { username: 'crm-admin', password: 'e2e-admin-password-123' };

const JAKI_CITIZEN = {
  name: 'Kusumawardhani Pratiwi',
  phone: '081355501234',
  email: 'kusumawardhani.p@warga-jaki.example',
};
const WA_CITIZEN = { name: 'Hendrawan Saputro', phone: '6281366602345' };
const SMS_CITIZEN = { phone: '+6281377703456' };
const LETTER_CITIZEN = {
  name: 'Sulistyowati Rahayu',
  phone: '0813-8880-4567',
  email: 'sulistyowati.r@surat.example',
};

/** Every form a reporter's data could take on the bus: each word of a name, an address and its local part, a number's digits. */
const TRACES = [
  ...[JAKI_CITIZEN.name, WA_CITIZEN.name, LETTER_CITIZEN.name].flatMap((n) => n.split(' ')),
  ...[JAKI_CITIZEN.email, LETTER_CITIZEN.email].flatMap((e) => [e, e.split('@')[0]!]),
];
/** The subscriber part of each number (after 0 / 62): found among the digits of anything, however written. */
const NUMBERS = [JAKI_CITIZEN.phone, WA_CITIZEN.phone, SMS_CITIZEN.phone, LETTER_CITIZEN.phone].map((p) =>
  p.replace(/\D/g, '').replace(/^(62|0)/, ''),
);

function leaks(text: string): string[] {
  const lower = text.toLowerCase();
  const digits = text.replace(/\D/g, '');
  return [
    ...TRACES.filter((t) => lower.includes(t.toLowerCase())),
    ...NUMBERS.filter((n) => digits.includes(n)),
  ];
}

interface Record_ {
  topic: string;
  key: string;
  value: string;
  headers: string;
}

/** The topics under `prefix` (prefix removed) that hold at least one record. */
async function topicsWithRecords(prefix: string): Promise<string[]> {
  const kafka = new Kafka({
    brokers: testEnv.kafkaBrokers,
    clientId: 'e2e-bus-probe',
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const filled: string[] = [];
    for (const topic of (await admin.listTopics()).filter((t) => t.startsWith(prefix))) {
      const offsets = await admin.fetchTopicOffsets(topic);
      if (offsets.some((p) => Number(p.high) > Number(p.low))) filled.push(topic.slice(prefix.length));
    }
    return filled;
  } finally {
    await admin.disconnect();
  }
}

/** Every record of every topic under `prefix`, from the beginning of each partition to its end. */
async function readEveryTopic(prefix: string): Promise<Record_[]> {
  const kafka = new Kafka({
    brokers: testEnv.kafkaBrokers,
    clientId: 'e2e-bus-reader',
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
  let expected = 0;
  for (const topic of topics)
    for (const p of await admin.fetchTopicOffsets(topic)) expected += Number(p.high) - Number(p.low);
  await admin.disconnect();
  const records: Record_[] = [];
  const consumer = kafka.consumer({ groupId: `e2e-bus-reader-${Date.now()}` });
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ topic, message }) => {
      records.push({
        topic,
        key: message.key?.toString('utf8') ?? '',
        value: message.value?.toString('utf8') ?? '',
        headers: Object.entries(message.headers ?? {})
          .map(([k, v]) => `${k}=${String(v)}`)
          .join('\n'),
      });
    },
  });
  try {
    await eventually(() => expect(records.length).toBeGreaterThanOrEqual(expected), { timeoutMs: 30_000 });
  } finally {
    await consumer.disconnect();
  }
  return records;
}

describe('no personal data on the bus', () => {
  const prefix = uniqueTopicPrefix();
  const { logger, lines } = capturedLogger('e2e');
  const signing = generateKeyPairSync('ed25519');
  let database: TestDatabase;
  let store: DataSource;
  let received: ComplaintReceived[];
  const services: Array<{ stop(): Promise<void> }> = [];
  let statusUrl = '';
  let jakiUrl = '';
  let whatsappUrl = '';
  let officerUrl = '';
  let admin: OfficerClient;
  let second: OfficerClient;
  let bus: EventBus;

  /** A token as the status service signs one for a reveal (its key is the test's). */
  async function statusToken(ref: string): Promise<string> {
    const kid = await calculateJwkThumbprint(await exportJWK(createPublicKey(signing.privateKey)));
    return signInternalToken({ kid, privateKey: signing.privateKey, alg: 'EdDSA' }, 'reporter:reveal', ref);
  }

  const eventOf = (reportId: string) =>
    eventually(() => {
      const e = received.find((r) => r.reportId === reportId);
      if (!e) throw new Error(`no complaint ${reportId} on the bus yet`);
      return e;
    });
  const eventFrom = (sourceId: string) =>
    eventually(() => {
      const e = received.find((r) => r.source.id === sourceId);
      if (!e) throw new Error(`no complaint from ${sourceId} on the bus yet`);
      return e;
    });

  beforeAll(async () => {
    database = await createTestDatabase('no_pii_bus');
    const statusPort = await freePort();
    statusUrl = `http://127.0.0.1:${statusPort}`;
    const env = {
      KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: prefix,
      DATABASE_URL: database.url,
      JAKI_PORT: '0',
      ROUTER_PORT: '0',
      WHATSAPP_PORT: '0',
      OFFICER_PORT: '0',
      JAKI_API_KEYS: API_KEY,
      WHATSAPP_APP_SECRET: WHATSAPP_SECRET,
      WHATSAPP_VERIFY_TOKEN: 'e2e-verify',
      WHATSAPP_ACCESS_TOKEN: 'test-access-token',
      SMS_WEBHOOK_AUTH_TOKEN: SMS_TOKEN,
      OFFICER_JWKS_URL: `${statusUrl}/.well-known/jwks.json`,
      STATUS_JWKS_URL: `${statusUrl}/.well-known/jwks.json`,
      REPORTER_DATA_KEY: Buffer.alloc(32, 5).toString('base64'),
    };
    // The adapters first: the status service must know where they answer.
    const jaki = await startChannelJaki(env, logger.child({ service: 'channel-jaki' }));
    services.push(jaki);
    const whatsapp = await startChannelWhatsapp(env, logger.child({ service: 'channel-whatsapp' }));
    services.push(whatsapp);
    const officer = await startChannelOfficer(env, logger.child({ service: 'channel-officer' }));
    services.push(officer);
    jakiUrl = `http://127.0.0.1:${jaki.port}`;
    whatsappUrl = `http://127.0.0.1:${whatsapp.port}`;
    officerUrl = `http://127.0.0.1:${officer.port}`;
    const status = await startStatus(
      {
        ...env,
        STATUS_PORT: String(statusPort),
        OFFICER_SIGNING_KEY: signing.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
        OFFICER_BOOTSTRAP_ADMIN: `${ADMIN.username}:${ADMIN.password}`,
        CHANNEL_ENDPOINTS: [
          `jaki=${jakiUrl}`,
          `whatsapp=${whatsappUrl}`,
          `sms=${whatsappUrl}`,
          `letter=${officerUrl}`,
        ].join(','),
      },
      logger.child({ service: 'status' }),
    );
    services.push(status);
    services.push(await startRouter(env, logger.child({ service: 'router' })));
    bus = new EventBus({
      brokers: testEnv.kafkaBrokers,
      clientId: 'e2e-no-pii',
      source: '/aduan/e2e',
      logger,
      topicPrefix: prefix,
    });
    await bus.connect();
    received = await collectEvents(bus, 'aduan.complaint.received.v1');
    store = new DataSource({ type: 'postgres', url: database.url });
    await store.initialize();
    admin = await OfficerClient.signIn(statusUrl, ADMIN.username, ADMIN.password);
    second = await admin.createOfficer('crm-kedua', 'crm_officer');
  }, 120_000);

  afterAll(async () => {
    for (const s of services.reverse()) await s.stop().catch(() => undefined);
    await store?.destroy();
    if (bus) {
      const ours = (await bus.adminClient.listTopics().catch(() => [])).filter((t) => t.startsWith(prefix));
      if (ours.length) await bus.adminClient.deleteTopics({ topics: ours }).catch(() => undefined);
      await bus.close();
    }
    await database?.drop();
  });

  let jakiReport: ComplaintReceived;
  let waReport: ComplaintReceived;
  let smsReport: ComplaintReceived;
  let letterReport: ComplaintReceived;

  it('takes the reports in through JAKI, WhatsApp, SMS and an officer entry, each naming its reporter by reference', async () => {
    const jaki = await fetch(`${jakiUrl}/v1/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
      body: JSON.stringify({
        text: 'Jalan berlubang besar di depan pasar Cempaka Putih, sudah dua motor jatuh.',
        location: { lat: -6.1706, lon: 106.810469 },
        reporter: JAKI_CITIZEN,
      }),
    });
    expect(jaki.status).toBe(202);
    jakiReport = await eventOf(((await jaki.json()) as { reportId: string }).reportId);

    const wa = whatsappMessage(
      {
        from: WA_CITIZEN.phone,
        id: 'wamid.no-pii-1',
        text: { body: 'Lampu jalan mati sepanjang Jl. Salemba Raya sejak minggu lalu.' },
      },
      WA_CITIZEN.name,
    );
    const waRes = await fetch(`${whatsappUrl}/webhooks/whatsapp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hub-signature-256': hubSignature256(wa.body, WHATSAPP_SECRET),
      },
      body: wa.body,
    });
    expect(waRes.status).toBe(200);
    waReport = await eventFrom(wa.id);

    expect(
      await sendSms(whatsappUrl, SMS_TOKEN, {
        sid: 'SM-no-pii-1',
        from: SMS_CITIZEN.phone,
        body: 'Sampah menumpuk di pinggir kali Ciliwung dekat jembatan, bau sekali.',
      }),
    ).toBe(200);
    smsReport = await eventFrom('SM-no-pii-1');

    const letter = await fetch(`${officerUrl}/v1/officer/entries`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.token}` },
      body: JSON.stringify({
        channel: 'letter',
        text: 'Saluran air di RT 05 tersumbat sejak dua minggu, air meluap ke rumah warga.',
        subject: 'Surat warga RW 03',
        contact: LETTER_CITIZEN,
      }),
    });
    expect(letter.status).toBe(202);
    letterReport = await eventOf(((await letter.json()) as { reportId: string }).reportId);

    for (const e of [jakiReport, waReport, smsReport, letterReport])
      expect(e.reporter).toEqual({ ref: expect.stringMatching(/^rp_/), anonymous: false, answers: true });
    // Each is stored and shown to officers under a pseudonym.
    for (const e of [jakiReport, waReport, smsReport, letterReport])
      await eventually(async () => {
        const res = await admin.get<{ reporter: { pseudonym: string } }>(`/v1/officer/reports/${e.reportId}`);
        expect(res.status).toBe(200);
        expect(res.body.reporter.pseudonym).toMatch(/^Pelapor #[0-9A-F]{6}$/);
      });
  });

  it('reveals a reporter through their adapter once a second officer approved, and to nobody else', async () => {
    const id = jakiReport.reportId;
    const asked = await admin.post<{ requestId: string }>(`/v1/officer/reports/${id}/contact`, {
      reason: 'konfirmasi lokasi kepada pelapor',
    });
    expect(asked.status).toBe(202);
    const { requestId } = asked.body;
    expect((await second.post(`/v1/officer/reports/${id}/contact/${requestId}/approve`, {})).status).toBe(
      200,
    );
    const shown = await admin.post(`/v1/officer/reports/${id}/contact`, {
      reason: 'konfirmasi lokasi kepada pelapor',
      requestId,
    });
    expect(shown.status).toBe(200);
    expect(shown.body).toEqual({ channel: 'jaki', anonymous: false, ...JAKI_CITIZEN });

    // The adapter answers only the status service, for this reference and report.
    const ask = (token: string | null, body: object) =>
      fetch(`${jakiUrl}/internal/reporters/reveal`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(body),
      });
    const ref = jakiReport.reporter.ref!;
    expect((await ask(null, { reportId: id, ref })).status).toBe(401);
    expect((await ask(admin.token, { reportId: id, ref })).status).toBe(401);
    expect((await ask(await statusToken(waReport.reporter.ref!), { reportId: id, ref })).status).toBe(401);
    expect((await ask(await statusToken(ref), { reportId: waReport.reportId, ref })).status).toBe(404);
    expect((await ask(await statusToken(ref), { reportId: 'not-a-uuid', ref })).status).toBe(400);
    const direct = await ask(await statusToken(ref), { reportId: id, ref });
    expect(direct.status).toBe(200);
  });

  it('erasing a reporter reaches their adapter: the contact can never be revealed again and the reply book forgets them', async () => {
    const { reportId, reporter } = waReport;
    const replyBook = () =>
      store.query(`SELECT 1 FROM channel_reply_book WHERE channel = 'whatsapp' AND report_id = $1`, [
        reportId,
      ]);
    expect(await replyBook()).toHaveLength(1);
    expect(
      (await admin.post(`/v1/officer/reports/${reportId}/reporter/erase`, { reason: 'permintaan pelapor' }))
        .status,
    ).toBe(200);
    await eventually(async () => expect(await replyBook()).toHaveLength(0), { timeoutMs: 20_000 });
    const res = await fetch(`${whatsappUrl}/internal/reporters/reveal`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await statusToken(reporter.ref!)}`,
      },
      body: JSON.stringify({ reportId, ref: reporter.ref }),
    });
    expect(res.status).toBe(404);
    expect(
      await store.query(`SELECT 1 FROM channel_reporter_key WHERE channel = 'whatsapp' AND ref = $1`, [
        reporter.ref,
      ]),
    ).toHaveLength(0);
    expect(
      await store.query(
        `SELECT 1 FROM channel_conversation WHERE channel = 'whatsapp' AND report_id = $1 AND reply_to_sealed IS NOT NULL`,
        [reportId],
      ),
    ).toHaveLength(0);
  });

  it('leaves no name, number or address of any reporter in any key, value or header of any topic', async () => {
    // Topics exist from start-up; wait until each holds this run's records (the status outbox
    // publishes notifications a moment after the state changes), then read everything once:
    // a consumer group join per attempt is too slow to poll with on a busy machine.
    await eventually(
      async () => {
        const filled = await topicsWithRecords(prefix);
        expect(filled).toEqual(
          expect.arrayContaining([
            'aduan.complaint.received.v1',
            'aduan.complaint.routed.v1',
            'aduan.report.lifecycle.v1',
            'aduan.report.state.v1',
            'aduan.notification.v1',
            'aduan.reporter.erased.v1',
          ]),
        );
      },
      { timeoutMs: 120_000 },
    );
    const records = await readEveryTopic(prefix);
    const found = records.flatMap((r) =>
      [r.key, r.value, r.headers].flatMap((part) => leaks(part).map((l) => `${r.topic}: ${l}`)),
    );
    expect(found).toEqual([]);
    // The check itself finds what it looks for.
    expect(leaks(JSON.stringify(JAKI_CITIZEN))).not.toEqual([]);
    expect(lines.join('\n')).not.toMatch(/Kusumawardhani|Hendrawan|Sulistyowati/);
  }, 200_000);
});
