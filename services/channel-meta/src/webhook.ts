import { jsonBody, WebhookRefused, type WebhookRequest } from '@aduan/channel-sdk';

/**
 * The parts of Meta's webhook deliveries this adapter reads. One callback URL takes both objects
 * Meta sends: `page` (Page `feed` changes: posts and comments; Messenger `messaging` events) and
 * `instagram` (`comments` changes; Instagram Direct `messaging` events).
 * https://developers.facebook.com/docs/graph-api/webhooks/reference/page,
 * …/messenger-platform/reference/webhook-events, …/instagram-platform/webhooks
 */
export interface FeedValue {
  item?: string;
  verb?: string;
  from?: { id?: string; name?: string };
  post_id?: string;
  comment_id?: string;
  parent_id?: string;
  message?: string;
  created_time?: number | string;
  /** A photo post's or a photo comment's picture. */
  link?: string;
  photo?: string;
  photos?: string[];
  post?: { permalink_url?: string };
  permalink_url?: string;
}

export interface IgCommentValue {
  id?: string;
  text?: string;
  from?: { id?: string; username?: string };
  media?: { id?: string };
  parent_id?: string;
}

export interface MessagingAttachment {
  type?: string;
  payload?: { url?: string; coordinates?: { lat?: number; long?: number } };
}

export interface MessagingEvent {
  sender?: { id?: string };
  recipient?: { id?: string };
  timestamp?: number;
  message?: {
    mid?: string;
    text?: string;
    is_echo?: boolean;
    is_deleted?: boolean;
    attachments?: MessagingAttachment[];
    reply_to?: { mid?: string };
  };
  message_edit?: { mid?: string; text?: string; num_edit?: number | string };
}

/** One thing a delivery carries; a delivery may batch several entries and changes. */
export type MetaItem =
  | { kind: 'feed'; page: string; time?: number; value: FeedValue }
  | { kind: 'ig-comment'; account: string; time?: number; value: IgCommentValue }
  | { kind: 'messaging'; object: 'page' | 'instagram'; page: string; event: MessagingEvent };

interface Envelope {
  object?: unknown;
  entry?: Array<{
    id?: unknown;
    time?: unknown;
    changes?: Array<{ field?: unknown; value?: unknown }>;
    messaging?: unknown[];
  }>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

function envelopeProblem(b: Envelope): string | null {
  if (b.object !== 'page' && b.object !== 'instagram') return '/object must be "page" or "instagram"';
  if (!Array.isArray(b.entry) || !b.entry.every((e) => isObject(e) && typeof e.id === 'string'))
    return '/entry must be a list of entries, each with the id of a Page or Instagram account';
  for (const e of b.entry) {
    if (e.changes !== undefined && !(Array.isArray(e.changes) && e.changes.every(isObject)))
      return '/entry/changes must be a list of changes';
    if (e.messaging !== undefined && !(Array.isArray(e.messaging) && e.messaging.every(isObject)))
      return '/entry/messaging must be a list of events';
  }
  return null;
}

/**
 * The items of a signed delivery; what is no citizen's writing (reactions, likes, reads,
 * deliveries, other fields) is reported through `skipped` and left out.
 */
export function metaItems(req: WebhookRequest, skipped: (what: string) => void): MetaItem[] {
  const body = jsonBody(req);
  const problem = isObject(body) ? envelopeProblem(body) : 'the body must be a JSON object';
  if (problem) throw new WebhookRefused(400, `not a Meta webhook delivery: ${problem}`);
  const { object, entry } = body as Required<Pick<Envelope, 'entry'>> & { object: 'page' | 'instagram' };
  const items: MetaItem[] = [];
  for (const e of entry) {
    const page = e.id as string;
    const time = typeof e.time === 'number' ? e.time : undefined;
    for (const change of e.changes ?? []) {
      const value = isObject(change.value) ? change.value : {};
      if (object === 'page' && change.field === 'feed') items.push({ kind: 'feed', page, time, value });
      else if (object === 'instagram' && change.field === 'comments')
        items.push({ kind: 'ig-comment', account: page, time, value });
      else skipped(`field:${String(change.field)}`);
    }
    for (const event of (e.messaging ?? []) as MessagingEvent[]) {
      if (event.message || event.message_edit) items.push({ kind: 'messaging', object, page, event });
      else skipped('messaging event without a message');
    }
  }
  return items;
}
