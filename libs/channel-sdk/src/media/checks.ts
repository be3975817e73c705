import type { Sharp } from 'sharp';
import type sharpModule from 'sharp';
import { MediaRefused } from './media-refused';
import { MEDIA_EXTENSION, isImageType, MEDIA_TYPES, sniffMediaType, type MediaType } from './sniff';

/**
 * sharp (libvips) is loaded at the first photo, not at start-up: about 19 MB of memory a service
 * that never receives a photo would hold for nothing (ADR 0081).
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const loadSharp = (): typeof sharpModule => require('sharp');

export interface MediaLimits {
  /** Largest file kept, in bytes. */
  maxBytes: number;
  /** Largest image kept, in decoded pixels (all frames of an animation together). */
  maxPixels: number;
  /** Types kept; the rest is refused as `type-not-allowed`. */
  types: readonly MediaType[];
}

/** 10 MB: a phone photo, a scanned letter or a short voice note; not a film. */
export const DEFAULT_MEDIA_MAX_BYTES = 10 * 1024 * 1024;
/**
 * 50 megapixels: a full-resolution 50 MP phone photo (8160 × 6120) fits, and decoding one costs
 * about 150 MB. A decompression bomb is a few kilobytes that declare gigapixels.
 */
export const DEFAULT_MEDIA_MAX_PIXELS = 50_000_000;

export const DEFAULT_MEDIA_LIMITS: MediaLimits = {
  maxBytes: DEFAULT_MEDIA_MAX_BYTES,
  maxPixels: DEFAULT_MEDIA_MAX_PIXELS,
  types: MEDIA_TYPES,
};

export interface CheckedMedia {
  /** The type of the bytes as received. */
  contentType: MediaType;
  /**
   * What may be shown to anyone holding the link: for images a re-encoded copy without EXIF,
   * XMP, IPTC or ICC data; for other files null, meaning the original bytes.
   */
  publicCopy: { bytes: Buffer; contentType: MediaType } | null;
  width?: number;
  height?: number;
  /** Decoded pixels of all frames: what the pixel limit was checked against. */
  pixels?: number;
}

/** Browsers show these; HEIC/HEIF/AVIF are turned into JPEG for the public copy. */
const PUBLIC_FORMAT: Partial<Record<MediaType, MediaType>> = {
  'image/jpeg': 'image/jpeg',
  'image/png': 'image/png',
  'image/webp': 'image/webp',
  'image/gif': 'image/gif',
};

function encode(image: Sharp, type: MediaType): Sharp {
  switch (type) {
    case 'image/png':
      return image.png();
    case 'image/webp':
      // Quality 90, not sharp's 80: number plates and street signs must stay legible.
      return image.webp({ quality: 90 });
    case 'image/gif':
      return image.gif();
    default:
      return image.jpeg({ quality: 90 });
  }
}

function describe(filename: string | undefined, declaredType: string | undefined): string {
  const parts = [filename ? `"${filename}"` : 'the file'];
  if (declaredType) parts.push(`(declared ${declaredType})`);
  return parts.join(' ');
}

/**
 * Checks a file before it is stored: not empty, not over the size limit, a type recognised by
 * its bytes and allowed, and for images a pixel count under the limit and a picture that
 * actually decodes. Images get their public copy here; refusals throw `MediaRefused`.
 */
export async function checkMedia(
  bytes: Buffer,
  limits: MediaLimits,
  about: { filename?: string; declaredType?: string } = {},
): Promise<CheckedMedia> {
  const what = describe(about.filename, about.declaredType);
  if (bytes.length === 0) throw new MediaRefused('empty', `${what} is empty`);
  if (bytes.length > limits.maxBytes)
    throw new MediaRefused(
      'too-large',
      `${what} is ${bytes.length} bytes, over the limit of ${limits.maxBytes} bytes`,
    );
  const contentType = sniffMediaType(bytes);
  if (!contentType)
    throw new MediaRefused(
      'unknown-type',
      `${what} is not a photo, PDF, video or audio file that can be accepted: its content matches none of ${MEDIA_TYPES.map((t) => MEDIA_EXTENSION[t]).join(', ')}`,
    );
  if (!limits.types.includes(contentType))
    throw new MediaRefused(
      'type-not-allowed',
      `${what} is ${contentType}, which is not accepted here (accepted: ${limits.types.join(', ')})`,
    );
  if (!isImageType(contentType)) return { contentType, publicCopy: null };
  return { contentType, ...(await publicImage(bytes, contentType, limits.maxPixels, what)) };
}

async function publicImage(
  bytes: Buffer,
  contentType: MediaType,
  maxPixels: number,
  what: string,
): Promise<Omit<CheckedMedia, 'contentType'>> {
  let width: number;
  let height: number;
  let pages: number;
  try {
    // Reads the header only, so a bomb is measured before anything is decoded.
    const meta = await loadSharp()(bytes, { limitInputPixels: false }).metadata();
    width = meta.width;
    height = meta.height;
    pages = meta.pages ?? 1;
  } catch (err) {
    throw undecodable(what, contentType, err);
  }
  const pixels = width * height * pages;
  if (pixels > maxPixels)
    throw new MediaRefused(
      'too-many-pixels',
      `${what} is ${width} × ${height} pixels${pages > 1 ? ` × ${pages} frames` : ''}, over the limit of ${maxPixels} pixels`,
    );
  const animated = pages > 1;
  const target = PUBLIC_FORMAT[contentType] ?? 'image/jpeg';
  try {
    // failOn 'error': a photo cut short by a flaky upload still shows the scene and is kept;
    // a file whose data is broken is refused. The pixel limit is enforced again while decoding.
    let image = loadSharp()(bytes, { failOn: 'error', limitInputPixels: maxPixels, animated });
    // rotate() applies the EXIF orientation before the metadata is dropped, so the photo still
    // stands upright; animations carry no orientation and libvips cannot rotate their frames.
    if (!animated) image = image.rotate();
    // No withMetadata(): sharp writes no EXIF (GPS, device serial), XMP, IPTC or ICC profile.
    const out = await encode(image, target).toBuffer({ resolveWithObject: true });
    return {
      publicCopy: { bytes: out.data, contentType: target },
      width: out.info.width,
      height: animated ? height : out.info.height,
      pixels,
    };
  } catch (err) {
    throw undecodable(what, contentType, err);
  }
}

function undecodable(what: string, contentType: MediaType, err: unknown): MediaRefused {
  // Prebuilt sharp reads AVIF but not HEVC, so most iPhone HEIC photos end here: say what helps.
  if (contentType === 'image/heic')
    return new MediaRefused(
      'undecodable',
      `${what} is a HEIC photo, which this server cannot decode; send it as JPEG`,
    );
  const text = (err instanceof Error ? err.message : String(err)).split('\n')[0]!.trim();
  return new MediaRefused('undecodable', `${what} looks like ${contentType} but cannot be decoded: ${text}`);
}
