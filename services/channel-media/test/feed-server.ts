import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export const fixture = (name: string): string => readFileSync(join(__dirname, 'fixtures', name), 'utf8');

export interface FeedAnswer {
  status?: number;
  contentType: string;
  body: string;
}

export const rss = (body: string): FeedAnswer => ({
  contentType: 'application/rss+xml; charset=utf-8',
  body,
});
export const atom = (body: string): FeedAnswer => ({
  contentType: 'application/atom+xml; charset=utf-8',
  body,
});
export const html = (body: string): FeedAnswer => ({ contentType: 'text/html; charset=utf-8', body });

/** An RSS item in the portal's own shape, for news that appears while a test runs. */
export function rssItem(item: { guid: string; title: string; description: string; link: string }): string {
  return `    <item>
      <title>${item.title}</title>
      <link>${item.link}</link>
      <guid isPermaLink="false">${item.guid}</guid>
      <pubDate>Mon, 30 Nov 2026 09:00:00 +0700</pubDate>
      <description><![CDATA[<p>${item.description}</p>]]></description>
    </item>
`;
}

/** The feed with `items` placed first, as a portal lists its newest news. */
export function withNewItems(feed: string, items: string[]): string {
  const at = feed.indexOf('    <item>');
  return feed.slice(0, at) + items.join('') + feed.slice(at);
}

export interface FeedServer {
  url: string;
  /** What each path answers now; change it to make news appear or a feed break. */
  feeds: Map<string, FeedAnswer>;
  /** Requests per path. */
  hits: Map<string, number>;
  close(): Promise<void>;
}

/**
 * News portals stood in by a local HTTP server: each path answers its document as portals do,
 * with an ETag and 304 Not Modified for a reader that sends it back.
 */
export async function startFeedServer(initial: Record<string, FeedAnswer>): Promise<FeedServer> {
  const feeds = new Map(Object.entries(initial));
  const hits = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const answer = feeds.get(path);
    if (!answer) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    const etag = `"${createHash('sha1').update(answer.body).digest('hex')}"`;
    if ((answer.status ?? 200) === 200 && req.headers['if-none-match'] === etag)
      return void res.writeHead(304, { etag }).end();
    res.writeHead(answer.status ?? 200, { 'content-type': answer.contentType, etag }).end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    feeds,
    hits,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
