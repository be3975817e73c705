import { defineConfig, officerTokenSettings } from '@aduan/platform';

/** Words that make a news item a possible complaint; one of them and a Jakarta place must be in it. */
export const DEFAULT_KEYWORDS = [
  'banjir',
  'genangan',
  'tergenang',
  'jalan rusak',
  'jalan berlubang',
  'sampah',
  'macet',
  'kemacetan',
  'parkir liar',
  'pohon tumbang',
  'lampu jalan',
  'saluran tersumbat',
  'got mampet',
  'trotoar',
  'pedagang kaki lima',
  'kebakaran',
  'longsor',
  'pencemaran',
  'limbah',
  'pungli',
];

export const massMediaSettings = defineConfig({
  NEWS_PORT: {
    kind: 'int',
    description: 'HTTP port of channel-media (the officer API for news candidates)',
    default: '3107',
    min: 0,
    max: 65535,
  },
  NEWS_FEEDS: {
    kind: 'list',
    description:
      'RSS or Atom feeds of news portals, comma-separated, each "Outlet name=https://…" (or a bare URL, named by its host); logged at start, so no credentials in them',
    example:
      'Berita Kota=https://berita.example/rss/megapolitan,Warta Jakarta=https://warta.example/atom.xml',
    optional: true,
    offWhenUnset: 'mass-media intake (no news feed is read)',
  },
  NEWS_KEYWORDS: {
    kind: 'list',
    description:
      'Words or phrases (any case) of which a news item must contain one, besides a Jakarta place name, to become a candidate',
    default: DEFAULT_KEYWORDS.join(','),
  },
  NEWS_POLL_INTERVAL_SECONDS: {
    kind: 'int',
    description:
      'Pause between two reads of the same feed; also the longest wait before retrying a failing one',
    default: '300',
    min: 1,
  },
  NEWS_FEED_TIMEOUT_MS: {
    kind: 'int',
    description: 'How long a feed may take to answer before the read counts as failed',
    default: '20000',
    min: 100,
  },
  NEWS_FEED_MAX_BYTES: {
    kind: 'int',
    description: 'Largest feed document read; a larger one is refused and the feed marked unhealthy',
    default: String(5 * 1024 * 1024),
    min: 1024,
  },
  OFFICER_JWKS_URL: {
    ...officerTokenSettings.OFFICER_JWKS_URL,
    offWhenUnset: 'the officer API for news candidates (answering 503)',
  },
  OFFICER_JWT_SECRET: officerTokenSettings.OFFICER_JWT_SECRET,
});
