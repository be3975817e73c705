/**
 * Downloads a provider's media link (WhatsApp Cloud API, an SMS gateway's MMS link) so the bytes
 * can go into the media store before the link expires.
 *
 *   const { bytes, contentType } = await fetchMedia(lookup.url, {
 *     maxBytes: media.limits.maxBytes,
 *     headers: { authorization: `Bearer ${config.WHATSAPP_ACCESS_TOKEN}` },
 *   });
 *   const ref = await media.put(bytes, { declaredType: contentType ?? undefined });
 */

export interface FetchMediaOptions {
  /** Larger answers are refused: by their Content-Length at once, or while streaming. */
  maxBytes: number;
  /** For the whole download, body included. */
  timeoutMs?: number;
  headers?: Record<string, string>;
}

export interface FetchedMedia {
  bytes: Buffer;
  /** What the server declared; the store sniffs the bytes anyway. */
  contentType: string | null;
}

export type FetchProblem = 'bad-url' | 'too-large' | 'http-status' | 'timeout' | 'network';

/**
 * A download that did not give the bytes. `transient` says whether trying again later may
 * succeed (timeouts, network errors, 408, 429, 5xx); an adapter retries those and drops the rest
 * with a note, since an expired or forbidden link stays so.
 */
export class MediaFetchError extends Error {
  constructor(
    readonly problem: FetchProblem,
    message: string,
    readonly transient: boolean,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'MediaFetchError';
  }
}

export const DEFAULT_MEDIA_FETCH_TIMEOUT_MS = 30_000;

/** The link without its query: provider links carry signatures and tokens there. */
function shown(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

export async function fetchMedia(url: string, opts: FetchMediaOptions): Promise<FetchedMedia> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new MediaFetchError('bad-url', 'media link is not a URL', false);
  }
  if (target.protocol !== 'https:' && target.protocol !== 'http:')
    throw new MediaFetchError('bad-url', `media link must be http(s), not ${target.protocol}`, false);

  const timeoutMs = opts.timeoutMs ?? DEFAULT_MEDIA_FETCH_TIMEOUT_MS;
  const signal = AbortSignal.timeout(timeoutMs);
  const where = shown(target);
  try {
    // fetch drops the Authorization header when a redirect leaves the origin, so a provider's
    // CDN redirect never receives the access token.
    const res = await fetch(target, { headers: opts.headers, signal, redirect: 'follow' });
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      const transient = res.status === 408 || res.status === 429 || res.status >= 500;
      throw new MediaFetchError('http-status', `${where} answered ${res.status}`, transient, res.status);
    }
    const declared = Number(res.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > opts.maxBytes) {
      await res.body?.cancel().catch(() => undefined);
      throw new MediaFetchError(
        'too-large',
        `${where} is ${declared} bytes, over the limit of ${opts.maxBytes} bytes`,
        false,
      );
    }
    const chunks: Buffer[] = [];
    let size = 0;
    if (res.body) {
      const reader = res.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        // A missing or lying Content-Length must not let a download fill the memory.
        if (size > opts.maxBytes) {
          await reader.cancel().catch(() => undefined);
          throw new MediaFetchError(
            'too-large',
            `${where} is more than ${opts.maxBytes} bytes, the limit`,
            false,
          );
        }
        chunks.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
      }
    }
    return { bytes: Buffer.concat(chunks, size), contentType: res.headers.get('content-type') };
  } catch (err) {
    if (err instanceof MediaFetchError) throw err;
    if (signal.aborted)
      throw new MediaFetchError('timeout', `${where} did not answer within ${timeoutMs} ms`, true);
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new MediaFetchError(
      'network',
      `${where} could not be reached: ${cause?.code ?? cause?.message ?? (err as Error).message}`,
      true,
    );
  }
}
