import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBus } from '@aduan/bus';
import type { ComplaintReceived, ComplaintRouted } from '@aduan/contracts';
import type { Logger } from '@aduan/platform';
import {
  createTestDatabase,
  eventually,
  testEnv,
  uniqueSuffix,
  uniqueTopicPrefix,
  type TestDatabase,
} from '@aduan/testing';
import { Kafka } from 'kafkajs';
import { startStatus, type StatusService } from '../src/app';

export const JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';
export const ADMIN = { username: 'admin', password: 'admin-password-123' };

/** A settable clock shared by the service and the test. */
export class TestClock {
  constructor(public now: Date) {}
  readonly read = () => this.now;
  advance(ms: number): void {
    this.now = new Date(this.now.getTime() + ms);
  }
}

export interface Stack {
  env: NodeJS.ProcessEnv;
  database: TestDatabase;
  prefix: string;
  evidenceDir: string;
  bus: EventBus;
  close(): Promise<void>;
}

/** One database, one topic namespace and a test producer; services are started on top. */
export async function createStack(label: string, logger: Logger): Promise<Stack> {
  const database = await createTestDatabase(label);
  const prefix = uniqueTopicPrefix();
  const evidenceDir = mkdtempSync(join(tmpdir(), 'aduan-evidence-'));
  const env: NodeJS.ProcessEnv = {
    STATUS_PORT: '0',
    DATABASE_URL: database.url,
    KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
    KAFKA_TOPIC_PREFIX: prefix,
    OFFICER_JWT_SECRET: JWT_SECRET,
    OFFICER_BOOTSTRAP_ADMIN: `${ADMIN.username}:${ADMIN.password}`,
    REPORTER_DATA_KEY: randomBytes(32).toString('base64'),
    SUPPORT_KEY: randomBytes(32).toString('base64'),
    EVIDENCE_DIR: evidenceDir,
    EVIDENCE_MAX_BYTES: String(300 * 1024),
    LOG_LEVEL: 'debug',
  };
  const bus = new EventBus({
    brokers: testEnv.kafkaBrokers,
    clientId: `${label}-test`,
    source: '/test',
    logger,
    topicPrefix: prefix,
  });
  await bus.connect();
  return {
    env,
    database,
    prefix,
    evidenceDir,
    bus,
    async close() {
      await bus.close();
      await database.drop();
      rmSync(evidenceDir, { recursive: true, force: true });
    },
  };
}

export async function start(stack: Stack, logger: Logger, clock: TestClock): Promise<Instance> {
  const service = await startStatus(stack.env, logger, { clock: clock.read, runScheduler: false });
  return Object.assign(service, { base: `http://127.0.0.1:${service.port}` });
}

export type Instance = StatusService & { base: string };

/** Two instances of the service on one stack, as two replicas run: `instances.a` and `instances.b`. */
export interface TwoInstances {
  stack: Stack;
  a: Instance;
  b: Instance;
}

/**
 * Registers the hooks that start a stack and two instances on it before a suite, and stop them
 * after it. The fields are filled in by the time the suite's own hooks and tests run; a test may
 * replace an instance (a restart) and the new one is stopped instead.
 */
export function twoInstances(label: string, logger: Logger, clock: TestClock): TwoInstances {
  const instances = {} as TwoInstances;
  beforeAll(async () => {
    instances.stack = await createStack(label, logger);
    instances.a = await start(instances.stack, logger, clock);
    instances.b = await start(instances.stack, logger, clock);
  });
  afterAll(async () => {
    await instances.a?.stop();
    await instances.b?.stop();
    await instances.stack?.close();
  });
  return instances;
}

export const REPORTER = {
  name: 'Siti Rahmawati',
  phone: '+6281234567890',
  email: 'siti.rahma@example.id',
  anonymous: false,
};

let codeSeq = 0;
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
/** A fresh, valid tracking code per report of a suite. */
export function nextTrackingCode(): string {
  const n = ++codeSeq + Math.floor(Math.random() * 1e6);
  let s = '';
  for (let i = 0, x = n; i < 10; i++, x = Math.floor(x / ALPHABET.length)) s += ALPHABET[x % ALPHABET.length];
  return `${s.slice(0, 5)}-${s.slice(5)}`;
}

export function receivedEvent(over: Partial<ComplaintReceived> = {}): ComplaintReceived {
  const reportId = over.reportId ?? randomUUID();
  return {
    reportId,
    trackingCode: nextTrackingCode(),
    channel: 'whatsapp',
    source: {
      id: `wamid.${reportId.slice(0, 8)}`,
      thread: `thread-${reportId.slice(0, 4)}`,
      receivedAt: '2026-01-05T03:22:00.000Z',
    },
    reporter: REPORTER,
    text: 'Got mampet di Jl. Kramat Raya, air meluap ke jalan. Hubungi saya di 0812-3456-7890',
    location: { lat: -6.1862, lon: 106.8447 },
    attachments: [],
    visibility: 'public',
    receivedAt: '2026-01-05T03:22:01.000Z',
    ...over,
  };
}

