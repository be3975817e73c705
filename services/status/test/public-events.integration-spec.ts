import { get, type IncomingMessage } from 'node:http';
import { capturedLogger, eventually } from '@aduan/testing';
import type { StatusService } from '../src/app';
import {
  ADMIN,
  createStack,
  intakeRouted,
  OfficerClient,
  receivedEvent,
  REPORTER,
  routedEvent,
  start,
  TestClock,
  type Stack,
} from './harness';

interface View {
  trackingCode: string;
  state: string;
  unit: { code: string } | null;
  area: unknown;
  description: string | null;
  stateOnly: boolean;
  timeline: Array<{ state: string; note: string | null }>;
  incident: { state: string } | null;
}

/** An EventSource as a browser opens it, recording every field it is sent. */
class EventStream {
  readonly events: Array<{ id?: string; event?: string; data: string }> = [];
  readonly comments: string[] = [];
  retry: number | undefined;
  private buffer = '';
  private raw = '';
  private readonly ended: Promise<void>;

  constructor(
    readonly res: IncomingMessage,
    private readonly close: () => void,
  ) {
    res.setEncoding('utf8');
    this.ended = new Promise((resolve) => res.on('end', resolve));
    res.on('data', (chunk: string) => {
      this.raw += chunk;
      this.buffer += chunk;
      let end: number;
      while ((end = this.buffer.indexOf('\n\n')) >= 0) {
        this.parse(this.buffer.slice(0, end));
        this.buffer = this.buffer.slice(end + 2);
      }
    });
  }

  private parse(block: string): void {
    const event: { id?: string; event?: string; data: string } = { data: '' };
    let any = false;
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) this.comments.push(line);
      else if (line.startsWith('retry: ')) this.retry = Number(line.slice(7));
      else if (line.startsWith('id: ')) event.id = line.slice(4);
      else if (line.startsWith('event: ')) event.event = line.slice(7);
      else if (line.startsWith('data: ')) {
        event.data += line.slice(6);
        any = true;
      }
    }
    if (any) this.events.push(event);
  }

  views(): View[] {
    return this.events.filter((e) => e.event === 'report').map((e) => JSON.parse(e.data) as View);
  }

  /** The whole answer of one that is not a stream (404, 503). */
  async body(): Promise<string> {
    await this.ended;
    return this.raw;
  }

  stop(): void {
    this.close();
  }
}

