import { execSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { measureCeiling } from './ceiling';
import { topSelfTime, type CpuProfile } from './cpu-profile';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { build } = require('../build/compile') as { build: () => { compiled: number } };
import { Driver, type Sent } from './load';
import { Observer } from './observe';
import { CommandCpu, machineBusySeconds, sampleProcess } from './proc';
import { benchmarksMarkdown, resultsFile } from './report';
import type { BenchRun, Drain, PhaseResult } from './results';
import { IMAGE_NODE_OPTIONS } from '@aduan/testing';
import { INTAKE_PATH, startInfra, startStack, WHATSAPP_APP_SECRET, type Stack } from './stack';
import { summarize } from './stats';
import { latencyChart } from './svg';

/**
 * `npm run bench [-- --quick] [-- --shared "what else ran"] [-- --cpu-prof] [-- --source]`: the flood-day benchmark. Starts
 * Kafka and PostgreSQL as `npm start` does, a database (aduan_bench) and topics of its own,
 * measures the broker's and the database's ceiling, starts the intake path, drives it with
 * open-loop rates and a closed loop, drains, and writes bench-results.json, docs/BENCHMARKS.md
 * and docs/bench-latency.svg. Everything it started is stopped, on failure and on Ctrl-C too.
 */
const ROOT = join(__dirname, '../..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Plan {
  phases: Array<{ mode: 'open'; perSecond: number } | { mode: 'closed'; clients: number }>;
  phaseSeconds: number;
  /** How long each phase's complaints may take to be routed before the next phase starts. */
  phaseDrainSeconds: number;
  finalDrainSeconds: number;
  ceilingRecords: number;
  /** Complaints per phase watched on the public API. */
  visibleSamples: number;
}

/** The rates of the measurements, lowest first so that a backlog only reaches the phases after it. */
function phases(clients: number): Plan['phases'] {
  return [
    { mode: 'open', perSecond: 50 },
    { mode: 'open', perSecond: 200 },
    { mode: 'open', perSecond: 500 },
    { mode: 'closed', clients },
  ];
}

const PLANS: Record<'quick' | 'full', Plan> = {
  quick: {
    phases: phases(32),
    phaseSeconds: 8,
    phaseDrainSeconds: 5,
    finalDrainSeconds: 30,
    ceilingRecords: 100_000,
    visibleSamples: 60,
  },
  full: {
    phases: phases(64),
    phaseSeconds: 30,
    phaseDrainSeconds: 45,
    finalDrainSeconds: 240,
    ceilingRecords: 500_000,
    visibleSamples: 150,
  },
};

const WHATSAPP_SHARE = 0.25;
const ACCEPTED = new Set([200, 202]);

function args(argv: string[]) {
  const shared = argv.indexOf('--shared');
  return {
    mode: argv.includes('--quick') ? ('quick' as const) : ('full' as const),
    /** Profiles every service; its figures are the profiler's too, so the docs are left as they are. */
    cpuProfile: argv.includes('--cpu-prof'),
    /** Runs the services from TypeScript (@swc-node/register), as `npm start` does, instead of dist/. */
    source: argv.includes('--source'),
    /** Extra options for node in every service, e.g. heap sizes to try (`--node "--max-semi-space-size=4"`). */
    nodeOptions: argv.includes('--node')
      ? (argv[argv.indexOf('--node') + 1] ?? '').split(/\s+/).filter(Boolean)
      : [],
    shared: shared >= 0 ? (argv[shared + 1] ?? null) : (process.env.BENCH_SHARED_MACHINE ?? null),
    services: process.env.ADUAN_SERVICES ? process.env.ADUAN_SERVICES.split(',') : INTAKE_PATH,
  };
}

function git(cmd: string): string {
  try {
    return execSync(`git ${cmd}`, { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

/** The broker and the database share the two cores with the services: their CPU is counted too. */
const kafkaCpu = new CommandCpu('java');
const postgresCpu = new CommandCpu('postgres');

/**
 * CPU seconds so far of every service, of this process (the load generator and the watching),
 * of the broker and the database, and of the whole machine.
 */
function cpuNow(stack: Stack): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, proc] of stack.services) out[name] = sampleProcess(proc.child.pid!)?.cpuSeconds ?? NaN;
  const own = process.cpuUsage();
  out['load generator'] = (own.user + own.system) / 1e6;
  out['kafka'] = kafkaCpu.sample();
  out['postgresql'] = postgresCpu.sample();
  out['whole machine'] = machineBusySeconds();
  return out;
}

function coresBusy(
  start: Record<string, number>,
  end: Record<string, number>,
  seconds: number,
): Record<string, number> {
  return Object.fromEntries(Object.keys(end).map((name) => [name, (end[name]! - start[name]!) / seconds]));
}

/** The top self time of one service's profile (V8 names the file after the process id). */
function printProfile(name: string, dir: string, pid: number, say: (line: string) => void): void {
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile') && f.includes(`.${pid}.`));
  if (!file) return say(`${name}: no profile`);
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
  say(`${name}: top self time`);
  for (const t of topSelfTime(profile, ROOT, 12))
    say(`  ${(t.share * 100).toFixed(1).padStart(5)} %  ${t.fn}`);
}

/** How long the stack is watched doing nothing before the first phase. */
const AT_REST_SECONDS = 15;

interface Window {
  start: number;
  end: number;
  cpuStart: Record<string, number>;
  cpuEnd: Record<string, number>;
}

async function main(): Promise<number> {
  const opts = args(process.argv.slice(2));
  const plan = PLANS[opts.mode];
  const say = (line: string) => console.log(`bench: ${line}`);
  const runId = Date.now().toString(36);
  const startedAt = new Date().toISOString();
  const loadBefore = loadavg()[0]!;
  const cleanup: Array<() => Promise<unknown>> = [];
  const tearDown = async () => {
    for (const step of cleanup.splice(0).reverse())
      await step().catch((e: unknown) => say(`cleanup: ${String(e)}`));
  };
  const interrupted = () => {
    say('interrupted: stopping what the bench started');
    void tearDown().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted).once('SIGTERM', interrupted);
  try {
    const infra = await startInfra({ runId, say });
    cleanup.push(async () => infra.stopKafka());
    say('measuring the ceiling…');
    const ceiling = await measureCeiling({ ...infra, records: plan.ceilingRecords, say });

    say(`starting ${opts.services.join(', ')}…`);
    const logDir = mkdtempSync(join(tmpdir(), 'aduan-bench-logs-'));
    cleanup.pop(); // the stack stops the broker after the services
    // What the services run is the tree as it is now; others may commit while the bench runs.
    const commit = git('rev-parse --short HEAD');
    const dirty = git('status --porcelain -- libs services') !== '';
    const profileDir = opts.cpuProfile ? mkdtempSync(join(tmpdir(), 'aduan-bench-prof-')) : null;
    const nodeArgs = [
      ...opts.nodeOptions,
      ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
    ];
    if (!opts.source) {
      const built = build();
      say(`compiled ${built.compiled} files into dist/ (npm run build), as the image runs them`);
    }
    const stack = await startStack(infra, {
      services: opts.services,
      runId,
      logDir,
      say,
      nodeArgs,
      built: !opts.source,
    });
    cleanup.push(() => stack.stop());
    say(`service logs in ${logDir}`);

    const observer = new Observer({ ...infra, statusUrl: stack.urls.status, runId });
    await observer.start();
    cleanup.push(() => observer.stop());

    say(`at rest for ${AT_REST_SECONDS} s…`);
    const rest = { start: Date.now(), cpuStart: cpuNow(stack) };
    await sleep(AT_REST_SECONDS * 1000);
    const atRestCpuCores = coresBusy(rest.cpuStart, cpuNow(stack), (Date.now() - rest.start) / 1000);

    let watchEvery = 1;
    let accepted = 0;
    const driver = new Driver(
      {
        jaki: stack.urls.jaki,
        whatsapp: stack.urls.whatsapp,
        jakiApiKey: stack.jakiApiKey,
        whatsappAppSecret: WHATSAPP_APP_SECRET,
      },
      WHATSAPP_SHARE,
      (s) => {
        if (s.status === 202 && s.trackingCode && accepted++ % watchEvery === 0) observer.watch(s);
      },
    );

    const windows: Window[] = [];
    for (const [i, phase] of plan.phases.entries()) {
      const expected = phase.mode === 'open' ? phase.perSecond * plan.phaseSeconds : 200 * plan.phaseSeconds;
      watchEvery = Math.max(1, Math.ceil(((1 - WHATSAPP_SHARE) * expected) / plan.visibleSamples));
      accepted = 0;
      const label = phase.mode === 'open' ? `${phase.perSecond}/s` : `closed loop, ${phase.clients} clients`;
      say(`phase ${i + 1}: ${label} for ${plan.phaseSeconds} s`);
      const w: Partial<Window> = { start: Date.now(), cpuStart: cpuNow(stack) };
      if (phase.mode === 'open') await driver.open(i, phase.perSecond, plan.phaseSeconds);
      else await driver.closed(i, phase.clients, plan.phaseSeconds);
      // The window ends when sending ends; answers still coming in are waited for, not counted in it.
      w.end = Math.min(Date.now(), w.start! + plan.phaseSeconds * 1000 + 50);
      w.cpuEnd = cpuNow(stack);
      windows.push(w as Window);
      await driver.settle();
      const mine = driver.sent.filter((s) => s.phase === i);
      say(`  sent ${mine.length}, accepted ${mine.filter((s) => ACCEPTED.has(s.status!)).length}`);
      await drainPhase(observer, mine, plan.phaseDrainSeconds);
    }

    say(`draining (up to ${plan.finalDrainSeconds} s)…`);
    const drain = await drainAll(observer, driver.sent, plan.finalDrainSeconds, say);
    const processes = Object.fromEntries(
      [...stack.services].map(([name, p]) => {
        const sample = sampleProcess(p.child.pid!);
        return [name, { peakRssMb: sample?.peakRssMb ?? NaN, cpuSeconds: sample?.cpuSeconds ?? NaN }];
      }),
    );
    const phases = plan.phases.map((phase, i) =>
      phaseResult(phase, i, plan.phaseSeconds, windows[i]!, driver.sent, observer),
    );

    const run: BenchRun = {
      mode: opts.mode,
      startedAt,
      finishedAt: new Date().toISOString(),
      commit,
      dirty,
      machine: {
        cores: cpus().length,
        cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
        memoryGb: totalmem() / 2 ** 30,
        node: process.version,
        kernel: release(),
        loadAverage: { before: loadBefore, after: loadavg()[0]! },
      },
      sharedMachine: opts.shared,
      services: opts.services,
      entry: opts.source ? 'source' : 'built',
      nodeOptions: [...(opts.source ? [] : [IMAGE_NODE_OPTIONS]), ...opts.nodeOptions].join(' '),
      whatsappShare: WHATSAPP_SHARE,
      phases,
      ceiling,
      drain,
      processes,
      atRestCpuCores,
    };
    if (profileDir) {
      await stack.stop(); // each service writes its profile as it exits
      for (const [name, p] of stack.services) printProfile(name, profileDir, p.child.pid!, say);
      say(`profiled run: profiles in ${profileDir}; bench-results.json and docs/ left as they were`);
      return 0;
    }
    const results = resultsFile(run);
    writeFileSync(join(ROOT, 'bench-results.json'), JSON.stringify(results, null, 2) + '\n');
    writeFileSync(
      join(ROOT, 'docs/bench-latency.svg'),
      latencyChart(phases, `Latency against offered load (${cpus().length} cores, everything on one box)`),
    );
    const doc = benchmarksMarkdown(run, 'bench-latency.svg');
    writeFileSync(join(ROOT, 'docs/BENCHMARKS.md'), doc);
    console.log(`\n${doc}`);
    say('wrote bench-results.json, docs/BENCHMARKS.md and docs/bench-latency.svg');
    return 0;
  } finally {
    process.off('SIGINT', interrupted).off('SIGTERM', interrupted);
    await tearDown();
  }
}

function acceptedOf(sent: readonly Sent[]): Sent[] {
  return sent.filter((s) => ACCEPTED.has(s.status!));
}

/** Until the phase's accepted complaints are routed or the time is up, so that one phase's backlog does not start the next. */
async function drainPhase(observer: Observer, sent: Sent[], seconds: number): Promise<void> {
  const until = Date.now() + seconds * 1000;
  const accepted = acceptedOf(sent);
  while (Date.now() < until) {
    observer.resolve(accepted);
    if (accepted.every((s) => s.reportId && observer.routedAt.has(s.reportId))) return;
    await sleep(250);
  }
}

async function drainAll(
  observer: Observer,
  sent: Sent[],
  seconds: number,
  say: (l: string) => void,
): Promise<Drain> {
  const started = Date.now();
  const accepted = acceptedOf(sent);
  let notRouted = accepted.length;
  let notStored = accepted.length;
  for (;;) {
    observer.resolve(accepted);
    const ids = accepted.flatMap((s) => (s.reportId ? [s.reportId] : []));
    notRouted = accepted.length - ids.filter((id) => observer.routedAt.has(id)).length;
    notStored = accepted.length - (await observer.storedOf(ids)).size;
    if ((notRouted === 0 && notStored === 0) || Date.now() - started > seconds * 1000) break;
    await sleep(2000);
  }
  const missingFromKafka = accepted.filter((s) => !s.reportId || !observer.received.has(s.reportId)).length;
  const drain = {
    accepted: accepted.length,
    missingFromKafka,
    notRouted,
    notStored,
    complete: notRouted === 0 && notStored === 0,
    seconds: (Date.now() - started) / 1000,
  };
  say(`  ${JSON.stringify(drain)}`);
  return drain;
}

function phaseResult(
  phase: Plan['phases'][number],
  i: number,
  seconds: number,
  w: Window,
  all: readonly Sent[],
  observer: Observer,
): PhaseResult {
  const sent = all.filter((s) => s.phase === i);
  const accepted = acceptedOf(sent);
  const refused: Record<string, number> = {};
  for (const s of sent)
    if (!ACCEPTED.has(s.status!)) refused[String(s.status ?? 0)] = (refused[String(s.status ?? 0)] ?? 0) + 1;
  const elapsed = (w.end - w.start) / 1000;
  const routedInWindow = [...observer.routedAt.values()].filter((t) => t >= w.start && t <= w.end).length;
  const cpuCores = coresBusy(w.cpuStart, w.cpuEnd, elapsed);
  return {
    name: phase.mode === 'open' ? `open ${phase.perSecond}/s` : `closed ${phase.clients} clients`,
    mode: phase.mode,
    offeredPerSecond: phase.mode === 'open' ? phase.perSecond : null,
    clients: phase.mode === 'closed' ? phase.clients : null,
    durationSeconds: seconds,
    sent: sent.length,
    accepted: accepted.length,
    refused,
    // Until the last acceptance: a service that queues answers them late, and that is its rate.
    acceptedPerSecond:
      accepted.length /
      Math.max(elapsed, (Math.max(0, ...accepted.map((s) => s.answeredAt!)) - w.start) / 1000),
    routedPerSecond: routedInWindow / elapsed,
    storedPerSecond: observer.storedRate(w.start, w.end),
    intake: summarize(accepted.map((s) => s.answeredAt! - s.sentAt)),
    routed: summarize(
      accepted.map((s) => {
        const at = s.reportId ? observer.routedAt.get(s.reportId) : undefined;
        return at === undefined ? Infinity : at - s.sentAt;
      }),
    ),
    visible: summarize(
      observer
        .watchedOf(i)
        .map((wd) => (wd.visibleAt === undefined ? Infinity : wd.visibleAt - wd.sent.sentAt)),
    ),
    cpuCores,
  };
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
