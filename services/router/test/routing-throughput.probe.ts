/**
 * How fast the router decides a backlog (issue #15, ADR 0071): N received complaints are
 * published before the router starts, then the probe times how long the router takes until
 * every routed event is on its topic.
 *
 *   node -r @swc-node/register services/router/test/routing-throughput.probe.ts [N]
 *
 * The complaints are spread over Jakarta with a few texts, and one in five repeats an earlier
 * one a few metres away (a duplicate, as a flood day brings). Real Kafka and PostgreSQL
 * (KAFKA_BROKERS, DATABASE_URL or the local defaults); its own database and topic prefix, the
 * database dropped afterwards. The router runs in the probe's process. Prints one JSON line.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { DEV_TRACKING_SECRET, trackingCodeFor } from '@aduan/channel-sdk';
import { EventBus } from '@aduan/bus';
import type { ComplaintReceived } from '@aduan/contracts';
import { createLogger } from '@aduan/platform';
import { createTestDatabase, testEnv, uniqueTopicPrefix } from '@aduan/testing';
import { startRouter } from '../src/app';

const PUBLISH_CHUNK = 500;
const TEXTS = [
  'Jalan berlubang dalam di depan SD, bahaya buat motor',
  'Got mampet, air meluap ke jalan setiap hujan deras',
  'Sampah menumpuk di pinggir jalan sudah seminggu tidak diangkut, bau sekali',
  'Banjir setinggi lutut masuk ke rumah warga sejak subuh',
  'Lampu penerangan jalan mati sepanjang gang, rawan kejahatan malam hari',
  'Pohon tumbang menutup jalan setelah hujan angin',
];

function complaint(n: number, previous: ComplaintReceived[]): ComplaintReceived {
  const reportId = randomUUID();
  const at = new Date(Date.parse('2026-11-20T06:00:00+07:00') + n * 1_000).toISOString();
  const twin = n % 5 === 4 ? previous[n - 1] : undefined;
  const location = twin?.location
    ? { lat: twin.location.lat + 0.0002, lon: twin.location.lon }
    : { lat: -6.36 + Math.random() * 0.27, lon: 106.69 + Math.random() * 0.28 };
  return {
    reportId,
    trackingCode: trackingCodeFor(reportId, DEV_TRACKING_SECRET),
    channel: 'jaki',
    source: { id: `probe-${n}`, receivedAt: at },
    reporter: { anonymous: true },
    text: twin?.text ?? TEXTS[n % TEXTS.length]!,
    attachments: [],
    visibility: 'public',
    receivedAt: at,
    location,
  };
}

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 5000);
  const logger = createLogger('routing-probe', 'warn');
  const database = await createTestDatabase('routing_probe');
  const prefix = uniqueTopicPrefix();
  const bus = new EventBus({
    brokers: testEnv.kafkaBrokers,
    clientId: 'routing-probe',
    source: '/probe',
    logger,
    topicPrefix: prefix,
  });
  await bus.connect();
  try {
    await bus.ensureTopics(['aduan.complaint.received.v1', 'aduan.complaint.routed.v1']);
    const events: ComplaintReceived[] = [];
    for (let i = 0; i < n; i++) events.push(complaint(i, events));
    for (let i = 0; i < n; i += PUBLISH_CHUNK)
      await Promise.all(
        events.slice(i, i + PUBLISH_CHUNK).map((e) => bus.publish('aduan.complaint.received.v1', e)),
      );

    const routedTopic = bus.physical('aduan.complaint.routed.v1');
    const routed = async () =>
      (await bus.adminClient.fetchTopicOffsets(routedTopic)).reduce((sum, p) => sum + Number(p.high), 0);
    const started = performance.now();
    const router = await startRouter(
      {
        ROUTER_PORT: '0',
        DATABASE_URL: database.url,
        KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
        KAFKA_TOPIC_PREFIX: prefix,
        LOG_LEVEL: 'warn',
      },
      logger,
    );
    const joined = performance.now();
    while ((await routed()) < n) await new Promise((r) => setTimeout(r, 200));
    const routedAt = performance.now();
    const [{ duplicates }] = (await router.db.query(
      'SELECT ($1::int - count(*))::int AS duplicates FROM routing_incident',
      [n],
    )) as Array<{ duplicates: number }>;
    await router.stop();

    const seconds = (ms: number) => Math.round(ms) / 1000;
    console.log(
      JSON.stringify({
        complaints: n,
        startup_s: seconds(joined - started),
        routed_s: seconds(routedAt - joined),
        routed_per_s: Math.round(n / ((routedAt - joined) / 1000)),
        without_new_incident: duplicates,
      }),
    );
  } finally {
    await bus.close();
    await database.drop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
