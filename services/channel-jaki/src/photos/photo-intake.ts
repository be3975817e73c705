import type { Attachment } from '@aduan/contracts';
import sharp from 'sharp';
import type { PhotoStorage } from './photo-storage';
import { sniffPhotoType } from './sniff';

export interface UploadedFile {
  originalname: string;
  size: number;
  buffer: Buffer;
}

export interface PhotoOutcome {
  attachments: Attachment[];
  /** One line per photo left out, for the report and for the app's response. */
  dropped: Array<{ index: number; reason: string }>;
}

/**
 * Checks each upload by its content, drops what is too large or not a photo (noted, not fatal:
 * the complaint still counts), and stores the rest with its metadata removed: phone photos
 * carry the GPS position of the reporter's home and the device serial in EXIF.
 */
export async function takePhotos(
  files: readonly UploadedFile[],
  storage: PhotoStorage,
  maxBytes: number,
): Promise<PhotoOutcome> {
  const out: PhotoOutcome = { attachments: [], dropped: [] };
  for (const [index, file] of files.entries()) {
    if (file.size > maxBytes) {
      out.dropped.push({
        index,
        reason: `photo ${index + 1} is ${file.size} bytes, over the limit of ${maxBytes}`,
      });
      continue;
    }
    const type = sniffPhotoType(file.buffer);
    if (!type) {
      out.dropped.push({ index, reason: `photo ${index + 1} is not a JPEG, PNG or WebP image` });
      continue;
    }
    let clean: Buffer;
    try {
      // rotate() applies the EXIF orientation before the metadata goes.
      clean = await sharp(file.buffer, { failOn: 'error' }).rotate().toBuffer();
    } catch {
      out.dropped.push({ index, reason: `photo ${index + 1} could not be decoded as an image` });
      continue;
    }
    const stored = await storage.save(clean, type);
    out.attachments.push({
      url: stored.url,
      contentType: stored.contentType,
      size: stored.size,
      name: `photo-${index + 1}.${stored.name.split('.')[1]}`,
    });
  }
  return out;
}
