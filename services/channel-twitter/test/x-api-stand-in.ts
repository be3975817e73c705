import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CitizenMessage } from '@aduan/testing';
import type { ApiV2Includes, MediaObjectV2, PlaceV2, TweetV2, UserV2 } from 'twitter-api-v2';

/** The city's account, as GET /2/users/me answers for the test credentials. */
export const CITY: UserV2 = {
  id: '1700000000000000001',
  name: 'Pemprov DKI Jakarta',
  username: 'DKIJakarta',
};

export const CREDENTIALS = {
  TWITTER_API_KEY: 'test-app-key',
  TWITTER_API_SECRET: 'test-app-secret',
  TWITTER_ACCESS_TOKEN: '1700000000000000001-test-access-token',
  TWITTER_ACCESS_SECRET: 'test-access-secret',
};

/** A post as X stores it, with what its expansions add (author, media, place). */
export interface StoredPost {
  post: TweetV2;
  includes?: ApiV2Includes;
}

export interface StoredDm {
  event: {
    id: string;
    event_type: string;
    text?: string;
    sender_id: string;
    created_at?: string;
    dm_conversation_id?: string;
    attachments?: { media_keys: string[] };
  };
  includes?: ApiV2Includes;
}

/** One answered call, for "when did the adapter ask" and "what did it see". */
export interface Served {
  at: number;
  method: string;
  /** `mentions`, `search:<query>`, `dm`, `me`, `reply`, `dm-send`, `media`. */
  source: string;
  status: number;
  /** The ids in the answer's `data`. */
  ids: string[];
  query: URLSearchParams;
}

export interface XApi {
  url: string;
  /** False: every post and DM sent is answered 503, as in an outage. */
  up: boolean;
  /** False: every call is 401, as after the city revoked the app's access. */
  credentialsWork: boolean;
  /** Posts per page (X's `max_results` is a ceiling, not a promise). */
  pageSize: number;
  /** Each page repeats the last post of the one before it, as X's pages can overlap. */
  overlap: boolean;
  served: Served[];
  replies: Array<{ id: string; inReplyTo?: string; text: string }>;
  dmsSent: Array<{ to: string; text: string }>;
  mention(p: StoredPost): void;
  searchResult(query: string, p: StoredPost): void;
  dm(d: StoredDm): void;
  /** The next answer for this source lists the post again, though it is older than `since_id`. */
  serveAgain(source: string, id: string): void;
  /** Recent search keeps posts from this id on, and refuses an older `since_id` (400). */
  searchKeepsFrom: bigint;
  /** Every read is 429 until this time (epoch seconds), with it in `x-rate-limit-reset`. */
  rateLimitUntil(resetEpochSeconds: number): void;
  /** A photo at `<url>/pbs/<name>`, as pbs.twimg.com serves one, or `<url>/ton/<name>` (a DM's). */
  photo(name: string, bytes: Buffer, type: string, host?: 'pbs' | 'ton'): string;
  /** What the city answered citizens: replies (to: the post) and DMs (to: `dm:<user>`). */
  sent(): CitizenMessage[];
  close(): Promise<void>;
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
  res
    .writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
    .end(JSON.stringify(body));

/** X's problem documents (https://api.x.com/2/problems/...) as the v2 API answers errors. */
const problem = (status: number, title: string) => ({ title, detail: title, type: 'about:blank', status });

const newestFirst = (a: { id: string }, b: { id: string }) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1);

function mergeIncludes(list: Array<ApiV2Includes | undefined>): ApiV2Includes | undefined {
  const out: Required<Pick<ApiV2Includes, 'users' | 'media' | 'places'>> = {
    users: [],
    media: [],
    places: [],
  };
  for (const inc of list) {
    for (const u of inc?.users ?? []) if (!out.users.some((x) => x.id === u.id)) out.users.push(u);
    for (const m of inc?.media ?? [])
      if (!out.media.some((x) => x.media_key === m.media_key)) out.media.push(m);
    for (const p of inc?.places ?? []) if (!out.places.some((x) => x.id === p.id)) out.places.push(p);
  }
  const present = Object.fromEntries(Object.entries(out).filter(([, v]) => v.length));
  return Object.keys(present).length ? (present as ApiV2Includes) : undefined;
}

/**
 * A local stand-in for the X API v2 as the adapter calls it through twitter-api-v2: the mentions
 * timeline, recent search and DM events (newest first, `since_id`, `next_token` pages, the
 * documented `data` / `includes` / `meta` shape), GET /2/users/me, POST /2/tweets and
 * POST /2/dm_conversations/with/:id/messages, checking the OAuth 1.0a header's keys.
 */
