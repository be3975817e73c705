import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { dlqDepth, EventBus } from '@aduan/bus';
import { Logger } from '@aduan/platform';
import {
  startRecordingServer,
  startServiceProcess,
  type RecordingServer,
  type ServiceProcess,
} from '@aduan/testing';
import { API_KEY, Load, SMS_TOKEN, TOKEN_PATTERN, type Complaint } from './load';
import { freePort, startPrivateKafka, startPrivatePostgres, type PrivateKafka } from './private-infra';

export const FAULTS = ['router', 'status', 'adapter', 'kafka', 'postgres'] as const;
export type Fault = (typeof FAULTS)[number];

export const FAULT_LABELS: Record<Fault, string> = {
  router: 'kill -9 router',
  status: 'kill -9 status',
  adapter: 'kill -9 channel-whatsapp',
  kafka: 'restart Kafka broker',
  postgres: 'restart PostgreSQL (immediate)',
};

export interface FaultResult {
  fault: Fault;
  accepted: number;
  lost: number;
  duplicated: number;
  deadLettered: number;
  acksMissing: number;
  acksDuplicated: number;
  /**
   * An acknowledgement handed to the provider again under the same reference: the adapter died
   * after the provider took it and before it was marked sent (ADR 0010's at-least-once window).
   * The SMS gateway and the app de-duplicate on that reference, so the citizen gets it once.
   */
  acksResent: number;
  /** From the fault until every complaint accepted before the component came back is routed and acknowledged. */
  recoverySeconds: number;
  /** Complaints a service refused with a 4xx no client retries: each is a finding. */
  refused: string[];
  /** What became of each lost complaint, for the one who looks into it. */
  missing: string[];
  resent: string[];
}

/** Nothing lost, doubled, dead-lettered or refused, and every citizen acknowledged once. */
export function clean(r: FaultResult): boolean {
  return (
    r.accepted > 0 &&
    r.lost + r.duplicated + r.deadLettered + r.acksMissing + r.acksDuplicated + r.refused.length === 0
  );
}

export interface FaultRunOptions {
  faults: readonly Fault[];
  /** Complaints per second on each of the two channels. */
  rate: number;
  /** Load before the fault and after the component is back. */
  loadSeconds: number;
  /** How long a stopped broker or database stays away. */
  outageSeconds: number;
  /** An existing broker (topics under a prefix of their own; it is never restarted), or a private one. */
  brokers?: string;
  topicPrefix?: string;
  progress?: (line: string) => void;
}

