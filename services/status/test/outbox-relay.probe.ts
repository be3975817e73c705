/**
 * How fast the status outbox relay empties a backlog (issue #15, ADR 0067): N reports with four
 * lifecycle events each are written to the outbox in one transaction of a running service, and
 * the probe times how long the relay takes to publish them all.
 *
 *   node -r @swc-node/register services/status/test/outbox-relay.probe.ts [N]
 *
 * Real Kafka and PostgreSQL, its own database and topic prefix, dropped afterwards. Prints one
 * JSON line.
 */
import { performance } from 'node:perf_hooks';
import type { ReportLifecycle } from '@aduan/contracts';
import { createLogger } from '@aduan/platform';
import { startStatus } from '../src/app';
import { createStack } from './harness';

const EVENTS_PER_REPORT = 4;

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 5000);
  const logger = createLogger('outbox-probe', 'warn');
  const stack = await createStack('outbox_probe', logger);
  try {
    const service = await startStatus({ ...stack.env, LOG_LEVEL: 'warn' }, logger, { runScheduler: false });
    const template: ReportLifecycle = {
      reportId: '00000000-0000-4000-8000-000000000000',
      trackingCode: '22222-22222',
      sequence: 1,
      from: 'RECEIVED',
      to: 'RECEIVED',
      at: '2026-01-05T04:00:00.000Z',
      actor: { kind: 'system', id: 'router' },
      publicNote: 'Laporan diteruskan ke Dinas Sumber Daya Air.',
      evidence: [],
    };
    // One report's events interleaved with the others', as reports arriving together write them.
    await service.db.query(
      `WITH reports AS (SELECT gen_random_uuid()::text AS id FROM generate_series(1, $1::int))
       INSERT INTO outbox (topic, key, payload)
       SELECT 'aduan.report.lifecycle.v1', r.id,
              jsonb_set(jsonb_set($2::jsonb, '{reportId}', to_jsonb(r.id)), '{sequence}', to_jsonb(s))
         FROM generate_series(1, $3::int) AS s CROSS JOIN reports r ORDER BY s`,
      [n, JSON.stringify(template), EVENTS_PER_REPORT],
    );
    const started = performance.now();
    service.relay.kick();
    while ((await service.relay.pending()) > 0) await new Promise((r) => setTimeout(r, 100));
    const relayedMs = performance.now() - started;
    await service.stop();
    const rows = n * EVENTS_PER_REPORT;
    console.log(
      JSON.stringify({
        outbox_rows: rows,
        relayed_s: Math.round(relayedMs) / 1000,
        rows_per_s: Math.round(rows / (relayedMs / 1000)),
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
