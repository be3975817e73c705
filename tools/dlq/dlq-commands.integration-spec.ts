import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { ComplaintReceived } from '@aduan/contracts';
import { dlqDepth, EventBus, PermanentError } from '@aduan/bus';
import { Metrics } from '@aduan/platform';
import { capturedLogger, eventually, testEnv, uniqueSuffix, uniqueTopicPrefix } from '@aduan/testing';
import { list, replay, show } from './dlq-commands';

const TOPIC = 'aduan.complaint.received.v1' as const;
const ROOT = path.resolve(__dirname, '../..');

/** A complaint whose text carries a phone number or an address, as citizens write them. */
function sampleComplaint({ text }: { text: string }): ComplaintReceived {
  const now = new Date().toISOString();
  return {
    reportId: randomUUID(),
    trackingCode: 'PQRST-VWXYZ',
    channel: 'jaki',
    source: { id: randomUUID(), receivedAt: now },
    reporter: { anonymous: true },
    text,
    attachments: [],
    visibility: 'public',
    receivedAt: now,
  };
}

/**
 * An operator's round: a consumer refuses two complaints (its rule was wrong), they wait on
 * the DLQ; the operator lists and shows them, the rule is fixed, and a replay brings each back
 * to the consumer once — a second replay brings nothing.
 */
describe('npm run dlq', () => {
  const prefix = uniqueTopicPrefix();
  const { logger } = capturedLogger('dlq-test');
  const metrics = new Metrics('dlq-test');
  let bus: EventBus;
  let refusing = true;
  const handled: string[] = [];
  const printed: string[] = [];
  const print = (line: string) => printed.push(line);

  beforeAll(async () => {
    bus = new EventBus({
      brokers: testEnv.kafkaBrokers,
      clientId: `dlq-test-${uniqueSuffix()}`,
      source: '/aduan/test',
      logger,
      metrics,
      topicPrefix: prefix,
      partitions: 2,
    });
    await bus.connect();
    await bus.ensureTopics([TOPIC]);
    await bus
      .subscribe({
        groupId: `dlq-${uniqueSuffix()}`,
        handlers: {
          [TOPIC]: async ({ payload }) => {
            if (refusing)
              throw new PermanentError('NO_UNIT', `no unit takes this complaint (${payload.channel})`);
            handled.push(payload.text);
          },
        },
      })
      .start();
  });

  afterAll(async () => {
    const ours = (await bus.adminClient.listTopics()).filter((t) => t.startsWith(prefix));
    if (ours.length) await bus.adminClient.deleteTopics({ topics: ours });
    await bus.close();
  });

  it('lists, shows with personal data redacted, and replays once however often it is asked', async () => {
    const first = await bus.publish(
      TOPIC,
      sampleComplaint({ text: 'Pipa bocor, hubungi saya di 0812-3456-7890' }),
    );
    await bus.publish(TOPIC, sampleComplaint({ text: 'Lampu jalan mati, surel budi@example.com' }));
    const dlq = `${prefix}${TOPIC}.dlq`;
    await eventually(async () => expect(await dlqDepth(bus.adminClient, dlq)).toBe(2));
    const depth = async () =>
      (await metrics.registry.getSingleMetric('aduan_dlq_depth')!.get()).values.find(
        (v) => v.labels['topic'] === TOPIC,
      )?.value;
    expect(await depth()).toBe(2);

    const [summary] = await list(bus, TOPIC, print);
    expect(summary).toMatchObject({ waiting: 2, replayed: 0, reasons: [{ code: 'NO_UNIT', count: 2 }] });
    expect(printed).toContain(`${TOPIC}.dlq: 2 waiting`);

    printed.length = 0;
    await show(bus, TOPIC, first.id, print);
    const shown = JSON.parse(printed.join('\n')) as {
      headers: Record<string, string>;
      payload: { text: string };
    };
    expect(shown).toMatchObject({
      code: 'NO_UNIT',
      replayed: false,
      reason: 'no unit takes this complaint (jaki)',
    });
    expect(shown.headers['ce_id']).toBe(first.id);
    expect(shown.payload.text).toBe('Pipa bocor, hubungi saya di [phone]');
    expect(printed.join('\n')).not.toContain('0812');

    // The rule is fixed; one event is replayed by its id, then everything, then everything again.
    refusing = false;
    expect(await replay(bus, TOPIC, { id: first.id }, print)).toEqual({ replayed: 1, skipped: 0 });
    await eventually(() => expect(handled).toEqual(['Pipa bocor, hubungi saya di 0812-3456-7890']));
    expect(await replay(bus, TOPIC, { id: first.id }, print)).toEqual({ replayed: 0, skipped: 1 });
    // The first is skipped, or already trimmed off the DLQ: either way only the second is sent.
    expect((await replay(bus, TOPIC, { all: true }, print)).replayed).toBe(1);
    expect(await replay(bus, TOPIC, { all: true }, print)).toEqual({ replayed: 0, skipped: 0 });
    await eventually(() => expect(handled).toHaveLength(2));
    await new Promise((r) => setTimeout(r, 1_500));
    expect(handled.sort()).toEqual([
      'Lampu jalan mati, surel budi@example.com',
      'Pipa bocor, hubungi saya di 0812-3456-7890',
    ]);

    // Drained: the DLQ reads empty, on the metric too.
    expect(await dlqDepth(bus.adminClient, dlq)).toBe(0);
    expect(await depth()).toBe(0);
  }, 90_000);

  it('answers from the command line with the same settings as the services', () => {
    const run = (...args: string[]) =>
      spawnSync(process.execPath, ['-r', '@swc-node/register', 'tools/dlq/cli.ts', ...args], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, KAFKA_BROKERS: testEnv.kafkaBrokers.join(','), KAFKA_TOPIC_PREFIX: prefix },
        timeout: 60_000,
      });
    const listed = run('list', TOPIC);
    expect(listed.stderr).toBe('');
    expect(listed.stdout).toContain(`${TOPIC}.dlq: 0 waiting`);
    const usage = run('replay', TOPIC);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('say what to replay: --id <ce_id or partition:offset>, or --all');
    const misconfigured = spawnSync(
      process.execPath,
      ['-r', '@swc-node/register', 'tools/dlq/cli.ts', 'list'],
      {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, KAFKA_SASL_MECHANISM: 'scram-sha-256' },
        timeout: 60_000,
      },
    );
    expect(misconfigured.status).toBe(1);
    expect(misconfigured.stderr).toContain('set KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD');
  }, 90_000);
});
