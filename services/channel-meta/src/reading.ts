import { createHash } from 'node:crypto';
import { PermanentError, type InboundMessage } from '@aduan/channel-sdk';
import type { GeoPoint } from '@aduan/contracts';
import type { FeedValue, IgCommentValue, MessagingEvent, MetaItem } from './webhook';

/** How a reply finds its way back: `<how>:<page or account id>` in the recipient's thread. */
export type ReplyRoute = 'comments' | 'ig-replies' | 'messenger' | 'ig-direct';

/** A citizen's new post, comment or message, before its pictures are kept. */
export interface Writing {
  /** Which conversation rules it goes through: comments never continue by time, chats do. */
  rules: 'comments' | 'chat';
  message: Omit<InboundMessage, 'attachments'>;
  /** Links Meta gave for its pictures (a CDN URL that expires). */
  pictures: string[];
  /** Public-safe notes for the officer (what was left out). */
  notes: string[];
  /** Messenger and Instagram Direct carry no name: the sender's profile is asked for it. */
  profileOf?: { source: string; user: string; channel: 'messenger' | 'instagram' };
}

/** A change to something the citizen wrote before: noted on its report, never dropped. */
export interface Change {
  channel: 'facebook' | 'messenger' | 'instagram';
  kind: 'edit' | 'deletion';
  /** The id of what was changed: its thread key leads to its report. */
  original: string;
  /** The change's own id, stable across redeliveries. */
  sourceId: string;
  /** The new text of an edit. */
  text?: string;
  at: Date;
}

export type Reading =
  | { action: 'writing'; writing: Writing }
  | { action: 'change'; change: Change }
  | { action: 'ignore'; why: string };

const MAX_TEXT = 100_000;
const POST_ITEMS = new Set(['post', 'status', 'photo', 'video', 'share']);
const ignore = (why: string): Reading => ({ action: 'ignore', why });
const clean = (text: string | undefined) => (text ?? '').replaceAll('\u0000', '').slice(0, MAX_TEXT);
const digest = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);

/** Meta gives seconds on Page changes and milliseconds on messaging events; either reads. */
function timeOf(value: number | string | undefined, fallback?: number): Date {
  const raw = value ?? fallback;
  const n = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw;
  const date =
    typeof n === 'number' ? new Date(n > 1e12 ? n : n * 1000) : typeof n === 'string' ? new Date(n) : null;
  if (!date || Number.isNaN(date.getTime()))
    throw new PermanentError('MALFORMED_ITEM', 'the item carries no readable time');
  return date;
}

function required(value: string | undefined, what: string): string {
  if (typeof value !== 'string' || !value.trim())
    throw new PermanentError('MALFORMED_ITEM', `${what} is missing`);
  return value;
}

export function readItem(item: MetaItem): Reading {
  switch (item.kind) {
    case 'feed':
      return readFeed(item.page, item.value, item.time);
    case 'ig-comment':
      return readIgComment(item.account, item.value, item.time);
    case 'messaging':
      return readMessaging(item.object, item.page, item.event);
  }
}

/** A Page feed change: a visitor's post or comment, or its edit or removal. */
function readFeed(page: string, v: FeedValue, time?: number): Reading {
  const isComment = v.item === 'comment';
  if (!isComment && !POST_ITEMS.has(v.item ?? '')) return ignore(`feed item ${v.item}`);
  // The Page's own posts and replies (ours, or an officer's by hand) are not complaints.
  if (v.from?.id === page) return ignore('written by the Page itself');
  const id = required(isComment ? v.comment_id : v.post_id, isComment ? 'comment_id' : 'post_id');
  const at = timeOf(v.created_time, time);
  if (v.verb === 'edited')
    return {
      action: 'change',
      change: {
        channel: 'facebook',
        kind: 'edit',
        original: id,
        sourceId: `${id}:edit:${digest(clean(v.message))}`,
        text: clean(v.message),
        at,
      },
    };
  if (v.verb === 'remove')
    return {
      action: 'change',
      change: { channel: 'facebook', kind: 'deletion', original: id, sourceId: `${id}:removed`, at },
    };
  if (v.verb !== 'add') return ignore(`feed verb ${v.verb}`);
  const author = required(v.from?.id, 'from.id');
  const name = v.from?.name?.slice(0, 200);
  const pictures = [v.link, v.photo, ...(v.photos ?? [])].filter(
    (u, i, all): u is string => typeof u === 'string' && /^https?:/.test(u) && all.indexOf(u) === i,
  );
  // A photo post's `link` is its picture; a shared link is not one.
  if (v.item !== 'photo' && v.link) pictures.splice(pictures.indexOf(v.link), 1);
  const thread = [...new Set([v.parent_id, v.post_id])].filter((k): k is string => Boolean(k) && k !== id);
  const url = v.permalink_url ?? v.post?.permalink_url;
  return {
    action: 'writing',
    writing: {
      rules: 'comments',
      pictures,
      notes: [],
      message: {
        channel: 'facebook',
        sourceId: id,
        from: author,
        reporter: { anonymous: false, ...(name ? { name } : {}), replyTo: id },
        replyTo: { address: id, thread: `comments:${page}` },
        text: clean(v.message),
        receivedAt: at,
        ...(isComment && thread.length ? { inReplyTo: thread } : {}),
        threadKeys: [id],
        ...(url && /^https:/.test(url) ? { sourceUrl: url } : {}),
      },
    },
  };
}

