import { randomUUID } from 'node:crypto';
import { DEV_TRACKING_SECRET, reportIdFor, trackingCodeFor } from '@aduan/channel-sdk';
import {
  deadLetterTopic,
  type ComplaintReceived,
  type ComplaintRouted,
  type Notification,
  type Reporter,
  type TopicName,
} from '@aduan/contracts';
import { signOfficerToken } from '@aduan/platform';
import { collectEvents, eventually } from '@aduan/testing';
import { ADMIN, OFFICER_SECRET, publicReport, startStack } from './stack';

/**
 * A channel that no service was built with: its adapter publishes under its own name, and the
 * router, its rules, the status service and the notifications take it without a redeploy.
 */
describe('a channel no service has heard of flows from intake to the citizen’s notification', () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let routed: ComplaintRouted[];
  let notifications: Notification[];
  let officerToken: string;

  beforeAll(async () => {
    stack = await startStack('e2e_open_channels');
    routed = await collectEvents(stack.bus, 'aduan.complaint.routed.v1');
    notifications = await collectEvents(stack.bus, 'aduan.notification.v1');
    const res = await fetch(`${stack.statusUrl}/v1/officer/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    officerToken = ((await res.json()) as { accessToken: string }).accessToken;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  function complaint(
    channel: string,
    reporter: Reporter,
    text: string,
    location: { lat: number; lon: number },
  ): ComplaintReceived {
    const sourceId = randomUUID();
    const reportId = reportIdFor(channel, sourceId);
    const at = new Date().toISOString();
    return {
      reportId,
      trackingCode: trackingCodeFor(reportId, DEV_TRACKING_SECRET),
      channel,
      source: { id: sourceId, thread: `thread-${sourceId.slice(0, 8)}`, receivedAt: at },
      reporter,
      text,
      attachments: [],
      visibility: 'public',
      receivedAt: at,
      location,
    };
  }

  async function decisionFor(reportId: string): Promise<ComplaintRouted> {
    return eventually(() => {
      const d = routed.find((r) => r.reportId === reportId);
      if (!d) throw new Error(`no decision for ${reportId} yet`);
      return d;
    });
  }

  async function officer<T>(path: string, body?: object): Promise<T> {
    const res = await fetch(`${stack.statusUrl}${path}`, {
      method: body ? 'POST' : 'GET',
      headers: { authorization: `Bearer ${officerToken}`, 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }

  /** Starts the work on a report (routing it first if it waits in TRIAGE): a public change of state. */
  async function startWork(reportId: string): Promise<void> {
    let r = await eventually(async () => {
      const d = await officer<{ state: string; version: number; routing: unknown }>(
        `/v1/officer/reports/${reportId}`,
      );
      if (!d.routing) throw new Error('not routed yet');
      return d;
    });
    if (r.state === 'TRIAGE')
      r = await officer(`/v1/officer/reports/${reportId}/route`, { version: r.version, unit: 'DBM' });
    await officer(`/v1/officer/reports/${reportId}/start`, { version: r.version });
  }

  async function deadLettered(topic: TopicName): Promise<number> {
    const physical = stack.bus.physical(deadLetterTopic(topic));
    const admin = stack.bus.adminClient;
    if (!(await admin.listTopics()).includes(physical)) return 0;
    const offsets = await admin.fetchTopicOffsets(physical);
    return offsets.reduce((n, p) => n + Number(p.high), 0);
  }

  it('routes by a rule naming the channel, shows its label and notifies by the address its adapter named', async () => {
    // A routing rule for a channel the router was not built with is taken like any other.
    const admin = await signOfficerToken({ sub: 'admin-1', role: 'admin' }, OFFICER_SECRET);
    const rulesUrl = `${stack.routerUrl}/v1/admin/rules`;
    const current = (await (
      await fetch(rulesUrl, { headers: { authorization: `Bearer ${admin}` } })
    ).json()) as { version: number; rules: unknown[] };
    const pigeonRule = {
      id: 'pigeon-post-to-kelurahan',
      match: { channel: 'pigeon_post' },
      target: { kind: 'KELURAHAN' },
      priority: 300,
      note: 'trial: the kelurahan answers the pigeon loft',
    };
    const saved = await fetch(rulesUrl, {
      method: 'PUT',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ rules: [...current.rules, pigeonRule], basedOn: current.version }),
    });
    expect(saved.status).toBe(200);

    const pigeon = complaint(
      'pigeon_post',
      { anonymous: false, name: 'Pak Darto', replyTo: 'loft-7/perch-3' },
      'Pohon tumbang menutup jalan di depan SD, mobil tidak bisa lewat',
      { lat: -6.1706, lon: 106.810469 },
    );
    // The adapter took the report but does not answer it: no notification, whatever contact it holds.
    const silent = complaint(
      'pigeon_post',
      { anonymous: false, phone: '+6281399990001', replyTo: null },
      'Lampu penerangan jalan mati sepanjang gang, gelap sekali kalau malam',
      { lat: -6.2441, lon: 106.8002 },
    );
    // Telegram's adapter predates reporter.replyTo: the handle it recorded is where it answers.
    const telegram = complaint(
      'telegram',
      { anonymous: false, handle: 'warga_kramat' },
      'Sampah menumpuk di pinggir kali, bau menyengat sampai ke rumah warga',
      { lat: -6.1862, lon: 106.8447 },
    );
    for (const e of [silent, pigeon, telegram]) await stack.bus.publish('aduan.complaint.received.v1', e);

    const decision = await decisionFor(pigeon.reportId);
    expect(decision.rule).toEqual({ id: 'pigeon-post-to-kelurahan', version: current.version + 1 });
    expect(decision.unit!.name).toMatch(/^Kelurahan /);
    await decisionFor(silent.reportId);
    await decisionFor(telegram.reportId);

    const view = await eventually(async () => {
      const r = await publicReport(stack.statusUrl, pigeon.trackingCode);
      if (!r['routing']) throw new Error('not routed yet');
      return r;
    });
    expect(view).toMatchObject({
      channel: 'pigeon_post',
      channelLabel: { id: 'Pigeon Post', en: 'Pigeon Post' },
      unit: decision.unit,
    });
    // Each report is stored on its own; the pigeon's being visible says nothing of Telegram's.
    expect(await eventually(() => officer(`/v1/officer/reports/${telegram.reportId}`))).toMatchObject({
      channel: 'telegram',
      channelLabel: { id: 'Telegram', en: 'Telegram' },
    });

    for (const e of [silent, pigeon, telegram]) await startWork(e.reportId);
    const [toPigeon, toTelegram] = await eventually(() => {
      const found = [pigeon, telegram].map((e) => notifications.find((n) => n.reportId === e.reportId));
      if (found.some((n) => !n)) throw new Error('notifications not published yet');
      return found as Notification[];
    });
    // Addressed by the report only; each adapter answers from its own record (ADR 0055).
    expect(toPigeon).toMatchObject({ channel: 'pigeon_post', state: 'IN_PROGRESS' });
    expect(toTelegram).toMatchObject({ channel: 'telegram', state: 'IN_PROGRESS' });
    expect(JSON.stringify([toPigeon, toTelegram])).not.toMatch(/loft-7|warga_kramat/);
    // The silent report's start was recorded before the others: its turn in the outbox has passed.
    expect(notifications.filter((n) => n.reportId === silent.reportId)).toEqual([]);

    for (const topic of [
      'aduan.complaint.received.v1',
      'aduan.complaint.routed.v1',
      'aduan.notification.v1',
    ] as const)
      expect(await deadLettered(topic)).toBe(0);
    const log = stack.lines.join('\n');
    for (const personal of ['loft-7/perch-3', 'warga_kramat', '6281399990001', 'Pak Darto'])
      expect(log).not.toContain(personal);
  });
});
