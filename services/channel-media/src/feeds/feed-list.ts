import { ConfigError } from '@aduan/platform';

/** One news portal's feed, as an operator lists it in NEWS_FEEDS. */
export interface FeedSource {
  /** The outlet as officers read it; also the feed's poll partition and health check name. */
  name: string;
  url: URL;
}

/**
 * Reads NEWS_FEEDS entries ("Outlet name=https://…" or a bare URL). Every problem is collected
 * and reported at once, before the service connects to anything.
 */
export function parseFeedList(entries: readonly string[]): FeedSource[] {
  const feeds: FeedSource[] = [];
  const problems: string[] = [];
  for (const entry of entries) {
    // A URL holds "=" in its query, a name does not: split at the first "=" only when a URL follows it.
    const eq = entry.indexOf('=');
    const named = eq > 0 && /^\s*https?:\/\//i.test(entry.slice(eq + 1));
    const rawUrl = (named ? entry.slice(eq + 1) : entry).trim();
    let url: URL;
    try {
      url = new URL(rawUrl);
    } catch {
      problems.push(`NEWS_FEEDS: "${entry}" is not "Outlet name=https://…" nor a URL`);
      continue;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      problems.push(`NEWS_FEEDS: "${entry}" must be an http or https address`);
      continue;
    }
    const name = (named ? entry.slice(0, eq).trim() : url.hostname).slice(0, 100);
    if (feeds.some((f) => f.name === name)) {
      problems.push(`NEWS_FEEDS: the name "${name}" is given to two feeds; name each feed once`);
      continue;
    }
    feeds.push({ name, url });
  }
  if (problems.length) throw new ConfigError('channel-media', problems);
  return feeds;
}
