// Checks kafkajs against a running broker (default 127.0.0.1:9092, or KAFKA_BROKERS):
// admin create/delete topics, idempotent producer (acks -1), a group of 2 consumers with manual
// commits, restart of one consumer resuming from committed offsets, and transactions.
// Run from the repo root after a Kafka upgrade:  node deploy/local/kafka/verify-kafkajs.js
// (docs/adr/0002-kafka-from-apache-jars.md). Creates and deletes its own aduan.verify.* topics.
process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';
const { Kafka, logLevel } = require('kafkajs');
const assert = require('assert');

const brokers = (process.env.KAFKA_BROKERS || '127.0.0.1:9092').split(',');
const run = Date.now();
const topic = `aduan.verify.${run}`;
const txTopic = `aduan.verify.tx.${run}`;
const groupId = `aduan-verify-${run}`;
const warnings = [];
const kafka = new Kafka({
  clientId: 'aduan-verify',
  brokers,
  logLevel: logLevel.WARN,
  logCreator:
    () =>
    ({ namespace, log }) => {
      const { message, ...extra } = log;
      warnings.push(`${namespace || 'kafkajs'} ${message} ${JSON.stringify(extra)}`);
    },
});
const t = () => Date.now();
const timings = {};
async function step(name, fn) {
  const s = t();
  const r = await fn();
  timings[name] = t() - s;
  console.log(`PASS ${name} (${timings[name]} ms)`);
  return r;
}
const waitFor = async (cond, ms, what) => {
  const end = t() + ms;
  while (!cond()) {
    if (t() > end) throw new Error(`timeout waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

function makeConsumer(name, received) {
  const consumer = kafka.consumer({
    groupId,
    sessionTimeout: 10000,
    heartbeatInterval: 1000,
    maxWaitTimeInMs: Number(process.env.VERIFY_MAX_WAIT_MS || 500),
  });
  const assigned = { partitions: [] };
  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    assigned.partitions = e.payload.memberAssignment[topic] || [];
  });
  return {
    consumer,
    assigned,
    async start() {
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachMessage: async ({ topic: tp, partition, message }) => {
          received.push({
            by: name,
            partition,
            offset: Number(message.offset),
            key: message.key.toString(),
            seq: Number(message.value.toString()),
          });
          await consumer.commitOffsets([
            { topic: tp, partition, offset: (BigInt(message.offset) + 1n).toString() },
          ]);
        },
      });
    },
  };
}

(async () => {
  const admin = kafka.admin();
  await admin.connect();
  const cluster = await admin.describeCluster();
  console.log(`cluster ${cluster.clusterId}, brokers ${cluster.brokers.map((b) => `${b.host}:${b.port}`)}`);

  await step('admin.createTopics (3 partitions)', async () => {
    assert.strictEqual(
      await admin.createTopics({
        topics: [
          { topic, numPartitions: 3, replicationFactor: 1 },
          { topic: txTopic, numPartitions: 3 },
        ],
        waitForLeaders: true,
      }),
      true,
    );
    const md = await admin.fetchTopicMetadata({ topics: [topic] });
    assert.strictEqual(md.topics[0].partitions.length, 3);
  });

  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const sendRange = async (from, to) => {
    for (let i = from; i < to; i++) {
      await producer.send({ topic, acks: -1, messages: [{ key: `report-${i % 20}`, value: String(i) }] });
    }
  };
  const received = [];
  const c1 = makeConsumer('c1', received);
  const c2 = makeConsumer('c2', received);
  await step('group of 2 consumers joins (both own partitions)', async () => {
    await c1.start();
    await c2.start();
    await waitFor(
      () =>
        c1.assigned.partitions.length + c2.assigned.partitions.length === 3 &&
        c1.assigned.partitions.length > 0 &&
        c2.assigned.partitions.length > 0,
      60000,
      'both consumers assigned',
    );
  });
  await step('idempotent producer: 100 keyed sends, acks=-1', () => sendRange(0, 100));
  await step('group consumes all 100 (manual commitOffsets)', () =>
    waitFor(() => received.length >= 100, 60000, '100 messages'),
  );
  await new Promise((r) => setTimeout(r, 500));
  const uniq = new Set(received.map((m) => m.seq));
  assert.strictEqual(uniq.size, 100, 'all 100 distinct messages');
  const byConsumer = {
    c1: received.filter((m) => m.by === 'c1').length,
    c2: received.filter((m) => m.by === 'c2').length,
  };
  console.log(
    `  assignment c1=${JSON.stringify(c1.assigned.partitions)} c2=${JSON.stringify(c2.assigned.partitions)}; received by c1=${byConsumer.c1} c2=${byConsumer.c2}; duplicates=${received.length - 100}`,
  );
  assert.ok(byConsumer.c1 > 0 && byConsumer.c2 > 0, 'both consumers received messages');
  // per-key order
  const lastByKey = {};
  for (const m of received) {
    if (lastByKey[m.key] !== undefined) assert.ok(m.seq > lastByKey[m.key], `order for ${m.key}`);
    lastByKey[m.key] = m.seq;
  }
  console.log('PASS per-key ordering');

  await step('committed offsets = 100', async () => {
    const offs = await admin.fetchOffsets({ groupId, topics: [topic] });
    const sum = offs[0].partitions.reduce((a, p) => a + Number(p.offset), 0);
    assert.strictEqual(sum, 100);
  });

  // Restart c2: stop it, produce 30 more, start a fresh c2 instance (fromBeginning: true).
  const before = received.length;
  await step('restart one consumer; resumes from committed offsets', async () => {
    await c2.consumer.disconnect();
    await sendRange(100, 130);
    const c2b = makeConsumer('c2b', received);
    await c2b.start();
    await waitFor(() => received.length >= before + 30, 60000, '30 new messages');
    await new Promise((r) => setTimeout(r, 1500));
    const after = received.slice(before);
    const seqs = after.map((m) => m.seq);
    assert.ok(
      seqs.every((s) => s >= 100),
      `no re-delivery of committed messages (got ${seqs.filter((s) => s < 100)})`,
    );
    assert.strictEqual(new Set(seqs).size, 30);
    console.log(
      `  after restart: ${after.length} messages, c2b owns ${JSON.stringify(c2b.assigned.partitions)}, c1 owns ${JSON.stringify(c1.assigned.partitions)}`,
    );
    await c2b.consumer.disconnect();
  });
  await c1.consumer.disconnect();
  await producer.disconnect();

  await step('transactional producer: commit 10, abort 5; read_committed sees 10', async () => {
    const tx = kafka.producer({
      transactionalId: `aduan-verify-tx-${run}`,
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await tx.connect();
    const s0 = t();
    const a = await tx.transaction();
    await a.send({
      topic: txTopic,
      acks: -1,
      messages: Array.from({ length: 10 }, (_, i) => ({ key: `k${i}`, value: `c${i}` })),
    });
    await a.commit();
    const b = await tx.transaction();
    await b.send({
      topic: txTopic,
      acks: -1,
      messages: Array.from({ length: 5 }, (_, i) => ({ key: `k${i}`, value: `a${i}` })),
    });
    await b.abort();
    await tx.disconnect();
    console.log(`  commit + abort: ${t() - s0} ms`);
    const got = [];
    const rc = kafka.consumer({
      groupId: `${groupId}-tx`,
      readUncommitted: false,
      maxWaitTimeInMs: Number(process.env.VERIFY_MAX_WAIT_MS || 500),
    });
    await rc.connect();
    await rc.subscribe({ topic: txTopic, fromBeginning: true });
    await rc.run({ eachMessage: async ({ message }) => got.push(message.value.toString()) });
    await waitFor(() => got.length >= 10, 30000, '10 committed tx messages');
    console.log(`  read_committed consumer got 10 after ${t() - s0} ms`);
    await new Promise((r) => setTimeout(r, 1500));
    await rc.disconnect();
    assert.strictEqual(got.length, 10);
    assert.ok(
      got.every((v) => v.startsWith('c')),
      'no aborted records',
    );
  });

  await step('admin.deleteTopics', () => admin.deleteTopics({ topics: [topic, txTopic] }));
  await admin.disconnect();
  console.log(`kafkajs warnings logged (retried by kafkajs): ${warnings.length}`);
  if (process.env.VERIFY_VERBOSE) warnings.forEach((w) => console.log('  ' + w));
  console.log(`kafkajs ${require('kafkajs/package.json').version}: ALL PASSED`, JSON.stringify(timings));
})().catch((e) => {
  console.error('FAILED', e);
  warnings.slice(0, 20).forEach((w) => console.error('  ' + w));
  process.exit(1);
});
