/**
 * Routing evaluation over a file in the routing-samples format.
 *   npm run eval:routing -- <samples.json> [--out predictions.json] [--json] [--no-misses]
 * A category-probes file (`{ "cases": [[text, category, app category?]] }`) is measured on
 * category alone.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { evaluate, formatReport } from './evaluate';
import { evaluateProbes, parseProbes } from './probes';
import { parseSamples } from './samples';

interface Args {
  readonly file?: string;
  readonly out?: string;
  readonly json: boolean;
  readonly misses: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  let file: string | undefined;
  let out: string | undefined;
  let json = false;
  let misses = true;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--out') out = argv[++i];
    else if (arg?.startsWith('--out=')) out = arg.slice('--out='.length);
    else if (arg === '--json') json = true;
    else if (arg === '--no-misses') misses = false;
    else if (arg && !arg.startsWith('--')) file = arg;
  }
  return { ...(file ? { file } : {}), ...(out ? { out } : {}), json, misses };
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (!args.file) {
    process.stderr.write(
      'usage: eval:routing -- <samples.json> [--out predictions.json] [--json] [--no-misses]\n',
    );
    return 2;
  }
  const json = JSON.parse(readFileSync(args.file, 'utf8')) as unknown;
  if (!Array.isArray(json)) {
    const probes = evaluateProbes(parseProbes(json));
    const lines = [
      `category: ${probes.right}/${probes.total} (${((100 * probes.right) / probes.total).toFixed(1)}%)`,
    ];
    if (args.misses)
      for (const m of probes.misses) lines.push(`  want ${m.want}, got ${m.got ?? '-'}: ${m.text}`);
    process.stdout.write(lines.join('\n') + '\n');
    return 0;
  }
  const samples = parseSamples(json);
  const report = await evaluate(samples);
  if (args.out) writeFileSync(args.out, JSON.stringify(report.predictions, null, 2) + '\n');
  if (args.json) {
    const { decisions: _decisions, predictions: _predictions, ...summary } = report;
    void _decisions;
    void _predictions;
    process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
  } else {
    process.stdout.write(formatReport(report, { showMisses: args.misses }) + '\n');
    if (args.out) process.stdout.write(`predictions written to ${args.out}\n`);
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`eval:routing failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
