import { mediaSettings } from '@aduan/channel-sdk';
import { defineConfig } from '@aduan/platform';

const credential = (description: string) =>
  ({ kind: 'string', description, secret: true, optional: true }) as const;

export const twitterSettings = defineConfig({
  TWITTER_PORT: {
    kind: 'int',
    description: 'HTTP port of channel-twitter (health, metrics and GET /media/{sha256})',
    default: '3102',
    min: 0,
    max: 65535,
  },
  // Replies are posts written as the city's account, which X allows only with a user-context
  // token; OAuth 1.0a user tokens do not expire (OAuth 2.0 user tokens last two hours), so
  // one set of them reads mentions, searches, DMs and posts replies (ADR 0016).
  TWITTER_API_KEY: credential("The X app's API key (OAuth 1.0a consumer key)"),
  TWITTER_API_SECRET: credential("The X app's API key secret (OAuth 1.0a consumer secret)"),
  TWITTER_ACCESS_TOKEN: {
    ...credential(
      "The city account's access token for the app (OAuth 1.0a, read and write, and direct messages to read DMs); the four TWITTER_API_* / TWITTER_ACCESS_* are needed together",
    ),
    offWhenUnset: 'the X (Twitter) channel (intake and replies)',
  },
  TWITTER_ACCESS_SECRET: credential("The city account's access token secret (OAuth 1.0a)"),
  TWITTER_ACCOUNT_ID: {
    kind: 'string',
    description:
      "The city account's numeric user id: its mentions are read, its own posts are never complaints. Unset: the account the access token belongs to (GET /2/users/me)",
    example: '1234567890',
    optional: true,
  },
  TWITTER_SEARCH_QUERIES: {
    kind: 'string',
    description:
      'Named searches read besides the mentions, name=query separated by ";" (X search syntax, the last seven days). Each name keeps its own position',
    example: 'governor=to:GubernurJakarta OR @GubernurJakarta;deputy=to:WagubJakarta OR @WagubJakarta',
    default: '',
  },
  TWITTER_DIRECT_MESSAGES: {
    kind: 'bool',
    description:
      'Read direct messages to the city account and answer them by DM (needs the app\u2019s Direct Messages permission)',
    default: 'true',
  },
  TWITTER_API_BASE_URL: {
    kind: 'url',
    description: 'The X API (a stand-in in tests)',
    default: 'https://api.x.com',
  },
  TWITTER_POLL_INTERVAL_SECONDS: {
    kind: 'int',
    description:
      'Pause between two reads of each source (mentions, each search, DMs); keep it within the API plan\u2019s rate limits',
    default: '60',
    min: 1,
  },
  TWITTER_RETRY_MAX_SECONDS: {
    kind: 'int',
    description: 'Longest wait before asking X again after a failure (a refused token, an outage)',
    default: '300',
    min: 1,
  },
  TWITTER_DM_CONVERSATION_WINDOW_HOURS: {
    kind: 'int',
    description:
      'A citizen writing a DM again within this many hours adds to their open report (posts continue a report only within their own conversation)',
    default: '24',
    min: 0,
  },
  ...mediaSettings,
});

export interface SearchQuery {
  name: string;
  query: string;
}

/** `governor=to:X OR @X;deputy=…` → named queries; each name is a partition with its own cursor. */
export function parseSearchQueries(setting: string): SearchQuery[] {
  const queries = setting
    .split(';')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const eq = entry.indexOf('=');
      const name = entry.slice(0, eq).trim();
      const query = entry.slice(eq + 1).trim();
      if (eq < 1 || !/^[a-z0-9_-]{1,40}$/i.test(name) || !query)
        throw new Error(
          `TWITTER_SEARCH_QUERIES: "${entry.slice(0, 60)}" is not name=query (a name of letters, digits, - or _)`,
        );
      return { name: name.toLowerCase(), query };
    });
  const names = queries.map((q) => q.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice) throw new Error(`TWITTER_SEARCH_QUERIES: the name "${twice}" is used twice`);
  return queries;
}
