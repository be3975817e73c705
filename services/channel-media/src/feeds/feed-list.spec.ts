import { ConfigError } from '@aduan/platform';
import { parseFeedList } from './feed-list';

describe('NEWS_FEEDS', () => {
  it('reads named feeds and bare URLs, a bare URL named by its host', () => {
    const feeds = parseFeedList([
      'Warta Ibukota=https://warta-ibukota.example/rss?kanal=megapolitan&x=1',
      'https://kabar-metro.example/atom.xml',
    ]);
    expect(feeds.map((f) => [f.name, f.url.toString()])).toEqual([
      ['Warta Ibukota', 'https://warta-ibukota.example/rss?kanal=megapolitan&x=1'],
      ['kabar-metro.example', 'https://kabar-metro.example/atom.xml'],
    ]);
  });

  it('refuses what is no http(s) feed, and a name given twice, all at once', () => {
    let refusal: unknown;
    try {
      parseFeedList([
        'Warta=ftp://warta.example/rss',
        'not a url',
        'A=https://a.example/1',
        'A=https://a.example/2',
      ]);
    } catch (err) {
      refusal = err;
    }
    expect(refusal).toBeInstanceOf(ConfigError);
    expect((refusal as ConfigError).problems).toEqual([
      'NEWS_FEEDS: "Warta=ftp://warta.example/rss" is not "Outlet name=https://…" nor a URL',
      'NEWS_FEEDS: "not a url" is not "Outlet name=https://…" nor a URL',
      'NEWS_FEEDS: the name "A" is given to two feeds; name each feed once',
    ]);
  });
});
