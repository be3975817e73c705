import type { KeyObject } from 'node:crypto';
import { CHANNEL_NAME_PATTERN, type Channel } from '@aduan/contracts';
import { signInternalToken } from '@aduan/platform';
import { ApiError } from '../officer/api-error';

/** What an adapter answers for a reporter: the contact the citizen left there. */
export interface AdapterContact {
  name?: string;
  handle?: string;
  email?: string;
  phone?: string;
}

const channelName = new RegExp(CHANNEL_NAME_PATTERN);

/**
 * CHANNEL_ENDPOINTS: `channel=base URL` pairs, e.g. `jaki=http://channel-jaki:3101`. The adapter
 * of each channel keeps its reporters' contacts (ADR 0058); the status service reaches it there.
 * Returns the problems (each naming the setting) instead of throwing, for the start-up check.
 */
export function parseChannelEndpoints(entries: readonly string[] | undefined): {
  endpoints: Map<Channel, string>;
  problems: string[];
} {
  const endpoints = new Map<Channel, string>();
  const problems: string[] = [];
  for (const entry of entries ?? []) {
    const at = entry.indexOf('=');
    const channel = entry.slice(0, at).trim();
    const url = entry.slice(at + 1).trim();
    if (at < 1 || !channelName.test(channel)) {
      problems.push(`CHANNEL_ENDPOINTS: "${entry}" is not channel=url with a channel name such as jaki`);
      continue;
    }
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      problems.push(`CHANNEL_ENDPOINTS: the address of ${channel} is not a URL: "${url}"`);
      continue;
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      problems.push(`CHANNEL_ENDPOINTS: the address of ${channel} must be http(s), got ${parsed.protocol}`);
      continue;
    }
    if (endpoints.has(channel)) problems.push(`CHANNEL_ENDPOINTS: ${channel} is named twice`);
    endpoints.set(channel, url.replace(/\/+$/, ''));
  }
  return { endpoints, problems };
}

/**
 * Asks the adapter of a report's channel for its reporter's contact, after two officers agreed
 * (ADR 0055, 0058), with a token signed for that reference alone and living a minute.
 */
export class AdapterContacts {
  constructor(
    private readonly endpoints: ReadonlyMap<Channel, string>,
    private readonly key: { kid: string; privateKey: KeyObject; alg: string },
    private readonly timeoutMs = 5000,
  ) {}

  async reveal(channel: Channel, reportId: string, ref: string): Promise<AdapterContact> {
    const base = this.endpoints.get(channel);
    if (!base)
      throw new ApiError(
        503,
        'CHANNEL_UNREACHABLE',
        `the contact is kept by the ${channel} adapter, which CHANNEL_ENDPOINTS does not name`,
      );
    const token = await signInternalToken(this.key, 'reporter:reveal', ref);
    let res: Response;
    try {
      res = await fetch(`${base}/internal/reporters/reveal`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ reportId, ref }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch {
      throw new ApiError(
        503,
        'CHANNEL_UNREACHABLE',
        `the ${channel} adapter did not answer; try again later`,
      );
    }
    if (res.status === 404)
      throw new ApiError(
        404,
        'CONTACT_GONE',
        `the ${channel} adapter keeps no contact of this reporter (none was left, or it was erased)`,
      );
    if (!res.ok)
      throw new ApiError(
        503,
        'CHANNEL_UNREACHABLE',
        `the ${channel} adapter refused the reveal (${res.status})`,
      );
    const body = (await res.json()) as { contact?: AdapterContact };
    const contact: AdapterContact = {};
    // Only the four fields, as strings: an adapter's answer is outside input like any other.
    for (const field of ['name', 'handle', 'email', 'phone'] as const) {
      const value = body.contact?.[field];
      if (typeof value === 'string') contact[field] = value.slice(0, 320);
    }
    return contact;
  }
}
