import { randomUUID } from 'node:crypto';
import { reportIdFor, trackingCodeFor, DEV_TRACKING_SECRET } from '@aduan/channel-sdk';
import type { Channel, ComplaintReceived, ComplaintRouted } from '@aduan/contracts';
import { signOfficerToken } from '@aduan/platform';
import { collectEvents, eventually } from '@aduan/testing';
import { OFFICER_SECRET, publicReport, startStack } from './stack';

describe('routing across channels: duplicates become one incident, rules change without a restart', () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let routed: ComplaintRouted[];

  beforeAll(async () => {
    stack = await startStack('e2e_routing');
    routed = await collectEvents(stack.bus, 'aduan.complaint.routed.v1');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  function complaint(
    channel: Channel,
    text: string,
    lat: number,
    lon: number,
    minutesLater: number,
  ): ComplaintReceived {
    const sourceId = randomUUID();
    const reportId = reportIdFor(channel, sourceId);
    const at = new Date(Date.now() + minutesLater * 60_000).toISOString();
    return {
      reportId,
      trackingCode: trackingCodeFor(reportId, DEV_TRACKING_SECRET),
      channel,
      source: { id: sourceId, receivedAt: at },
      reporter: { anonymous: false, handle: `citizen-${channel}` },
      text,
      attachments: [],
      visibility: 'public',
      receivedAt: at,
      location: { lat, lon },
    };
  }

  async function decisionFor(reportId: string): Promise<ComplaintRouted> {
    return eventually(() => {
      const d = routed.find((r) => r.reportId === reportId);
      if (!d) throw new Error(`no decision for ${reportId} yet`);
      return d;
    });
  }

  it('three reports of one pothole from three channels end as one incident with three followers', async () => {
    const first = complaint(
      'jaki',
      'Jalan berlubang besar di depan halte, motor sering jatuh',
      -6.2441,
      106.8002,
      0,
    );
    const second = complaint(
      'whatsapp',
      'min ada lubang jalan gede bgt di dpn halte, bahaya',
      -6.24415,
      106.80035,
      12,
    );
    const third = complaint(
      'facebook',
      'Lubang di jalan dekat halte belum ditambal juga, tolong segera diperbaiki',
      -6.24395,
      106.8001,
      40,
    );
    await stack.bus.publish('aduan.complaint.received.v1', first);
    const master = await decisionFor(first.reportId);
    expect(master.outcome).toBe('ROUTED');
    await stack.bus.publish('aduan.complaint.received.v1', second);
    await stack.bus.publish('aduan.complaint.received.v1', third);

    for (const dup of [second, third]) {
      const d = await decisionFor(dup.reportId);
      expect(d).toMatchObject({
        outcome: 'DUPLICATE',
        duplicateOf: first.reportId,
        category: master.category,
      });
      expect(d.reasons[0]!.code).toBe('duplicate_of');
    }
    for (const dup of [second, third]) {
      const view = await eventually(async () => {
        const r = await publicReport(stack.statusUrl, dup.trackingCode);
        if (r.state !== 'MERGED') throw new Error(`state ${r.state}`);
        return r;
      });
      // The incident is followed under the duplicate's own code; the master's never shows.
      expect(view['mergedInto']).toBeNull();
      expect(view['incident']).toMatchObject({ state: 'RECEIVED' });
      expect(JSON.stringify(view)).not.toContain(first.trackingCode);
    }
    const masterView = await publicReport(stack.statusUrl, first.trackingCode);
    expect(masterView).toMatchObject({ state: 'RECEIVED', followers: 3 });
  });

  it('an admin changes who handles a category; the next report follows the new rule and names it', async () => {
    const admin = await signOfficerToken({ sub: 'admin-1', role: 'admin' }, OFFICER_SECRET);
    const unit = await signOfficerToken(
      { sub: 'officer-9', role: 'unit_officer', unit: 'DBM' },
      OFFICER_SECRET,
    );
    const get = (path: string, token = admin) =>
      fetch(`${stack.routerUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });

    const current = (await (await get('/v1/admin/rules')).json()) as {
      version: number;
      rules: Array<{ id: string; match: { category?: string } }>;
    };
    expect(current.version).toBe(1);
    const parkingRule = {
      id: 'parkir-liar-jakarta-selatan',
      match: { category: 'Parkir Liar', kotaKode: '31.74' },
      target: { kind: 'KELURAHAN' },
      priority: 200,
      note: 'trial: kelurahan handles parking in Jakarta Selatan',
    };

    const put = (body: object, token = admin) =>
      fetch(`${stack.routerUrl}/v1/admin/rules`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await put({ rules: [...current.rules, parkingRule] }, unit)).status).toBe(403);
    const bad = await put({
      rules: [...current.rules, { ...parkingRule, target: { kind: 'OPD', opd: 'NOPE' } }],
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toContain('"NOPE" is not a known OPD');
    const saved = await put({ rules: [...current.rules, parkingRule], note: 'parking trial', basedOn: 1 });
    expect(saved.status).toBe(200);
    expect(((await saved.json()) as { version: number }).version).toBe(2);
    expect((await put({ rules: current.rules, basedOn: 1 })).status).toBe(409);

    const audit = (await (await get('/v1/admin/rules/audit')).json()) as {
      items: Array<{ version: number; actor: string; summary: { added: string[] } }>;
    };
    expect(audit.items[0]).toMatchObject({
      version: 2,
      actor: 'admin-1',
      summary: { added: ['parkir-liar-jakarta-selatan'] },
    });

    // Blok M, Jakarta Selatan: no restart in between.
    const parking = complaint(
      'jaki',
      'Parkir liar di trotoar depan Blok M Square, pejalan kaki terpaksa jalan di aspal',
      -6.2443,
      106.8004,
      0,
    );
    await stack.bus.publish('aduan.complaint.received.v1', { ...parking, category: 'Parkir Liar' });
    const decision = await decisionFor(parking.reportId);
    expect(decision.rule).toEqual({ id: 'parkir-liar-jakarta-selatan', version: 2 });
    expect(decision.unit!.name).toMatch(/^Kelurahan /);
    expect(decision.unit!.code).toBe(decision.area!.kelurahan.kode);
  });

  it('refuses the admin API without a valid officer token', async () => {
    expect((await fetch(`${stack.routerUrl}/v1/admin/rules`)).status).toBe(401);
    const forged = await signOfficerToken({ sub: 'x', role: 'admin' }, 'not-the-secret-not-the-secret-!!!');
    expect(
      (await fetch(`${stack.routerUrl}/v1/admin/rules`, { headers: { authorization: `Bearer ${forged}` } }))
        .status,
    ).toBe(401);
  });
});
