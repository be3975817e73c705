import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import {
  cloudEventHeaders,
  physicalTopic,
  Topics,
  validateEvent,
  type ReportLifecycle,
  type ReportState,
  type TopicMap,
  type TopicName,
} from '@aduan/contracts';
import { eventually, testEnv, uniqueSuffix, uniqueTopicPrefix } from '@aduan/testing';
import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import { installPackedContracts } from './pack';

const APP = join(__dirname, '../../examples/lifecycle-follower');
const unit = { code: 'SDBM-JP', name: 'Suku Dinas Bina Marga Jakarta Pusat' };

describe('examples/lifecycle-follower, built against the packed @aduan/contracts, on a real broker', () => {
  const prefix = uniqueTopicPrefix();
  const kafka = new Kafka({
    brokers: testEnv.kafkaBrokers,
    clientId: `follower-test-${uniqueSuffix()}`,
    logLevel: logLevel.NOTHING,
  });
  let admin: Admin;
  let producer: Producer;
  let dir: string;
  let follower: ChildProcess | undefined;
  const printed: string[] = [];
  const reported: string[] = [];

  const report = { reportId: randomUUID(), trackingCode: 'T2ZHP-GWN4S' };
  const other = { reportId: randomUUID(), trackingCode: 'K7MNP-QRSTV' };

  async function publish<T extends TopicName>(topic: T, event: TopicMap[T]): Promise<void> {
    validateEvent(topic, event);
    const headers = cloudEventHeaders(topic, event, { source: '/aduan/status' });
    await producer.send({
      topic: physicalTopic(topic, prefix),
      messages: [{ key: event.reportId, value: JSON.stringify(event), headers }],
    });
  }

  function transition(
    of: typeof report,
    sequence: number,
    change: Partial<ReportLifecycle>,
  ): ReportLifecycle {
    return {
      ...of,
      sequence,
      from: null,
      to: 'RECEIVED',
      at: new Date().toISOString(),
      actor: { kind: 'system', id: 'status' },
      evidence: [],
      ...change,
    };
  }

  function state(version: number, change: Partial<ReportState>): ReportState {
    return {
      ...report,
      state: 'RECEIVED',
      label: 'Menunggu',
      category: 'Jalan',
      unit,
      area: null,
      mergedInto: null,
      updatedAt: new Date().toISOString(),
      version,
      ...change,
    };
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lifecycle-follower-'));
    installPackedContracts(dir, ['kafkajs', 'ajv', 'ajv-formats', '@types/node']);
    for (const part of ['package.json', 'tsconfig.json', 'src'])
      cpSync(join(APP, part), join(dir, part), { recursive: true });
    const tsc = spawnSync(
      process.execPath,
      [require.resolve('typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json')],
      {
        encoding: 'utf8',
      },
    );
    if (tsc.status !== 0)
      throw new Error(`the example does not compile against the package:\n${tsc.stdout}${tsc.stderr}`);

    admin = kafka.admin();
    producer = kafka.producer();
    await Promise.all([admin.connect(), producer.connect()]);
    // One partition each: the order the test publishes in is the order the app reads in.
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        { topic: physicalTopic(Topics.reportLifecycle, prefix), numPartitions: 1 },
        {
          topic: physicalTopic(Topics.reportState, prefix),
          numPartitions: 1,
          configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
        },
      ],
    });
  });

  afterAll(async () => {
    if (follower && follower.exitCode === null) {
      follower.kill('SIGKILL');
      await new Promise((resolve) => follower!.once('exit', resolve));
    }
    const ours = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    if (ours.length) await admin.deleteTopics({ topics: ours });
    await Promise.all([admin.disconnect(), producer.disconnect()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it("prints one report's transitions and states once each, from the history and as they happen, and stops on SIGTERM", async () => {
    await publish(Topics.reportLifecycle, transition(report, 1, {}));
    await publish(Topics.reportLifecycle, transition(other, 1, {}));
    const disposed = transition(report, 2, { from: 'RECEIVED', to: 'DISPOSITION', unit });
    await publish(Topics.reportLifecycle, disposed);
    // Delivered again, as after a producer's retry: printed once.
    await publish(Topics.reportLifecycle, disposed);
    await producer.send({
      topic: physicalTopic(Topics.reportLifecycle, prefix),
      messages: [{ key: report.reportId, value: '{"reportId":"not a contract"}' }],
    });
    await publish(Topics.reportState, state(2, { state: 'DISPOSITION', label: 'Disposisi' }));

    follower = spawn(process.execPath, [join(dir, 'dist/main.js')], {
      cwd: dir,
      env: {
        ...process.env,
        KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
        KAFKA_TOPIC_PREFIX: prefix,
        FOLLOWER_GROUP_ID: `follower-${uniqueSuffix()}`,
        FOLLOW_REPORT: report.trackingCode.toLowerCase(),
        KAFKAJS_NO_PARTITIONER_WARNING: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    createInterface({ input: follower.stdout! }).on('line', (line) => printed.push(line));
    createInterface({ input: follower.stderr! }).on('line', (line) => reported.push(line));
    const exited = new Promise<number | null>((resolve) => follower!.once('exit', (code) => resolve(code)));

    // The two topics are read side by side: order holds within each, not across them.
    const transitions = () => printed.filter((line) => line.includes(' -> '));
    const states = () => printed.filter((line) => !line.includes(' -> '));
    await eventually(
      () => {
        expect(transitions()).toEqual([
          'T2ZHP-GWN4S #1 new -> RECEIVED by system',
          'T2ZHP-GWN4S #2 RECEIVED -> DISPOSITION by system (unit Suku Dinas Bina Marga Jakarta Pusat)',
        ]);
        expect(states()).toEqual([
          'T2ZHP-GWN4S is DISPOSITION (Disposisi) v2 at Suku Dinas Bina Marga Jakarta Pusat',
        ]);
        expect(reported).toEqual(
          expect.arrayContaining([
            expect.stringMatching(
              /^skipped .*aduan\.report\.lifecycle\.v1\[0\]@4: missing CloudEvents headers/,
            ),
          ]),
        );
      },
      { timeoutMs: 30_000 },
    );

    await publish(
      Topics.reportLifecycle,
      transition(report, 3, {
        from: 'DISPOSITION',
        to: 'IN_PROGRESS',
        actor: { kind: 'officer', id: 'officer-7', unit: unit.code },
        unit,
        publicNote: 'Petugas menuju lokasi',
      }),
    );
    await publish(Topics.reportState, state(3, { state: 'IN_PROGRESS', label: 'Proses' }));
    await eventually(() => {
      expect(transitions().slice(2)).toEqual([
        'T2ZHP-GWN4S #3 DISPOSITION -> IN_PROGRESS by officer (unit Suku Dinas Bina Marga Jakarta Pusat): Petugas menuju lokasi',
      ]);
      expect(states().slice(1)).toEqual([
        'T2ZHP-GWN4S is IN_PROGRESS (Proses) v3 at Suku Dinas Bina Marga Jakarta Pusat',
      ]);
    });
    expect(printed.join('\n')).not.toContain(other.trackingCode);

    follower.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