export async function startXApi(): Promise<XApi> {
  const mentions: StoredPost[] = [];
  const searches = new Map<string, StoredPost[]>();
  const dms: StoredDm[] = [];
  const again = new Map<string, Set<string>>();
  const photos = new Map<string, { bytes: Buffer; type: string }>();
  let limitedUntil = 0;
  let nextId = 1_900_000_000_000_000_000n;

  const api = {
    up: true,
    credentialsWork: true,
    pageSize: 100,
    overlap: false,
    served: [] as Served[],
    replies: [] as XApi['replies'],
    dmsSent: [] as XApi['dmsSent'],
    searchKeepsFrom: 0n,
  } as XApi;

  function authorised(req: IncomingMessage): boolean {
    const auth = req.headers.authorization ?? '';
    return (
      api.credentialsWork &&
      auth.startsWith('OAuth ') &&
      auth.includes(`oauth_consumer_key="${CREDENTIALS.TWITTER_API_KEY}"`) &&
      auth.includes(`oauth_token="${encodeURIComponent(CREDENTIALS.TWITTER_ACCESS_TOKEN)}"`)
    );
  }

  /** One page of a timeline, as X pages it: newest first, after `since_id`, by `pagination_token`. */
  function page<T extends { id: string }>(
    source: string,
    all: T[],
    query: URLSearchParams,
    includesOf: (item: T) => ApiV2Includes | undefined,
    useSince: boolean,
  ) {
    const since = useSince ? query.get('since_id') : null;
    const replay = again.get(source) ?? new Set<string>();
    const token = query.get('pagination_token');
    const list = all
      .filter((p) => !since || BigInt(p.id) > BigInt(since) || (!token && replay.has(p.id)))
      .sort(newestFirst);
    if (!token) again.delete(source);
    const offset = token ? Number(token.slice(1)) : 0;
    const size = Math.min(api.pageSize, Number(query.get('max_results') ?? 10));
    const items = list.slice(offset, offset + size);
    const nextOffset = offset + size - (api.overlap ? 1 : 0);
    const more = offset + size < list.length;
    const includes = mergeIncludes(items.map(includesOf));
    return {
      ids: items.map((i) => i.id),
      body: {
        ...(items.length ? { data: items } : {}),
        ...(includes ? { includes } : {}),
        meta: {
          result_count: items.length,
          ...(items.length ? { newest_id: items[0]!.id, oldest_id: items[items.length - 1]!.id } : {}),
          ...(more ? { next_token: `p${nextOffset}` } : {}),
        },
      },
    };
  }

  function route(
    req: IncomingMessage,
    body: string,
    res: ServerResponse,
  ): Omit<Served, 'at' | 'method' | 'query'> {
    const url = new URL(req.url ?? '/', 'http://x');
    const q = url.searchParams;
    const path = url.pathname;
    const read = req.method === 'GET';
    // Public media (pbs.twimg.com) for anyone; a DM's (ton.twitter.com) only with the credentials.
    const ton = path.startsWith('/ton/');
    if (read && (path.startsWith('/pbs/') || ton)) {
      if (ton && !authorised(req)) {
        json(res, 401, problem(401, 'Unauthorized'));
        return { source: 'media', status: 401, ids: [] };
      }
      const file = photos.get(path.slice(1));
      if (!file) {
        json(res, 404, problem(404, 'Not Found'));
        return { source: 'media', status: 404, ids: [] };
      }
      res.writeHead(200, { 'content-type': file.type, 'content-length': file.bytes.length }).end(file.bytes);
      return { source: 'media', status: 200, ids: [] };
    }
    const source =
      path === '/2/users/me'
        ? 'me'
        : path === `/2/users/${CITY.id}/mentions`
          ? 'mentions'
          : path === '/2/tweets/search/recent'
            ? `search:${q.get('query')}`
            : path === '/2/dm_events'
              ? 'dm'
              : path === '/2/tweets'
                ? 'reply'
                : path.startsWith('/2/dm_conversations/with/')
                  ? 'dm-send'
                  : 'unknown';
    const answer = (
      status: number,
      payload: unknown,
      ids: string[] = [],
      headers?: Record<string, string>,
    ) => {
      json(res, status, payload, headers);
      return { source, status, ids };
    };
    if (source === 'unknown') return answer(404, problem(404, 'Not Found'));
    if (!authorised(req)) return answer(401, problem(401, 'Unauthorized'));
    if (read && Date.now() < limitedUntil * 1000)
      return answer(429, problem(429, 'Too Many Requests'), [], {
        'x-rate-limit-limit': '450',
        'x-rate-limit-remaining': '0',
        'x-rate-limit-reset': String(limitedUntil),
      });
    if (source === 'me') return answer(200, { data: CITY });
    const since = q.get('since_id');
    if (source.startsWith('search:') && since && BigInt(since) < api.searchKeepsFrom)
      return answer(400, {
        errors: [
          {
            parameters: { since_id: [since] },
            message: `Invalid 'since_id':'${since}'. 'since_id' must be a tweet id created after the start of the last seven days.`,
          },
        ],
        title: 'Invalid Request',
        detail: 'One or more parameters to your request was invalid.',
        type: 'https://api.twitter.com/2/problems/invalid-request',
      });
    if (source === 'mentions' || source.startsWith('search:')) {
      const all = source === 'mentions' ? mentions : (searches.get(q.get('query') ?? '') ?? []);
      const p = page(
        source,
        all.map((s) => s.post),
        q,
        (t) => all.find((s) => s.post.id === t.id)?.includes,
        true,
      );
      return answer(200, p.body, p.ids);
    }
    if (source === 'dm') {
      const p = page(
        'dm',
        dms.map((d) => d.event),
        q,
        (e) => dms.find((d) => d.event.id === e.id)?.includes,
        false,
      );
      return answer(200, p.body, p.ids);
    }
    if (!api.up) return answer(503, problem(503, 'Service Unavailable'));
    const sent = JSON.parse(body || '{}') as { text?: string; reply?: { in_reply_to_tweet_id?: string } };
    if (typeof sent.text !== 'string' || !sent.text) return answer(400, problem(400, 'Invalid Request'));
    const id = String(nextId++);
    if (source === 'reply') {
      if (sent.text.length > 280) return answer(403, problem(403, 'Your Tweet text is too long.'));
      api.replies.push({
        id,
        text: sent.text,
        ...(sent.reply?.in_reply_to_tweet_id ? { inReplyTo: sent.reply.in_reply_to_tweet_id } : {}),
      });
      return answer(201, { data: { id, text: sent.text, edit_history_tweet_ids: [id] } }, [id]);
    }
    api.dmsSent.push({ to: path.split('/')[4]!, text: sent.text });
    return answer(
      201,
      { data: { dm_conversation_id: `${CITY.id}-${path.split('/')[4]}`, dm_event_id: id } },
      [id],
    );
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = Date.now();
      const query = new URL(req.url ?? '/', 'http://x').searchParams;
      const outcome = route(req, Buffer.concat(chunks).toString('utf8'), res);
      api.served.push({ at, method: req.method ?? 'GET', query, ...outcome });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  api.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  api.mention = (p) => void mentions.push(p);
  api.searchResult = (query, p) => void searches.set(query, [...(searches.get(query) ?? []), p]);
  api.dm = (d) => void dms.push(d);
  api.serveAgain = (source, id) => void again.set(source, new Set([...(again.get(source) ?? []), id]));
  api.rateLimitUntil = (reset) => {
    limitedUntil = reset;
  };
  api.photo = (name, bytes, type, host = 'pbs') => {
    photos.set(`${host}/${name}`, { bytes, type });
    return `${api.url}/${host}/${name}`;
  };
  api.sent = () => [
    ...api.replies.map((r) => ({ to: r.inReplyTo ?? '', text: r.text })),
    ...api.dmsSent.map((d) => ({ to: `dm:${d.to}`, text: d.text })),
  ];
  api.close = () => new Promise((resolve) => server.close(() => resolve()));
  return api;
}

/** Snowflake-like ids, newer ones larger, as X issues them. */
let seq = 0n;
export function newId(): string {
  return String(1_800_000_000_000_000_000n + BigInt(Date.now()) * 1000n + seq++);
}

export function citizenPost(
  text: string,
  opts: {
    id?: string;
    author?: UserV2;
    conversation?: string;
    media?: MediaObjectV2[];
    place?: PlaceV2;
    extra?: Partial<TweetV2>;
  } = {},
): StoredPost {
  const id = opts.id ?? newId();
  const author = opts.author ?? { id: newId(), name: 'Budi Santoso', username: `budi${id.slice(-6)}` };
  return {
    post: {
      id,
      text,
      author_id: author.id,
      conversation_id: opts.conversation ?? id,
      created_at: new Date().toISOString(),
      edit_history_tweet_ids: [id],
      ...(opts.media ? { attachments: { media_keys: opts.media.map((m) => m.media_key) } } : {}),
      ...(opts.place ? { geo: { place_id: opts.place.id } as TweetV2['geo'] } : {}),
      ...opts.extra,
    } as TweetV2,
    includes: {
      users: [author],
      ...(opts.media ? { media: opts.media } : {}),
      ...(opts.place ? { places: [opts.place] } : {}),
    },
  };
}

/** A DM event to the city's account, as GET /2/dm_events lists it with `expansions=sender_id`. */
export function citizenDm(text: string, sender?: UserV2, createdAt?: string): StoredDm {
  const from = sender ?? { id: newId(), name: 'Rina', username: `rina${String(seq).slice(-6)}` };
  return {
    event: {
      id: newId(),
      event_type: 'MessageCreate',
      text,
      sender_id: from.id,
      dm_conversation_id: `${CITY.id}-${from.id}`,
      created_at: createdAt ?? new Date().toISOString(),
    },
    includes: { users: [from] },
  };
}
