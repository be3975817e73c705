import { EventBus } from '@aduan/bus';
import { runChannel, type RunningChannel } from '@aduan/channel-sdk';
import type { ComplaintReceived } from '@aduan/contracts';
import { signOfficerToken } from '@aduan/platform';
import {
  capturedLogger,
  collectEvents,
  createTestDatabase,
  eventually,
  testEnv,
  type TestDatabase,
} from '@aduan/testing';
import { massMedia } from '../src/media';
import { atom, fixture, rss, rssItem, startFeedServer, withNewItems, type FeedServer } from './feed-server';
import { crmOfficerApi, mediaEnv, OFFICER_SECRET as SECRET } from './support';

const WARTA = fixture('warta-ibukota-rss.xml');
const METRO = fixture('kabar-metro-atom.xml');

const NO_LINK_ITEM = `    <item>
      <title>Banjir di Kelurahan Bidara Cina</title>
      <guid isPermaLink="false">wi-megapolitan-2026113000500</guid>
      <description>Tautan artikel hilang dari umpan.</description>
    </item>
`;

describe('channel-media: news feeds to candidates to reports, against a real broker and database', () => {
  const { logger, lines } = capturedLogger('channel-media');
  let db: TestDatabase;
  let portals: FeedServer;
  let service: RunningChannel;
  let bus: EventBus;
  let received: ComplaintReceived[];
  let api: Awaited<ReturnType<typeof crmOfficerApi>>;

  const poll = async () => {
    await service.pollOnce('feeds', 'Warta Ibukota');
    await service.pollOnce('feeds', 'Kabar Metro');
  };
  const kept = () => lines.filter((l) => l.includes('"news candidate kept"')).length;

  beforeAll(async () => {
    [db, portals] = await Promise.all([
      createTestDatabase('media'),
      startFeedServer({ '/rss/megapolitan': rss(WARTA), '/atom.xml': atom(METRO) }),
    ]);
    const env = mediaEnv(db, [
      `Warta Ibukota=${portals.url}/rss/megapolitan`,
      `Kabar Metro=${portals.url}/atom.xml`,
    ]);
    service = await runChannel(massMedia, env, logger, { background: false });
    api = await crmOfficerApi(service);
    bus = new EventBus({
      brokers: testEnv.kafkaBrokers,
      clientId: 'media-test',
      source: '/test',
      logger,
      topicPrefix: env['KAFKA_TOPIC_PREFIX']!,
    });
    await bus.connect();
    received = await collectEvents(bus, 'aduan.complaint.received.v1');
    await poll();
  });

  afterAll(async () => {
    await service?.stop();
    await bus?.close();
    await portals?.close();
    await db?.drop();
  });

  it('keeps the news that names a complaint in a Jakarta place as pending candidates, and nothing else', async () => {
    const pending = await api.list();
    expect(pending.map((c) => c.title).sort()).toEqual([
      'Banjir Setinggi 80 Sentimeter Rendam Permukiman di Kampung Melayu',
      'Genangan Setinggi Lutut di Cempaka Putih Timur Belum Surut',
      'Jalan Berlubang di Jalan Raya Bogor Kramat Jati Bikin Pemotor Terjatuh',
      'Pohon Tumbang Timpa Dua Mobil di Tebet Barat',
      'Sampah Menumpuk di Bantaran Kali Dekat Stasiun Manggarai',
    ]);
    const flood = pending.find((c) => c.title.includes('Kampung Melayu'))!;
    expect(flood).toMatchObject({
      outlet: 'Warta Ibukota',
      link: 'https://warta-ibukota.example/megapolitan/2026/11/30/banjir-setinggi-80-cm-rendam-permukiman-di-kampung-melayu',
      keyword: 'banjir',
      place: { kode: '31.75.03.1001', nama: 'Kampung Melayu', level: 'kelurahan' },
      state: 'pending',
      publishedAt: '2026-11-30T00:12:00.000Z',
      report: null,
    });
    expect(flood.summary).toMatch(/^Hujan deras sejak dini hari/);
    expect(flood.summary).not.toContain('<');
    // Nothing is published before an officer decides.
    expect(received).toHaveLength(0);
  });

  it('reads each item once: an unchanged feed costs a 304, a changed one adds only its new item', async () => {
    const before = kept();
    const hits = portals.hits.get('/rss/megapolitan') ?? 0;
    await poll();
    expect(portals.hits.get('/rss/megapolitan')).toBe(hits + 1);
    expect(kept()).toBe(before);

    portals.feeds.set(
      '/rss/megapolitan',
      rss(
        withNewItems(WARTA, [
          rssItem({
            guid: 'wi-megapolitan-2026113000450',
            title: 'Parkir Liar Penuhi Bahu Jalan di Kelurahan Cipinang Cempedak',
            description: 'Deretan mobil parkir di bahu jalan membuat lalu lintas tersendat setiap sore.',
            link: 'https://warta-ibukota.example/megapolitan/2026/11/30/parkir-liar-cipinang-cempedak',
          }),
        ]),
      ),
    );
    await poll();
    expect(kept()).toBe(before + 1);
    expect((await api.list()).map((c) => c.place.nama)).toContain('Cipinang Cempedak');
    expect(lines.filter((l) => l.includes('"news candidate already known"'))).toHaveLength(0);
  });

  it('quarantines an item without an article link, with the reason, and takes in the rest of the feed', async () => {
    portals.feeds.set(
      '/rss/megapolitan',
      rss(
        withNewItems(WARTA, [
          NO_LINK_ITEM,
          rssItem({
            guid: 'wi-megapolitan-2026113000510',
            title: 'Pohon Tumbang di Kelurahan Bidara Cina Tutup Jalan',
            description: 'Pohon besar tumbang setelah hujan deras dan menutup jalan lingkungan.',
            link: 'https://warta-ibukota.example/megapolitan/2026/11/30/pohon-tumbang-bidara-cina',
          }),
        ]),
      ),
    );
    await poll();
    const quarantined = await service.context.quarantine.list('media');
    expect(quarantined).toHaveLength(1);
    expect(quarantined[0]).toMatchObject({
      ingress: 'poll:feeds',
      sourceId: `${new URL(portals.url).host}:wi-megapolitan-2026113000500`,
    });
    expect(quarantined[0]!.reason).toContain('MEDIA_ITEM_NO_LINK');
    expect(quarantined[0]!.reason).toContain('Warta Ibukota');
    expect((await api.list()).map((c) => c.title)).toContain(
      'Pohon Tumbang di Kelurahan Bidara Cina Tutup Jalan',
    );
  });

  it('promotes a candidate to one report of channel media, with the article as its source, however often it is promoted', async () => {
    const flood = (await api.list()).find((c) => c.title.includes('Kampung Melayu'))!;
    const first = await api.promote(flood.id);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      trackingCode: expect.stringMatching(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/),
      candidate: { id: flood.id, state: 'promoted', decidedBy: 'officer-crm-3' },
    });
    const again = await api.promote(flood.id);
    expect(again.status).toBe(200);
    expect(again.body['trackingCode']).toBe(first.body['trackingCode']);
    expect(again.body['reportId']).toBe(first.body['reportId']);

    const event = await eventually(() => {
      expect(received).toHaveLength(1);
      return received[0]!;
    });
    expect(event).toMatchObject({
      reportId: first.body['reportId'],
      trackingCode: first.body['trackingCode'],
      channel: 'media',
      source: { url: flood.link, receivedAt: '2026-11-30T00:12:00.000Z' },
      reporter: { anonymous: true, answers: false },
      visibility: 'public',
    });
    expect(event.text).toBe(`${flood.title}\n\n${flood.summary}`);
    // The second promote published nothing more.
    await new Promise((r) => setTimeout(r, 1000));
    expect(received).toHaveLength(1);

    expect((await api.list()).map((c) => c.id)).not.toContain(flood.id);
    expect((await api.list('promoted'))[0]).toMatchObject({
      id: flood.id,
      report: { reportId: first.body['reportId'], trackingCode: first.body['trackingCode'] },
    });
    expect((await api.dismiss(flood.id, 'Sudah ditangani')).status).toBe(409);
  });

  it('dismisses a candidate with the reason given, and never makes it a report', async () => {
    const rubbish = (await api.list()).find((c) => c.title.includes('Manggarai'))!;
    expect(await api.dismiss(rubbish.id)).toMatchObject({ status: 400 });
    expect(await api.dismiss(rubbish.id, '   ')).toMatchObject({ status: 400 });
    expect(await api.dismiss(rubbish.id, 'x'.repeat(501))).toMatchObject({ status: 400 });
    const dismissed = await api.dismiss(rubbish.id, 'Berita lama, sudah diangkut petugas');
    expect(dismissed).toMatchObject({
      status: 200,
      body: { candidate: { state: 'dismissed', dismissReason: 'Berita lama, sudah diangkut petugas' } },
    });
    expect((await api.list()).map((c) => c.id)).not.toContain(rubbish.id);
    expect((await api.list('dismissed')).map((c) => c.id)).toEqual([rubbish.id]);
    const promote = await api.promote(rubbish.id);
    expect(promote.status).toBe(409);
    expect(String(promote.body['message'])).toContain('Berita lama');
  });

  it('answers only CRM officers and admins, and names what is wrong with a request', async () => {
    const unit = await signOfficerToken({ sub: 'officer-dbm', role: 'unit_officer', unit: 'DBM' }, SECRET);
    const forged = await signOfficerToken({ sub: 'x', role: 'admin' }, 'not-the-secret-of-this-service');
    expect((await api.call('', { token: null })).status).toBe(401);
    expect((await api.call('', { token: forged })).status).toBe(401);
    expect((await api.call('', { token: unit })).status).toBe(403);
    expect((await api.call('?state=archived')).status).toBe(400);
    expect((await api.call('?limit=0')).status).toBe(400);
    expect((await api.promote('0'.repeat(32))).status).toBe(404);
    expect((await api.promote('../../etc')).status).toBe(404);
  });

  it('never writes a news title or summary into its logs', () => {
    const log = lines.join('\n');
    expect(log).not.toContain('Rendam Permukiman');
    expect(log).not.toContain('Hujan deras');
  });
});