describe('live tracking: GET /v1/public/reports/{code}/events', () => {
  const { logger, lines } = capturedLogger('status');
  const clock = new TestClock(new Date('2026-01-05T04:00:00Z'));
  let stack: Stack;
  let service: StatusService & { base: string };
  let dsda: OfficerClient;
  const open: EventStream[] = [];

  beforeAll(async () => {
    stack = await createStack('status_public_events', logger);
    Object.assign(stack.env, {
      PUBLIC_STREAMS_MAX: '5',
      PUBLIC_STREAMS_PER_CLIENT: '2',
      PUBLIC_STREAM_HEARTBEAT_SECONDS: '1',
    });
    service = await start(stack, logger, clock);
    const admin = await OfficerClient.signIn(service.base, ADMIN.username, ADMIN.password);
    dsda = await admin.createOfficer('dsda-live', 'unit_officer', 'DSDA');
  });

  afterEach(() => {
    for (const stream of open.splice(0)) stream.stop();
  });

  afterAll(async () => {
    await service?.stop();
    await stack?.close();
  });

  const intake = (over: Parameters<typeof intakeRouted>[2] = {}) => intakeRouted(stack, service, over);

  function connect(code: string, headers: Record<string, string> = {}): Promise<EventStream> {
    return new Promise((resolve, reject) => {
      const req = get(
        `${service.base}/v1/public/reports/${encodeURIComponent(code)}/events`,
        { headers: { accept: 'text/event-stream', ...headers } },
        (res) => {
          const stream = new EventStream(res, () => req.destroy());
          open.push(stream);
          resolve(stream);
        },
      );
      req.on('error', (err) => {
        if (!req.destroyed) reject(err);
      });
    });
  }

  async function startWork(reportId: string): Promise<void> {
    const current = await dsda.get<{ version: number }>(`/v1/officer/reports/${reportId}`);
    const res = await dsda.post(`/v1/officer/reports/${reportId}/start`, { version: current.body.version });
    expect(res.status).toBe(200);
  }

  it('sends the public view at once, then each change an officer makes, without asking again', async () => {
    const r = await intake();
    const stream = await connect(r.trackingCode);
    expect(stream.res.statusCode).toBe(200);
    expect(stream.res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(stream.res.headers['cache-control']).toContain('no-store');

    await eventually(() => expect(stream.views()).toHaveLength(1));
    expect(stream.retry).toBe(5000);
    const json = await fetch(`${service.base}/v1/public/reports/${r.trackingCode}`);
    const first = stream.views()[0]!;
    expect(first).toEqual(await json.json());
    // The event id is the JSON's ETag: one version, two ways to get it.
    expect(`"${stream.events[0]!.id}"`).toBe(json.headers.get('etag'));
    expect(first.state).toBe('RECEIVED');

    await startWork(r.reportId);
    await eventually(() => expect(stream.views()).toHaveLength(2), { timeoutMs: 5000 });
    const second = stream.views()[1]!;
    expect(second.state).toBe('IN_PROGRESS');
    expect(second.timeline.map((t) => t.state)).toContain('IN_PROGRESS');
    expect(stream.events[1]!.id).not.toBe(stream.events[0]!.id);

    // Comments keep the line open while nothing happens.
    await eventually(() => expect(stream.comments.length).toBeGreaterThanOrEqual(1), { timeoutMs: 3000 });
    expect(stream.views()).toHaveLength(2);
    const everything = stream.events.map((e) => e.data).join('\n');
    for (const trace of [REPORTER.name, '6281234567890', '0812-3456-7890', REPORTER.email])
      expect(everything).not.toContain(trace);
  });

  it("pushes a change of the incident to a merged report's stream, under its own code only", async () => {
    const master = await intake();
    const dup = receivedEvent({ text: 'Got mampet lagi di tempat yang sama' });
    await stack.bus.publish('aduan.complaint.received.v1', dup);
    await stack.bus.publish(
      'aduan.complaint.routed.v1',
      routedEvent(dup, { outcome: 'DUPLICATE', duplicateOf: master.reportId }),
    );
    await eventually(async () => {
      const res = await fetch(`${service.base}/v1/public/reports/${dup.trackingCode}`);
      expect(((await res.json()) as { state: string }).state).toBe('MERGED');
    });
    const stream = await connect(dup.trackingCode);
    await eventually(() => expect(stream.views()).toHaveLength(1));
    expect(stream.views()[0]!.incident).toMatchObject({ state: 'RECEIVED' });

    await startWork(master.reportId);
    await eventually(() => expect(stream.views()).toHaveLength(2), { timeoutMs: 5000 });
    expect(stream.views()[1]).toMatchObject({ state: 'MERGED', incident: { state: 'IN_PROGRESS' } });
    expect(stream.events.map((e) => e.data).join('\n')).not.toContain(master.trackingCode);
  });

  it('pushes a change made through another status instance sharing the database', async () => {
    const other = await start(stack, logger, clock);
    try {
      const r = await intake();
      const stream = await connect(r.trackingCode);
      await eventually(() => expect(stream.views()).toHaveLength(1));
      const elsewhere = await OfficerClient.signIn(other.base, 'dsda-live', 'dsda-live-password-1');
      const current = await elsewhere.get<{ version: number }>(`/v1/officer/reports/${r.reportId}`);
      const res = await elsewhere.post(`/v1/officer/reports/${r.reportId}/start`, {
        version: current.body.version,
      });
      expect(res.status).toBe(200);
      await eventually(
        () => expect(stream.views().map((v) => v.state)).toEqual(['RECEIVED', 'IN_PROGRESS']),
        {
          timeoutMs: 5000,
        },
      );
    } finally {
      await other.stop();
    }
  });

  it('catches up on a change committed while its listening connection was cut', async () => {
    const r = await intake();
    const stream = await connect(r.trackingCode);
    await eventually(() => expect(stream.views()).toHaveLength(1));
    await service.db.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE application_name = 'status-public-changes' AND datname = current_database()`,
    );
    await startWork(r.reportId);
    await eventually(() => expect(stream.views().map((v) => v.state)).toEqual(['RECEIVED', 'IN_PROGRESS']), {
      timeoutMs: 10_000,
    });
    expect(lines.join('\n')).toContain('lost the connection that listens for public changes');
  });

  it('resumes after Last-Event-ID without repeating the version the browser already has', async () => {
    const r = await intake();
    const first = await connect(r.trackingCode);
    await eventually(() => expect(first.views()).toHaveLength(1));
    const seen = first.events[0]!.id!;
    first.stop();

    const resumed = await connect(r.trackingCode, { 'last-event-id': seen });
    await eventually(() => expect(resumed.comments.length).toBeGreaterThanOrEqual(1), { timeoutMs: 3000 });
    expect(resumed.views()).toHaveLength(0);
    await startWork(r.reportId);
    await eventually(() => expect(resumed.views().map((v) => v.state)).toEqual(['IN_PROGRESS']));

    // An id it never wrote (or an old one) gets the current view at once.
    const stale = await connect(r.trackingCode, { 'last-event-id': seen });
    await eventually(() => expect(stale.views().map((v) => v.state)).toEqual(['IN_PROGRESS']));
  });

  it('answers an unknown, a malformed and a confidential code with the same 404 as the JSON', async () => {
    const secret = await intake({ channel: 'lapor', visibility: 'private', confidential: true });
    const answers: string[] = [];
    for (const code of ['ZZZZZ-ZZZZZ', 'not-a-code', secret.trackingCode]) {
      const stream = await connect(code);
      expect(stream.res.statusCode).toBe(404);
      expect(stream.res.headers['content-type']).toContain('application/json');
      const body = JSON.parse(await stream.body()) as { message: string };
      answers.push(body.message.replace(code, '<code>'));
      const json = await fetch(`${service.base}/v1/public/reports/${code}`);
      expect(json.status).toBe(404);
    }
    expect(new Set(answers).size).toBe(1);
  });

  it('shows a private report by its state only, on the stream as in the JSON', async () => {
    const r = await intake({ visibility: 'private' });
    const stream = await connect(r.trackingCode);
    await eventually(() => expect(stream.views()).toHaveLength(1));
    const view = stream.views()[0]!;
    expect(view).toMatchObject({
      trackingCode: r.trackingCode,
      state: 'RECEIVED',
      stateOnly: true,
      unit: null,
      area: null,
      description: null,
      timeline: [],
    });
    expect(await (await fetch(`${service.base}/v1/public/reports/${r.trackingCode}`)).json()).toEqual(view);
    await startWork(r.reportId);
    await eventually(() => expect(stream.views().map((v) => v.state)).toEqual(['RECEIVED', 'IN_PROGRESS']));
    expect(stream.views()[1]!.timeline).toEqual([]);
  });

  it('refuses streams beyond the limit per client and overall with 503, and frees places on close', async () => {
    const r = await intake();
    // The streams of the tests before are closed by their browsers; the server has to notice.
    await eventually(async () => {
      const metrics = await (await fetch(`${service.base}/metrics`)).text();
      expect(metrics).toMatch(/^status_public_streams_open\{[^}]*\} 0$/m);
    });
    const from = (ip: string) => ({ 'x-forwarded-for': ip });
    const a1 = await connect(r.trackingCode, from('203.0.113.1'));
    const a2 = await connect(r.trackingCode, from('203.0.113.1'));
    const a3 = await connect(r.trackingCode, from('203.0.113.1'));
    expect([a1.res.statusCode, a2.res.statusCode, a3.res.statusCode]).toEqual([200, 200, 503]);
    expect(a3.res.headers['retry-after']).toBe('60');
    expect(JSON.parse(await a3.body())).toMatchObject({ statusCode: 503 });

    const others = [];
    for (const ip of ['203.0.113.2', '203.0.113.3', '203.0.113.4'])
      others.push(await connect(r.trackingCode, from(ip)));
    expect(others.map((s) => s.res.statusCode)).toEqual([200, 200, 200]);
    const sixth = await connect(r.trackingCode, from('203.0.113.5'));
    expect(sixth.res.statusCode).toBe(503);

    a1.stop();
    await eventually(async () => {
      const again = await connect(r.trackingCode, from('203.0.113.5'));
      expect(again.res.statusCode).toBe(200);
    });
  });

  it('gives the JSON an ETag and answers 304 while it has not changed', async () => {
    const r = await intake();
    const url = `${service.base}/v1/public/reports/${r.trackingCode}`;
    const first = await fetch(url);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{22}"$/);
    expect(first.headers.get('cache-control')).toBe('private, no-cache');
    const same = await fetch(url, { headers: { 'if-none-match': etag } });
    expect(same.status).toBe(304);
    expect(await same.text()).toBe('');

    await startWork(r.reportId);
    const changed = await fetch(url, { headers: { 'if-none-match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect(((await changed.json()) as View).state).toBe('IN_PROGRESS');
  });
});
