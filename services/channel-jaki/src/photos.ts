import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { BadRequestException, HttpException, PayloadTooLargeException } from '@nestjs/common';
import { MEDIA_EXTENSION, MediaRefused, type MediaType, type PgMediaStore } from '@aduan/channel-sdk';
import type { Attachment } from '@aduan/contracts';
import { jsonDeeperThan, MAX_JSON_DEPTH, withoutNulReviver } from '@aduan/platform';
import type { Request, Response } from 'express';
import multer, { MulterError } from 'multer';

/** What the app may send (ADR 0025); the store reads the type from the bytes. */
export const PHOTO_TYPES: MediaType[] = ['image/jpeg', 'image/png', 'image/webp'];

export interface PhotoOutcome {
  attachments: Attachment[];
  /** One line per photo left out, for the report and for the app's response. */
  dropped: Array<{ index: number; reason: string }>;
}

/** A photo as received: written to a temporary file, never held in memory with the others. */
export interface UploadedPhoto {
  path: string;
  size: number;
}

/** The SHA-256 of an uploaded photo, read from its file in chunks. */
export async function photoHash(photo: UploadedPhoto): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(photo.path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Removes a request's temporary photo files, whatever came of the request. */
export async function discardUploads(photos: readonly UploadedPhoto[]): Promise<void> {
  await Promise.all(photos.map((p) => rm(p.path, { force: true })));
}

/**
 * Reads a multipart report: a `report` field with the same JSON as a plain request, and up to
 * `maxCount` files under `photos`, streamed to temporary files under random names (the sender's
 * file name is never a path), so a request holds at most one photo in memory at a time.
 */
export function multipartReader(maxCount: number, hardCapBytes: number) {
  const parse = multer({
    storage: multer.diskStorage({ destination: tmpdir() }),
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
  return async (req: Request, res: Response): Promise<{ body: unknown; files: UploadedPhoto[] }> => {
    await new Promise<void>((resolve, reject) =>
      parse(req, res, (err: unknown) => (err ? reject(refusal(err)) : resolve())),
    );
    const report = (req.body as Record<string, unknown> | undefined)?.['report'];
    if (typeof report !== 'string')
      throw new BadRequestException('a multipart report carries its JSON in a "report" field');
    const files = ((req.files ?? []) as Array<{ path: string; size: number }>).map(({ path, size }) => ({
      path,
      size,
    }));
    // The same rules as a JSON body at the door: bounded nesting, no NUL (ADR 0053).
    try {
      if (jsonDeeperThan(report, MAX_JSON_DEPTH))
        throw new BadRequestException(`the "report" field is nested deeper than ${MAX_JSON_DEPTH} levels`);
      return { body: JSON.parse(report, withoutNulReviver), files };
    } catch (err) {
      await discardUploads(files);
      if (err instanceof HttpException) throw err;
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
export async function takePhotos(
  files: readonly UploadedPhoto[],
  media: PgMediaStore,
): Promise<PhotoOutcome> {
  const out: PhotoOutcome = { attachments: [], dropped: [] };
  for (const [index, file] of files.entries()) {
    const n = index + 1;
    const bytes = await readFile(file.path);
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
