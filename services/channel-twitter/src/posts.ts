/**
 * X API v2 posts and direct messages as the conversation rules read them. Pure functions over
 * the documented payloads (docs.x.com data dictionary), unit-tested with its examples.
 */
import { PermanentError, type InboundMessage } from '@aduan/channel-sdk';
import type { Attachment, GeoPoint } from '@aduan/contracts';
import type { ApiV2Includes, MediaObjectV2, PlaceV2, TweetV2, TwitterApiv2, UserV2 } from 'twitter-api-v2';

/** A page of `GET /2/dm_events` (the library does not export the DM types by name). */
export type DmEventsPage = Awaited<ReturnType<TwitterApiv2['listDmEvents']>>['data'];
export type DMEventV2 = NonNullable<DmEventsPage['data']>[number];

/** One post of a source (the mentions, or a named search), with what its expansions say about it. */
export interface SourcePost {
  /** The partition that read it: `mentions` or `search:<name>`. */
  source: string;
  post: TweetV2;
  author?: UserV2;
  media: MediaObjectV2[];
  place?: PlaceV2;
}

/** One direct message to the city's account, with its sender and media. */
export interface SourceDm {
  event: DMEventV2;
  sender?: UserV2;
  media: MediaObjectV2[];
}

/** A file a post links to, fetched into the media store by the adapter. */
export interface MediaLink {
  url: string;
  filename: string;
  /** A still of a video: said so on the report, with where the video is. */
  stillOf?: string;
}

/** The query parameters that ask X for what a report is made of (expansions and fields). */
export const POST_FIELDS = {
  expansions: 'author_id,attachments.media_keys,geo.place_id,referenced_tweets.id',
  'tweet.fields': 'created_at,author_id,conversation_id,referenced_tweets,attachments,geo,lang,entities',
  'user.fields': 'username,name',
  'media.fields': 'url,preview_image_url,type,alt_text',
  'place.fields': 'full_name,geo,name,country_code,place_type',
} as const;

export const DM_FIELDS = {
  event_types: 'MessageCreate',
  'dm_event.fields': 'id,text,event_type,created_at,sender_id,dm_conversation_id,attachments',
  expansions: 'sender_id,attachments.media_keys',
  'user.fields': 'username,name',
  'media.fields': 'url,preview_image_url,type',
} as const;

const SNOWFLAKE = /^\d{1,20}$/;
/** X's snowflake ids carry their creation time: milliseconds since this epoch, shifted by 22 bits. */
const X_EPOCH_MS = 1288834974657n;
const TRACKING_CODE = /\b[2-9A-HJKMNP-TV-Z]{5}-[2-9A-HJKMNP-TV-Z]{5}\b/g;

/** Joins a page's posts with their expansions (`includes`), oldest first as they were written. */
export function postsOf(
  page: { data?: TweetV2[] | TweetV2; includes?: ApiV2Includes },
  source: string,
): SourcePost[] {
  const posts = page.data === undefined ? [] : Array.isArray(page.data) ? page.data : [page.data];
  const users = new Map((page.includes?.users ?? []).map((u) => [u.id, u]));
  const media = new Map((page.includes?.media ?? []).map((m) => [m.media_key, m]));
  const places = new Map((page.includes?.places ?? []).map((p) => [p.id, p]));
  return posts
    .map((post) => {
      const author = post.author_id ? users.get(post.author_id) : undefined;
      const place = post.geo?.place_id ? places.get(post.geo.place_id) : undefined;
      return {
        source,
        post,
        ...(author ? { author } : {}),
        media: (post.attachments?.media_keys ?? []).flatMap((k) => media.get(k) ?? []),
        ...(place ? { place } : {}),
      };
    })
    .reverse(); // X lists newest first; a reply must come after the post it answers
}

export function dmsOf(page: { data?: DMEventV2[]; includes?: ApiV2Includes }): SourceDm[] {
  const users = new Map((page.includes?.users ?? []).map((u) => [u.id, u]));
  const media = new Map((page.includes?.media ?? []).map((m) => [m.media_key, m]));
  return (page.data ?? [])
    .map((event) => {
      const sender = event.sender_id ? users.get(event.sender_id) : undefined;
      return {
        event,
        ...(sender ? { sender } : {}),
        media: (event.attachments?.media_keys ?? []).flatMap((k: string) => media.get(k) ?? []),
      };
    })
    .reverse();
}

/** X escapes these three in `text`; the report keeps what the citizen wrote. */
function unescapeText(text: string): string {
  return text
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&')
    .replaceAll('\u0000', '')
    .slice(0, 100_000);
}

/** The words a post adds of its own: without @mentions and links. */
function ownWords(text: string): string {
  return text
    .replace(/(^|\s)@\w+/g, ' ')
    .replace(/https?:\/\/\S+/g, ' ')
    .trim();
}

/**
 * Why a post is not a citizen's complaint, or null when it is one: the city's own posts (and
 * its replies), retweets, and quotes that add no words and no photo of their own.
 */
export function notAComplaint(p: SourcePost, cityAccountId: string): string | null {
  if (p.post.author_id === cityAccountId) return 'own-post';
  const refs = p.post.referenced_tweets ?? [];
  if (refs.some((r) => r.type === 'retweeted')) return 'retweet';
  if (refs.some((r) => r.type === 'quoted') && !ownWords(p.post.text ?? '') && !p.media.length)
    return 'bare-quote';
  return null;
}

/** The files of a post worth keeping: photos, and the still of a video or GIF. */
export function mediaLinks(media: readonly MediaObjectV2[], postUrl: string): MediaLink[] {
  return media.flatMap((m): MediaLink[] => {
    if (m.type === 'photo' && m.url) return [{ url: m.url, filename: fileName(m.url, m.media_key) }];
    if (m.preview_image_url)
      return [
        { url: m.preview_image_url, filename: fileName(m.preview_image_url, m.media_key), stillOf: postUrl },
      ];
    return [];
  });
}

