/**
 * Records/s through EventBus.publish against a running broker: every record on its own
 * produce request (as before ADR 0062) against the coalescing publisher, with 1, 100 and 1000
 * publishes in flight (closed loop: each worker publishes again as soon as its last one was
 * acknowledged). Prints figures and asserts nothing; run it on a quiet machine.
 *
 *   npm run bench:bus            (KAFKA_BROKERS, BENCH_SECONDS per run, default 3)
 */
import { randomUUID } from 'node:crypto';
import type { ComplaintReceived } from '@aduan/contracts';
import { createLogger } from '@aduan/platform';
import { EventBus, type EventBusOptions } from '../event-bus';

const TOPIC = 'aduan.complaint.received.v1' as const;
const CONCURRENCY = [1, 100, 1000];

/** About the size of a real complaint event (788 bytes on the wire with its headers). */
function complaint(n: number): ComplaintReceived {
  const now = new Date().toISOString();
  return {
    reportId: randomUUID(),
    trackingCode: 'BNCH2-TR4CK',
    channel: 'jaki',
    source: { id: `bench-${n}`, receivedAt: now },
    reporter: { anonymous: true },
    text:
      'Jalan berlubang cukup dalam di depan SD Negeri 01, sudah dua minggu belum diperbaiki dan ' +
      'membahayakan pengendara motor terutama saat hujan deras. Mohon segera ditindaklanjuti. ' +
      `Laporan nomor ${n}.`,
    location: { lat: -6.1706, lon: 106.810469 },
    attachments: [],
    visibility: 'public',
    receivedAt: now,
  };
}

interface Run {
  mode: string;
  inFlight: number;
  records: number;
  perSecond: number;
  produceRequests: number;
}

async function run(
  base: EventBusOptions,
  mode: string,
  batching: EventBusOptions['batching'],
  inFlight: number,
  seconds: number,
): Promise<Run> {
  const bus = new EventBus({ ...base, clientId: `bench-${mode}-${inFlight}`, batching });
  await bus.connect();
  try {
    await bus.ensureTopics([TOPIC]);
    // Warm-up: the producer id, the topic's metadata, the connections.
    await Promise.all(Array.from({ length: 10 }, (_, i) => bus.publish(TOPIC, complaint(i))));
    let produceRequests = 0;
    const producer = bus.producerClient;
    const stop = producer.on(producer.events.REQUEST, (e) => {
      if (e.payload.apiName === 'Produce') produceRequests++;
    });
    let records = 0;
    const started = process.hrtime.bigint();
    const until = Date.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (Date.now() < until) {
          await bus.publish(TOPIC, complaint(records));
          records++;
        }
      }),
    );
    const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
    stop();
    return { mode, inFlight, records, perSecond: records / elapsed, produceRequests };
  } finally {
    await bus.close();
  }
}

async function main(): Promise<void> {
  const seconds = Number(process.env['BENCH_SECONDS'] ?? 3);
  const prefix = `bench-${randomUUID().slice(0, 8)}.`;
  const base: EventBusOptions = {
    brokers: (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(','),
    clientId: 'bench',
    source: '/aduan/bench',
    logger: createLogger('bench-bus', 'warn'),
    topicPrefix: prefix,
    partitions: 3,
  };
  const runs: Run[] = [];
  console.log(`publish benchmark: ${seconds} s per run, acks=all, idempotent, topic ${prefix}${TOPIC}`);
  console.log('mode                 in flight    records   records/s   produce requests');
  // Side by side per concurrency, so that a machine growing busier mid-run skews both alike.
  for (const inFlight of CONCURRENCY)
    for (const [mode, batching] of [
      ['one send per record', false],
      ['coalesced (default)', undefined],
    ] as const) {
      const r = await run(base, mode, batching, inFlight, seconds);
      runs.push(r);
      console.log(
        `${r.mode.padEnd(20)} ${String(r.inFlight).padStart(9)} ${String(r.records).padStart(10)} ` +
          `${r.perSecond.toFixed(0).padStart(11)} ${String(r.produceRequests).padStart(18)}`,
      );
    }
  for (const inFlight of CONCURRENCY) {
    const alone = runs.find((r) => r.inFlight === inFlight && r.mode.startsWith('one'))!;
    const coalesced = runs.find((r) => r.inFlight === inFlight && r.mode.startsWith('coalesced'))!;
    console.log(
      `${inFlight} in flight: coalesced / one send per record = ${(coalesced.perSecond / alone.perSecond).toFixed(2)}`,
    );
  }

  const cleanup = new EventBus({ ...base, clientId: 'bench-cleanup' });
  await cleanup.connect();
  const ours = (await cleanup.adminClient.listTopics()).filter((t) => t.startsWith(prefix));
  if (ours.length) await cleanup.adminClient.deleteTopics({ topics: ours });
  await cleanup.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
