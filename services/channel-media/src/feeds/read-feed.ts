import Parser from 'rss-parser';
import type { FeedSource } from './feed-list';

/** A feed answered, but not with a feed: an HTML page, garbage, an error status. The feed is unhealthy. */
export class FeedUnreadable extends Error {
  constructor(
    readonly feed: string,
    reason: string,
  ) {
    super(`feed "${feed}": ${reason}`);
    this.name = 'FeedUnreadable';
  }
}

/**
 * One entry of a feed as it was written, before it is checked: plain JSON, so that an entry
 * that can never be read is kept in the quarantine as it came.
 */
export interface FeedEntry {
  feed: string;
  guid?: string;
  link?: string;
  title?: string;
  summary?: string;
  published?: string;
}

export type FeedDocument =
  { notModified: true; etag?: string } | { notModified: false; body: string; etag?: string };

export interface FetchOptions {
  timeoutMs: number;
  maxBytes: number;
  /** The ETag of the last read: an unchanged feed answers 304 and costs nothing. */
  etag?: string;
  signal?: AbortSignal;
}

const USER_AGENT = 'AduanJakarta-FeedReader/1.0 (+https://aduan.jakarta.go.id)';

/** Reads a feed's document over HTTP with a deadline and a size limit. */
export async function fetchFeed(feed: FeedSource, opts: FetchOptions): Promise<FeedDocument> {
  const signals = [AbortSignal.timeout(opts.timeoutMs), ...(opts.signal ? [opts.signal] : [])];
  let res: Response;
  try {
    res = await fetch(feed.url, {
      headers: {
        Accept: 'application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1',
        'User-Agent': USER_AGENT,
        ...(opts.etag ? { 'If-None-Match': opts.etag } : {}),
      },
      redirect: 'follow',
      signal: AbortSignal.any(signals),
    });
  } catch (err) {
    const reason =
      err instanceof Error && err.name === 'TimeoutError'
        ? `no answer within ${opts.timeoutMs} ms`
        : 'cannot be reached';
    throw new FeedUnreadable(feed.name, `${reason} (${err instanceof Error ? err.message : String(err)})`);
  }
  const etag = res.headers.get('etag') ?? undefined;
  if (res.status === 304) return { notModified: true, ...(etag ? { etag } : {}) };
  if (!res.ok) {
    await res.body?.cancel();
    throw new FeedUnreadable(feed.name, `answered HTTP ${res.status}`);
  }
  const declared = Number(res.headers.get('content-length') ?? 0);
  if (declared > opts.maxBytes) {
    await res.body?.cancel();
    throw new FeedUnreadable(feed.name, `is ${declared} bytes, more than the limit of ${opts.maxBytes}`);
  }
  const body = await readLimited(res, opts.maxBytes, feed.name);
  return { notModified: false, body, ...(etag ? { etag } : {}) };
}

async function readLimited(res: Response, maxBytes: number, feed: string): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res.body ?? []) {
    size += chunk.length;
    if (size > maxBytes) throw new FeedUnreadable(feed, `is larger than the limit of ${maxBytes} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const parser = new Parser();

/** A document that opens like a web page: portals answer a moved or broken feed with one. */
const HTML_PAGE = /^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<(!doctype\s+html|html[\s>])/i;

/** Parses an RSS (0.9x, 1.0, 2.0) or Atom document into its entries; anything else is refused with why. */
export async function parseFeed(
  feed: FeedSource,
  body: string,
): Promise<{ title?: string; entries: FeedEntry[] }> {
  if (!body.trim()) throw new FeedUnreadable(feed.name, 'answered an empty document, not RSS or Atom');
  if (HTML_PAGE.test(body)) throw new FeedUnreadable(feed.name, 'answered an HTML page, not RSS or Atom');
  let output: Awaited<ReturnType<typeof parser.parseString>>;
  try {
    output = await parser.parseString(body);
  } catch (err) {
    const detail = (err instanceof Error ? err.message : String(err)).split('\n')[0];
    throw new FeedUnreadable(feed.name, `is not RSS or Atom (${detail})`);
  }
  const entries = output.items.map((item): FeedEntry => {
    const guid = text(item.guid) ?? text((item as { id?: unknown }).id);
    const summary = text(item.summary) ?? text(item.content) ?? text(item.contentSnippet);
    const published = text(item.isoDate) ?? text(item.pubDate);
    return {
      feed: feed.name,
      ...(guid ? { guid } : {}),
      ...(text(item.link) ? { link: text(item.link) } : {}),
      ...(text(item.title) ? { title: text(item.title) } : {}),
      ...(summary ? { summary } : {}),
      ...(published ? { published } : {}),
    };
  });
  return { ...(text(output.title) ? { title: text(output.title) } : {}), entries };
}

/** xml2js gives a string, or an object for an element with attributes ({ _: text, $: attrs }). */
function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (value && typeof value === 'object' && '_' in value) return text((value as { _: unknown })._);
  return undefined;
}
