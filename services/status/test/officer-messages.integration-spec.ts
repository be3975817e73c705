import { randomUUID } from 'node:crypto';
import type { ComplaintFollowUp, Notification } from '@aduan/contracts';
import { capturedLogger, collectEvents, eventually } from '@aduan/testing';
import type { StatusService } from '../src/app';
import {
  ADMIN,
  createStack,
  intakeRouted,
  OfficerClient,
  REPORTER,
  start,
  TestClock,
  type Stack,
} from './harness';

interface Entry {
  id: string;
  kind: 'question' | 'message';
  text: string;
  author: { id: string; displayName: string | null };
  delivery: { status: string } | null;
  answer: { followUpId: string; text: string } | null;
}
interface Conversation {
  waitingForCitizen: { questionId: string; since: string } | null;
  entries: Entry[];
}
interface Sent {
  message: Entry;
  conversation: Conversation;
}
interface Problem {
  code: string;
  message: string;
}

/** A reporter reference as adapters write it (ADR 0058). */
const reporterRef = () => `rp_${randomUUID().replaceAll('-', '')}`;

describe('officer API: asking the citizen for details and sending them a message', () => {
  const { logger, lines } = capturedLogger('status');
  const clock = new TestClock(new Date('2026-01-05T04:00:00Z'));
  let stack: Stack;
  let service: StatusService & { base: string };
  let admin: OfficerClient;
  let dsda: OfficerClient & { id: string };
  let dbm: OfficerClient & { id: string };
  let validator: OfficerClient & { id: string };
  let notifications: Notification[];

  beforeAll(async () => {
    stack = await createStack('status_officer_messages', logger);
    service = await start(stack, logger, clock);
    notifications = await collectEvents(stack.bus, 'aduan.notification.v1');
    admin = await OfficerClient.signIn(service.base, ADMIN.username, ADMIN.password);
    dsda = await admin.createOfficer('talk.dsda', 'unit_officer', 'DSDA');
    dbm = await admin.createOfficer('talk.dbm', 'unit_officer', 'DBM');
    validator = await admin.createOfficer('talk.validator', 'validator');
  });

  afterAll(async () => {
    await service?.stop();
    await stack?.close();
  });

  const send = (as: OfficerClient, id: string, body: Record<string, unknown>) =>
    as.post<Sent & Problem>(`/v1/officer/reports/${id}/messages`, body);
  const conversation = async (id: string) =>
    (await admin.get<{ conversation: Conversation; allowedActions: string[] }>(`/v1/officer/reports/${id}`))
      .body;
  const notificationOf = (id: string) => notifications.find((n) => n.notificationId === id);
  const audit = async (reportId: string) =>
    (await service.db.query(
      `SELECT action, outcome, officer_id, detail FROM audit_log WHERE report_id = $1 AND action LIKE '%citizen' ORDER BY id`,
      [reportId],
    )) as Array<{ action: string; outcome: string; officer_id: string; detail: Record<string, unknown> }>;

  function followUp(reportId: string, trackingCode: string, text: string): ComplaintFollowUp {
    const at = new Date().toISOString();
    return {
      followUpId: randomUUID(),
      reportId,
      trackingCode,
      channel: 'whatsapp',
      source: { id: `wamid.answer.${randomUUID()}`, receivedAt: at },
      text,
      attachments: [],
      receivedAt: at,
    };
  }

  it('asks the reporter on their own channel through the outbox; the report waits until their answer arrives', async () => {
    const r = await intakeRouted(stack, service, { text: 'Got mampet di depan sekolah' });
    expect((await conversation(r.reportId)).allowedActions).toContain('message-citizen');

    const question = 'Di sisi jalan yang mana gotnya mampet? Mohon kirim foto bila ada.';
    const res = await send(dsda, r.reportId, { kind: 'question', text: question });
    expect(res.status).toBe(201);
    expect(res.body.message).toMatchObject({
      kind: 'question',
      text: question,
      author: { id: dsda.id, displayName: 'talk.dsda' },
      answer: null,
    });
    expect(res.body.conversation.waitingForCitizen).toEqual({
      questionId: res.body.message.id,
      since: clock.now.toISOString(),
    });

    // One notification for the reporter's channel, naming the report and never the reporter.
    await eventually(() => expect(notificationOf(res.body.message.id)).toBeDefined());
    const sent = notificationOf(res.body.message.id)!;
    expect(sent).toMatchObject({
      reportId: r.reportId,
      trackingCode: r.trackingCode,
      channel: 'whatsapp',
      state: 'RECEIVED',
      expectsAnswer: true,
    });
    expect(sent.recipient).toBeUndefined();
    expect(sent.message).toContain(question);
    expect(sent.message).toContain(r.trackingCode);
    const event = JSON.stringify(sent);
    for (const personal of [REPORTER.phone, REPORTER.email, REPORTER.name])
      expect(event).not.toContain(personal);

    // The audit names who asked, not what: the text is the officer's and may name people.
    const rows = await audit(r.reportId);
    expect(rows).toEqual([
      expect.objectContaining({ action: 'ask-citizen', outcome: 'granted', officer_id: dsda.id }),
    ]);
    expect(JSON.stringify(rows)).not.toContain('mampet');

    // A message of the reporter on the report is the answer: the wait ends, the answer sits by the question.
    await stack.bus.publish(
      'aduan.complaint.followup.v1',
      followUp(r.reportId, r.trackingCode, 'Sisi utara, depan warung. Hubungi saya di 0812-3456-7890'),
    );
    await eventually(async () => {
      const after = (await conversation(r.reportId)).conversation;
      expect(after.waitingForCitizen).toBeNull();
      expect(after.entries[0]!.answer?.text).toContain('Sisi utara, depan warung');
    });
    // Contact details the citizen wrote are masked there as in every follow-up.
    const answered = (await conversation(r.reportId)).conversation.entries[0]!;
    expect(answered.answer!.text).not.toContain('3456-7890');
    // The conversation alone, for the officers who may read the report.
    const alone = await dsda.get<Conversation>(`/v1/officer/reports/${r.reportId}/conversation`);
    expect(alone).toEqual({ status: 200, body: (await conversation(r.reportId)).conversation });
    expect((await dbm.get(`/v1/officer/reports/${r.reportId}/conversation`)).status).toBe(403);
    // Nothing of what was said reached a log line.
    expect(lines.join('\n')).not.toContain('gotnya mampet');
    expect(lines.join('\n')).not.toContain('depan warung');
  });

  it('sends plain information without making the report wait, and a retried action is sent once', async () => {
    const r = await intakeRouted(stack, service);
    const actionId = randomUUID();
    const body = { kind: 'message', text: 'Petugas akan datang besok pagi.', actionId };
    const first = await send(admin, r.reportId, body);
    expect(first.status).toBe(201);
    expect(first.body.conversation.waitingForCitizen).toBeNull();
    const again = await send(admin, r.reportId, body);
    expect(again.status).toBe(200);
    expect(again.body.message.id).toBe(first.body.message.id);
    expect(again.body.conversation.entries).toHaveLength(1);

    await eventually(() => expect(notificationOf(first.body.message.id)).toBeDefined());
    expect(notificationOf(first.body.message.id)!.expectsAnswer).toBeUndefined();
    const [{ n }] = (await service.db.query(
      `SELECT count(*)::int AS n FROM outbox WHERE payload->>'notificationId' = $1`,
      [first.body.message.id],
    )) as Array<{ n: number }>;
    expect(n).toBe(1);
    expect((await audit(r.reportId)).map((a) => a.action)).toEqual(['message-citizen']);
  });

  it('refuses, naming why, a reporter who is anonymous or whose channel carries no message, and sends nothing', async () => {
    const anonymous = await intakeRouted(stack, service, {
      reporter: { anonymous: true, ref: reporterRef(), answers: true },
    });
    const jaki = await intakeRouted(stack, service, { channel: 'jaki', reporter: REPORTER });
    const unanswered = await intakeRouted(stack, service, {
      channel: 'open311',
      reporter: { anonymous: false, ref: reporterRef(), answers: false },
    });
    const noAnswer = await intakeRouted(stack, service, {
      channel: 'walk_in',
      reporter: { anonymous: false, ref: reporterRef(), answers: false },
    });
    const cases: Array<[string, string]> = [
      [anonymous.reportId, 'REPORTER_ANONYMOUS'],
      [jaki.reportId, 'CHANNEL_CANNOT_CARRY'],
      [unanswered.reportId, 'CHANNEL_CANNOT_CARRY'],
      [noAnswer.reportId, 'CHANNEL_CANNOT_CARRY'],
    ];
    for (const [id, code] of cases) {
      const res = await send(admin, id, { kind: 'question', text: 'Di mana tepatnya lokasinya?' });
      expect({ id, status: res.status, code: res.body.code }).toEqual({ id, status: 409, code });
      expect((await conversation(id)).conversation.entries).toEqual([]);
    }
    const [{ n }] = (await service.db.query(
      `SELECT count(*)::int AS n FROM outbox WHERE payload->>'reportId' = ANY($1) AND payload ? 'expectsAnswer'`,
      [cases.map(([id]) => id)],
    )) as Array<{ n: number }>;
    expect(n).toBe(0);
  });

  it('refuses hostile or empty text, strangers and validators; markup reaches the citizen as the characters typed', async () => {
    const r = await intakeRouted(stack, service);
    const refusals: Array<[OfficerClient, Record<string, unknown>, number, string]> = [
      [admin, { kind: 'question', text: '' }, 400, 'VALIDATION_FAILED'],
      [admin, { kind: 'question', text: '   \n\t ' }, 400, 'VALIDATION_FAILED'],
      [admin, { kind: 'question', text: '\u200b\u202e\u0007\u200b\u200b\u200b' }, 400, 'VALIDATION_FAILED'],
      [admin, { kind: 'question', text: 'x'.repeat(601) }, 400, 'VALIDATION_FAILED'],
      [admin, { kind: 'question', text: ['Di mana?'] }, 400, 'VALIDATION_FAILED'],
      [admin, { kind: 'shout', text: 'Di mana lokasinya?' }, 400, 'VALIDATION_FAILED'],
      [admin, { text: 'Di mana lokasinya?' }, 400, 'VALIDATION_FAILED'],
      [dbm, { kind: 'question', text: 'Di mana lokasinya?' }, 403, 'FORBIDDEN'],
      [validator, { kind: 'question', text: 'Di mana lokasinya?' }, 403, 'FORBIDDEN'],
    ];
    for (const [as, body, status, code] of refusals) {
      const res = await send(as, r.reportId, body);
      expect({ body, status: res.status, code: res.body.code }).toEqual({ body, status, code });
    }
    expect((await conversation(r.reportId)).conversation.entries).toEqual([]);
    const unknown = await send(admin, randomUUID(), { kind: 'question', text: 'Di mana lokasinya?' });
    expect(unknown.status).toBe(404);

    const markup = 'Klik <a href="http://evil.example">di sini</a>\u202e\r\n<script>alert(1)</script>\u200b';
    const res = await send(admin, r.reportId, { kind: 'message', text: markup });
    expect(res.status).toBe(201);
    expect(res.body.message.text).toBe(
      'Klik <a href="http://evil.example">di sini</a>\n<script>alert(1)</script>',
    );
    await eventually(() => expect(notificationOf(res.body.message.id)).toBeDefined());
    const told = notificationOf(res.body.message.id)!.message;
    expect(told).toContain('<script>alert(1)</script>');
    expect(told).not.toMatch(/[\u200b\u202e\r]/);
  });

  it('stops waiting when the report is closed, and writes no more to its citizen', async () => {
    const r = await intakeRouted(stack, service);
    expect(
      (await send(admin, r.reportId, { kind: 'question', text: 'Kapan terakhir kali terjadi?' })).status,
    ).toBe(201);
    const before = await admin.get<{ version: number }>(`/v1/officer/reports/${r.reportId}`);
    const rejected = await admin.post(`/v1/officer/reports/${r.reportId}/reject`, {
      version: before.body.version,
      reason: 'Bukan wewenang pemerintah kota',
    });
    expect(rejected.status).toBe(200);
    const after = (await conversation(r.reportId)).conversation;
    expect(after.waitingForCitizen).toBeNull();
    expect(after.entries[0]).toMatchObject({ kind: 'question', answer: null });
    const refused = await send(admin, r.reportId, { kind: 'message', text: 'Satu kabar lagi untuk Anda.' });
    expect({ status: refused.status, code: refused.body.code }).toEqual({
      status: 409,
      code: 'REPORT_CLOSED',
    });
    expect((await conversation(r.reportId)).allowedActions).not.toContain('message-citizen');
  });

  it("limits how often one report's citizen is written to", async () => {
    const r = await intakeRouted(stack, service);
    for (let i = 1; i <= 5; i++) {
      const res = await send(admin, r.reportId, { kind: 'message', text: `Kabar nomor ${i} untuk Anda.` });
      expect(res.status).toBe(201);
    }
    const res = await fetch(`${service.base}/v1/officer/reports/${r.reportId}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'message', text: 'Kabar keenam untuk Anda.' }),
    });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await res.json()) as Problem).code).toBe('RATE_LIMITED');
    expect((await conversation(r.reportId)).conversation.entries).toHaveLength(5);
  });
});
