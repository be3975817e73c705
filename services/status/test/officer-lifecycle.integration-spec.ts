import { randomUUID } from 'node:crypto';
import type { ComplaintFollowUp, Notification, ReportLifecycle, ReportState } from '@aduan/contracts';
import { capturedLogger, collectEvents, eventually } from '@aduan/testing';
import { SignJWT } from 'jose';
import type { StatusService } from '../src/app';
import {
  ADMIN,
  createStack,
  JWT_SECRET,
  OfficerClient,
  photo,
  receivedEvent,
  REPORTER,
  routedEvent,
  start,
  TestClock,
  type Stack,
} from './harness';
import { ErasedReporter, IdentityVault } from '../src/vault/identity-vault';

type Detail = {
  id: string;
  state: string;
  version: number;
  trackingCode: string;
  evidence: Array<{ id: string }>;
  allowedActions: string[];
  reporter: { pseudonym: string };
};

describe('officer API: a report from the unit to the validator, against real Postgres and Kafka', () => {
  const { logger, lines } = capturedLogger('status');
  const clock = new TestClock(new Date('2026-01-05T04:00:00Z'));
  let stack: Stack;
  let service: StatusService & { base: string };
  let admin: OfficerClient;
  let crm: OfficerClient & { id: string };
  let dsda: OfficerClient & { id: string };
  let dsdaSudin: OfficerClient & { id: string };
  let dbm: OfficerClient & { id: string };
  let validator: OfficerClient & { id: string };
  let lifecycle: ReportLifecycle[];
  let states: ReportState[];
  let notifications: Notification[];
  const publicResponses: string[] = [];

  beforeAll(async () => {
    stack = await createStack('status_officer', logger);
    service = await start(stack, logger, clock);
    lifecycle = await collectEvents(stack.bus, 'aduan.report.lifecycle.v1');
    states = await collectEvents(stack.bus, 'aduan.report.state.v1');
    notifications = await collectEvents(stack.bus, 'aduan.notification.v1');
    admin = await OfficerClient.signIn(service.base, ADMIN.username, ADMIN.password);
    crm = await admin.createOfficer('crm1', 'crm_officer');
    dsda = await admin.createOfficer('dsda1', 'unit_officer', 'DSDA', 2);
    dsdaSudin = await admin.createOfficer('sudin-dsda-jakpus', 'unit_officer', 'DSDA.31.71');
    dbm = await admin.createOfficer('dbm1', 'unit_officer', 'DBM');
    validator = await admin.createOfficer('validator1', 'validator');
  });

  afterAll(async () => {
    await service?.stop();
    await stack?.close();
  });

  async function publicView(code: string) {
    const res = await fetch(`${service.base}/v1/public/reports/${code}`);
    const text = await res.text();
    publicResponses.push(text);
    return JSON.parse(text) as {
      state: string;
      label: string;
      unit: { code: string } | null;
      timeline: Array<{ state: string; note: string | null; evidence: Array<{ url: string }> }>;
    };
  }

  /** Publishes a received and routed complaint and waits until the store has it. */
  async function intake(over: Parameters<typeof routedEvent>[1] = {}, received = receivedEvent()) {
    await stack.bus.publish('aduan.complaint.received.v1', received);
    await stack.bus.publish('aduan.complaint.routed.v1', routedEvent(received, over));
    await eventually(async () => {
      const [row] = (await service.db.query(
        'SELECT count(*)::int AS n FROM report_transition WHERE report_id = $1',
        [received.reportId],
      )) as Array<{ n: number }>;
      expect(row!.n).toBe(2);
    });
    return received;
  }

  async function act(client: OfficerClient, id: string, action: string, body: Record<string, unknown> = {}) {
    const current = await client.get<Detail>(`/v1/officer/reports/${id}`);
    const res = await client.post<Detail>(`/v1/officer/reports/${id}/${action}`, {
      version: current.body.version,
      ...body,
    });
    if (res.status !== 200) throw new Error(`${action} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  }

  it('walks RECEIVED → … → FOLLOW_UP_REJECTED → … → COMPLETED, each step public and on Kafka', async () => {
    const r = await intake();
    const id = r.reportId;
    const steps: Array<[OfficerClient, string, Record<string, unknown>, string]> = [
      [
        dsda,
        'coordinate',
        { unit: 'DBM', note: 'saluran di bawah trotoar milik Bina Marga' },
        'COORDINATION',
      ],
      [dbm, 'coordinate', { unit: 'DSDA', note: 'saluran air tetap urusan SDA' }, 'COORDINATION'],
      [dsda, 'dispose', { unit: 'DSDA.31.71' }, 'DISPOSITION'],
      [dsdaSudin, 'start', {}, 'IN_PROGRESS'],
    ];
    for (const [client, action, body, to] of steps) {
      expect((await act(client, id, action, body)).state).toBe(to);
      expect((await publicView(r.trackingCode)).state).toBe(to);
    }

    const first = await dsdaSudin.upload(id, await photo(1));
    expect(first.status).toBe(201);
    expect(first.body.flags).toEqual([]);
    expect(
      (await act(dsdaSudin, id, 'follow-up', { note: 'Saluran sudah dikuras.', evidence: [first.body.id] }))
        .state,
    ).toBe('AWAITING_VALIDATION');
    expect(
      (
        await act(validator, id, 'validate', {
          decision: 'refuse',
          reason: 'foto tidak menunjukkan saluran yang dilaporkan',
        })
      ).state,
    ).toBe('FOLLOW_UP_REJECTED');
    expect((await publicView(r.trackingCode)).label).toBe('TL Ditolak');
    expect((await act(dsdaSudin, id, 'start', { note: 'Dikerjakan ulang.' })).state).toBe('IN_PROGRESS');
    const second = await dsdaSudin.upload(id, await photo(2));
    expect(
      (
        await act(dsdaSudin, id, 'follow-up', {
          note: 'Saluran dikuras dan sampah diangkut.',
          evidence: [second.body.id],
        })
      ).state,
    ).toBe('AWAITING_VALIDATION');
    const done = await act(validator, id, 'validate', { decision: 'accept' });
    expect(done.state).toBe('COMPLETED');

    const view = await publicView(r.trackingCode);
    const path = [
      'RECEIVED',
      'RECEIVED',
      'COORDINATION',
      'COORDINATION',
      'DISPOSITION',
      'IN_PROGRESS',
      'AWAITING_VALIDATION',
      'FOLLOW_UP_REJECTED',
      'IN_PROGRESS',
      'AWAITING_VALIDATION',
      'COMPLETED',
    ];
    expect(view.timeline.map((t) => t.state)).toEqual(path);
    expect(view.label).toBe('Selesai');
    expect(view.timeline.find((t) => t.state === 'FOLLOW_UP_REJECTED')!.note).toContain(
      'foto tidak menunjukkan',
    );
    // The follow-up photo is public, re-encoded without its metadata.
    const link = view.timeline.at(-2)!.evidence[0]!.url;
    const img = await fetch(`${service.base}${link}`);
    expect(img.status).toBe(200);
    expect(img.headers.get('content-type')).toBe('image/jpeg');

    await eventually(() => {
      const mine = lifecycle.filter((e) => e.reportId === id);
      expect(mine.map((e) => e.to)).toEqual(path);
      expect(mine.map((e) => e.sequence)).toEqual(path.map((_, i) => i + 1));
      expect(mine.at(-2)!.evidence).toHaveLength(1);
      expect(states.filter((s) => s.reportId === id).at(-1)).toMatchObject({
        state: 'COMPLETED',
        label: 'Selesai',
        unit: { code: 'DSDA.31.71' },
      });
    });
    // One notification per public change of state, to the reporter's WhatsApp, in the thread.
    await eventually(() => {
      const mine = notifications.filter((n) => n.reportId === id);
      expect(mine.map((n) => n.state)).toEqual(path.slice(2));
      // Addressed by the report only: the adapter answers from its own record (ADR 0055).
      expect(mine[0]).not.toHaveProperty('recipient');
      expect(mine[0]).toMatchObject({ reportId: id, channel: r.channel });
      expect(mine.at(-1)!.message).toMatch(/telah selesai[\s\S]*has been resolved/);
    });
  });

  it('answers 409 naming the allowed actions for an illegal transition, and publishes nothing', async () => {
    const r = await intake();
    const before = (await service.db.query('SELECT count(*)::int AS n FROM outbox')) as Array<{ n: number }>;
    const res = await validator.post(`/v1/officer/reports/${r.reportId}/validate`, {
      version: 3,
      decision: 'accept',
    });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'ILLEGAL_TRANSITION', state: 'RECEIVED' });
    expect(res.body['allowedActions']).toEqual(
      expect.arrayContaining(['coordinate', 'dispose', 'start', 'reject', 'merge']),
    );
    const after = (await service.db.query('SELECT count(*)::int AS n FROM outbox')) as Array<{ n: number }>;
    expect(after[0]!.n).toBe(before[0]!.n);
  });

  it('two officers acting on the same version: the second gets 409, not a lost update', async () => {
    const r = await intake();
    const { body } = await dsda.get<Detail>(`/v1/officer/reports/${r.reportId}`);
    const [a, b] = await Promise.all([
      dsda.post(`/v1/officer/reports/${r.reportId}/start`, {}, { 'if-match': `"${body.version}"` }),
      dsda.post(
        `/v1/officer/reports/${r.reportId}/coordinate`,
        { unit: 'DBM' },
        { 'if-match': `"${body.version}"` },
      ),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    expect([a, b].find((x) => x.status === 409)!.body).toMatchObject({
      code: 'STALE_VERSION',
      currentVersion: body.version + 1,
    });
    const missing = await dsda.post(`/v1/officer/reports/${r.reportId}/start`, {});
    expect(missing.status).toBe(428);
  });

  it('a retried action (same actionId) is recorded once', async () => {
    const r = await intake();
    const { body } = await dsda.get<Detail>(`/v1/officer/reports/${r.reportId}`);
    const actionId = randomUUID();
    const first = await dsda.post<Detail>(`/v1/officer/reports/${r.reportId}/start`, {
      version: body.version,
      actionId,
    });
    const retry = await dsda.post<Detail>(`/v1/officer/reports/${r.reportId}/start`, {
      version: body.version,
      actionId,
    });
    expect(first.status).toBe(200);
    expect(retry.status).toBe(200);
    expect(retry.body.version).toBe(first.body.version);
    const rows = (await service.db.query(
      `SELECT count(*)::int AS n FROM report_transition WHERE report_id = $1 AND to_state = 'IN_PROGRESS'`,
      [r.reportId],
    )) as Array<{ n: number }>;
    expect(rows[0]!.n).toBe(1);
  });

  it("a unit officer can neither read nor change another OPD's report; each refusal is audited", async () => {
    const r = await intake();
    const read = await dbm.get(`/v1/officer/reports/${r.reportId}`);
    expect(read.status).toBe(403);
    expect(read.body).toMatchObject({ code: 'FORBIDDEN' });
    const change = await dbm.post(`/v1/officer/reports/${r.reportId}/start`, { version: 3 });
    expect(change.status).toBe(403);
    const photoRes = await dbm.upload(r.reportId, await photo(50));
    expect(photoRes.status).toBe(403);
    const queue = await dbm.get<{ items: Array<{ id: string }> }>('/v1/officer/queue');
    expect(queue.body.items.map((i) => i.id)).not.toContain(r.reportId);
    expect((await dbm.get('/v1/officer/queue?unit=DSDA')).status).toBe(403);
    const audit = (await service.db.query(
      `SELECT action, outcome FROM audit_log WHERE officer_id = $1 AND report_id = $2 ORDER BY id`,
      [dbm.id, r.reportId],
    )) as Array<{
      action: string;
      outcome: string;
    }>;
    expect(audit).toEqual([
      { action: 'read', outcome: 'denied' },
      { action: 'start', outcome: 'denied' },
      { action: 'evidence', outcome: 'denied' },
    ]);
    // and the wrong role is refused too: a validator does not start work
    expect((await validator.post(`/v1/officer/reports/${r.reportId}/start`, { version: 3 })).status).toBe(
      403,
    );
  });

  it('refuses expired and forged tokens with 401', async () => {
    const key = new TextEncoder().encode(JWT_SECRET);
    const forged = await new SignJWT({ role: 'admin' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('aduan-status')
      .setSubject(randomUUID())
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode('not-the-secret-but-just-as-long-0123456789'));
    for (const token of [forged, 'garbage', '']) {
      const res = await new OfficerClient(service.base, token).get('/v1/officer/queue');
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ code: 'UNAUTHENTICATED' });
    }
    const fresh = await OfficerClient.signIn(service.base, 'crm1', 'crm1-password-1');
    expect((await fresh.get('/v1/officer/me')).status).toBe(200);
    clock.advance(16 * 60_000);
    try {
      const res = await fresh.get('/v1/officer/me');
      expect(res.status).toBe(401);
      expect(res.body['message']).toMatch(/expired/);
    } finally {
      clock.advance(-16 * 60_000);
    }
    const wrong = await fetch(`${service.base}/v1/officer/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'crm1', password: 'nope-nope-nope' }),
    });
    expect(wrong.status).toBe(401);
    void key;
  });

  it('routes a TRIAGE report with one click, rejects with a public reason, merges a duplicate whose reporter then follows the master', async () => {
    const t = await intake({
      outcome: 'TRIAGE',
      unit: null,
      candidates: [
        { opd: 'DSDA', score: 0.6 },
        { opd: 'DBM', score: 0.3 },
      ],
    });
    const detail = await crm.get<Detail & { routing: { candidates: Array<{ opd: string }> } }>(
      `/v1/officer/reports/${t.reportId}`,
    );
    expect(detail.body.state).toBe('TRIAGE');
    expect(detail.body.allowedActions).toEqual(expect.arrayContaining(['route', 'reject', 'merge']));
    const routed = await act(crm, t.reportId, 'route', { unit: detail.body.routing.candidates[0]!.opd });
    expect(routed).toMatchObject({ state: 'RECEIVED', unit: { code: 'DSDA' } });
    expect((await dsda.get(`/v1/officer/reports/${t.reportId}`)).status).toBe(200);

    const spam = await intake();
    await act(crm, spam.reportId, 'reject', { reason: 'bukan kewenangan Pemprov DKI Jakarta' });
    expect((await publicView(spam.trackingCode)).timeline.at(-1)!.note).toBe(
      'Laporan ditolak: bukan kewenangan Pemprov DKI Jakarta',
    );

    const dupReporter = { name: 'Budi Santoso', email: 'budi.s@example.id', anonymous: false };
    const dup = await intake({}, receivedEvent({ channel: 'email', reporter: dupReporter }));
    const merged = await act(crm, dup.reportId, 'merge', { master: t.trackingCode });
    expect(merged.state).toBe('MERGED');
    await act(dsda, t.reportId, 'start');
    await eventually(() => {
      const forDup = notifications.filter((n) => n.reportId === dup.reportId);
      expect(forDup.map((n) => n.state)).toEqual(['MERGED', 'IN_PROGRESS']);
      expect(forDup[1]).toMatchObject({ channel: 'email', reportId: dup.reportId });
      expect(JSON.stringify(forDup)).not.toContain('budi.s@example.id');
      // The incident's progress under the follower's own code, never the master's (ADR 0055).
      expect(forDup[1]!.message).toContain(dup.trackingCode);
      expect(forDup[1]!.message).not.toContain(t.trackingCode);
    });
    const followerPage = await publicView(dup.trackingCode);
    expect(JSON.stringify(followerPage)).not.toContain(t.trackingCode);
    expect(followerPage).toMatchObject({ state: 'MERGED', incident: { state: 'IN_PROGRESS' } });
  });

  it('two officers merging two reports into each other at once never leave each pointing at the other', async () => {
    for (let round = 0; round < 3; round++) {
      const a = await intake();
      const b = await intake();
      const [va, vb] = await Promise.all([
        crm.get<Detail>(`/v1/officer/reports/${a.reportId}`),
        crm.get<Detail>(`/v1/officer/reports/${b.reportId}`),
      ]);
      const answers = await Promise.all([
        crm.post(`/v1/officer/reports/${a.reportId}/merge`, {
          version: va.body.version,
          master: b.trackingCode,
        }),
        crm.post(`/v1/officer/reports/${b.reportId}/merge`, {
          version: vb.body.version,
          master: a.trackingCode,
        }),
      ]);
      expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
      const states = await Promise.all([
        crm.get<Detail>(`/v1/officer/reports/${a.reportId}`),
        crm.get<Detail>(`/v1/officer/reports/${b.reportId}`),
      ]);
      expect(states.map((d) => d.body.state).sort()).toEqual(['MERGED', 'RECEIVED']);
    }
  });

  it('claims respect capacity; only admin and crm_officer may reveal contact data, and each reveal is audited', async () => {
    const reports = [await intake(), await intake(), await intake()];
    for (const r of reports.slice(0, 2))
      expect((await act(dsda, r.reportId, 'claim')).state).toBe('RECEIVED');
    const third = await dsda.get<Detail>(`/v1/officer/reports/${reports[2]!.reportId}`);
    const over = await dsda.post(`/v1/officer/reports/${reports[2]!.reportId}/claim`, {
      version: third.body.version,
    });
    expect(over.status).toBe(409);
    expect(over.body).toMatchObject({ code: 'CAPACITY_EXCEEDED' });
    const mine = await dsda.get<{ items: Array<{ id: string }> }>('/v1/officer/queue?assignee=me');
    expect(mine.body.items).toHaveLength(2);

    const id = reports[0]!.reportId;
    const officerView = await dsda.get(`/v1/officer/reports/${id}`);
    expect(JSON.stringify(officerView.body)).not.toMatch(/Siti|6281234567890|0812-3456-7890|siti\.rahma/);
    expect((officerView.body as Detail).reporter.pseudonym).toMatch(/^Pelapor #[0-9A-F]{6}$/);
    expect(
      (await dsda.post(`/v1/officer/reports/${id}/contact`, { reason: 'konfirmasi lokasi' })).status,
    ).toBe(403);
    // Four eyes: the request alone reveals nothing; its author cannot approve it; a second officer can.
    const asked = await crm.post<{ status: string; requestId: string }>(`/v1/officer/reports/${id}/contact`, {
      reason: 'konfirmasi lokasi genangan',
    });
    expect(asked.status).toBe(202);
    expect(asked.body.status).toBe('awaiting-approval');
    expect(JSON.stringify(asked.body)).not.toMatch(/Siti|6281234567890/);
    const { requestId } = asked.body;
    const early = await crm.post(`/v1/officer/reports/${id}/contact`, { reason: 'konfirmasi', requestId });
    expect(early.status).toBe(409);
    expect((await crm.post(`/v1/officer/reports/${id}/contact/${requestId}/approve`, {})).status).toBe(403);
    expect((await admin.post(`/v1/officer/reports/${id}/contact/${requestId}/approve`, {})).status).toBe(200);
    const reveal = await crm.post(`/v1/officer/reports/${id}/contact`, { reason: 'konfirmasi', requestId });
    expect(reveal.status).toBe(200);
    expect(reveal.body).toMatchObject({ channel: 'whatsapp', name: REPORTER.name, phone: REPORTER.phone });
    // Once only.
    expect(
      (await crm.post(`/v1/officer/reports/${id}/contact`, { reason: 'sekali lagi', requestId })).status,
    ).toBe(409);
    const audit = (await service.db.query(
      `SELECT officer_id, outcome, detail FROM audit_log WHERE action = 'reveal-contact' AND report_id = $1 ORDER BY id`,
      [id],
    )) as Array<{
      officer_id: string;
      outcome: string;
      detail: { reason?: string };
    }>;
    expect(audit.map((a) => [a.officer_id, a.outcome])).toEqual([
      [dsda.id, 'denied'],
      [crm.id, 'denied'],
      [crm.id, 'granted'],
      [crm.id, 'denied'],
    ]);
    const steps = (await service.db.query(
      `SELECT role, action, outcome FROM audit_log WHERE action IN ('reveal-requested', 'reveal-approved') AND report_id = $1 ORDER BY id`,
      [id],
    )) as Array<{ role: string; action: string; outcome: string }>;
    expect(steps.map((a) => [a.role, a.action, a.outcome])).toEqual([
      ['crm_officer', 'reveal-requested', 'granted'],
      ['crm_officer', 'reveal-approved', 'denied'],
      ['admin', 'reveal-approved', 'granted'],
    ]);
    // At rest the contact data is ciphertext only.
    const stored = JSON.stringify(
      await service.db.query('SELECT * FROM report_reporter WHERE report_id = $1', [id]),
    );
    expect(stored).not.toMatch(/Siti|6281234567890|siti\.rahma/);
  });

  function followUpEvent(
    reportId: string,
    trackingCode: string,
    over: Partial<ComplaintFollowUp> = {},
  ): ComplaintFollowUp {
    return {
      followUpId: randomUUID(),
      reportId,
      trackingCode,
      channel: 'whatsapp',
      source: {
        id: `wamid.${randomUUID()}`,
        thread: '106540352242922',
        receivedAt: '2026-01-05T03:40:00.000Z',
      },
      text: 'Airnya sudah masuk rumah warga. Telepon saya di 0812-3456-7890',
      attachments: [{ url: 'whatsapp-media:1234567890', contentType: 'image/jpeg', name: 'banjir.jpg' }],
      location: { lat: -6.1862, lon: 106.8447 },
      receivedAt: '2026-01-05T03:40:01.000Z',
      ...over,
    };
  }

  const storedFollowUps = async (id: string) =>
    (
      (await service.db.query('SELECT count(*)::int AS n FROM report_follow_up WHERE id = $1', [
        id,
      ])) as Array<{ n: number }>
    )[0]!.n;

  it('never reveals an anonymous reporter, whoever asks: nothing but the reply address is kept', async () => {
    const anon = await intake({}, receivedEvent({ reporter: { ...REPORTER, anonymous: true } }));
    const asked = await admin.post(`/v1/officer/reports/${anon.reportId}/contact`, {
      reason: 'perintah pengadilan',
    });
    expect(asked.status).toBe(403);
    expect(JSON.stringify(asked.body)).toMatch(/anonymous/);
    const [row] = (await service.db.query(
      `SELECT rr.sealed, k.wrapped FROM report_reporter rr JOIN reporter_key k USING (report_id) WHERE report_id = $1`,
      [anon.reportId],
    )) as Array<{ sealed: string; wrapped: string }>;
    const kept = new IdentityVault(stack.env.REPORTER_DATA_KEY!).open(
      anon.reportId,
      row!.sealed,
      row!.wrapped,
    );
    expect(kept.reporter).toEqual({ anonymous: true, replyTo: REPORTER.phone });
  });

  it("erases a reporter (admin only, audited): the contact can no longer be read, the report's history stays", async () => {
    const r = await intake();
    const reason = { reason: 'permintaan subjek data' };
    expect((await crm.post(`/v1/officer/reports/${r.reportId}/reporter/erase`, reason)).status).toBe(403);
    const history = async () =>
      JSON.stringify(
        await service.db.query(
          'SELECT id, to_state, at FROM report_transition WHERE report_id = $1 ORDER BY id',
          [r.reportId],
        ),
      );
    const before = await history();
    expect((await admin.post(`/v1/officer/reports/${r.reportId}/reporter/erase`, reason)).status).toBe(200);
    const [row] = (await service.db.query(
      `SELECT rr.sealed, rr.pseudonym, k.wrapped FROM report_reporter rr LEFT JOIN reporter_key k USING (report_id) WHERE rr.report_id = $1`,
      [r.reportId],
    )) as Array<{ sealed: string; pseudonym: string; wrapped: string | null }>;
    expect(row!.wrapped).toBeNull();
    expect(row!.sealed.length).toBeGreaterThan(40); // the ciphertext stays, and nothing opens it
    const vault = new IdentityVault(stack.env.REPORTER_DATA_KEY!);
    expect(() => vault.open(r.reportId, row!.sealed, row!.wrapped)).toThrow(ErasedReporter);
    expect(row!.pseudonym).toBe('Pelapor (dihapus)');
    expect((await crm.post(`/v1/officer/reports/${r.reportId}/contact`, reason)).status).toBe(403);
    expect(await history()).toBe(before);
    expect((await crm.get(`/v1/officer/reports/${r.reportId}`)).status).toBe(200);
    const audit = (await service.db.query(
      `SELECT role, outcome FROM audit_log WHERE action = 'erase-reporter' AND report_id = $1 ORDER BY id`,
      [r.reportId],
    )) as Array<{ role: string; outcome: string }>;
    expect(audit.map((a) => [a.role, a.outcome])).toEqual([
      ['crm_officer', 'denied'],
      ['admin', 'granted'],
    ]);
  });

  it("shows a citizen's follow-up to officers only, changes nothing else, and stores a redelivered one once", async () => {
    const received = await intake();
    const before = await admin.get<Detail>(`/v1/officer/reports/${received.reportId}`);
    const publicBefore = await publicView(received.trackingCode);
    const followUp = followUpEvent(received.reportId, received.trackingCode);
    await stack.bus.publish('aduan.complaint.followup.v1', followUp);
    await stack.bus.publish('aduan.complaint.followup.v1', followUp);
    const { location: _place, ...later } = followUpEvent(received.reportId, received.trackingCode, {
      source: { id: 'wamid.later', receivedAt: '2026-01-05T03:45:00.000Z' },
      text: 'Fotonya menyusul',
      attachments: [],
    });
    await stack.bus.publish('aduan.complaint.followup.v1', later);

    type WithFollowUps = Detail & { followUps: Array<Record<string, unknown>> };
    const detail = await eventually(async () => {
      const res = await admin.get<WithFollowUps>(`/v1/officer/reports/${received.reportId}`);
      expect(res.body.followUps).toHaveLength(2);
      return res.body;
    });
    expect(detail.followUps[0]).toEqual({
      id: followUp.followUpId,
      channel: 'whatsapp',
      kind: 'message',
      at: '2026-01-05T03:40:00.000Z',
      receivedAt: '2026-01-05T03:40:01.000Z',
      text: expect.stringContaining('Airnya sudah masuk rumah warga.') as unknown,
      attachments: [{ url: 'whatsapp-media:1234567890', contentType: 'image/jpeg', name: 'banjir.jpg' }],
      location: { lat: -6.1862, lon: 106.8447 },
    });
    expect(detail.followUps[0]!['text']).not.toContain('0812-3456-7890');
    expect(detail.followUps[1]).toMatchObject({
      id: later.followUpId,
      text: 'Fotonya menyusul',
      location: null,
    });
    expect(await storedFollowUps(followUp.followUpId)).toBe(1);
    // Not a transition: same state, same version, same public timeline, and none of the citizen's words in public.
    expect(detail).toMatchObject({ state: before.body.state, version: before.body.version });
    const publicAfter = await publicView(received.trackingCode);
    expect(publicAfter.timeline).toEqual(publicBefore.timeline);
    const publicJson = JSON.stringify(publicAfter);
    expect(publicJson).not.toContain('Airnya sudah masuk');
    expect(publicJson).not.toContain('Fotonya menyusul');
    expect(publicJson).not.toContain('whatsapp-media:1234567890');
    await expect(
      service.db.query('DELETE FROM report_follow_up WHERE id = $1', [followUp.followUpId]),
    ).rejects.toThrow(/append-only/);
  });

  it('keeps a follow-up that overtakes its report and shows it once the report arrives', async () => {
    const received = receivedEvent();
    const followUp = followUpEvent(received.reportId, received.trackingCode, {
      channel: 'email',
      text: 'Tambahan: lubangnya dua.',
    });
    await stack.bus.publish('aduan.complaint.followup.v1', followUp);
    await eventually(async () => expect(await storedFollowUps(followUp.followUpId)).toBe(1));
    expect((await admin.get(`/v1/officer/reports/${received.reportId}`)).status).toBe(404);
    await intake({}, received);
    const res = await admin.get<Detail & { followUps: Array<{ id: string; text: string }> }>(
      `/v1/officer/reports/${received.reportId}`,
    );
    expect(res.body.followUps).toEqual([
      expect.objectContaining({ id: followUp.followUpId, text: 'Tambahan: lubangnya dua.' }),
    ]);
  });

  it('tells officers which follow-ups edit or delete what the citizen wrote', async () => {
    const received = await intake();
    const at = (minute: number) => ({ receivedAt: `2026-01-05T04:${minute}:00.000Z` });
    const edit = followUpEvent(received.reportId, received.trackingCode, {
      channel: 'facebook',
      source: { id: '139560936755999_140077616693321:edit:1', ...at(10) },
      text: 'Pelapor mengubah tulisannya:\nLubangnya sekarang dua',
      kind: 'edit',
    });
    const deletion = followUpEvent(received.reportId, received.trackingCode, {
      channel: 'facebook',
      source: { id: '139560936755999_140077616693321:removed', ...at(20) },
      text: 'Pelapor menghapus tulisannya',
      kind: 'deletion',
    });
    await stack.bus.publish('aduan.complaint.followup.v1', edit);
    await stack.bus.publish('aduan.complaint.followup.v1', deletion);
    const res = await eventually(async () => {
      const r = await admin.get<Detail & { followUps: Array<{ id: string; kind: string; text: string }> }>(
        `/v1/officer/reports/${received.reportId}`,
      );
      expect(r.body.followUps).toHaveLength(2);
      return r;
    });
    expect(res.body.followUps.map((f) => [f.id, f.kind])).toEqual([
      [edit.followUpId, 'edit'],
      [deletion.followUpId, 'deletion'],
    ]);
    expect(res.body.followUps[0]!.text).toContain('Lubangnya sekarang dua');
  });

  it('serves the OpenAPI document of the officer API', async () => {
    const res = await fetch(`${service.base}/v1/officer/openapi.json`);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/officer/auth/sign-in',
        '/v1/officer/queue',
        '/v1/officer/reports/{id}/{action}',
        '/v1/officer/reports/{id}/evidence',
      ]),
    );
  });

  it('never wrote contact data into a log line or a public response', () => {
    expect(lines.length).toBeGreaterThan(10);
    expect(publicResponses.length).toBeGreaterThan(5);
    for (const text of [...lines, ...publicResponses]) {
      for (const secret of [
        'Siti',
        'Rahmawati',
        '6281234567890',
        '0812-3456-7890',
        'siti.rahma@example.id',
        'Budi Santoso',
        'budi.s@example.id',
      ]) {
        expect(text).not.toContain(secret);
      }
    }
  });
});
