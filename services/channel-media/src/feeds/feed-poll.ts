import type { PollBatch, PollIngress } from '@aduan/channel-sdk';
import type { HealthCheck, Logger, Metrics } from '@aduan/platform';
import { candidateId, type NewsCandidates } from '../candidates/news-candidates';
import type { FeedSource } from './feed-list';
import type { NewsFilter } from './news-filter';
import { fingerprint, itemKey, toNewsItem } from './news-item';
import { fetchFeed, FeedUnreadable, parseFeed, type FeedEntry } from './read-feed';

/**
 * Where a feed was left: the fingerprints of the entries it showed last (a feed is a window of its
 * newest items, not a log, so "after guid X" does not exist), and its ETag.
 */
interface FeedCursor {
  seen: string[];
  etag?: string;
}

/** More than any portal lists at once; bounds the cursor of a feed that lists thousands. */
const MAX_SEEN = 2000;

function readCursor(cursor: string | null): FeedCursor {
  if (!cursor) return { seen: [] };
  try {
    const parsed = JSON.parse(cursor) as Partial<FeedCursor>;
    return {
      seen: Array.isArray(parsed.seen) ? parsed.seen.filter((s) => typeof s === 'string') : [],
      ...(typeof parsed.etag === 'string' ? { etag: parsed.etag } : {}),
    };
  } catch {
    return { seen: [] }; // unreadable: read the feed as new; the candidates table still keeps each item once
  }
}

export interface FeedPollOptions {
  feeds: readonly FeedSource[];
  filter: NewsFilter;
  candidates: NewsCandidates;
  intervalMs: number;
  timeoutMs: number;
  maxBytes: number;
  metrics: Metrics;
}

interface FeedState {
  ok: boolean;
  reason?: string;
}

/**
 * Every feed is a partition of one poll ingress, with its own cursor and its own health: a feed
 * that answers an HTML page or garbage is marked unhealthy with the reason and retried after the
 * poll interval, while the other feeds go on.
 */
export function feedPoll(opts: FeedPollOptions): {
  ingress: PollIngress<FeedEntry>;
  health: Record<string, HealthCheck>;
} {
  const byName = new Map(opts.feeds.map((f) => [f.name, f]));
  const states = new Map<string, FeedState>();
  const items = opts.metrics.counter('aduan_media_items_total', 'News items read, by outcome', ['outcome']);
  const unreadable = opts.metrics.counter(
    'aduan_media_feed_failures_total',
    'Reads of a feed that gave no feed, by feed',
    ['feed'],
  );

  async function poll(
    partition: string,
    cursor: string | null,
    signal: AbortSignal,
  ): Promise<PollBatch<FeedEntry>> {
    const feed = byName.get(partition);
    if (!feed) throw new Error(`no feed named ${partition}`);
    const last = readCursor(cursor);
    let entries: FeedEntry[];
    let etag: string | undefined;
    try {
      const doc = await fetchFeed(feed, {
        timeoutMs: opts.timeoutMs,
        maxBytes: opts.maxBytes,
        signal,
        ...(last.etag ? { etag: last.etag } : {}),
      });
      if (doc.notModified) {
        states.set(feed.name, { ok: true });
        return { items: [], next: null };
      }
      entries = (await parseFeed(feed, doc.body)).entries;
      etag = doc.etag;
    } catch (err) {
      if (err instanceof FeedUnreadable) {
        states.set(feed.name, { ok: false, reason: err.message });
        unreadable.inc({ feed: feed.name });
      }
      throw err;
    }
    states.set(feed.name, { ok: true });
    const seen = new Set(last.seen);
    const prints = entries.map((e) => fingerprint(e, feed.url));
    const fresh = entries.filter((_, i) => !seen.has(prints[i]!));
    const next: FeedCursor = { seen: [...new Set(prints)].slice(0, MAX_SEEN), ...(etag ? { etag } : {}) };
    return { items: fresh, next: JSON.stringify(next) };
  }

  async function handle(entry: FeedEntry, log: Logger): Promise<void> {
    const feed = byName.get(entry.feed);
    if (!feed) throw new Error(`no feed named ${entry.feed}`);
    const item = toNewsItem(entry, feed.url);
    const match = opts.filter.match(item);
    if (!match) {
      items.inc({ outcome: 'not-a-complaint' });
      return;
    }
    const added = await opts.candidates.add(item, match);
    items.inc({ outcome: added ? 'candidate' : 'known' });
    // The title is public, but may name people: the log keeps the candidate id and why it matched.
    log.info(added ? 'news candidate kept' : 'news candidate already known', {
      candidate: candidateId(item.key),
      feed: feed.name,
      keyword: match.keyword,
      place: `${match.place.level} ${match.place.nama}`,
    });
  }

  const health: Record<string, HealthCheck> = {};
  for (const feed of opts.feeds) {
    health[`feed:${feed.name}`] = () => {
      const state = states.get(feed.name);
      if (state && !state.ok) throw new Error(state.reason ?? 'unreadable');
    };
  }

  return {
    ingress: {
      name: 'feeds',
      partitions: opts.feeds.map((f) => f.name),
      intervalMs: opts.intervalMs,
      // A broken feed is read again after one interval at most: often a portal's maintenance page.
      maxBackoffMs: opts.intervalMs,
      poll,
      handle,
      idOf: (entry) => {
        const feed = byName.get(entry.feed);
        return feed ? itemKey(entry, feed.url) : undefined;
      },
    },
    health,
  };
}
