import { EventBus } from '@aduan/bus';
import type { ComplaintReceived } from '@aduan/contracts';
import {
  capturedLogger,
  collectEvents,
  createTestDatabase,
  eventually,
  testEnv,
  uniqueTopicPrefix,
  type TestDatabase,
} from '@aduan/testing';
import { startRouter } from '../services/router/src/app';
import { startChannelWhatsapp } from '../services/channel-whatsapp/src/app';
import { fakeSmsGateway, type FakeServer } from '../services/channel-whatsapp/test/fake-providers';
import { startStatus } from '../services/status/src/app';
import { sendSms } from './stack';

const SMS_TOKEN = 'e2e-check-sms-auth-token';
const CITIZEN = '+6281355550123';
const CODE = /[A-Z0-9]{5}-[A-Z0-9]{5}/;

/**
 * "cek <code>" by SMS, answered from the real status service: the complaint is routed, and the
 * citizen who asks learns its state and unit on the same channel, with no second report.
 */
describe('a citizen checks a report by SMS', () => {
  const { logger, lines } = capturedLogger('e2e');
  let database: TestDatabase;
  let gateway: FakeServer;
  let services: Array<{ stop(): Promise<void> }> = [];
  let whatsappUrl: string;
  let statusUrl: string;
  let bus: EventBus;
  let received: ComplaintReceived[];

  beforeAll(async () => {
    [database, gateway] = await Promise.all([createTestDatabase('e2e_check_sms'), fakeSmsGateway()]);
    const prefix = uniqueTopicPrefix();
    bus = new EventBus({
      brokers: testEnv.kafkaBrokers,
      clientId: 'e2e-check',
      source: '/aduan/e2e',
      logger,
      topicPrefix: prefix,
    });
    await bus.connect();
    await bus.ensureTopics(['aduan.complaint.received.v1']);
    received = await collectEvents(bus, 'aduan.complaint.received.v1');
    const env = {
      KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: prefix,
      DATABASE_URL: database.url,
      ROUTER_PORT: '0',
      STATUS_PORT: '0',
      WHATSAPP_PORT: '0',
      SMS_WEBHOOK_AUTH_TOKEN: SMS_TOKEN,
      SMS_GATEWAY_URL: `${gateway.url}/v1/messages`,
      SMS_GATEWAY_TOKEN: 'test-sms-gateway-token',
      OFFICER_JWT_SECRET: 'e2e-officer-secret-of-32-bytes-at-least',
      REPORTER_DATA_KEY: Buffer.alloc(32, 5).toString('base64'),
    };
    const status = await startStatus(env, logger.child({ service: 'status' }));
    services.push(status);
    statusUrl = `http://127.0.0.1:${status.port}`;
    services.push(await startRouter(env, logger.child({ service: 'router' })));
    const whatsapp = await startChannelWhatsapp(
      { ...env, STATUS_BASE_URL: statusUrl },
      logger.child({ service: 'channel-whatsapp' }),
    );
    services.push(whatsapp);
    whatsappUrl = `http://127.0.0.1:${whatsapp.port}`;
  });

  afterAll(async () => {
    for (const s of services.reverse()) await s.stop();
    services = [];
    await bus?.close();
    await gateway?.close();
    await database?.drop();
  });

  const sms = async (sid: string, body: string) =>
    expect(await sendSms(whatsappUrl, SMS_TOKEN, { sid, from: CITIZEN, body })).toBe(200);

  const answersTo = (sid: string) => texts().filter((t) => t.reference.includes(sid));
  const texts = () => gateway.requests.map((r) => r.body as { to: string; text: string; reference: string });

  it('answers with the routed state and unit, to the sender only, and files nothing', async () => {
    await sms(
      'SM20000000000000000000000000000001',
      'Jalan berlubang besar di Jl. Kramat Raya, Senen, bahaya motor',
    );
    const ack = await eventually(() => {
      const found = texts().find((t) => CODE.test(t.text));
      if (!found) throw new Error('no acknowledgement yet');
      return found;
    });
    const code = CODE.exec(ack.text)![0];
    const view = await eventually(async () => {
      const res = await fetch(`${statusUrl}/v1/public/reports/${code}`);
      const body = (await res.json()) as { unit?: { name: string } | null; state?: { label: string } };
      if (!body.unit) throw new Error('not routed yet');
      return body as { unit: { name: string }; state: { label: string } };
    });

    await sms('SM20000000000000000000000000000002', `cek ${code.toLowerCase().replace('-', ' ')}`);
    // The answer names the asking message in its gateway reference, and may come in parts.
    const parts = await eventually(() => {
      const found = answersTo('SM20000000000000000000000000000002');
      if (!found.length || !found.some((p) => /#(\d+)\/\1$/.test(p.reference)))
        throw new Error('no answer yet');
      return found;
    });
    expect(new Set(parts.map((p) => p.to))).toEqual(new Set([CITIZEN]));
    const answer = parts.map((p) => p.text).join('');
    expect(answer).toContain(code);
    expect(answer).toContain(view.unit.name);

    // A check is not a complaint: one report, and the number never in a log line.
    await new Promise((r) => setTimeout(r, 1000));
    expect(received).toHaveLength(1);
    expect(lines.join('\n')).not.toContain(CITIZEN.slice(3));
  });

  it('answers an unknown code with one neutral sentence that does not repeat it', async () => {
    await sms('SM20000000000000000000000000000003', 'CEK ZZZZZ-ZZZZ9');
    const parts = await eventually(() => {
      const found = answersTo('SM20000000000000000000000000000003');
      if (!found.length || !found.some((p) => /#(\d+)\/\1$/.test(p.reference)))
        throw new Error('no answer yet');
      return found;
    });
    expect(parts.map((p) => p.text).join('')).not.toContain('ZZZZZ');
  });
});
