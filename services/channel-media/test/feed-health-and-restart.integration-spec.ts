import { runChannel, type RunningChannel } from '@aduan/channel-sdk';
import type { HealthReport } from '@aduan/platform';
import { capturedLogger, createTestDatabase, eventually, type TestDatabase } from '@aduan/testing';
import { massMedia } from '../src/media';
import {
  atom,
  fixture,
  html,
  rss,
  rssItem,
  startFeedServer,
  withNewItems,
  type FeedServer,
} from './feed-server';
import { crmOfficerApi, mediaEnv } from './support';

const WARTA = fixture('warta-ibukota-rss.xml');
const METRO = fixture('kabar-metro-atom.xml');

async function readiness(service: RunningChannel): Promise<{ status: number; report: HealthReport }> {
  const res = await fetch(`http://127.0.0.1:${service.port}/health/ready`);
  return { status: res.status, report: (await res.json()) as HealthReport };
}

describe('channel-media: a feed that gives no feed', () => {
  const { logger, lines } = capturedLogger('channel-media');
  let db: TestDatabase;
  let portals: FeedServer;
  let service: RunningChannel;

  beforeAll(async () => {
    [db, portals] = await Promise.all([
      createTestDatabase('media_health'),
      startFeedServer({
        '/rss/megapolitan': rss(WARTA),
        // A portal that moved its feed answers its "page not found" page with 200.
        '/feed/jakarta': html(fixture('portal-error-page.html')),
        '/atom.xml': { contentType: 'application/atom+xml', body: '\u0000\u0001PK\u0003\u0004garbage' },
      }),
    ]);
    const feeds = [
      `Warta Ibukota=${portals.url}/rss/megapolitan`,
      `Portal Pindah=${portals.url}/feed/jakarta`,
      `Kabar Metro=${portals.url}/atom.xml`,
    ];
    service = await runChannel(massMedia, mediaEnv(db, feeds, { NEWS_POLL_INTERVAL_SECONDS: '1' }), logger);
  });

  afterAll(async () => {
    await service?.stop();
    await portals?.close();
    await db?.drop();
  });

  it('is skipped with a logged reason and shown unhealthy by name, while the other feeds keep going', async () => {
    const { status, report } = await eventually(async () => {
      const r = await readiness(service);
      expect(r.report.checks['feed:Portal Pindah']?.status).toBe('failing');
      expect(r.report.checks['feed:Kabar Metro']?.status).toBe('failing');
      return r;
    });
    expect(status).toBe(503);
    expect(report.checks['feed:Portal Pindah']!.error).toBe(
      'feed "Portal Pindah": answered an HTML page, not RSS or Atom',
    );
    expect(report.checks['feed:Kabar Metro']!.error).toMatch(/^feed "Kabar Metro": is not RSS or Atom/);
    expect(report.checks['feed:Warta Ibukota']).toEqual({ status: 'ok' });
    expect(report.checks['database']).toEqual({ status: 'ok' });

    const warned = lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l['msg'] === 'poll failed, will retry' && l['partition'] === 'Portal Pindah');
    expect(warned?.['error']).toBe('feed "Portal Pindah": answered an HTML page, not RSS or Atom');

    const api = await crmOfficerApi(service);
    await eventually(async () => expect(await api.list()).toHaveLength(3));
    // The broken feeds are asked again, not given up on.
    await eventually(() => expect(portals.hits.get('/feed/jakarta')).toBeGreaterThan(2));
  });

  it('is healthy again, and read, once the portal serves its feed again', async () => {
    portals.feeds.set('/atom.xml', atom(METRO));
    portals.feeds.set('/feed/jakarta', rss(WARTA));
    await eventually(
      async () => {
        const r = await readiness(service);
        expect(r.report.checks['feed:Kabar Metro']).toEqual({ status: 'ok' });
        expect(r.report.checks['feed:Portal Pindah']).toEqual({ status: 'ok' });
        expect(r.status).toBe(200);
      },
      { timeoutMs: 10_000 },
    );
    const api = await crmOfficerApi(service);
    // Kabar Metro's two; Portal Pindah now serves Warta's items, already known by their guids.
    await eventually(async () => expect(await api.list()).toHaveLength(5));
  });
});

describe('channel-media: a restart', () => {
  let db: TestDatabase;
  let portals: FeedServer;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    [db, portals] = await Promise.all([
      createTestDatabase('media_restart'),
      startFeedServer({ '/rss/megapolitan': rss(WARTA), '/atom.xml': atom(METRO) }),
    ]);
    env = mediaEnv(db, [
      `Warta Ibukota=${portals.url}/rss/megapolitan`,
      `Kabar Metro=${portals.url}/atom.xml`,
    ]);
  });

  afterAll(async () => {
    await portals?.close();
    await db?.drop();
  });

  async function run(fn: (service: RunningChannel, lines: string[]) => Promise<void>): Promise<void> {
    const { logger, lines } = capturedLogger('channel-media');
    const service = await runChannel(massMedia, env, logger, { background: false });
    try {
      await fn(service, lines);
    } finally {
      await service.stop();
    }
  }
  const pollAll = async (service: RunningChannel) => {
    await service.pollOnce('feeds', 'Warta Ibukota');
    await service.pollOnce('feeds', 'Kabar Metro');
  };
  const handled = (lines: string[]) =>
    lines.filter((l) => l.includes('"news candidate kept"') || l.includes('"news candidate already known"'));

  it('re-reads nothing and misses nothing that was published while it was down', async () => {
    await run(async (service, lines) => {
      await pollAll(service);
      expect(handled(lines)).toHaveLength(5);
    });

    // News appears while the service is stopped; the Atom feed stays as it was.
    portals.feeds.set(
      '/rss/megapolitan',
      rss(
        withNewItems(WARTA, [
          rssItem({
            guid: 'wi-megapolitan-2026113000600',
            title: 'Lampu Jalan Padam Sepekan di Kelurahan Rawa Bunga',
            description: 'Warga mengeluhkan lampu jalan yang padam sejak sepekan lalu.',
            link: 'https://warta-ibukota.example/megapolitan/2026/11/30/lampu-jalan-padam-rawa-bunga',
          }),
        ]),
      ),
    );

    await run(async (service, lines) => {
      await pollAll(service);
      // Only the new item was taken in; the five known ones were not even looked at again.
      expect(handled(lines)).toHaveLength(1);
      expect(handled(lines)[0]).toContain('"news candidate kept"');
      expect(handled(lines)[0]).toContain('Rawa Bunga');
      const api = await crmOfficerApi(service);
      const pending = await api.list();
      expect(pending).toHaveLength(6);
      expect(new Set(pending.map((c) => c.link)).size).toBe(6);
    });
  });

  it('keeps each item once when a crash lost the cursor after the items were stored', async () => {
    await run(async (service, lines) => {
      // As after a kill -9 between storing a batch and saving its cursor: the feed is read as new.
      await service.context.store.cursors.reset('media', 'feeds:Warta Ibukota');
      await service.pollOnce('feeds', 'Warta Ibukota');
      expect(handled(lines).length).toBeGreaterThan(0);
      expect(handled(lines).every((l) => l.includes('"news candidate already known"'))).toBe(true);
      expect(await (await crmOfficerApi(service)).list()).toHaveLength(6);
    });
  });
});
