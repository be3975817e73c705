import { createHash } from 'node:crypto';
import { PermanentError } from '@aduan/channel-sdk';
import type { FeedEntry } from './read-feed';

/** A news item checked and made plain: what a candidate is made of. */
export interface NewsItem {
  /** The item's identity across fetches, feeds and restarts: its guid, or its link. */
  key: string;
  feed: string;
  title: string;
  /** Plain text, without the portal's HTML. */
  summary: string;
  /** The article's address: the report's source. Always http or https. */
  link: string;
  publishedAt?: Date;
}

const MAX_TITLE = 500;
const MAX_SUMMARY = 4000;
const MAX_KEY = 2000;

/**
 * An entry's identity. A guid that is a URI (a permalink, `urn:`, `tag:`) is the same article in
 * every feed that carries it; any other guid is only unique within its portal, so it is prefixed
 * with the feed's host. Without a guid the link is the identity (RSS makes guid optional).
 */
export function itemKey(entry: Pick<FeedEntry, 'guid' | 'link'>, feedUrl: URL): string | undefined {
  const guid = entry.guid?.trim();
  if (guid) return (/^[a-z][a-z0-9+.-]*:\S/i.test(guid) ? guid : `${feedUrl.host}:${guid}`).slice(0, MAX_KEY);
  const link = webLink(entry.link, feedUrl);
  return link?.slice(0, MAX_KEY);
}

/** A short, fixed-size form of an entry's identity, for the cursor of what a feed showed last. */
export function fingerprint(entry: FeedEntry, feedUrl: URL): string {
  const identity = itemKey(entry, feedUrl) ?? `title:${entry.title ?? ''}|${entry.summary ?? ''}`;
  return createHash('sha256').update(identity).digest('base64url').slice(0, 16);
}

/** Only http(s) links are ever shown to officers or published: a `javascript:` link is not an article. */
function webLink(raw: string | undefined, base: URL): string | undefined {
  if (!raw) return undefined;
  try {
    const url = new URL(raw.trim(), base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : undefined;
  } catch {
    return undefined;
  }
}

/** Checks one entry; one that can never become a report (no article link, no words) is refused for good. */
export function toNewsItem(entry: FeedEntry, feedUrl: URL): NewsItem {
  // A permalink guid is the article's address when the entry has no <link>.
  const link =
    webLink(entry.link, feedUrl) ??
    (entry.guid?.match(/^https?:\/\//i) ? webLink(entry.guid, feedUrl) : undefined);
  if (!link)
    throw new PermanentError(
      'MEDIA_ITEM_NO_LINK',
      `an item of feed "${entry.feed}" has no http(s) link to its article`,
    );
  const title = oneLine(htmlToText(entry.title ?? '')).slice(0, MAX_TITLE);
  const summary = htmlToText(entry.summary ?? '').slice(0, MAX_SUMMARY);
  if (!title && !summary)
    throw new PermanentError(
      'MEDIA_ITEM_EMPTY',
      `an item of feed "${entry.feed}" has neither a title nor a summary`,
    );
  const published = entry.published ? new Date(entry.published) : undefined;
  return {
    key: itemKey(entry, feedUrl) ?? link,
    feed: entry.feed,
    title: title || summary.slice(0, 120),
    summary,
    link,
    ...(published && !Number.isNaN(published.getTime()) ? { publishedAt: published } : {}),
  };
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** Portals put HTML in descriptions (paragraphs, images, "Baca juga" links); officers read text. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<br\s*\/?>|<\/p\s*>|<\/div\s*>|<\/li\s*>/gi, '\n')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
      if (name[0] === '#') {
        const code =
          name[1]?.toLowerCase() === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : ' ';
      }
      return ENTITIES[name.toLowerCase()] ?? whole;
    })
    .replaceAll('\u0000', '')
    .split('\n')
    .map(oneLine)
    .filter(Boolean)
    .join('\n');
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
