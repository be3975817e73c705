import { Client } from 'pg';
import { signOfficerToken } from '@aduan/platform';
import {
  createTestDatabase,
  eventually,
  startServiceProcess,
  testEnv,
  uniqueTopicPrefix,
  type ServiceProcess,
  type TestDatabase,
} from '@aduan/testing';
import { OFFICER_SECRET, phoneOf, smsGateway, type SmsGatewayStandIn } from './sms-gateway-stand-in';

describe('channel-officer killed between "report accepted" and "acknowledgement sent"', () => {
  let db: TestDatabase;
  let sms: SmsGatewayStandIn;
  let service: ServiceProcess | undefined;

  beforeAll(async () => {
    [db, sms] = await Promise.all([createTestDatabase('officer_crash'), smsGateway()]);
  });
  afterAll(async () => {
    await service?.stop();
    await sms.close();
    await db.drop();
  });

  it('sends the citizen exactly one acknowledgement after the restart', async () => {
    const env = {
      OFFICER_PORT: '0',
      OFFICER_JWT_SECRET: OFFICER_SECRET,
      SMS_GATEWAY_URL: `${sms.url}/v1/messages`,
      DATABASE_URL: db.url,
      KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: uniqueTopicPrefix(),
    };
    service = await startServiceProcess('channel-officer', env);
    sms.up = false; // the gateway is down: the acknowledgement cannot go out yet
    const token = await signOfficerToken({ sub: 'officer-9', role: 'crm_officer' }, OFFICER_SECRET);
    const res = await fetch(service.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        channel: 'walk_in',
        text: 'Lampu PJU mati sepanjang Jl. Cikini',
        contact: { phone: phoneOf('crash') },
      }),
    });
    expect(res.status).toBe(202); // the report is on Kafka
    const { reportId, trackingCode } = (await res.json()) as { reportId: string; trackingCode: string };
    await eventually(() => expect(sms.refused()).toBeGreaterThan(0), { timeoutMs: 30_000 });
    // Killed once the failed attempt is recorded: a kill during a send would hold the message
    // for the claim's lease (minutes) before it is sent again, which is not what this test is about.
    const store = new Client({ connectionString: db.url });
    await store.connect();
    try {
      await eventually(async () => {
        const { rows } = await store.query<{ status: string }>(
          'SELECT status FROM channel_delivery WHERE delivery_id = $1',
          [`ack:${reportId}`],
        );
        expect(rows[0]?.status).toBe('pending');
      });
    } finally {
      await store.end();
    }

    await service.kill();
    service = undefined;
    sms.up = true;
    service = await startServiceProcess('channel-officer', env);

    const toCitizen = () => sms.sent().filter((m) => m.to === phoneOf('crash'));
    await eventually(() => expect(toCitizen()).toHaveLength(1), { timeoutMs: 30_000 });
    expect(toCitizen()[0]!.text).toContain(trackingCode);
    // Nothing more follows: the acknowledgement was sent once.
    await new Promise((r) => setTimeout(r, 2000));
    expect(toCitizen()).toHaveLength(1);
  }, 180_000); // two process starts, each compiling the service on start
});