const SERVICES = ['status', 'router', 'channel-jaki', 'channel-whatsapp'] as const;
type Service = (typeof SERVICES)[number];
const VICTIM: Partial<Record<Fault, Service>> = {
  router: 'router',
  status: 'status',
  adapter: 'channel-whatsapp',
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The intake path as separate processes (so kill -9 is real) on a PostgreSQL of its own and a
 * broker of its own (or a topic prefix of its own), under a steady load of complaints; each
 * fault in turn, then a drain and the count of what every accepted complaint became.
 */
export async function runFaults(options: FaultRunOptions): Promise<FaultResult[]> {
  const say = options.progress ?? (() => undefined);
  const logDir = mkdtempSync(join(tmpdir(), 'aduan-faults-logs-'));
  const cleanup: Array<() => Promise<unknown>> = [];
  const tearDown = async () => {
    for (const step of cleanup.splice(0).reverse()) await step().catch(() => undefined);
  };
  // Interrupted, the run still ends what it started: nothing of it outlives it.
  const interrupted = () => void tearDown().finally(() => process.exit(130));
  process.once('SIGINT', interrupted).once('SIGTERM', interrupted);
  try {
    const postgres = await startPrivatePostgres();
    cleanup.push(() => postgres.destroy());
    let kafka: PrivateKafka | undefined;
    if (!options.brokers) {
      kafka = await startPrivateKafka();
      cleanup.push(() => kafka!.destroy());
    }
    const brokers = options.brokers ?? kafka!.brokers;
    const prefix = options.topicPrefix ?? 'faults.';
    say(`PostgreSQL ${postgres.url}, Kafka ${brokers}${kafka ? ' (private)' : ''}, topics ${prefix}*`);

    const gateway = await startRecordingServer((r) => ({
      status: 200,
      body: { id: `gw-${(r.body as { reference?: string }).reference ?? ''}` },
    }));
    const app = await startRecordingServer(() => ({ status: 200 }));
    cleanup.push(
      () => gateway.close(),
      () => app.close(),
    );

    const ports = Object.fromEntries(
      await Promise.all(SERVICES.map(async (s) => [s, await freePort()] as const)),
    ) as Record<Service, number>;
    const env: NodeJS.ProcessEnv = {
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      KAFKA_BROKERS: brokers,
      KAFKA_TOPIC_PREFIX: prefix,
      // A killed service's partitions move to its restarted self after this, not after 30 s.
      KAFKA_SESSION_TIMEOUT_MS: '10000',
      DATABASE_URL: postgres.url,
      STATUS_PORT: String(ports.status),
      ROUTER_PORT: String(ports.router),
      JAKI_PORT: String(ports['channel-jaki']),
      WHATSAPP_PORT: String(ports['channel-whatsapp']),
      STATUS_BASE_URL: `http://127.0.0.1:${ports.status}`,
      JAKI_API_KEYS: API_KEY,
      JAKI_REQUESTS_PER_IP_PER_MINUTE: '0',
      JAKI_PUSH_WEBHOOK_URL: `${app.url}/push`,
      JAKI_PUSH_SECRET: 'faults-push-secret',
      SMS_WEBHOOK_AUTH_TOKEN: SMS_TOKEN,
      SMS_GATEWAY_URL: `${gateway.url}/v1/messages`,
      SMS_GATEWAY_TOKEN: 'faults-gateway-token',
      OFFICER_JWT_SECRET: 'faults-officer-secret-of-32-bytes-at-least',
      OFFICER_BOOTSTRAP_ADMIN: 'crm-admin:faults-admin-password-123',
      REPORTER_DATA_KEY: Buffer.alloc(32, 9).toString('base64'),
    };
    const running = new Map<Service, ServiceProcess>();
    const start = async (service: Service) => {
      const proc = await startServiceProcess(service, env, 120_000);
      const log = createWriteStream(join(logDir, `${service}.log`), { flags: 'a' });
      log.write(proc.lines.join('\n') + '\n');
      proc.child.stdout!.pipe(log);
      proc.child.stderr!.pipe(log);
      running.set(service, proc);
    };
    cleanup.push(async () => {
      // Side by side: a service whose consumer lands in a rebalance waits out its stop deadline.
      await Promise.all([...running.values()].map((p) => p.stop()));
    });
    // Together: each runs its migrations under an advisory lock and waits for what it needs.
    await Promise.all(SERVICES.map(start));
    say('services started');

    const bus = new EventBus({
      brokers: brokers.split(','),
      clientId: 'faults',
      source: '/aduan/faults',
      logger: new Logger({ service: 'faults' }, 'error', () => undefined),
      topicPrefix: prefix,
    });
    await bus.connect();
    cleanup.push(async () => {
      if (options.brokers) {
        const ours = (await bus.adminClient.listTopics()).filter((t) => t.startsWith(prefix));
        if (ours.length) await bus.adminClient.deleteTopics({ topics: ours }).catch(() => undefined);
      }
      await bus.close();
    });
    const deadLettered = async () => {
      const dlqs = (await bus.adminClient.listTopics()).filter(
        (t) => t.startsWith(prefix) && t.endsWith('.dlq'),
      );
      let n = 0;
      for (const t of dlqs) n += await dlqDepth(bus.adminClient, t);
      return n;
    };

    const load = new Load({
      jaki: `http://127.0.0.1:${ports['channel-jaki']}`,
      whatsapp: `http://127.0.0.1:${ports['channel-whatsapp']}`,
    });
    const results: FaultResult[] = [];
    let dlqBefore = 0;
    for (const fault of options.faults) {
      const first = load.complaints.length;
      const watcher = new Watcher(postgres.url, () => load.complaints.slice(first), gateway, app);
      load.start(options.rate);
      await sleep(options.loadSeconds * 1000);
      const faultAt = Date.now();
      say(`${FAULT_LABELS[fault]}…`);
      const victim = VICTIM[fault];
      if (victim) {
        await running.get(victim)!.kill();
        running.delete(victim);
        await start(victim);
      } else if (fault === 'kafka') {
        await kafka!.stop();
        await sleep(options.outageSeconds * 1000);
        await kafka!.start();
      } else {
        await postgres.stop('immediate');
        await sleep(options.outageSeconds * 1000);
        await postgres.start();
      }
      const backAt = Date.now();
      say(`  back after ${((backAt - faultAt) / 1000).toFixed(1)} s`);
      await sleep(options.loadSeconds * 1000);
      await load.stop(120_000);
      say(`  load stopped, ${load.complaints.length - first} sent`);
      const phase = load.complaints.slice(first);
      const accepted = phase.filter((c) => c.acceptedAt);
      await watcher.settle(accepted.length, 120_000);
      const { view: outcome, completedAt } = watcher;
      const dlq = await deadLettered();
      // What the fault held up, and the first complaint that came after it: both must be through.
      const firstAfter = accepted.filter((c) => c.acceptedAt! > backAt).slice(0, 1);
      const waitedFor = [...accepted.filter((c) => c.acceptedAt! <= backAt), ...firstAfter];
      const doneAt = Math.max(...waitedFor.map((c) => completedAt.get(c) ?? Infinity));
      results.push({
        fault,
        accepted: accepted.length,
        lost: accepted.filter((c) => !outcome.stored.has(c)).length,
        duplicated: outcome.duplicated,
        deadLettered: dlq - dlqBefore,
        acksMissing: accepted.filter((c) => !outcome.acked.has(c)).length,
        acksDuplicated: outcome.acksDuplicated,
        acksResent: outcome.acksResent,
        recoverySeconds: Math.round((doneAt - faultAt) / 100) / 10,
        refused: phase.flatMap((c) => (c.refused ? [`${c.channel}: ${c.refused}`] : [])),
        missing: outcome.missing,
        resent: outcome.resent,
      });
      dlqBefore = dlq;
      say(`  ${JSON.stringify(results.at(-1))}`);
    }
    if (results.every(clean)) rmSync(logDir, { recursive: true, force: true });
    else say(`service logs kept in ${logDir}`);
    return results;
  } catch (err) {
    say(`service logs kept in ${logDir}`);
    throw err;
  } finally {
    process.off('SIGINT', interrupted).off('SIGTERM', interrupted);
    await tearDown();
  }
}

/**
 * Follows the report store and the two stand-ins from the start of a phase, so that each
 * complaint's completion (routed and acknowledged) is stamped when it happens.
 */
class Watcher {
  view = emptyView();
  readonly completedAt = new Map<Complaint, number>();
  private running = true;
  private readonly loop: Promise<void>;

  constructor(
    private readonly databaseUrl: string,
    private readonly complaints: () => Complaint[],
    private readonly gateway: RecordingServer,
    private readonly app: RecordingServer,
  ) {
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    while (this.running) {
      await this.look();
      await sleep(500);
    }
  }

  /** Reads once more; while the database is away, the last reading stands. */
  async look(): Promise<void> {
    const accepted = this.complaints().filter((c) => c.acceptedAt);
    this.view = await look(this.databaseUrl, accepted, this.gateway, this.app).catch(() => this.view);
    const now = Date.now();
    for (const c of accepted)
      if (!this.completedAt.has(c) && this.view.stored.has(c) && this.view.acked.has(c))
        this.completedAt.set(c, now);
  }

  /**
   * Until every accepted complaint is routed and acknowledged (or the deadline passes), then a
   * few seconds more for anything that would come twice.
   */
  async settle(accepted: number, deadlineMs: number): Promise<void> {
    const deadline = Date.now() + deadlineMs;
    while (this.completedAt.size < accepted && Date.now() < deadline) await sleep(500);
    await sleep(3000);
    this.running = false;
    await this.loop;
    await this.look();
  }
}

function emptyView() {
  return {
    stored: new Set<Complaint>(),
    acked: new Set<Complaint>(),
    duplicated: 0,
    acksDuplicated: 0,
    acksResent: 0,
    resent: [] as string[],
    /** What became of each complaint not (yet) routed. */
    missing: [] as string[],
  };
}

/** The state of things now: reports by the token in their text, acknowledgements by their sender. */
async function look(
  databaseUrl: string,
  accepted: Complaint[],
  gateway: RecordingServer,
  app: RecordingServer,
): Promise<ReturnType<typeof emptyView>> {
  const client = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: 2000 });
  await client.connect();
  let rows: Array<{ id: string; state: string; routed: boolean; text: string | null }>;
  try {
    ({ rows } = await client.query(`SELECT id, state, routing IS NOT NULL AS routed, text FROM report`));
  } finally {
    await client.end();
  }
  const reports = new Map<string, Array<{ id: string; state: string; routed: boolean }>>();
  for (const row of rows) {
    const token = TOKEN_PATTERN.exec(row.text ?? '')?.[1];
    if (token) reports.set(token, [...(reports.get(token) ?? []), row]);
  }
  const view = emptyView();
  const acks = acknowledgements(gateway, app);
  for (const c of accepted) {
    const found = reports.get(c.token) ?? [];
    // Routed: the router's decision is recorded (a routed report waits in RECEIVED for its unit).
    if (found.some((r) => r.routed)) view.stored.add(c);
    else
      view.missing.push(
        `${c.channel} ${c.reportId ?? c.address}: ${found.map((r) => `${r.id} ${r.state}`).join(', ') || 'no report'}`,
      );
    view.duplicated += Math.max(0, found.length - 1);
    const reportId = c.reportId ?? found[0]?.id;
    const sent = (c.channel === 'sms' ? acks.sms.get(c.address) : reportId && acks.push.get(reportId)) || [];
    if (sent.length) view.acked.add(c);
    const distinct = new Set(sent).size;
    view.acksDuplicated += Math.max(0, distinct - 1);
    view.acksResent += sent.length - distinct;
    if (sent.length > distinct) view.resent.push(`${c.channel} ${reportId}: ${sent.join(', ')}`);
  }
  return view;
}

/**
 * What the adapters sent: acknowledgement texts by SMS recipient (every part reference the
 * gateway took, repeats included) and, for JAKI, the app's push of the report's first state
 * change by report id.
 */
function acknowledgements(gateway: RecordingServer, app: RecordingServer) {
  // A long acknowledgement goes in parts (`ack:<report>#1/2`, `#2/2`): one message, counted once;
  // the same part sent again, or a second acknowledgement, is a repeat.
  const sms = new Map<string, string[]>();
  for (const r of gateway.requests) {
    const { to, reference } = r.body as { to: string; reference: string };
    if (!reference.startsWith('ack:') || !/#1\/\d+$/.test(reference)) continue;
    sms.set(to, [...(sms.get(to) ?? []), reference]);
  }
  const push = new Map<string, string[]>();
  for (const r of app.requests) {
    const delivery = String(r.headers['x-aduan-delivery'] ?? '');
    const [, reportId, sequence] = delivery.split(':');
    if (reportId && sequence === '1') push.set(reportId, [...(push.get(reportId) ?? []), delivery]);
  }
  return { sms, push };
}
