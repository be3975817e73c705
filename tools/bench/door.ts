import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { readNewestProfile, topSelfTime } from './cpu-profile';
import { Driver } from './load';
import { sampleProcess } from './proc';
import { startInfra, startStack, WHATSAPP_APP_SECRET } from './stack';
import { summarize } from './stats';

/**
 * `npm run bench:door [-- --clients 64] [-- --seconds 15] [-- --runs 3] [-- --limits] [-- --cpu-prof]`:
 * the door alone. Starts channel-jaki only (its own database and topics), keeps `clients` JAKI
 * app requests busy for `seconds` after a short warm-up, and prints what the door accepted per
 * second, the intake latency, the service's CPU and resident memory. `--limits` turns the
 * per-address and per-app rate limits on at allowances the load never reaches, so they count
 * every request as in production but refuse none; `--cpu-prof` profiles the service over the
 * whole run and prints the functions with the most self time. Much quicker than `npm run bench`,
 * for comparing changes to the intake's request path on one machine.
 */
const ROOT = join(__dirname, '../..');

function option(argv: string[], name: string, fallback: number): number {
  const i = argv.indexOf(name);
  if (i < 0) return fallback;
  const value = Number(argv[i + 1]);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} takes a positive whole number`);
  return value;
}

interface DoorRun {
  acceptedPerSecond: number;
  /** PostgreSQL transactions of the whole run (a statement outside one counts one) per complaint accepted. */
  transactionsPerComplaint: number;
  refused: number;
  p50: number;
  p99: number;
  cpuCores: number;
  /** This process: the 64 clients sending, which compete with the service for the same cores. */
  generatorCores: number;
  rssMb: number;
  peakRssMb: number;
}

async function onServer<T>(url: string, work: (client: Client, name: string) => Promise<T>): Promise<T> {
  const target = new URL(url);
  const name = target.pathname.slice(1);
  target.pathname = '/postgres';
  const client = new Client({ connectionString: target.toString() });
  await client.connect();
  try {
    return await work(client, name);
  } finally {
    await client.end();
  }
}

/**
 * Transactions committed or rolled back in the database so far. A backend reports its counts
 * when it exits at the latest, so this is read after the service stopped.
 */
async function transactionsOf(url: string): Promise<number> {
  await new Promise((r) => setTimeout(r, 1000));
  return onServer(url, async (client, name) => {
    const { rows } = await client.query<{ n: string }>(
      'SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = $1',
      [name],
    );
    return Number(rows[0]?.n ?? NaN);
  });
}

async function oneRun(
  n: number,
  o: { clients: number; seconds: number; limits: boolean; profileDir: string | null },
  say: (line: string) => void,
): Promise<DoorRun> {
  const runId = `door${Date.now().toString(36)}`;
  const infra = await startInfra({ runId, say, database: `aduan_bench_${runId}` });
  const logDir = mkdtempSync(join(tmpdir(), 'aduan-bench-door-'));
  const env: NodeJS.ProcessEnv = {};
  if (o.limits) {
    env.JAKI_REQUESTS_PER_IP_PER_MINUTE = '100000000';
    env.JAKI_REQUESTS_PER_KEY_PER_MINUTE = '100000000';
  }
  const nodeArgs = o.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${o.profileDir}`] : [];
  const stack = await startStack(infra, { services: ['channel-jaki'], runId, logDir, say, env, nodeArgs });
  try {
    const pid = stack.services.get('channel-jaki')!.child.pid!;
    const driver = new Driver(
      {
        jaki: stack.urls.jaki,
        whatsapp: stack.urls.whatsapp,
        jakiApiKey: stack.jakiApiKey,
        whatsappAppSecret: WHATSAPP_APP_SECRET,
      },
      0,
    );
    await driver.closed(0, o.clients, 3); // warm-up: compiled code, a full connection pool
    const cpuBefore = sampleProcess(pid)!.cpuSeconds;
    const ownBefore = process.cpuUsage();
    const started = Date.now();
    await driver.closed(1, o.clients, o.seconds);
    const elapsed = (Date.now() - started) / 1000;
    const after = sampleProcess(pid)!;
    const own = process.cpuUsage(ownBefore);
    const mine = driver.sent.filter((s) => s.phase === 1);
    const accepted = mine.filter((s) => s.status === 202);
    const latency = summarize(accepted.map((s) => s.answeredAt! - s.sentAt));
    const acceptedInRun = driver.sent.filter((s) => s.status === 202).length;
    await stack.stop();
    // Start-up (the migrations) counts too: a few dozen against the load's thousands.
    const transactions = await transactionsOf(infra.databaseUrl);
    const run: DoorRun = {
      transactionsPerComplaint: transactions / acceptedInRun,
      acceptedPerSecond: accepted.length / elapsed,
      refused: mine.length - accepted.length,
      p50: latency.p50,
      p99: latency.p99,
      cpuCores: (after.cpuSeconds - cpuBefore) / elapsed,
      generatorCores: (own.user + own.system) / 1e6 / elapsed,
      rssMb: after.rssMb,
      peakRssMb: after.peakRssMb,
    };
    say(
      `run ${n}: ${run.acceptedPerSecond.toFixed(0)}/s accepted, ${run.refused} refused, ` +
        `${run.transactionsPerComplaint.toFixed(2)} database transactions a complaint, ` +
        `p50 ${run.p50} ms, p99 ${run.p99} ms, ${run.cpuCores.toFixed(2)} cores ` +
        `(load generator ${run.generatorCores.toFixed(2)}), ` +
        `RSS ${run.rssMb.toFixed(0)} MB (peak ${run.peakRssMb.toFixed(0)} MB)`,
    );
    return run;
  } finally {
    await stack.stop();
    await onServer(infra.databaseUrl, (client, name) =>
      client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
    ).catch((e: unknown) => say(`could not drop: ${String(e)}`));
  }
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const o = {
    clients: option(argv, '--clients', 64),
    seconds: option(argv, '--seconds', 15),
    runs: option(argv, '--runs', 1),
    limits: argv.includes('--limits'),
    profileDir: argv.includes('--cpu-prof') ? mkdtempSync(join(tmpdir(), 'aduan-door-prof-')) : null,
  };
  const say = (line: string) => console.log(`bench:door: ${line}`);
  say(
    `${o.clients} clients, ${o.seconds} s, ${o.runs} run(s), rate limits ${o.limits ? 'counting' : 'off'}, ` +
      `load average ${loadavg()[0]!.toFixed(1)}`,
  );
  const runs: DoorRun[] = [];
  for (let i = 1; i <= o.runs; i++) {
    runs.push(await oneRun(i, o, say));
    if (o.profileDir) {
      say(`top self time of channel-jaki (profile in ${o.profileDir}):`);
      for (const t of topSelfTime(readNewestProfile(o.profileDir), ROOT))
        say(`  ${(t.share * 100).toFixed(1).padStart(5)} %  ${t.ms.toFixed(0).padStart(6)} ms  ${t.fn}`);
    }
  }
  const median = (pick: (r: DoorRun) => number) =>
    summarize(runs.map(pick).filter((v) => Number.isFinite(v))).p50;
  say(
    `median of ${runs.length}: ${median((r) => r.acceptedPerSecond).toFixed(0)}/s accepted ` +
      `(${runs.map((r) => r.acceptedPerSecond.toFixed(0)).join(', ')}), p50 ${median((r) => r.p50)} ms, ` +
      `p99 ${median((r) => r.p99)} ms, ${median((r) => r.cpuCores).toFixed(2)} cores, ` +
      `peak RSS ${median((r) => r.peakRssMb).toFixed(0)} MB, load average now ${loadavg()[0]!.toFixed(1)}`,
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`bench:door: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
