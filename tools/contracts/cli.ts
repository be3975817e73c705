// npm run contracts:check | contracts:snapshot — the schema evolution rule (docs/downstream.md).
//   check     exits 1 when a topic's schema breaks its published snapshot, or has none
//   snapshot  records new and compatibly changed schemas; refuses while any change breaks one
// `--contracts <dir>` points at another copy of libs/contracts (the tests use one).
import { join, resolve } from 'node:path';
import { checkAgainstSnapshots, describeChecks, writeSnapshots } from './published';

const ROOT = join(__dirname, '../..');

function option(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : undefined;
}

function currentSchemas(contracts: string): Record<string, object> {
  // Loaded from the folder given, not imported: the check must read the copy it is pointed at.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { TOPICS } = require(join(contracts, 'src/topic-map.ts')) as {
    TOPICS: Record<string, { schema: object }>;
  };
  return Object.fromEntries(Object.entries(TOPICS).map(([topic, spec]) => [topic, spec.schema]));
}

function main(): number {
  const command = process.argv[2];
  const contracts = resolve(option('--contracts') ?? join(ROOT, 'libs/contracts'));
  const dir = join(contracts, 'schemas-published');
  const current = currentSchemas(contracts);
  if (command === 'check') {
    const checks = checkAgainstSnapshots(current, dir);
    process.stdout.write(describeChecks(checks).join('\n') + '\n');
    if (checks.some((c) => c.status === 'breaking')) {
      process.stdout.write('A breaking change needs a new topic version (….v2); see docs/downstream.md.\n');
      return 1;
    }
    if (checks.some((c) => c.status === 'new')) {
      process.stdout.write('A topic without a snapshot: run npm run contracts:snapshot and commit it.\n');
      return 1;
    }
    if (checks.some((c) => c.status === 'compatible'))
      process.stdout.write('Compatible changes: npm run contracts:snapshot records them.\n');
    return 0;
  }
  if (command === 'snapshot') {
    const checks = writeSnapshots(current, dir);
    process.stdout.write(describeChecks(checks).join('\n') + '\n');
    if (checks.some((c) => c.status === 'breaking')) {
      process.stdout.write('Nothing written: a breaking change needs a new topic version (….v2).\n');
      return 1;
    }
    const written = checks.filter((c) => c.status === 'new' || c.status === 'compatible').length;
    process.stdout.write(`${written} snapshot(s) written to ${dir}\n`);
    return 0;
  }
  process.stderr.write('usage: contracts check|snapshot [--contracts <dir>]\n');
  return 2;
}

process.exitCode = main();