export function routedEvent(
  received: ComplaintReceived,
  over: Partial<ComplaintRouted> = {},
): ComplaintRouted {
  return {
    reportId: received.reportId,
    trackingCode: received.trackingCode,
    outcome: 'ROUTED',
    category: 'Saluran Air, Kali/Sungai',
    categoryConfidence: 0.9,
    area: {
      kelurahan: { kode: '31.71.03.1008', nama: 'Kenari' },
      kecamatan: { kode: '31.71.03', nama: 'Senen' },
      kota: { kode: '31.71', nama: 'Kota Adm. Jakarta Pusat' },
    },
    placeConfidence: 1,
    unit: { code: 'DSDA', name: 'Dinas Sumber Daya Air' },
    duplicateOf: null,
    reasons: [],
    candidates: [],
    rule: { id: 'default:Saluran Air, Kali/Sungai', version: 1 },
    routedAt: '2026-01-05T03:22:02.000Z',
    ...over,
  };
}

/** A small HTTP client for the officer API. */
export class OfficerClient {
  constructor(
    readonly base: string,
    public token = '',
  ) {}

  static async signIn(base: string, username: string, password: string): Promise<OfficerClient> {
    const res = await fetch(`${base}/v1/officer/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    if (res.status !== 200)
      throw new Error(`sign-in of ${username} failed: ${res.status} ${await res.text()}`);
    return new OfficerClient(base, ((await res.json()) as { accessToken: string }).accessToken);
  }

  async call<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: T }> {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  }

  get<T = Record<string, unknown>>(path: string) {
    return this.call<T>('GET', path);
  }

  post<T = Record<string, unknown>>(path: string, body: unknown = {}, headers: Record<string, string> = {}) {
    return this.call<T>('POST', path, body, headers);
  }

  async upload(reportId: string, bytes: Buffer, filename = 'photo.jpg', type = 'image/jpeg') {
    const form = new FormData();
    form.append('file', new Blob([bytes], { type }), filename);
    const res = await fetch(`${this.base}/v1/officer/reports/${reportId}/evidence`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.token}` },
      body: form,
    });
    return {
      status: res.status,
      body: (await res.json()) as Record<string, unknown> & {
        id: string;
        flags: Array<{ code: string; detail: string }>;
      },
    };
  }

  /** Creates an officer (this client must be an admin) and signs them in. */
  async createOfficer(
    username: string,
    role: string,
    unit?: string,
    capacity?: number,
  ): Promise<OfficerClient & { id: string }> {
    const password = `${username}-password-1`;
    const res = await this.post<{ id: string }>('/v1/officer/users', {
      username,
      password,
      displayName: username,
      role,
      ...(unit ? { unit } : {}),
      ...(capacity !== undefined ? { capacity } : {}),
    });
    if (res.status !== 201)
      throw new Error(`creating ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
    const client = await OfficerClient.signIn(this.base, username, password);
    return Object.assign(client, { id: res.body.id });
  }
}

/** A photo of its own: a random pattern, so that its perceptual hash differs from any other. */
export async function photo(seed: number, exif?: Record<string, Record<string, string>>): Promise<Buffer> {
  const sharp = (await import('sharp')).default;
  const w = 64;
  const pixels = Buffer.alloc(w * w * 3);
  let x = seed * 2654435761;
  for (let i = 0; i < pixels.length; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    pixels[i] = Math.floor(i / (w * 3 * 8)) * 20 + (x % 60);
  }
  // Blocks of random brightness: dHash sees structure, not noise.
  for (let by = 0; by < 8; by++) {
    for (let bx = 0; bx < 8; bx++) {
      x = (x * 1103515245 + 12345) & 0x7fffffff;
      const v = x % 256;
      for (let y = by * 8; y < by * 8 + 8; y++)
        for (let xx = bx * 8; xx < bx * 8 + 8; xx++) pixels.fill(v, (y * w + xx) * 3, (y * w + xx) * 3 + 3);
    }
  }
  let img = sharp(pixels, { raw: { width: w, height: w, channels: 3 } })
    .resize(640, 640, { kernel: 'nearest' })
    .jpeg({ quality: 90 });
  if (exif) img = img.withExif(exif as never);
  return img.toBuffer();
}

/** Publishes a received and a routed complaint and waits until the store has applied both. */
export async function intakeRouted(
  stack: Stack,
  service: StatusService,
  over: Partial<ComplaintReceived> = {},
): Promise<ComplaintReceived> {
  const received = receivedEvent(over);
  await stack.bus.publish('aduan.complaint.received.v1', received);
  await stack.bus.publish('aduan.complaint.routed.v1', routedEvent(received));
  await eventually(async () => {
    const [row] = (await service.db.query(
      'SELECT count(*)::int AS n FROM report_transition WHERE report_id = $1',
      [received.reportId],
    )) as Array<{ n: number }>;
    expect(row!.n).toBe(2);
  });
  return received;
}

/**
 * What the stack's `<topic>.dlq` holds, once it holds anything: each record's key and headers
 * (the reason is in `dlq_code` and `dlq_reason`). `settleMs` waits that much longer for more.
 */
export async function deadLetters(
  stack: Stack,
  topic: string,
  settleMs = 0,
): Promise<Array<{ key: string; headers: Record<string, string> }>> {
  const kafka = new Kafka({ brokers: testEnv.kafkaBrokers, clientId: 'dlq-reader', logLevel: 0 });
  const consumer = kafka.consumer({ groupId: `dlq-${uniqueSuffix()}` });
  const seen: Array<{ key: string; headers: Record<string, string> }> = [];
  await consumer.connect();
  await consumer.subscribe({ topic: `${stack.prefix}${topic}.dlq`, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      seen.push({
        key: String(message.key),
        headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])),
      });
    },
  });
  try {
    await eventually(() => expect(seen.length).toBeGreaterThan(0));
    await new Promise((r) => setTimeout(r, settleMs));
  } finally {
    await consumer.disconnect();
  }
  return seen;
}
