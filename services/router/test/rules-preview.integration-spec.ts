import { EventBus } from '@aduan/bus';
import type { ComplaintReceived, ComplaintRouted } from '@aduan/contracts';
import { signOfficerToken } from '@aduan/platform';
import type { RoutingRule } from '@aduan/routing';
import {
  capturedLogger,
  collectEvents,
  createTestDatabase,
  eventually,
  testEnv,
  uniqueTopicPrefix,
  type TestDatabase,
} from '@aduan/testing';
import { startRouter, type RouterService } from '../src/app';
import { receivedComplaint } from './received';

const SECRET = 'router-test-officer-secret-of-32-bytes!';
const POTHOLE = 'Jalan berlubang dalam di depan SD, bahaya buat motor';
const GARBAGE = 'Sampah menumpuk di pinggir jalan sudah seminggu tidak diangkut, bau sekali';

interface Preview {
  basedOn: number;
  considered: number;
  changed: number;
  items: Array<{
    trackingCode: string;
    category: string | null;
    kelurahan: { kode: string; nama: string } | null;
    before: { outcome: string; unit: { code: string } | null; rule: string | null; version: number | null };
    after: { outcome: string; unit: { code: string; name: string } | null; rule: string | null };
    changed: boolean;
  }>;
}

/**
 * The rules editor's preview replays a draft on the last complaints the router decided, from its
 * own store of routing facts (ADR 0075); publishing the draft routes the next complaint, and a
 * rollback puts an earlier version back as a new one.
 */
