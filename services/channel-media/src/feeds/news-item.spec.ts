import { PermanentError } from '@aduan/channel-sdk';
import { fingerprint, htmlToText, itemKey, toNewsItem } from './news-item';

const feedUrl = new URL('https://warta-ibukota.example/rss/megapolitan');
const entry = {
  feed: 'Warta Ibukota',
  guid: 'wi-megapolitan-2026113000417',
  link: 'https://warta-ibukota.example/megapolitan/2026/11/30/banjir-kampung-melayu',
  title: 'Banjir Setinggi 80 Sentimeter Rendam Permukiman di Kampung Melayu',
  summary:
    '<p><img src="https://img.example/x.jpg" /></p><p>Kali Ciliwung meluap &amp; warga mengungsi.</p><p>Baca juga: <a href="/x">Katulampa</a></p>',
  published: '2026-11-30T00:12:00.000Z',
};

describe('a news item', () => {
  it('is made plain: HTML gone, entities decoded, paragraphs kept as lines', () => {
    const item = toNewsItem(entry, feedUrl);
    expect(item).toEqual({
      key: 'warta-ibukota.example:wi-megapolitan-2026113000417',
      feed: 'Warta Ibukota',
      title: entry.title,
      summary: 'Kali Ciliwung meluap & warga mengungsi.\nBaca juga: Katulampa',
      link: entry.link,
      publishedAt: new Date('2026-11-30T00:12:00.000Z'),
    });
  });

  it('is known by a URI guid in every feed, by a plain guid only within its portal, else by its link', () => {
    const other = new URL('https://berita-lain.example/feed');
    expect(itemKey({ guid: 'tag:kabar-metro.example,2026:berita/48213' }, feedUrl)).toBe(
      itemKey({ guid: 'tag:kabar-metro.example,2026:berita/48213' }, other),
    );
    expect(itemKey({ guid: '48213' }, feedUrl)).not.toBe(itemKey({ guid: '48213' }, other));
    expect(itemKey({ link: '/megapolitan/sampah' }, feedUrl)).toBe(
      'https://warta-ibukota.example/megapolitan/sampah',
    );
  });

  it('has the same fingerprint however often it is read, and another than its neighbour', () => {
    expect(fingerprint(entry, feedUrl)).toBe(fingerprint({ ...entry }, feedUrl));
    expect(fingerprint(entry, feedUrl)).not.toBe(fingerprint({ ...entry, guid: 'wi-2' }, feedUrl));
  });

  it('takes a permalink guid as its link when it has no <link>', () => {
    const item = toNewsItem(
      { feed: 'x', guid: 'https://warta-ibukota.example/a/1', title: 'Banjir' },
      feedUrl,
    );
    expect(item.link).toBe('https://warta-ibukota.example/a/1');
  });

  it.each([
    [
      'no link at all',
      { feed: 'Warta Ibukota', guid: 'wi-1', title: 'Banjir di Tebet' },
      'MEDIA_ITEM_NO_LINK',
    ],
    ['a javascript: link', { ...entry, link: 'javascript:alert(1)', guid: 'wi-2' }, 'MEDIA_ITEM_NO_LINK'],
    [
      'neither title nor summary',
      { feed: 'Warta Ibukota', link: entry.link, title: ' <b></b> ' },
      'MEDIA_ITEM_EMPTY',
    ],
  ])('with %s can never become a report', (_what, bad, code) => {
    let refusal: unknown;
    try {
      toNewsItem(bad, feedUrl);
    } catch (err) {
      refusal = err;
    }
    expect(refusal).toBeInstanceOf(PermanentError);
    expect(refusal).toMatchObject({ code });
    expect((refusal as Error).message).toContain('Warta Ibukota');
  });

  it('drops scripts and styles from descriptions', () => {
    expect(htmlToText('<style>p{}</style><p>Sampah</p><script>alert(1)</script>&#8211; &#x41;')).toBe(
      'Sampah\n– A',
    );
  });
});
