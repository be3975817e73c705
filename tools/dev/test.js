#!/usr/bin/env node
// `npm test`: the whole suite against a real Kafka broker and a real PostgreSQL.
//   0. Dovecot and Chromium (e-mail and browser tests) are installed when missing, or the run
//      stops at once with the command that installs them.
//   1. KAFKA_BROKERS / DATABASE_URL, when set, name them.
//   2. Otherwise a broker and a server answering on the default addresses are used.
//   3. Otherwise, where a Docker engine runs, testcontainers starts both for this run.
//   4. Otherwise Kafka starts from Apache's jars (left running for the next run), and
//      PostgreSQL must be running locally.
// Jest's own summary is followed by one plain closing line.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { dockerAvailable, startContainers } = require('./containers');
const { ensureKafka, ensurePostgres, ensureTestPackages, reachable, ROOT } = require('./infra');

const DEFAULT_KAFKA = '127.0.0.1:9092';
const DEFAULT_DATABASE = 'postgres://postgres@127.0.0.1:5432/aduan';

async function provideServices() {
  const given = process.env.KAFKA_BROKERS || process.env.DATABASE_URL;
  const localUp = (await reachable(DEFAULT_KAFKA)) && (await reachable('127.0.0.1:5432'));
  if (!given && !localUp && (await dockerAvailable())) {
    console.log('npm test: no broker or database given; starting them with testcontainers');
    const containers = await startContainers();
    Object.assign(process.env, containers.env);
    return () => containers.stop();
  }
  process.env.KAFKA_BROKERS ||= DEFAULT_KAFKA;
  process.env.DATABASE_URL ||= DEFAULT_DATABASE;
  await ensurePostgres();
  await ensureKafka();
  return async () => undefined;
}

async function main() {
  ensureTestPackages();
  const release = await provideServices();
  const report = path.join(os.tmpdir(), `aduan-jest-${process.pid}.json`);
  const given = process.argv.slice(2);
  // Jest's default on a 2-core machine is one worker, and most suites spend their time waiting
  // on Kafka and PostgreSQL, not on the CPU: two workers halve the suite (about 13 minutes).
  const workers = given.some((a) => /^(-w|--maxWorkers|-i|--runInBand)\b/.test(a)) ? [] : ['--maxWorkers=2'];
  const args = [require.resolve('jest/bin/jest'), '--json', `--outputFile=${report}`, ...workers, ...given];
  const run = spawnSync(process.execPath, args, {
    cwd: ROOT,
    stdio: 'inherit',
    env: {
      // Suites that kill a service wait this long for its partitions to move, not the 30 s
      // production default (the service processes they start inherit it).
      KAFKA_SESSION_TIMEOUT_MS: '10000',
      ...process.env,
      KAFKAJS_NO_PARTITIONER_WARNING: '1',
    },
  });
  await release();

  if (fs.existsSync(report)) {
    const r = JSON.parse(fs.readFileSync(report, 'utf8'));
    fs.rmSync(report);
    const skipped = r.numPendingTests + r.numTodoTests;
    console.log(
      `\ntests: ${r.numPassedTests} passed, ${r.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`,
    );
    if (r.numRuntimeErrorTestSuites) console.log(`suites that failed to run: ${r.numRuntimeErrorTestSuites}`);
  }
  process.exit(run.status ?? 1);
}

main().catch((err) => {
  console.error(`npm test: ${err.message}`);
  process.exit(1);
});