describe('router: previewing a draft rule set on recent complaints, publishing and rolling back', () => {
  const { logger } = capturedLogger('router');
  let database: TestDatabase;
  let bus: EventBus;
  let router: RouterService;
  let routed: ComplaintRouted[];
  let base: string;
  let admin: string;
  let crm: string;

  const complaint = (text: string, lat: number, lon: number) => receivedComplaint(text, lat, lon);

  async function decided(c: ComplaintReceived): Promise<ComplaintRouted> {
    await bus.publish('aduan.complaint.received.v1', c);
    let found: ComplaintRouted | undefined;
    await eventually(() => {
      found = routed.find((r) => r.reportId === c.reportId);
      expect(found).toBeDefined();
    });
    return found!;
  }

  async function call<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    token = admin,
  ) {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as T & { message?: string } };
  }

  beforeAll(async () => {
    database = await createTestDatabase('router_preview');
    const prefix = uniqueTopicPrefix();
    bus = new EventBus({
      brokers: testEnv.kafkaBrokers,
      clientId: 'router-preview-test',
      source: '/test',
      logger,
      topicPrefix: prefix,
    });
    await bus.connect();
    await bus.ensureTopics(['aduan.complaint.received.v1', 'aduan.complaint.routed.v1']);
    routed = await collectEvents(bus, 'aduan.complaint.routed.v1');
    router = await startRouter(
      {
        ROUTER_PORT: '0',
        DATABASE_URL: database.url,
        KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
        KAFKA_TOPIC_PREFIX: prefix,
        OFFICER_JWT_SECRET: SECRET,
      },
      logger,
    );
    base = `http://127.0.0.1:${router.port}`;
    admin = await signOfficerToken({ sub: 'admin-1', role: 'admin' }, SECRET);
    crm = await signOfficerToken({ sub: 'crm-1', role: 'crm_officer' }, SECRET);
  }, 60_000);

  afterAll(async () => {
    await router?.stop();
    await bus?.close();
    await database?.drop();
  });

  it('shows which recent complaints a draft routes elsewhere, publishes it for the next one, and rolls back', async () => {
    // Two potholes and a heap of garbage, in two kota; all routed by the default rules.
    const first = await decided(complaint(POTHOLE, -6.1706, 106.810469));
    const garbage = await decided(complaint(GARBAGE, -6.2615, 106.8106));
    const second = await decided(complaint(POTHOLE, -6.2297, 106.8295));
    for (const r of [first, garbage, second]) expect(r.outcome).toBe('ROUTED');
    const road = first.category!;
    expect(second.category).toBe(road);
    expect(garbage.category).not.toBe(road);

    const current = await call<{ version: number; rules: RoutingRule[] }>('GET', '/v1/admin/rules');
    const draft: RoutingRule[] = [
      ...current.body.rules,
      {
        id: 'jalan-ke-kelurahan',
        match: { category: road, kotaKode: first.area!.kota.kode },
        target: { kind: 'KELURAHAN' },
        priority: 200,
        note: 'jalan lingkungan di kota ini ditangani kelurahan',
      },
    ];
    const preview = await call<Preview>('POST', '/v1/admin/rules/preview', { rules: draft, limit: 2 });
    expect(preview.status).toBe(200);
    // The last two received, newest first; only the pothole in that kota moves.
    expect(preview.body).toMatchObject({ basedOn: current.body.version, considered: 2, changed: 0 });
    expect(preview.body.items.map((i) => i.trackingCode)).toEqual([
      second.trackingCode,
      garbage.trackingCode,
    ]);

    const wider = await call<Preview>('POST', '/v1/admin/rules/preview', { rules: draft, limit: 50 });
    expect(wider.body).toMatchObject({ considered: 3, changed: 1 });
    const moved = wider.body.items.find((i) => i.changed)!;
    expect(moved).toMatchObject({
      trackingCode: first.trackingCode,
      category: road,
      kelurahan: { kode: first.area!.kelurahan.kode },
      before: { outcome: 'ROUTED', unit: { code: first.unit!.code }, rule: first.rule!.id },
      after: { outcome: 'ROUTED', unit: { code: first.area!.kelurahan.kode }, rule: 'jalan-ke-kelurahan' },
    });
    // Nothing was stored: the rules in force are the same version.
    expect((await call<{ version: number }>('GET', '/v1/admin/rules')).body.version).toBe(
      current.body.version,
    );
    // The store holds facts only: no text and no reporter.
    const columns = (await router.db.query(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'routing_recent_input'`,
    )) as Array<{ column_name: string }>;
    expect(columns.map((c) => c.column_name)).not.toEqual(expect.arrayContaining(['text']));
    const stored = JSON.stringify(await router.db.query('SELECT * FROM routing_recent_input'));
    expect(stored).not.toContain('berlubang');

    const published = await call<{ version: number }>('PUT', '/v1/admin/rules', {
      rules: draft,
      basedOn: current.body.version,
      note: 'jalan di kota ini ke kelurahan',
    });
    expect(published).toMatchObject({ status: 200, body: { version: current.body.version + 1 } });
    const next = await decided(complaint(POTHOLE, -6.1709, 106.8109));
    expect(next.rule).toEqual({ id: 'jalan-ke-kelurahan', version: current.body.version + 1 });
    expect(next.unit!.code).toBe(next.area!.kelurahan.kode);

    const back = await call<{ version: number; rules: RoutingRule[] }>('POST', '/v1/admin/rules/rollback', {
      version: current.body.version,
      basedOn: current.body.version + 1,
    });
    expect(back.status).toBe(200);
    expect(back.body.version).toBe(current.body.version + 2);
    expect(back.body.rules).toEqual(current.body.rules);
    const [audit] = (await call<{ items: Array<Record<string, unknown>> }>('GET', '/v1/admin/rules/audit'))
      .body.items;
    expect(audit).toMatchObject({
      version: current.body.version + 2,
      actor: 'admin-1',
      action: 'rollback',
      summary: { removed: ['jalan-ke-kelurahan'], restores: current.body.version },
    });
    const after = await decided(complaint(POTHOLE, -6.1712, 106.8112));
    expect(after.rule).toEqual({ id: first.rule!.id, version: current.body.version + 2 });
  }, 90_000);

  it('refuses hostile previews and rollbacks by name, and only admins may use them', async () => {
    const { body: current } = await call<{ version: number; rules: RoutingRule[] }>('GET', '/v1/admin/rules');
    const refused: Array<[string, unknown, number, RegExp]> = [
      ['/v1/admin/rules/preview', { rules: 'all of them' }, 400, /body must be/],
      [
        '/v1/admin/rules/preview',
        { rules: current.rules, limit: 0 },
        400,
        /limit must be a whole number from 1 to 500/,
      ],
      ['/v1/admin/rules/preview', { rules: current.rules, limit: 501 }, 400, /limit/],
      ['/v1/admin/rules/preview', { rules: current.rules, limit: '10' }, 400, /limit/],
      [
        '/v1/admin/rules/preview',
        { rules: [{ id: 'x', match: {}, target: { kind: 'OPD', opd: 'NOT_AN_OPD' } }] },
        400,
        /not a known OPD/,
      ],
      ['/v1/admin/rules/preview', '{"rules": [', 400, /./],
      ['/v1/admin/rules/rollback', { version: 'one' }, 400, /body must be/],
      ['/v1/admin/rules/rollback', { version: 999_999 }, 404, /version 999999 does not exist/],
      ['/v1/admin/rules/rollback', { version: 1, basedOn: 1 }, 409, /changed meanwhile/],
      ['/v1/admin/rules/rollback', { version: 1, note: { html: '<b>' } }, 400, /note must be a string/],
    ];
    for (const [path, body, status, message] of refused) {
      const res = await call('POST', path, body);
      expect({ path, body, status: res.status }).toEqual({ path, body, status });
      expect(String(res.body.message)).toMatch(message);
    }
    expect((await call('POST', '/v1/admin/rules/preview', { rules: current.rules }, crm)).status).toBe(403);
    expect((await call('POST', '/v1/admin/rules/rollback', { version: 1 }, crm)).status).toBe(403);
    expect((await call('POST', '/v1/admin/rules/preview', { rules: current.rules }, 'forged')).status).toBe(
      401,
    );
    // Nothing refused changed the rules.
    expect((await call<{ version: number }>('GET', '/v1/admin/rules')).body.version).toBe(current.version);
  });
});
