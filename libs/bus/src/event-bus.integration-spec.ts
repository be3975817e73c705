import { capturedLogger, eventually, testEnv, uniqueSuffix, uniqueTopicPrefix } from '@aduan/testing';
import { Kafka } from 'kafkajs';
import { EventBus } from './event-bus';
import { PermanentError } from './errors';
import { sampleComplaint } from '../test/sample-complaint';

const TOPIC = 'aduan.complaint.received.v1' as const;

describe('EventBus against a real broker', () => {
  const prefix = uniqueTopicPrefix();
  const { logger } = capturedLogger('bus-test');
  const buses: EventBus[] = [];

  async function newBus(): Promise<EventBus> {
    const bus = new EventBus({
      brokers: testEnv.kafkaBrokers,
      clientId: `bus-test-${uniqueSuffix()}`,
      source: '/aduan/test',
      logger,
      topicPrefix: prefix,
      partitions: 2,
    });
    await bus.connect();
    buses.push(bus);
    return bus;
  }

  afterAll(async () => {
    const admin = buses[0]?.adminClient;
    const ours = admin ? (await admin.listTopics()).filter((t) => t.startsWith(prefix)) : [];
    if (admin && ours.length) await admin.deleteTopics({ topics: ours });
    await Promise.all(buses.map((b) => b.close()));
  });

  it('publishes CloudEvents in binary mode, keyed by report id, and a consumer group reads them once', async () => {
    const bus = await newBus();
    await bus.ensureTopics([TOPIC]);
    const event = sampleComplaint();
    await bus.publish(TOPIC, event);

    const kafka = new Kafka({ brokers: testEnv.kafkaBrokers, clientId: 'raw-reader', logLevel: 0 });
    const raw = kafka.consumer({ groupId: `raw-${uniqueSuffix()}` });
    const seen: Array<{ key: string; headers: Record<string, string>; value: unknown }> = [];
    await raw.connect();
    await raw.subscribe({ topic: prefix + TOPIC, fromBeginning: true });
    await raw.run({
      eachMessage: async ({ message }) => {
        const headers = Object.fromEntries(
          Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]),
        );
        seen.push({ key: String(message.key), headers, value: JSON.parse(String(message.value)) });
      },
    });
    await eventually(() => expect(seen).toHaveLength(1));
    await raw.disconnect();

    expect(seen[0]!.key).toBe(event.reportId);
    expect(seen[0]!.headers).toMatchObject({
      ce_specversion: '1.0',
      ce_type: 'id.aduan.complaint.received.v1',
      ce_source: '/aduan/test',
      ce_subject: event.reportId,
      'content-type': 'application/json',
    });
    expect(seen[0]!.value).toEqual(event);
  });

  it('refuses to publish a payload that breaks the contract', async () => {
    const bus = await newBus();
    const bad = { ...sampleComplaint(), text: '' };
    await expect(bus.publish(TOPIC, bad)).rejects.toThrow(/text must NOT have fewer than 1 characters/);
  });

  it('retries a transient failure, dead-letters a permanent one, and commits only what was handled', async () => {
    const bus = await newBus();
    await bus.ensureTopics([TOPIC]);
    const groupId = `retry-${uniqueSuffix()}`;
    const flaky = sampleComplaint({ text: 'flaky' });
    const poison = sampleComplaint({ text: 'poison' });
    const fine = sampleComplaint({ text: 'fine' });
    const attempts = new Map<string, number>();
    const handled: string[] = [];

    const runner = bus.subscribe({
      groupId,
      retryBaseMs: 20,
      retryMaxMs: 50,
      handlers: {
        [TOPIC]: async ({ payload }) => {
          if (!['flaky', 'poison', 'fine'].includes(payload.text)) return; // earlier tests' events
          const n = (attempts.get(payload.text) ?? 0) + 1;
          attempts.set(payload.text, n);
          if (payload.text === 'flaky' && n < 3) throw new Error('database is restarting');
          if (payload.text === 'poison') throw new PermanentError('UNROUTABLE', 'cannot ever be handled');
          handled.push(payload.text);
        },
      },
    });
    await runner.start();
    for (const e of [flaky, poison, fine]) await bus.publish(TOPIC, e);

    await eventually(() => expect(handled.sort()).toEqual(['fine', 'flaky']));
    expect(attempts.get('flaky')).toBe(3);
    expect(attempts.get('poison')).toBe(1);

    // The poison message is on the dead-letter topic with the original headers and the reason.
    const kafka = new Kafka({ brokers: testEnv.kafkaBrokers, clientId: 'dlq-reader', logLevel: 0 });
    const dlq = kafka.consumer({ groupId: `dlq-${uniqueSuffix()}` });
    const dead: Array<Record<string, string>> = [];
    await dlq.connect();
    await dlq.subscribe({ topic: `${prefix}${TOPIC}.dlq`, fromBeginning: true });
    await dlq.run({
      eachMessage: async ({ message }) => {
        dead.push(Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])));
      },
    });
    await eventually(() => expect(dead).toHaveLength(1));
    await dlq.disconnect();
    expect(dead[0]).toMatchObject({
      dlq_code: 'UNROUTABLE',
      dlq_kind: 'permanent',
      ce_type: 'id.aduan.complaint.received.v1',
    });
    expect(dead[0]!['dlq_reason']).toContain('cannot ever be handled');

    // A restarted member of the same group starts after the committed position: nothing again.
    await runner.stop();
    const again: string[] = [];
    const bus2 = await newBus();
    const runner2 = bus2.subscribe({
      groupId,
      handlers: {
        [TOPIC]: async ({ payload }) => {
          if (payload.text !== 'Jalan berlubang di depan pasar') again.push(payload.text);
        },
      },
    });
    await runner2.start();
    const last = sampleComplaint({ text: 'after restart' });
    await bus2.publish(TOPIC, last);
    await eventually(() => expect(again).toEqual(['after restart']));
  });

  it('dead-letters an event whose bytes are not a valid complaint instead of blocking the partition', async () => {
    const bus = await newBus();
    await bus.ensureTopics([TOPIC]);
    const handled: string[] = [];
    const runner = bus.subscribe({
      groupId: `schema-${uniqueSuffix()}`,
      handlers: { [TOPIC]: async ({ payload }) => void handled.push(payload.text) },
    });
    await runner.start();
    await bus.sendRaw(TOPIC, { key: 'x', value: '{"not":"a complaint"', headers: {} });
    await bus.publish(TOPIC, sampleComplaint({ text: 'behind the bad one' }));
    await eventually(() => expect(handled).toContain('behind the bad one'));
  });
});
