/**
 * Micro-benchmark of the routing pieces on this machine.
 *   npm run bench:routing -- [--iterations N]
 * Prints µs per call for point lookup, text place lookup, classification and full decide().
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decide, proposeRouting } from '../decide';
import { InMemoryIncidentIndex } from '../duplicates/incident-index';
import { createRoutingContext, loadRoutingKnowledge } from '../knowledge';
import { parseSamples, toRoutingInput } from '../eval/samples';
import { normalizeText } from '../text/normalize';
import type { RoutingInput } from '../types';

function fixturePath(): string {
  return join(__dirname, '..', '..', 'test', 'fixtures', 'routing-samples.public.json');
}

function iterationsArg(): number {
  const i = process.argv.indexOf('--iterations');
  const n = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isInteger(n) && n > 0 ? n : 20;
}

function time(label: string, calls: number, run: () => void): void {
  run(); // warm-up: JIT and caches
  const start = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) run();
  const micros = Number(process.hrtime.bigint() - start) / 1000;
  process.stdout.write(`${label.padEnd(34)} ${(micros / calls).toFixed(1).padStart(9)} µs\n`);
}

async function main(): Promise<void> {
  const iterations = iterationsArg();
  const t0 = process.hrtime.bigint();
  const knowledge = loadRoutingKnowledge();
  const loadMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const samples = parseSamples(JSON.parse(readFileSync(fixturePath(), 'utf8')) as unknown);
  const inputs = samples.map(toRoutingInput);
  const located = inputs.filter((x) => x.location);
  const points = located.map((x) => ({ lat: Number(x.location?.lat), lon: Number(x.location?.lon) }));
  const texts = inputs.map((x) => normalizeText(x.subject ? `${x.subject}\n${x.text}` : x.text));
  const ctx = createRoutingContext();

  process.stdout.write(`knowledge load (once per process): ${loadMs.toFixed(0)} ms\n`);
  process.stdout.write(
    `per-call cost, averaged over ${iterations} passes of ${inputs.length} sample reports:\n`,
  );
  let k = 0;
  time('point → kelurahan', iterations * points.length, () => {
    const p = points[k++ % points.length];
    if (p) knowledge.locator.locate(p);
  });
  k = 0;
  time('text → place mentions', iterations * texts.length, () => {
    const t = texts[k++ % texts.length];
    if (t) knowledge.gazetteer.findMentions(t.tokens);
  });
  k = 0;
  time('normalise text', iterations * inputs.length, () => {
    const x = inputs[k++ % inputs.length];
    if (x) normalizeText(x.text);
  });
  k = 0;
  const noMask = new Set<number>();
  time('classify category', iterations * texts.length, () => {
    const t = texts[k++ % texts.length];
    if (t) knowledge.classifier.classify(t.tokens, noMask);
  });
  k = 0;
  time('proposeRouting (no duplicates)', iterations * inputs.length, () => {
    const x = inputs[k++ % inputs.length];
    if (x) proposeRouting(x, ctx);
  });

  const full = createRoutingContext({ incidents: new InMemoryIncidentIndex() });
  const calls = iterations * inputs.length;
  const start = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) {
    const x = inputs[i % inputs.length];
    if (x) await decide({ ...x, id: `${x.id}-${i}` }, full);
  }
  const micros = Number(process.hrtime.bigint() - start) / 1000;
  process.stdout.write(
    `${'decide (with incident index)'.padEnd(34)} ${(micros / calls).toFixed(1).padStart(9)} µs\n`,
  );

  const long: RoutingInput = {
    id: 'long',
    channel: 'email',
    text: 'jalan rusak parah di depan rumah kami '.repeat(2800),
    receivedAt: '2026-01-01T00:00:00+07:00',
  };
  time(`decide on ${Math.round(long.text.length / 1024)} KB of text`, 20, () => {
    proposeRouting(long, ctx);
  });
  const mem = process.memoryUsage();
  process.stdout.write(
    `heap used: ${(mem.heapUsed / 1048576).toFixed(1)} MiB (rss ${(mem.rss / 1048576).toFixed(1)} MiB)\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:routing failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
