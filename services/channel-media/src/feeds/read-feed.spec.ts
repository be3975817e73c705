import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FeedUnreadable, parseFeed } from './read-feed';

const fixture = (name: string) => readFileSync(join(__dirname, '../../test/fixtures', name), 'utf8');
const warta = { name: 'Warta Ibukota', url: new URL('https://warta-ibukota.example/rss/megapolitan') };
const metro = { name: 'Kabar Metro', url: new URL('https://kabar-metro.example/atom.xml') };

describe('parseFeed', () => {
  it('reads an RSS 2.0 feed: guid, link, title, the HTML description and the date of each item', async () => {
    const { title, entries } = await parseFeed(warta, fixture('warta-ibukota-rss.xml'));
    expect(title).toBe('Warta Ibukota - Megapolitan');
    expect(entries).toHaveLength(5);
    expect(entries[0]).toMatchObject({
      feed: 'Warta Ibukota',
      guid: 'wi-megapolitan-2026113000417',
      link: 'https://warta-ibukota.example/megapolitan/2026/11/30/banjir-setinggi-80-cm-rendam-permukiman-di-kampung-melayu',
      title: 'Banjir Setinggi 80 Sentimeter Rendam Permukiman di Kampung Melayu',
      published: '2026-11-30T00:12:00.000Z',
    });
    expect(entries[0]!.summary).toContain('Kampung Melayu, Jatinegara');
    // RSS makes guid optional: the Manggarai item has none.
    expect(entries[4]!.guid).toBeUndefined();
  });

  it('reads an Atom feed: the entry id is its guid, the alternate link its article', async () => {
    const { title, entries } = await parseFeed(metro, fixture('kabar-metro-atom.xml'));
    expect(title).toBe('Kabar Metro');
    expect(entries.map((e) => e.guid)).toEqual([
      'tag:kabar-metro.example,2026:berita/48213',
      'tag:kabar-metro.example,2026:berita/48207',
      'tag:kabar-metro.example,2026:berita/48199',
    ]);
    expect(entries[0]).toMatchObject({
      link: 'https://kabar-metro.example/berita/48213/pohon-tumbang-timpa-dua-mobil-di-tebet-barat',
      title: 'Pohon Tumbang Timpa Dua Mobil di Tebet Barat',
      published: '2026-11-30T00:40:00.000Z',
    });
    expect(entries[0]!.summary).toContain('Kelurahan Tebet Barat');
  });

  it.each([
    [
      'an HTML page',
      fixture('portal-error-page.html'),
      /"Warta Ibukota": answered an HTML page, not RSS or Atom/,
    ],
    ['an empty answer', '  \n', /"Warta Ibukota": answered an empty document/],
    ['JSON', '{"status":"maintenance"}', /"Warta Ibukota": is not RSS or Atom/],
    ['XML that is no feed', '<?xml version="1.0"?><sitemap><url>x</url></sitemap>', /is not RSS or Atom/],
    ['a truncated feed', fixture('warta-ibukota-rss.xml').slice(0, 900), /is not RSS or Atom/],
  ])('refuses %s, naming the feed and why', async (_what, body, reason) => {
    const refusal = await parseFeed(warta, body).catch((err: unknown) => err);
    expect(refusal).toBeInstanceOf(FeedUnreadable);
    expect((refusal as Error).message).toMatch(reason);
  });
});
