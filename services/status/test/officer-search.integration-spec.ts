import type { ComplaintReceived, ComplaintRouted } from '@aduan/contracts';
import { capturedLogger, eventually } from '@aduan/testing';
import type { StatusService } from '../src/app';
import {
  ADMIN,
  createStack,
  OfficerClient,
  receivedEvent,
  REPORTER,
  routedEvent,
  start,
  TestClock,
  type Stack,
} from './harness';

interface Hit {
  id: string;
  trackingCode: string;
  state: string;
  category: string | null;
  channel: string | null;
  unit: { code: string } | null;
  excerpt: string | null;
  receivedAt: string | null;
  due: { overdue: boolean } | null;
}
interface Page {
  items: Hit[];
  nextCursor: string | null;
}
interface Problem {
  code: string;
  message: string;
  problems: string[];
}

const DSDA = { code: 'DSDA', name: 'Dinas Sumber Daya Air' };
const DBM = { code: 'DBM', name: 'Dinas Bina Marga' };

describe('status: officers search every report they may see', () => {
  const { logger } = capturedLogger('status');
  // Jakarta, 5 January 2026, 11:00: reports received before 29 December are past their 7 days.
  const clock = new TestClock(new Date('2026-01-05T04:00:00Z'));
  let stack: Stack;
  let service: StatusService & { base: string };
  let admin: OfficerClient;
  let dbmOfficer: OfficerClient;
  const seeded: Record<string, ComplaintReceived> = {};

  async function intake(
    name: string,
    received: Partial<ComplaintReceived>,
    routed: Partial<ComplaintRouted>,
  ): Promise<ComplaintReceived> {
    const event = receivedEvent(received);
    await stack.bus.publish('aduan.complaint.received.v1', event);
    await stack.bus.publish('aduan.complaint.routed.v1', routedEvent(event, routed));
    seeded[name] = event;
    return event;
  }

  beforeAll(async () => {
    stack = await createStack('status_search', logger);
    service = await start(stack, logger, clock);
    admin = await OfficerClient.signIn(service.base, ADMIN.username, ADMIN.password);
    dbmOfficer = await admin.createOfficer('search.dbm', 'unit_officer', 'DBM');
    // name, text, received (UTC), category, unit, and what else differs from a public WhatsApp report.
    const reports: Array<[string, string, string, string, typeof DSDA, Partial<ComplaintReceived>?]> = [
      [
        'pothole',
        'Jalan berlubang besar di depan SD Cikini, bahaya untuk motor. Hubungi 0812-3456-7890. Terima kasih, Siti Rahmawati',
        '2026-01-04T02:00:00.000Z',
        'Jalan',
        DBM,
      ],
      [
        'drain',
        'Got mampet di Jl. Kramat Raya, air meluap ke jalan',
        '2025-12-20T05:00:00.000Z',
        'Saluran Air, Kali/Sungai',
        DSDA,
      ],
      [
        'drainByMail',
        'Saluran air di Jalan Kenari tersumbat sampah, air menggenang',
        '2026-01-05T01:00:00.000Z',
        'Saluran Air, Kali/Sungai',
        DSDA,
        { channel: 'email' },
      ],
      [
        'tree',
        'Pohon tumbang menutup jalan di Menteng',
        '2025-12-27T23:00:00.000Z',
        'Pohon',
        DBM,
        { channel: 'jaki' },
      ],
      [
        'cafe',
        'Trotoar rusak dan berlubang dekat Café Kopi Kenari',
        '2026-01-03T03:00:00.000Z',
        'Trotoar',
        DBM,
      ],
      [
        'private',
        'Jalan berlubang di gang rumah saya, mohon tidak dipublikasikan',
        '2026-01-02T03:00:00.000Z',
        'Jalan',
        DBM,
        { visibility: 'private' },
      ],
    ];
    for (const [name, text, receivedAt, category, unit, more] of reports)
      await intake(name, { text, receivedAt, ...more }, { category, unit });
    // The routing may land before the complaint itself: both must be in before searching.
    await eventually(async () => {
      const [row] = (await service.db.query(
        `SELECT count(*)::int AS n FROM report WHERE unit IS NOT NULL AND text IS NOT NULL AND id = ANY($1)`,
        [Object.values(seeded).map((r) => r.reportId)],
      )) as Array<{ n: number }>;
      expect(row!.n).toBe(Object.keys(seeded).length);
    });
  });

  afterAll(async () => {
    await service?.stop();
    await stack?.close();
  });

  async function search(query: string, as: OfficerClient = admin): Promise<string[]> {
    const res = await as.get<Page>(`/v1/officer/reports?${query}`);
    expect({ query, status: res.status, body: res.status === 200 ? null : res.body }).toEqual({
      query,
      status: 200,
      body: null,
    });
    const names = Object.fromEntries(Object.entries(seeded).map(([name, r]) => [r.reportId, name]));
    return res.body.items.map((hit) => names[hit.id] ?? hit.trackingCode);
  }

  it('finds reports by words of their public text, word starts, accents folded, and by tracking code', async () => {
    expect(await search('q=berlubang')).toEqual(['pothole', 'cafe']);
    expect(await search('q=lubang')).toEqual([]);
    expect(await search('q=BERLUB')).toEqual(['pothole', 'cafe']);
    expect(await search(`q=${encodeURIComponent('saluran tersumbat')}`)).toEqual(['drainByMail']);
    expect(await search('q=cafe')).toEqual(['cafe']);
    const code = seeded['drain']!.trackingCode;
    expect(await search(`q=${encodeURIComponent(code.toLowerCase().replace('-', ' '))}`)).toEqual(['drain']);
    expect(await search(`q=${code.slice(0, 5)}`)).toEqual(['drain']);
    // A report kept from the public is found by its code, never by its words.
    expect(await search('q=gang')).toEqual([]);
    expect(await search(`q=${seeded['private']!.trackingCode}`)).toEqual(['private']);
  });

  it("never answers, nor finds reports by, the reporter's contact data", async () => {
    const res = await admin.get<Page>('/v1/officer/reports?q=cikini');
    expect(res.body.items.map((hit) => hit.id)).toEqual([seeded['pothole']!.reportId]);
    const answer = JSON.stringify((await admin.get<Page>('/v1/officer/reports?limit=100')).body);
    for (const secret of [REPORTER.name, 'Rahmawati', REPORTER.phone, REPORTER.email, '0812-3456-7890'])
      expect(answer).not.toContain(secret);
    expect(await search('q=Rahmawati')).toEqual([]);
    expect(await search('q=0812')).toEqual([]);
  });

  it('combines every filter, and answers newest first', async () => {
    expect(await search('limit=100')).toEqual(['drainByMail', 'pothole', 'cafe', 'private', 'tree', 'drain']);
    expect(await search(`category=${encodeURIComponent('Saluran Air, Kali/Sungai')}`)).toEqual([
      'drainByMail',
      'drain',
    ]);
    expect(await search(`category=${encodeURIComponent('Saluran Air, Kali/Sungai')}&channel=email`)).toEqual([
      'drainByMail',
    ]);
    expect(await search('unit=DBM&q=jalan')).toEqual(['pothole', 'tree']);
    expect(await search('overdue=true')).toEqual(['tree', 'drain']);
    expect(await search('overdue=true&unit=DSDA')).toEqual(['drain']);
    expect(await search('overdue=false&unit=DSDA')).toEqual(['drainByMail']);
    // Days are Jakarta days: 23:00 UTC on 27 December is 28 December in Jakarta.
    expect(await search('from=2025-12-28&to=2026-01-03')).toEqual(['cafe', 'private', 'tree']);
    expect(await search('from=2026-01-03T10:00:00%2B07:00&to=2026-01-05T00:00:00Z')).toEqual([
      'pothole',
      'cafe',
    ]);
    expect(await search('state=RECEIVED&channel=jaki&overdue=true&to=2025-12-31')).toEqual(['tree']);
    expect(await search('state=COMPLETED,REJECTED')).toEqual([]);
  });

  it('pages by cursor without repeating or skipping a report, while new reports arrive', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { status: number; body: Page } = await admin.get<Page>(
        `/v1/officer/reports?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((hit) => hit.id));
      cursor = res.body.nextCursor;
      // A report arriving between two pages is newer than every page still to come.
      if (++pages === 1) {
        const late = await intake('late', { receivedAt: '2026-01-05T03:59:00.000Z' }, { unit: DSDA });
        await eventually(async () => expect(await search(`q=${late.trackingCode}`)).toEqual(['late']));
      }
    } while (cursor);
    const all = (await admin.get<Page>('/v1/officer/reports?limit=100')).body.items.map((hit) => hit.id);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(all.filter((id) => id !== seeded['late']!.reportId));
  });

  it('answers 400 naming each bad parameter', async () => {
    for (const [query, named] of [
      ['state=NOPE', ['state']],
      ['category=Jalanan', ['category']],
      ['channel=Whats%20App', ['channel']],
      ['unit=NOPE', ['unit']],
      ['from=2026-02-30', ['from']],
      ['from=2026-01-05&to=2026-01-01', ['from']],
      ['to=yesterday', ['to']],
      ['overdue=maybe', ['overdue']],
      ['cursor=not-a-cursor', ['cursor']],
      ['limit=0', ['limit']],
      ['limit=101', ['limit']],
      ['q=%21%21%21', ['q']],
      ['assignee=bob', ['assignee']],
      ['sort=oldest', ['sort']],
      ['state=RECEIVED&state=TRIAGE', ['state']],
      ['limit=0&overdue=maybe', ['overdue', 'limit']],
    ] as const) {
      const res = await admin.get<Problem>(`/v1/officer/reports?${query}`);
      expect({ query, status: res.status, code: res.body.code, problems: res.body.problems }).toEqual({
        query,
        status: 400,
        code: 'VALIDATION_FAILED',
        problems: named,
      });
      for (const name of named) expect(res.body.message).toContain(name);
    }
  });

  it("keeps a unit officer to its own unit's reports", async () => {
    expect(await search('limit=100', dbmOfficer)).toEqual(['pothole', 'cafe', 'private', 'tree']);
    expect(await search(`q=${seeded['drain']!.trackingCode}`, dbmOfficer)).toEqual([]);
    expect(await search('q=saluran', dbmOfficer)).toEqual([]);
    const other = await dbmOfficer.get<Problem>('/v1/officer/reports?unit=DSDA');
    expect(other.status).toBe(403);
    const [audit] = (await service.db.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'search' AND outcome = 'denied' AND unit_code = 'DBM'`,
    )) as Array<{ n: number }>;
    expect(audit!.n).toBe(1);
  });

  /** An open live queue: every `event: report` it hears, as parsed JSON. */
  async function follow(as: OfficerClient) {
    const stop = new AbortController();
    const res = await fetch(`${service.base}/v1/officer/events`, {
      headers: { authorization: `Bearer ${as.token}` },
      signal: stop.signal,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const heard: Array<Record<string, unknown>> = [];
    let ready = false;
    const done = (async () => {
      let buffer = '';
      const decoder = new TextDecoder();
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          buffer += decoder.decode(chunk, { stream: true });
          for (let cut = buffer.indexOf('\n\n'); cut >= 0; cut = buffer.indexOf('\n\n')) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            if (/^event: ready$/m.test(block)) ready = true;
            const data = /^data: (.+)$/m.exec(block)?.[1];
            if (/^event: report$/m.test(block) && data)
              heard.push(JSON.parse(data) as Record<string, unknown>);
          }
        }
      } catch {
        // Aborted by the test when it is done listening.
      }
    })();
    await eventually(() => expect(ready).toBe(true));
    return {
      heard,
      async close() {
        stop.abort();
        await done;
      },
    };
  }

  it("tells an open console of each report that changes, within the officer's scope and with no personal data", async () => {
    expect((await fetch(`${service.base}/v1/officer/events`)).status).toBe(401);
    const city = await follow(admin);
    const unit = await follow(dbmOfficer);
    try {
      const drain = await intake('liveDrain', {}, { unit: DSDA });
      await eventually(() => expect(city.heard.map((e) => e['id'])).toContain(drain.reportId));
      const road = await intake('liveRoad', {}, { unit: DBM });
      await eventually(() => expect(unit.heard.map((e) => e['id'])).toContain(road.reportId));
      await eventually(() => expect(city.heard.map((e) => e['id'])).toContain(road.reportId));
      expect(unit.heard.map((e) => e['id'])).not.toContain(drain.reportId);
      for (const event of [...city.heard, ...unit.heard])
        expect(Object.keys(event).sort()).toEqual(['id', 'trackingCode']);
    } finally {
      await city.close();
      await unit.close();
    }
  });

  it('lists the categories a search filters by', async () => {
    const res = await admin.get<{ items: Array<{ name: string }> }>('/v1/officer/categories');
    expect(res.status).toBe(200);
    expect(res.body.items.map((c) => c.name)).toEqual(expect.arrayContaining(['Jalan', 'Pohon', 'Trotoar']));
  });
});
