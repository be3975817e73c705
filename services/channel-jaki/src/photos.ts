import { BadRequestException, HttpException, PayloadTooLargeException } from '@nestjs/common';
import { MEDIA_EXTENSION, MediaRefused, type MediaType, type PgMediaStore } from '@aduan/channel-sdk';
import type { Attachment } from '@aduan/contracts';
import type { Request, Response } from 'express';
import multer, { MulterError } from 'multer';

/** What the app may send (ADR 0025); the store reads the type from the bytes. */
export const PHOTO_TYPES: MediaType[] = ['image/jpeg', 'image/png', 'image/webp'];

export interface PhotoOutcome {
  attachments: Attachment[];
  /** One line per photo left out, for the report and for the app's response. */
  dropped: Array<{ index: number; reason: string }>;
}

/**
 * Reads a multipart report: a `report` field with the same JSON as a plain request, and up to
 * `maxCount` files under `photos`, held in memory (at most maxCount × hard cap).
 */
export function multipartReader(maxCount: number, hardCapBytes: number) {
  const parse = multer({
    storage: multer.memoryStorage(),
    limits: {
      fileSize: hardCapBytes,
      files: maxCount,
      fields: 10,
      fieldSize: 256 * 1024,
      parts: maxCount + 10,
    },
  }).array('photos', maxCount);
  const refusal = (err: unknown): HttpException => {
    if (!(err instanceof MulterError))
      return new BadRequestException(`multipart body could not be read: ${(err as Error).message}`);
    if (err.code === 'LIMIT_FILE_SIZE')
      return new PayloadTooLargeException(`a photo is larger than the upload limit of ${hardCapBytes} bytes`);
    if (err.code === 'LIMIT_FILE_COUNT' || err.code === 'LIMIT_UNEXPECTED_FILE')
      return new BadRequestException(`send at most ${maxCount} files, all in the "photos" field`);
    return new BadRequestException(`multipart body refused: ${err.message}`);
  };
  return async (req: Request, res: Response): Promise<{ body: unknown; files: Buffer[] }> => {
    await new Promise<void>((resolve, reject) =>
      parse(req, res, (err: unknown) => (err ? reject(refusal(err)) : resolve())),
    );
    const report = (req.body as Record<string, unknown> | undefined)?.['report'];
    if (typeof report !== 'string')
      throw new BadRequestException('a multipart report carries its JSON in a "report" field');
    const files = ((req.files ?? []) as Array<{ buffer: Buffer }>).map((f) => f.buffer);
    try {
      return { body: JSON.parse(report), files };
    } catch (err) {
      throw new BadRequestException(`the "report" field is not valid JSON: ${(err as Error).message}`);
    }
  };
}

/**
 * Keeps each photo in the media store, which checks it by its content and links a public copy
 * without EXIF (phone photos carry the GPS position of the reporter's home and the device serial).
 * What is too large or not a photo is dropped with a note, not fatal: the complaint still counts.
 * A decompression bomb refuses the request (422): no app sends one by accident.
 */
export async function takePhotos(files: readonly Buffer[], media: PgMediaStore): Promise<PhotoOutcome> {
  const out: PhotoOutcome = { attachments: [], dropped: [] };
  for (const [index, bytes] of files.entries()) {
    const n = index + 1;
    try {
      const { url, contentType, size } = await media.put(bytes);
      out.attachments.push({
        url,
        contentType,
        size,
        name: `photo-${n}.${MEDIA_EXTENSION[contentType as MediaType]}`,
      });
    } catch (err) {
      if (!(err instanceof MediaRefused)) throw err;
      if (err.problem === 'too-many-pixels')
        throw new HttpException(`photo ${n}: ${err.message}`, err.status);
      const reason = {
        'too-large': `is ${bytes.length} bytes, over the limit of ${media.limits.maxBytes}`,
        'unknown-type': 'is not a JPEG, PNG or WebP image',
        'type-not-allowed': 'is not a JPEG, PNG or WebP image',
        undecodable: 'could not be decoded as an image',
        empty: 'is empty',
      }[err.problem];
      out.dropped.push({ index, reason: `photo ${n} ${reason}` });
    }
  }
  return out;
}