/** A comment on one of our Instagram account's media (Instagram sends no edits of comments). */
function readIgComment(account: string, v: IgCommentValue, time?: number): Reading {
  if (v.from?.id === account) return ignore('written by the account itself');
  const id = required(v.id, 'id');
  const author = required(v.from?.id, 'from.id');
  const handle = v.from?.username ? `@${v.from.username.slice(0, 100)}` : undefined;
  const thread = [v.parent_id, v.media?.id].filter((k): k is string => Boolean(k));
  return {
    action: 'writing',
    writing: {
      rules: 'comments',
      pictures: [],
      notes: [],
      message: {
        channel: 'instagram',
        sourceId: id,
        from: author,
        reporter: { anonymous: false, ...(handle ? { handle } : {}), replyTo: id },
        replyTo: { address: id, thread: `ig-replies:${account}` },
        text: clean(v.text),
        receivedAt: timeOf(undefined, time ?? Date.now()),
        ...(thread.length ? { inReplyTo: thread } : {}),
        threadKeys: [id],
      },
    },
  };
}

function locationOf(a: MessagingEvent['message']): GeoPoint | undefined {
  const c = a?.attachments?.find((x) => x?.type === 'location')?.payload?.coordinates;
  return c && typeof c.lat === 'number' && typeof c.long === 'number'
    ? { lat: c.lat, lon: c.long }
    : undefined;
}

/** A Messenger or Instagram Direct message, its edit, or (Instagram) its unsending. */
function readMessaging(object: 'page' | 'instagram', page: string, e: MessagingEvent): Reading {
  const channel = object === 'page' ? 'messenger' : 'instagram';
  const m = e.message;
  // Echoes are the Page's own messages (ours, or an officer typing in the inbox).
  if (m?.is_echo || e.sender?.id === page) return ignore('sent by the Page itself');
  const user = required(e.sender?.id, 'sender.id');
  const at = timeOf(e.timestamp);
  if (e.message_edit) {
    const mid = required(e.message_edit.mid, 'message_edit.mid');
    const text = clean(e.message_edit.text);
    return {
      action: 'change',
      change: {
        channel,
        kind: 'edit',
        original: mid,
        sourceId: `${mid}:edit:${e.message_edit.num_edit ?? digest(text)}`,
        text,
        at,
      },
    };
  }
  const mid = required(m?.mid, 'message.mid');
  if (m?.is_deleted)
    return {
      action: 'change',
      change: { channel, kind: 'deletion', original: mid, sourceId: `${mid}:removed`, at },
    };
  const attachments = m?.attachments ?? [];
  const pictures = attachments
    .filter((a) => a?.type === 'image' && typeof a.payload?.url === 'string')
    .map((a) => a.payload!.url!);
  const others = attachments.filter((a) => a?.type !== 'image' && a?.type !== 'location');
  const location = locationOf(m);
  return {
    action: 'writing',
    writing: {
      rules: 'chat',
      pictures,
      notes: others.map(
        (a) => `Lampiran ${String(a?.type)} tidak disimpan / ${String(a?.type)} attachment not kept`,
      ),
      profileOf: { source: page, user, channel },
      message: {
        channel,
        sourceId: mid,
        // PSIDs and IGSIDs are scoped to the Page or account that received the message.
        from: `${page}:${user}`,
        reporter: { anonymous: false, replyTo: user },
        replyTo: { address: user, thread: `${object === 'page' ? 'messenger' : 'ig-direct'}:${page}` },
        text: clean(m?.text),
        receivedAt: at,
        ...(location ? { location } : {}),
        ...(m?.reply_to?.mid ? { inReplyTo: [m.reply_to.mid] } : {}),
        threadKeys: [mid],
      },
    },
  };
}
