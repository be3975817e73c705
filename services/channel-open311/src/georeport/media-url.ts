import { isIP } from 'node:net';
import {
  fetchMedia,
  MediaFetchError,
  MediaRefused,
  MEDIA_EXTENSION,
  type MediaType,
  type PgMediaStore,
} from '@aduan/channel-sdk';
import type { Attachment } from '@aduan/contracts';

/** What a request's media_url may be: a photo. */
export const PHOTO_TYPES: MediaType[] = ['image/jpeg', 'image/png', 'image/webp'];

/** Hosts a fetch on a client's behalf must never reach: this machine and private networks. */
function internalHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost') || h.endsWith('.internal') || h.endsWith('.local'))
    return true;
  if (isIP(h) === 4)
    return /^(0|10|127|169\.254|172\.(1[6-9]|2\d|3[01])|192\.168|100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7]))\./.test(
      h,
    );
  if (isIP(h) === 6)
    return h === '::1' || h === '::' || /^(f[cd]|fe[89ab])/.test(h) || h.startsWith('::ffff:');
  return false;
}

/**
 * The photo a client links to, fetched into the media store (which checks the bytes, not the
 * claim, and strips EXIF from the public copy). Only an https link to a public host is fetched;
 * whatever is not a photo, too large or unreachable is left out with a note, and the report is
 * taken in anyway: the complaint matters more than its picture.
 */
export async function takeMediaUrl(
  link: string,
  media: PgMediaStore,
  opts: { timeoutMs?: number; isInternal?: (host: string) => boolean } = {},
): Promise<{ attachment?: Attachment; note?: string }> {
  const { timeoutMs = 15_000, isInternal = internalHost } = opts;
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return { note: 'media_url is not a URL' };
  }
  if (url.protocol !== 'https:') return { note: 'media_url is not an https link' };
  if (isInternal(url.hostname)) return { note: 'media_url does not point to a public host' };
  try {
    const fetched = await fetchMedia(url.toString(), { maxBytes: media.limits.maxBytes, timeoutMs });
    const ref = await media.put(fetched.bytes, { declaredType: fetched.contentType ?? undefined });
    return {
      attachment: {
        url: ref.url,
        contentType: ref.contentType,
        size: ref.size,
        name: `photo.${MEDIA_EXTENSION[ref.contentType as MediaType] ?? 'jpg'}`,
      },
    };
  } catch (err) {
    if (err instanceof MediaFetchError) return { note: `media_url could not be fetched (${err.problem})` };
    if (err instanceof MediaRefused) return { note: `media_url is not a photo kept here: ${err.message}` };
    throw err;
  }
}

export { internalHost };
