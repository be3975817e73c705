import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EventBus } from '@aduan/bus';
import { hubSignature256, trackingCodeFor, twilioSignature, type RunningChannel } from '@aduan/channel-sdk';
import type { ComplaintFollowUp, ComplaintReceived } from '@aduan/contracts';
import {
  capturedLogger,
  collectEvents,
  createTestDatabase,
  eventually,
  publicReportView,
  stateOnlyReportView,
  statusApiStandIn,
  testEnv,
  uniqueTopicPrefix,
  type StatusApiStandIn,
  type TestDatabase,
} from '@aduan/testing';
import { startChannelWhatsapp } from '../src/app';
import { fakeCloudApi, fakeSmsGateway, sentText, type FakeCloudApi, type FakeServer } from './fake-providers';

const APP_SECRET = 'test_app_secret';
const SMS_TOKEN = 'test-sms-auth-token';
const code = (n: string) => trackingCodeFor(`whatsapp-check-${n}`, 'any-secret');
const quietly = () => new Promise((r) => setTimeout(r, 600));

/** Meta's text-message webhook (test/fixtures/whatsapp-text.json) from `from`, saying `text`, sent now. */
function cloudText(id: string, from: string, text: string): Buffer {
  const payload = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'whatsapp-text.json'), 'utf8')) as {
    entry: Array<{ changes: Array<{ value: { contacts: Array<{ wa_id: string }>; messages: unknown[] } }> }>;
  };
  const value = payload.entry[0]!.changes[0]!.value;
  value.contacts[0]!.wa_id = from;
  value.messages = [
    { from, id, timestamp: String(Math.floor(Date.now() / 1000)), text: { body: text }, type: 'text' },
  ];
  return Buffer.from(JSON.stringify(payload));
}

/** An inbound SMS in Twilio's webhook fields, as the SMS gateway posts it. */
const smsFields = (sid: string, from: string, body: string) => ({
  MessageSid: sid,
  AccountSid: 'AC00000000000000000000000000000000',
  From: from,
  To: '+6221500001',
  Body: body,
  NumMedia: '0',
});

