import { randomUUID } from 'node:crypto';
import type { ComplaintFollowUp, Notification } from '@aduan/contracts';
import { capturedLogger, collectEvents, eventually } from '@aduan/testing';
import type { StatusService } from '../src/app';
import {
  ADMIN,
  createStack,
  intakeRouted,
  OfficerClient,
  photo,
  type receivedEvent,
  REPORTER,
  start,
  TestClock,
  type Stack,
} from './harness';

const DAY = 24 * 3600_000;

interface PublicView {
  state: string;
  unit: { code: string } | null;
  timeline: Array<{ state: string; note: string | null }>;
}

interface CitizenView {
  supporters: number | null;
  review: { canReview: boolean; verdict: string | null; closesAt: string | null; closedAt: string | null };
}

describe("the citizen's review after Selesai and support of public reports", () => {
  const { logger, lines } = capturedLogger('status');
  const clock = new TestClock(new Date('2026-01-05T04:00:00Z'));
  let stack: Stack;
  let service: StatusService & { base: string };
  let admin: OfficerClient;
  let notifications: Notification[];
  const publicAnswers: string[] = [];

  beforeAll(async () => {
    stack = await createStack('status_citizen', logger);
    Object.assign(stack.env, {
      PUBLIC_TRACKING_URL: 'https://aduan.example/lacak/{code}',
      SUPPORT_KEY: 'test-support-key-0123456789abcdef',
      SUPPORT_RATE_LIMIT: '5',
      SUPPORT_RATE_WINDOW_SECONDS: '600',
      REVIEW_WINDOW_DAYS: '7',
    });
    service = await start(stack, logger, clock);
    notifications = await collectEvents(stack.bus, 'aduan.notification.v1');
    admin = await OfficerClient.signIn(service.base, ADMIN.username, ADMIN.password);
  });

  afterAll(async () => {
    await service?.stop();
    await stack?.close();
  });

  async function publicJson<T>(
    path: string,
    init?: RequestInit,
  ): Promise<{ status: number; body: T; res: Response }> {
    const res = await fetch(`${service.base}${path}`, init);
    const text = await res.text();
    publicAnswers.push(text);
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T, res };
  }

  const post = <T>(path: string, body: unknown, ip = '203.0.113.1') =>
    publicJson<T>(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
      body: JSON.stringify(body),
    });

  const intake = (over: Parameters<typeof receivedEvent>[0] = {}) => intakeRouted(stack, service, over);

  async function act(id: string, action: string, body: Record<string, unknown> = {}) {
    // The test moves time by days: a fresh token each time.
    admin = await OfficerClient.signIn(service.base, ADMIN.username, ADMIN.password);
    const current = await admin.get<{ version: number }>(`/v1/officer/reports/${id}`);
    const res = await admin.post<{ state: string }>(`/v1/officer/reports/${id}/${action}`, {
      version: current.body.version,
      ...body,
    });
    if (res.status !== 200) throw new Error(`${action} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  }

  /** Works a report to Selesai and answers the review key of the link the reporter received. */
  async function complete(id: string, seed: number): Promise<string> {
    // A second between steps, as officers take: the completion is then timed at clock.now (a
    // step in the same millisecond as the one before it is recorded a millisecond later).
    await act(id, 'start');
    clock.advance(1000);
    const upload = await admin.upload(id, await photo(seed));
    await act(id, 'follow-up', { note: 'Saluran sudah dikuras.', evidence: [upload.body.id] });
    clock.advance(1000);
    expect((await act(id, 'validate', { decision: 'accept' })).state).toBe('COMPLETED');
    let key = '';
    await eventually(() => {
      const done = notifications.find((n) => n.reportId === id && n.state === 'COMPLETED');
      expect(done).toBeDefined();
      const link = /https:\/\/aduan\.example\/lacak\/([A-Z0-9-]+)\?k=([A-Za-z0-9_-]+)/.exec(done!.message);
      expect(link).not.toBeNull();
      expect(done!.message).toContain('belum beres');
      key = link![2]!;
    });
    return key;
  }

  const sqlOne = async <T>(sql: string, params: unknown[]) =>
    ((await service.db.query(sql, params)) as T[])[0]!;

  it('"not fixed" with the key from the completion message reopens the report to its last unit with a fresh clock', async () => {
    const r = await intake();
    const key = await complete(r.reportId, 1);
    const code = r.trackingCode;
    // The key is stored only as a hash.
    const stored = await sqlOne<{ secret_hash: string }>(
      'SELECT secret_hash FROM report_review_secret WHERE report_id = $1',
      [r.reportId],
    );
    expect(stored.secret_hash).not.toContain(key);

    expect((await publicJson<CitizenView>(`/v1/public/reports/${code}/citizen`)).body.review.canReview).toBe(
      false,
    );
    expect(
      (await publicJson<CitizenView>(`/v1/public/reports/${code}/citizen?k=${key}`)).body.review,
    ).toMatchObject({
      canReview: true,
      verdict: null,
      closesAt: new Date(clock.now.getTime() + 7 * DAY).toISOString(),
    });
    const wrong = await post<{ code: string }>(`/v1/public/reports/${code}/review`, {
      key: 'x'.repeat(22),
      verdict: 'not_fixed',
    });
    expect(wrong.status).toBe(403);
    expect((await post(`/v1/public/reports/${code}/review`, { key, verdict: 'maybe' })).status).toBe(400);

    clock.advance(2 * DAY);
    const reopenedAt = clock.now;
    const answer = await post<{ state: string }>(`/v1/public/reports/${code}/review`, {
      key,
      verdict: 'not_fixed',
    });
    expect(answer.status).toBe(200);
    expect(answer.body.state).toBe('IN_PROGRESS');

    const view = (await publicJson<PublicView>(`/v1/public/reports/${code}`)).body;
    expect(view.state).toBe('IN_PROGRESS');
    expect(view.unit?.code).toBe('DSDA');
    expect(view.timeline.at(-1)).toMatchObject({ state: 'IN_PROGRESS' });
    expect(view.timeline.at(-1)!.note).toContain('belum beres');
    expect(view.timeline.at(-1)!.note).toContain('Dinas Sumber Daya Air');

    // A reopen row the figures count per unit: from COMPLETED, by the citizen.
    const reopen = await sqlOne<{ n: number; kind: string }>(
      `SELECT count(*)::int AS n, min(actor->>'kind') AS kind FROM report_transition
        WHERE report_id = $1 AND from_state = 'COMPLETED' AND to_state = 'IN_PROGRESS'`,
      [r.reportId],
    );
    expect(reopen).toEqual({ n: 1, kind: 'citizen' });
    const fresh = await sqlOne<{ started_at: Date; due_at: Date; met_at: Date | null }>(
      `SELECT started_at, due_at, met_at FROM sla_clock WHERE report_id = $1 AND stage = 'resolution_reopen_1'`,
      [r.reportId],
    );
    expect(fresh.started_at.toISOString()).toBe(reopenedAt.toISOString());
    expect(fresh.due_at.toISOString()).toBe(new Date(reopenedAt.getTime() + 7 * DAY).toISOString());
    expect(fresh.met_at).toBeNull();
    const told = await sqlOne<{ n: number }>(
      `SELECT count(*)::int AS n FROM officer_notification WHERE report_id = $1 AND unit_code = 'DSDA' AND kind = 'reopened'`,
      [r.reportId],
    );
    expect(told.n).toBe(1);

    // The fresh clock escalates when the unit lets it run out again.
    clock.advance(7 * DAY + 1000);
    await service.scheduler.tick();
    const escalated = await sqlOne<{ n: number }>(
      `SELECT count(*)::int AS n FROM sla_escalation WHERE report_id = $1 AND stage = 'resolution_reopen_1'`,
      [r.reportId],
    );
    expect(escalated.n).toBe(1);

    // The key answered once: the report is no longer completed, and reopens once.
    for (const verdict of ['not_fixed', 'confirmed'])
      expect(await post(`/v1/public/reports/${code}/review`, { key, verdict })).toMatchObject({
        status: 409,
        body: { code: 'REVIEW_NOT_OPEN' },
      });
    const reopens = await sqlOne<{ n: number }>(
      `SELECT count(*)::int AS n FROM report_transition WHERE report_id = $1 AND from_state = 'COMPLETED'`,
      [r.reportId],
    );
    expect(reopens.n).toBe(1);
  });

  it('a reply "belum beres" on the reporter\'s own channel reopens; the same words elsewhere do not', async () => {
    const r = await intake();
    await complete(r.reportId, 2);
    const followUp = (channel: 'whatsapp' | 'email', text: string): ComplaintFollowUp => ({
      followUpId: randomUUID(),
      reportId: r.reportId,
      trackingCode: r.trackingCode,
      channel,
      source: { id: `m-${randomUUID()}`, receivedAt: clock.now.toISOString() },
      text,
      attachments: [],
      receivedAt: clock.now.toISOString(),
    });
    clock.advance(3600_000);
    await stack.bus.publish('aduan.complaint.followup.v1', followUp('email', 'Belum beres'));
    await stack.bus.publish(
      'aduan.complaint.followup.v1',
      followUp('whatsapp', 'Terima kasih, nanti saya cek'),
    );
    await eventually(async () => {
      const n = await sqlOne<{ n: number }>(
        'SELECT count(*)::int AS n FROM report_follow_up WHERE report_id = $1',
        [r.reportId],
      );
      expect(n.n).toBe(2);
    });
    expect((await publicJson<PublicView>(`/v1/public/reports/${r.trackingCode}`)).body.state).toBe(
      'COMPLETED',
    );

    await stack.bus.publish(
      'aduan.complaint.followup.v1',
      followUp('whatsapp', 'Belum beres pak, air masih meluap'),
    );
    await eventually(async () => {
      const view = (await publicJson<PublicView>(`/v1/public/reports/${r.trackingCode}`)).body;
      expect(view.state).toBe('IN_PROGRESS');
      expect(view.unit?.code).toBe('DSDA');
    });
    const review = await sqlOne<{ via: string; verdict: string }>(
      'SELECT via, verdict FROM report_review WHERE report_id = $1',
      [r.reportId],
    );
    expect(review).toEqual({ via: 'reply', verdict: 'not_fixed' });
  });

  it('a confirmed and an unanswered report are closed when the review window ends, and then take no review', async () => {
    const confirmed = await intake();
    const silent = await intake();
    const key = await complete(confirmed.reportId, 3);
    const silentKey = await complete(silent.reportId, 4);
    const ok = await post<{ state: string }>(`/v1/public/reports/${confirmed.trackingCode}/review`, {
      key,
      verdict: 'confirmed',
    });
    expect(ok).toMatchObject({ status: 200, body: { state: 'COMPLETED' } });
    expect(await service.reviews.closeExpired()).toBe(0);
    clock.advance(7 * DAY + 1000);
    expect(await service.reviews.closeExpired()).toBeGreaterThanOrEqual(2);
    for (const r of [confirmed, silent]) {
      const view = (await publicJson<CitizenView>(`/v1/public/reports/${r.trackingCode}/citizen`)).body;
      expect(view.review.closedAt).toBe(clock.now.toISOString());
    }
    const late = await post<{ code: string }>(`/v1/public/reports/${silent.trackingCode}/review`, {
      key: silentKey,
      verdict: 'not_fixed',
    });
    expect(late).toMatchObject({ status: 409, body: { code: 'REVIEW_NOT_OPEN' } });
    expect((await publicJson<PublicView>(`/v1/public/reports/${silent.trackingCode}`)).body.state).toBe(
      'COMPLETED',
    );
  });

  it('counts support once per person, merged reports together on the master, and never on a private report', async () => {
    const master = await intake();
    const child = await intake();
    const secret = await intake({ visibility: 'private' });
    const support = (code: string, clientId: string, ip: string) =>
      post<{ supporters: number; counted: boolean }>(`/v1/public/reports/${code}/support`, { clientId }, ip);
    const alice = 'alice-browser-id-000001';
    const bob = 'bob-browser-id-0000000002';
    expect(await support(master.trackingCode, alice, '198.51.100.7')).toMatchObject({
      status: 201,
      body: { supporters: 1, counted: true },
    });
    expect(await support(master.trackingCode, alice, '198.51.100.7')).toMatchObject({
      status: 200,
      body: { supporters: 1, counted: false },
    });
    // Bob supported the duplicate before it was merged.
    expect((await support(child.trackingCode, bob, '198.51.100.8')).body.supporters).toBe(1);
    await act(child.reportId, 'merge', { master: master.trackingCode });
    for (const r of [master, child])
      expect(
        (await publicJson<CitizenView>(`/v1/public/reports/${r.trackingCode}/citizen`)).body.supporters,
      ).toBe(2);
    // Supporting the merged report again is Bob's support of the same incident.
    expect((await support(child.trackingCode, bob, '198.51.100.8')).body).toEqual({
      supporters: 2,
      counted: false,
    });
    expect((await support(child.trackingCode, alice, '198.51.100.7')).body).toEqual({
      supporters: 2,
      counted: false,
    });

    expect((await support(secret.trackingCode, alice, '198.51.100.7')).status).toBe(404);
    expect(
      (await publicJson<CitizenView>(`/v1/public/reports/${secret.trackingCode}/citizen`)).body.supporters,
    ).toBeNull();
    expect((await support('ZZZZZ-ZZZZZ', alice, '198.51.100.7')).status).toBe(404);
    expect((await support(master.trackingCode, 'short', '198.51.100.7')).status).toBe(400);

    // What is stored names nobody.
    const rows = (await service.db.query('SELECT supporter_hash FROM report_support')) as Array<{
      supporter_hash: string;
    }>;
    for (const row of rows) expect(row.supporter_hash).not.toMatch(/198\.51|alice|bob/);
  });

  it('answers 429 with Retry-After once an address has used its support requests, across reports', async () => {
    const r = await intake();
    const ip = '192.0.2.55';
    for (let i = 0; i < 5; i++)
      expect(
        (
          await post(
            `/v1/public/reports/${r.trackingCode}/support`,
            { clientId: `flood-client-${i}-abcdef` },
            ip,
          )
        ).status,
      ).toBe(201);
    const limited = await post<{ code: string }>(
      `/v1/public/reports/${r.trackingCode}/support`,
      { clientId: 'flood-client-6-abcdef' },
      ip,
    );
    expect(limited.status).toBe(429);
    expect(Number(limited.res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(
      (await publicJson<CitizenView>(`/v1/public/reports/${r.trackingCode}/citizen`)).body.supporters,
    ).toBe(5);
    // Another address is not held back.
    expect(
      (
        await post(
          `/v1/public/reports/${r.trackingCode}/support`,
          { clientId: 'other-client-abcdef01' },
          '192.0.2.56',
        )
      ).status,
    ).toBe(201);
  });

  it('shows no reporter data in any public answer or log line', () => {
    for (const text of [...publicAnswers, ...lines]) {
      expect(text).not.toContain(REPORTER.phone);
      expect(text).not.toContain(REPORTER.email);
      expect(text).not.toContain(REPORTER.name);
    }
  });
});
