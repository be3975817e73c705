import { EventBus } from '@aduan/bus';
import {
  capturedLogger,
  createTestDatabase,
  eventually,
  startServiceProcess,
  testEnv,
  uniqueTopicPrefix,
  type ServiceProcess,
  type TestDatabase,
} from '@aduan/testing';
import { appBackend, PUSH_SECRET, type AppBackend } from './jaki-stand-ins';

describe('channel-jaki killed between "state change queued" and "state change pushed"', () => {
  const prefix = uniqueTopicPrefix();
  const { logger } = capturedLogger('jaki-crash-test');
  let db: TestDatabase;
  let backend: AppBackend;
  let bus: EventBus;
  let service: ServiceProcess | undefined;

  beforeAll(async () => {
    [db, backend] = await Promise.all([createTestDatabase('jaki_crash'), appBackend()]);
    bus = new EventBus({
      brokers: testEnv.kafkaBrokers,
      clientId: 'jaki-crash',
      source: '/test',
      logger,
      topicPrefix: prefix,
    });
    await bus.connect();
  });
  afterAll(async () => {
    await service?.stop();
    await bus.close();
    await backend.close();
    await db.drop();
  });

  it('pushes the state change exactly once after the restart', async () => {
    const env = {
      JAKI_PORT: '0',
      JAKI_API_KEYS: 'jaki-ios:crash-key',
      JAKI_PUSH_WEBHOOK_URL: backend.url,
      JAKI_PUSH_SECRET: PUSH_SECRET,
      DATABASE_URL: db.url,
      KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: prefix,
    };
    service = await startServiceProcess('channel-jaki', env);
    backend.up = false; // the JAKI backend is down: the push cannot go out yet
    const res = await fetch(service.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'crash-key' },
      body: JSON.stringify({ text: 'Pohon tumbang menutup jalan di depan kelurahan' }),
    });
    expect(res.status).toBe(202);
    const { reportId, trackingCode } = (await res.json()) as { reportId: string; trackingCode: string };
    await bus.publish('aduan.report.lifecycle.v1', {
      reportId,
      trackingCode,
      sequence: 1,
      from: null,
      to: 'RECEIVED',
      at: new Date().toISOString(),
      actor: { kind: 'system', id: 'status' },
      evidence: [],
    });
    await eventually(() => expect(backend.refused()).toBeGreaterThan(0), { timeoutMs: 60_000 });

    await service.kill();
    service = undefined;
    backend.up = true;
    service = await startServiceProcess('channel-jaki', env);

    await eventually(() => expect(backend.pushes()).toHaveLength(1), { timeoutMs: 60_000 });
    expect(backend.pushes()[0]).toMatchObject({ app: 'jaki-ios', trackingCode, sequence: 1, to: 'RECEIVED' });
    // Nothing more follows: the state change was pushed once.
    await new Promise((r) => setTimeout(r, 2000));
    expect(backend.pushes()).toHaveLength(1);
  }, 150_000); // two processes start, each compiling the service, on a machine busy with other suites
});
