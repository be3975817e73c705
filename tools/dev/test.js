#!/usr/bin/env node
// `npm test`: the whole suite against a real Kafka broker and a real PostgreSQL. Starts the
// broker when none is running (and leaves it running for the next run), then runs Jest and
// closes with one plain summary line.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ensureKafka, ensurePostgres, ROOT } = require('./infra');

async function main() {
  process.env.KAFKA_BROKERS ||= '127.0.0.1:9092';
  process.env.DATABASE_URL ||= 'postgres://postgres@127.0.0.1:5432/aduan';
  await ensurePostgres();
  await ensureKafka();

  const report = path.join(os.tmpdir(), `aduan-jest-${process.pid}.json`);
  const args = [require.resolve('jest/bin/jest'), '--json', `--outputFile=${report}`, ...process.argv.slice(2)];
  const run = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, KAFKAJS_NO_PARTITIONER_WARNING: '1' } });

  if (fs.existsSync(report)) {
    const r = JSON.parse(fs.readFileSync(report, 'utf8'));
    fs.rmSync(report);
    const skipped = r.numPendingTests + r.numTodoTests;
    console.log(`\ntests: ${r.numPassedTests} passed, ${r.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`);
    if (r.numFailedTestSuites && !r.numFailedTests) console.log(`suites that failed to run: ${r.numFailedTestSuites}`);
  }
  process.exit(run.status ?? 1);
}

main().catch((err) => {
  console.error(`npm test: ${err.message}`);
  process.exit(1);
});
