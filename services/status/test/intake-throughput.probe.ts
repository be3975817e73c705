/**
 * How fast the status intake stores a backlog (issue #15, ADR 0067): N received and N routed
 * events are published before the service starts, then the probe times how long the service
 * takes until every report is stored with both, and until its outbox is relayed.
 *
 *   node -r @swc-node/register services/status/test/intake-throughput.probe.ts [N]
 *
 * Real Kafka and PostgreSQL (KAFKA_BROKERS, DATABASE_URL or the local defaults); its own database
 * and topic prefix, dropped afterwards. Prints one JSON line.
 */
import { performance } from 'node:perf_hooks';
import { createLogger } from '@aduan/platform';
import { startStatus } from '../src/app';
import { createStack, receivedEvent, routedEvent } from './harness';

const PUBLISH_CHUNK = 500;
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Distinct for every report of a run (the harness's codes may repeat among thousands). */
function trackingCode(n: number): string {
  let s = '';
  for (let i = 0, x = n; i < 10; i++, x = Math.floor(x / ALPHABET.length)) s += ALPHABET[x % ALPHABET.length];
  return `${s.slice(0, 5)}-${s.slice(5)}`;
}

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 5000);
  const logger = createLogger('intake-probe', 'warn');
  const stack = await createStack('intake_probe', logger);
  try {
    await stack.bus.ensureTopics(['aduan.complaint.received.v1', 'aduan.complaint.routed.v1']);
    for (let i = 0; i < n; i += PUBLISH_CHUNK) {
      const events = Array.from({ length: Math.min(PUBLISH_CHUNK, n - i) }, (_, j) =>
        receivedEvent({ trackingCode: trackingCode(i + j) }),
      );
      await Promise.all(events.map((e) => stack.bus.publish('aduan.complaint.received.v1', e)));
      await Promise.all(events.map((e) => stack.bus.publish('aduan.complaint.routed.v1', routedEvent(e))));
    }

    const started = performance.now();
    const service = await startStatus({ ...stack.env, LOG_LEVEL: 'warn' }, logger, { runScheduler: false });
    const joined = performance.now();
    const count = async (sql: string) => ((await service.db.query(sql)) as Array<{ n: number }>)[0]!.n;
    let stored = 0;
    while (stored < n) {
      await new Promise((r) => setTimeout(r, 200));
      stored = await count(
        'SELECT count(*)::int AS n FROM report WHERE channel IS NOT NULL AND routing IS NOT NULL',
      );
    }
    const storedAt = performance.now();
    while ((await service.relay.pending()) > 0) await new Promise((r) => setTimeout(r, 200));
    const relayedAt = performance.now();
    const outbox = await count('SELECT count(*)::int AS n FROM outbox');
    await service.stop();

    const seconds = (ms: number) => Math.round(ms) / 1000;
    console.log(
      JSON.stringify({
        reports: n,
        startup_s: seconds(joined - started),
        stored_s: seconds(storedAt - joined),
        reports_per_s: Math.round(n / ((storedAt - joined) / 1000)),
        outbox_rows: outbox,
        relayed_s: seconds(relayedAt - joined),
        outbox_rows_per_s_overall: Math.round(outbox / ((relayedAt - joined) / 1000)),
      }),
    );
  } finally {
    await stack.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
