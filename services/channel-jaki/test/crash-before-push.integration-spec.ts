import { EventBus } from '@aduan/bus';
import {
  capturedLogger,
  createTestDatabase,
  expectOneReplyAcrossKill,
  testEnv,
  uniqueTopicPrefix,
} from '@aduan/testing';
import { appBackend, PUSH_SECRET } from './jaki-stand-ins';

describe('channel-jaki killed between "state change queued" and "state change pushed"', () => {
  it('pushes the state change exactly once after the restart', async () => {
    const prefix = uniqueTopicPrefix();
    const [db, backend] = await Promise.all([createTestDatabase('jaki_crash'), appBackend()]);
    const bus = new EventBus({
      brokers: testEnv.kafkaBrokers,
      clientId: 'jaki-crash',
      source: '/test',
      logger: capturedLogger('jaki-crash-test').logger,
      topicPrefix: prefix,
    });
    await bus.connect();
    let trackingCode = '';
    try {
      const push = await expectOneReplyAcrossKill({
        service: 'channel-jaki',
        env: {
          JAKI_PORT: '0',
          JAKI_API_KEYS: 'jaki-ios:crash-key',
          JAKI_PUSH_WEBHOOK_URL: backend.url,
          JAKI_PUSH_SECRET: PUSH_SECRET,
          DATABASE_URL: db.url,
          KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
          KAFKA_TOPIC_PREFIX: prefix,
        },
        providerUp: (up) => (backend.up = up),
        deliver: async (service) => {
          const res = await fetch(service.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-api-key': 'crash-key' },
            body: JSON.stringify({ text: 'Pohon tumbang menutup jalan di depan kelurahan' }),
          });
          expect(res.status).toBe(202);
          const report = (await res.json()) as { reportId: string; trackingCode: string };
          trackingCode = report.trackingCode;
          // What the status service publishes when it records the report.
          await bus.publish('aduan.report.lifecycle.v1', {
            reportId: report.reportId,
            trackingCode,
            sequence: 1,
            from: null,
            to: 'RECEIVED',
            at: new Date().toISOString(),
            actor: { kind: 'system', id: 'status' },
            evidence: [],
          });
        },
        delivered: () => backend.pushes(),
      });
      expect(push).toMatchObject({ app: 'jaki-ios', trackingCode, sequence: 1, to: 'RECEIVED' });
    } finally {
      await bus.close();
      await backend.close();
      await db.drop();
    }
  }, 150_000); // two processes start, each compiling the service, on a machine busy with other suites
});
