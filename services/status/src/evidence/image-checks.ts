import { DEFAULT_MEDIA_MAX_PIXELS, loadSharp } from '@aduan/channel-sdk';
import type exifrModule from 'exifr';

// Loaded at the first evidence photo, not at start-up, as the channels load sharp (ADR 0081).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const loadExifr = (): typeof exifrModule => require('exifr');

/**
 * Largest evidence photo decoded, in pixels: the channels' limit (ADR 0053). sharp's own default
 * (about 268 megapixels) lets a small file claim an image that takes gigabytes to decode.
 */
export const EVIDENCE_MAX_PIXELS = DEFAULT_MEDIA_MAX_PIXELS;

/** Pixels an image says it has (every frame), read from its header alone: nothing is decoded. */
export async function claimedPixels(bytes: Buffer): Promise<number> {
  const {
    width = 0,
    height = 0,
    pages = 1,
  } = await loadSharp()(bytes, { limitInputPixels: false }).metadata();
  return width * height * pages;
}

/** sharp on an evidence photo, never decoding more than EVIDENCE_MAX_PIXELS. */
export const decodeEvidence = (bytes: Buffer) =>
  loadSharp()(bytes, { limitInputPixels: EVIDENCE_MAX_PIXELS });

/** Image formats we accept, recognised by their first bytes; the declared type is not trusted. */
export function sniffImageType(bytes: Buffer): string | null {
  if (bytes.length < 12) return null;
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'image/png';
  if (bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP')
    return 'image/webp';
  if (
    bytes.toString('latin1', 4, 8) === 'ftyp' &&
    /^(heic|heix|heif|mif1|msf1)$/.test(bytes.toString('latin1', 8, 12))
  )
    return 'image/heic';
  return null;
}

/**
 * dHash: the picture shrunk to 9×8 grey pixels, one bit per horizontal neighbour pair
 * (brighter or not). Re-encoding, resizing and small edits keep most bits; a different scene
 * flips about half. Returned as a signed 64-bit integer string for a Postgres bigint.
 */
export async function differenceHash(bytes: Buffer): Promise<string> {
  const pixels = await decodeEvidence(bytes)
    .rotate()
    .greyscale()
    .resize(9, 8, { fit: 'fill' })
    .raw()
    .toBuffer();
  let hash = 0n;
  for (let y = 0; y < 8; y++) {
    for (let x = 0; x < 8; x++) {
      hash = (hash << 1n) | (pixels[y * 9 + x]! > pixels[y * 9 + x + 1]! ? 1n : 0n);
    }
  }
  return BigInt.asIntN(64, hash).toString();
}

export function hammingDistance(a: string, b: string): number {
  let x = BigInt.asUintN(64, BigInt(a) ^ BigInt(b));
  let n = 0;
  while (x) {
    n += Number(x & 1n);
    x >>= 1n;
  }
  return n;
}

export interface PhotoMetadata {
  lat?: number;
  lon?: number;
  /** When the photo was taken, as an instant; EXIF times without an offset are read as Jakarta time. */
  takenAt?: string;
}

export async function readPhotoMetadata(bytes: Buffer): Promise<PhotoMetadata> {
  let tags: Record<string, unknown> | undefined;
  try {
    tags = (await loadExifr().parse(bytes, {
      gps: true,
      exif: true,
      reviveValues: false,
      translateValues: false,
    })) as Record<string, unknown> | undefined;
  } catch {
    return {}; // unreadable metadata is no metadata; the photo itself was already decoded
  }
  if (!tags) return {};
  const out: PhotoMetadata = {};
  if (typeof tags['latitude'] === 'number' && typeof tags['longitude'] === 'number') {
    out.lat = tags['latitude'];
    out.lon = tags['longitude'];
  }
  const raw = tags['DateTimeOriginal'] ?? tags['CreateDate'];
  if (typeof raw === 'string') {
    const m = /^(\d{4}):(\d{2}):(\d{2}) (\d{2}):(\d{2}):(\d{2})/.exec(raw);
    const offset =
      typeof tags['OffsetTimeOriginal'] === 'string' && /^[+-]\d{2}:\d{2}$/.test(tags['OffsetTimeOriginal'])
        ? tags['OffsetTimeOriginal']
        : '+07:00';
    if (m) {
      const t = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${offset}`);
      if (!Number.isNaN(t.getTime())) out.takenAt = t.toISOString();
    }
  }
  return out;
}

/** Great-circle distance in metres. */
export function distanceMetres(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.sqrt(h));
}
