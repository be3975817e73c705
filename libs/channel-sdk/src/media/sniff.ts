/**
 * What a file is, read from its first bytes. A file's name and the type a sender (or a mail
 * client, or a provider) declares are not evidence: a script renamed to `foto.jpg` must not be
 * stored, and served, as a photo.
 */

export const IMAGE_TYPES = [
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/gif',
  'image/heic',
  'image/heif',
  'image/avif',
] as const;
export const DOCUMENT_TYPES = ['application/pdf'] as const;
export const VIDEO_TYPES = ['video/mp4', 'video/quicktime', 'video/3gpp', 'video/webm'] as const;
export const AUDIO_TYPES = [
  'audio/mpeg',
  'audio/mp4',
  'audio/aac',
  'audio/ogg',
  'audio/wav',
  'audio/amr',
  'audio/flac',
] as const;

export type ImageType = (typeof IMAGE_TYPES)[number];
export type MediaType =
  ImageType | (typeof DOCUMENT_TYPES)[number] | (typeof VIDEO_TYPES)[number] | (typeof AUDIO_TYPES)[number];

/** Everything the store recognises; an adapter may allow fewer (see `MediaStoreOptions.types`). */
export const MEDIA_TYPES: readonly MediaType[] = [
  ...IMAGE_TYPES,
  ...DOCUMENT_TYPES,
  ...VIDEO_TYPES,
  ...AUDIO_TYPES,
];

export function isImageType(type: string): type is ImageType {
  return (IMAGE_TYPES as readonly string[]).includes(type);
}

export const MEDIA_EXTENSION: Record<MediaType, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/gif': 'gif',
  'image/heic': 'heic',
  'image/heif': 'heif',
  'image/avif': 'avif',
  'application/pdf': 'pdf',
  'video/mp4': 'mp4',
  'video/quicktime': 'mov',
  'video/3gpp': '3gp',
  'video/webm': 'webm',
  'audio/mpeg': 'mp3',
  'audio/mp4': 'm4a',
  'audio/aac': 'aac',
  'audio/ogg': 'ogg',
  'audio/wav': 'wav',
  'audio/amr': 'amr',
  'audio/flac': 'flac',
};

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const EBML = Buffer.from([0x1a, 0x45, 0xdf, 0xa3]);

function ascii(bytes: Buffer, from: number, to: number): string {
  return bytes.length >= to ? bytes.toString('latin1', from, to) : '';
}

/**
 * ISO base media files (MP4, MOV, 3GP, M4A, HEIC, AVIF) all start with an `ftyp` box; its major
 * and compatible brands say which of them it is. An iPhone's HEIC and its MOV differ only there.
 */
function isoBrandType(bytes: Buffer): MediaType | null {
  if (ascii(bytes, 4, 8) !== 'ftyp') return null;
  const boxSize = bytes.readUInt32BE(0);
  const end = Math.min(bytes.length, boxSize >= 16 && boxSize <= 4096 ? boxSize : 16);
  const brands = [ascii(bytes, 8, 12)];
  for (let at = 16; at + 4 <= end; at += 4) brands.push(ascii(bytes, at, at + 4));
  const major = brands[0]!;
  const has = (...names: string[]) => brands.some((b) => names.includes(b));
  if (['heic', 'heix', 'heim', 'heis'].includes(major)) return 'image/heic';
  if (['avif', 'avis'].includes(major)) return 'image/avif';
  if (['mif1', 'msf1'].includes(major)) {
    if (has('heic', 'heix')) return 'image/heic';
    if (has('avif', 'avis')) return 'image/avif';
    return 'image/heif';
  }
  if (['M4A ', 'M4B '].includes(major)) return 'audio/mp4';
  if (major === 'qt  ') return 'video/quicktime';
  if (major.startsWith('3gp') || major.startsWith('3g2')) return 'video/3gpp';
  if (
    ['isom', 'iso2', 'iso4', 'iso5', 'iso6', 'mp41', 'mp42', 'avc1', 'M4V ', 'MSNV', 'dash', 'f4v '].includes(
      major,
    )
  )
    return 'video/mp4';
  return null;
}

/** MPEG audio frame header: 11 sync bits, then version and layer; layer bits 00 mean ADTS (AAC). */
function mpegAudioType(bytes: Buffer): MediaType | null {
  if (bytes.length < 4 || bytes[0] !== 0xff || (bytes[1]! & 0xe0) !== 0xe0) return null;
  const version = (bytes[1]! >> 3) & 0x03;
  const layer = (bytes[1]! >> 1) & 0x03;
  if (layer === 0 && (bytes[1]! & 0xf6) === 0xf0) return 'audio/aac';
  // version 01 is reserved; a layer-III frame with a real bitrate index is an MP3.
  if (version !== 1 && layer === 1 && bytes[2]! >> 4 !== 0x0f && bytes[2]! >> 4 !== 0) return 'audio/mpeg';
  return null;
}

/** The type of a file by its content, or null when it is none the store knows. */
export function sniffMediaType(bytes: Buffer): MediaType | null {
  if (bytes.length < 4) return null;
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(PNG)) return 'image/png';
  if (ascii(bytes, 0, 4) === 'RIFF') {
    if (ascii(bytes, 8, 12) === 'WEBP') return 'image/webp';
    if (ascii(bytes, 8, 12) === 'WAVE') return 'audio/wav';
    return null;
  }
  if (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a') return 'image/gif';
  if (ascii(bytes, 0, 5) === '%PDF-') return 'application/pdf';
  if (ascii(bytes, 0, 4) === 'OggS') return 'audio/ogg';
  if (ascii(bytes, 0, 4) === 'fLaC') return 'audio/flac';
  if (ascii(bytes, 0, 6) === '#!AMR\n') return 'audio/amr';
  if (ascii(bytes, 0, 3) === 'ID3') return 'audio/mpeg';
  if (bytes.subarray(0, 4).equals(EBML))
    return bytes.subarray(0, 64).includes(Buffer.from('webm')) ? 'video/webm' : null;
  if (bytes.length >= 12) {
    const iso = isoBrandType(bytes);
    if (iso) return iso;
  }
  return mpegAudioType(bytes);
}