/** "cek <code>" on WhatsApp and SMS (ADR 0049), against the Cloud API and SMS gateway stand-ins. */
describe('channel-whatsapp: checking a report by message', () => {
  const prefix = uniqueTopicPrefix();
  const { logger, lines } = capturedLogger('channel-whatsapp');
  let db: TestDatabase;
  let cloud: FakeCloudApi;
  let gateway: FakeServer;
  let status: StatusApiStandIn;
  let service: RunningChannel;
  let bus: EventBus;
  let received: ComplaintReceived[];
  let followUps: ComplaintFollowUp[];
  let base: string;

  beforeAll(async () => {
    [db, cloud, gateway, status] = await Promise.all([
      createTestDatabase('whatsapp_check'),
      fakeCloudApi(),
      fakeSmsGateway(),
      statusApiStandIn(),
    ]);
    service = await startChannelWhatsapp(
      {
        WHATSAPP_PORT: '0',
        WHATSAPP_APP_SECRET: APP_SECRET,
        WHATSAPP_VERIFY_TOKEN: 'verify-me',
        WHATSAPP_ACCESS_TOKEN: 'test-access-token',
        WHATSAPP_API_BASE_URL: `${cloud.url}/v21.0`,
        SMS_WEBHOOK_AUTH_TOKEN: SMS_TOKEN,
        SMS_GATEWAY_URL: `${gateway.url}/v1/messages`,
        SMS_GATEWAY_TOKEN: 'test-sms-gateway-token',
        STATUS_BASE_URL: status.url,
        PUBLIC_TRACKING_URL: 'https://aduan.example/lacak/{code}',
        DATABASE_URL: db.url,
        KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
        KAFKA_TOPIC_PREFIX: prefix,
      },
      logger,
    );
    base = `http://127.0.0.1:${service.port}`;
    bus = new EventBus({
      brokers: testEnv.kafkaBrokers,
      clientId: 'whatsapp-check-test',
      source: '/test',
      logger,
      topicPrefix: prefix,
    });
    await bus.connect();
    received = await collectEvents(bus, 'aduan.complaint.received.v1');
    followUps = await collectEvents(bus, 'aduan.complaint.followup.v1');
  });

  afterAll(async () => {
    await service?.stop();
    await bus?.close();
    await Promise.all([cloud?.close(), gateway?.close(), status?.close()]);
    await db?.drop();
  });

  async function whatsapp(id: string, from: string, text: string): Promise<void> {
    const body = cloudText(id, from, text);
    const res = await fetch(`${base}/webhooks/whatsapp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hub-signature-256': hubSignature256(body, APP_SECRET),
      },
      body,
    });
    expect(res.status).toBe(200);
  }
  async function sms(sid: string, from: string, text: string): Promise<void> {
    const fields = smsFields(sid, from, text);
    const url = `${base}/webhooks/sms`;
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilioSignature(url, fields, SMS_TOKEN),
      },
      body: new URLSearchParams(fields).toString(),
    });
    expect(res.status).toBe(200);
  }
  /** What the Cloud API was asked to send to this number, and whether as a text (not a template). */
  const whatsappTo = (to: string) =>
    cloud.requests
      .filter((r) => r.method === 'POST' && (r.body as { to?: string }).to === to)
      .map((r) => ({ type: (r.body as { type: string }).type, text: sentText(r) }));
  const smsTo = (to: string) =>
    gateway.requests
      .filter((r) => (r.body as { to?: string }).to === to)
      .map((r) => (r.body as { text: string }).text);
  const one = <T>(list: () => T[]) =>
    eventually(() => {
      expect(list()).toHaveLength(1);
      return list()[0]!;
    });

  it('answers "cek <code>" on WhatsApp as a text with the state, unit and last note, and files nothing', async () => {
    const tracking = code('wa');
    status.show(publicReportView(tracking, 'Petugas sudah meninjau lokasi'));
    await whatsapp('wamid.check.1', '6281311110001', `cek ${tracking}`);
    await whatsapp('wamid.check.1', '6281311110001', `cek ${tracking}`); // Meta retries a webhook
    const answer = await one(() => whatsappTo('6281311110001'));
    expect(answer.type).toBe('text'); // the citizen just wrote: inside the 24-hour window
    expect(answer.text).toContain(`Status laporan ${tracking}: Proses`);
    expect(answer.text).toContain('Ditangani oleh: Suku Dinas Bina Marga Kota Administrasi Jakarta Selatan');
    expect(answer.text).toContain('Catatan terakhir: Petugas sudah meninjau lokasi');
    await quietly();
    expect(whatsappTo('6281311110001')).toHaveLength(1);
    expect(received).toEqual([]);
    for (const line of lines) expect(line).not.toContain('6281311110001');
  });

  it('answers "status <code>" by SMS, short, through the gateway', async () => {
    const tracking = code('sms');
    status.show(publicReportView(tracking, 'Penambalan dijadwalkan Senin'));
    await sms('SM00000000000000000000000000check1', '+6281311110002', `STATUS ${tracking.replace('-', ' ')}`);
    // The gateway takes an answer longer than one SMS as its segments.
    const segments = await eventually(() => {
      const sent = smsTo('+6281311110002');
      expect(sent.join('')).toContain('/ Status: In progress.');
      return sent;
    });
    expect(segments.length).toBeLessThanOrEqual(2);
    const text = segments.join('');
    expect(text).toContain(`Laporan ${tracking}: Proses`);
    expect(text).toContain('Penambalan dijadwalkan Senin');
    expect(received).toEqual([]);
  });

  it('answers an unknown code and a private report by SMS with no more than the page shows', async () => {
    await sms('SM00000000000000000000000000check2', '+6281311110003', `cek ${code('nobody')}`);
    expect(await one(() => smsTo('+6281311110003'))).toContain('tidak dapat kami tampilkan');
    const privateCode = code('private');
    status.show(stateOnlyReportView(privateCode));
    await whatsapp('wamid.check.2', '6281311110004', `Cek ${privateCode}`);
    const { text } = await one(() => whatsappTo('6281311110004'));
    expect(text).toContain(`Status laporan ${privateCode}: Selesai`);
    expect(text).not.toMatch(/Ditangani|Catatan|Handled by/);
  });

  it("is no follow-up of the sender's open report, even for its own code", async () => {
    await whatsapp('wamid.check.3', '6281311110005', 'Saluran air tersumbat di Jl. Tebet Barat');
    const report = await one(() =>
      received.filter(
        (e) =>
          e.reporter.ref ===
          service.context.store.reporters.refFor(e.channel, { anonymous: false, phone: '+6281311110005' }),
      ),
    );
    await one(() => whatsappTo('6281311110005')); // the acknowledgement
    status.show(publicReportView(report.trackingCode, 'Dijadwalkan pengerukan'));
    await whatsapp('wamid.check.4', '6281311110005', `cek ${report.trackingCode}`);
    await eventually(() => expect(whatsappTo('6281311110005')).toHaveLength(2));
    expect(whatsappTo('6281311110005')[1]!.text).toContain('Catatan terakhir: Dijadwalkan pengerukan');
    await quietly();
    expect(followUps).toEqual([]);
    expect(received).toHaveLength(1);
  });
});