function fileName(url: string, key: string): string {
  const last = /\/([^/?#]+)(?:[?#]|$)/.exec(url)?.[1];
  return last && /^[\w.-]{1,100}$/.test(last) ? last : `${key}.jpg`;
}

function receivedAt(id: string, createdAt: string | undefined): Date {
  if (createdAt !== undefined) {
    const at = Date.parse(createdAt);
    // X said when it was written, and that cannot be read: the same bytes never will be.
    if (Number.isNaN(at)) throw new PermanentError('MALFORMED_POST', 'created_at is not a date');
    return new Date(at);
  }
  // Asked for, but a response without it still tells the time by its id.
  return new Date(Number((BigInt(id) >> 22n) + X_EPOCH_MS));
}

function validLatLon(lat: number, lon: number): boolean {
  return Number.isFinite(lat) && Number.isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180;
}

/**
 * Where a post is: its exact point when the citizen shared one, else the centre of its tagged
 * place, with half the place's size as the accuracy (a city says little, a venue much).
 */
export function locationOf(post: TweetV2, place: PlaceV2 | undefined): GeoPoint | undefined {
  const point = post.geo?.coordinates?.coordinates;
  if (point && validLatLon(point[1], point[0]))
    return { lat: point[1], lon: point[0], ...(place ? { address: place.full_name } : {}) };
  const box = place?.geo?.bbox;
  if (!place || !box || box.length !== 4) return undefined;
  const [west, south, east, north] = box as [number, number, number, number];
  const lat = (south + north) / 2;
  const lon = (west + east) / 2;
  if (!validLatLon(lat, lon)) return undefined;
  const metresPerDegree = 111_320;
  const accuracy = Math.round(
    (Math.max(north - south, (east - west) * Math.cos((lat * Math.PI) / 180)) * metresPerDegree) / 2,
  );
  return { lat, lon, accuracy, address: place.full_name };
}

export const postUrl = (id: string) => `https://x.com/i/web/status/${id}`;

/** What the report says besides the words: notes for the officer (public-safe). */
function withNotes(text: string, notes: readonly string[]): string {
  return [text, ...notes.map((n) => `[${n}]`)].filter((s) => s.trim()).join('\n');
}

/**
 * A post as the conversation rules read it. A reply by the same author in the same
 * conversation continues the report that conversation opened (thread key
 * `post:<conversation>:<author>`); anyone else's post is a report of its own. Replies go under
 * the post itself, so every message about the report stays in its thread.
 */
export function postToInbound(
  p: SourcePost,
  kept: { attachments: Attachment[]; notes: string[] },
): InboundMessage {
  const { post } = p;
  if (!SNOWFLAKE.test(post.id ?? '') || !SNOWFLAKE.test(post.author_id ?? ''))
    throw new PermanentError('MALFORMED_POST', 'id and author_id must be X ids');
  const author = post.author_id!;
  const conversation = SNOWFLAKE.test(post.conversation_id ?? '') ? post.conversation_id! : post.id;
  const thread = `post:${conversation}:${author}`;
  const text = unescapeText(post.text ?? '');
  const name = p.author?.name?.slice(0, 200);
  const location = locationOf(post, p.place);
  return {
    channel: 'twitter',
    sourceId: `post:${post.id}`,
    from: author,
    reporter: {
      anonymous: false,
      ...(name ? { name } : {}),
      ...(p.author?.username ? { handle: `@${p.author.username}` } : {}),
      replyTo: author,
    },
    replyTo: { address: author, thread: post.id },
    text: withNotes(text, kept.notes),
    attachments: kept.attachments,
    receivedAt: receivedAt(post.id, post.created_at),
    ...(location ? { location } : {}),
    inReplyTo: [thread],
    threadKeys: [thread],
    quotedTrackingCodes: text.toUpperCase().match(TRACKING_CODE) ?? [],
    sourceUrl: postUrl(post.id),
  };
}

/** Where a DM's answers go: the sender, by DM (`dm:<user id>`). */
export const DM_PREFIX = 'dm:';

/** The city's own DMs, and events that are not a message (someone joining, leaving). */
export function isOwnOrNotAMessage(d: SourceDm, cityAccountId: string): boolean {
  return d.event.event_type !== 'MessageCreate' || d.event.sender_id === cityAccountId;
}

/**
 * A direct message as the conversation rules read it: chat-like, so the sender writing again
 * within the window continues their report.
 */
export function dmToInbound(
  d: SourceDm,
  kept: { attachments: Attachment[]; notes: string[] },
): InboundMessage {
  const { event } = d;
  if (!SNOWFLAKE.test(event.id ?? '') || !SNOWFLAKE.test(event.sender_id ?? ''))
    throw new PermanentError('MALFORMED_DM', 'id and sender_id must be X ids');
  const sender = `${DM_PREFIX}${event.sender_id}`;
  const text = unescapeText('text' in event ? event.text : '');
  const name = d.sender?.name?.slice(0, 200);
  return {
    channel: 'twitter',
    sourceId: `dm:${event.id}`,
    from: sender,
    reporter: {
      anonymous: false,
      ...(name ? { name } : {}),
      ...(d.sender?.username ? { handle: `@${d.sender.username}` } : {}),
      replyTo: sender,
    },
    replyTo: { address: sender },
    text: withNotes(text, kept.notes),
    attachments: kept.attachments,
    receivedAt: receivedAt(event.id, event.created_at),
    quotedTrackingCodes: text.toUpperCase().match(TRACKING_CODE) ?? [],
  };
}
