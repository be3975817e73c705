import { HttpException } from '@nestjs/common';
import { MEDIA_EXTENSION, MediaRefused, type MediaType, type PgMediaStore } from '@aduan/channel-sdk';
import type { Attachment } from '@aduan/contracts';
import type { Request, Response } from 'express';
import multer, { MulterError } from 'multer';

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

/** What the app may send (ADR 0025); the store reads the type from the bytes. */
export const PHOTO_TYPES: MediaType[] = ['image/jpeg', 'image/png', 'image/webp'];

/**
 * Keeps each photo in the media store, which checks it by its content and links a public copy
 * without EXIF (phone photos carry the GPS position of the reporter's home and the device serial).
 * What is too large or not a photo is dropped with a note, not fatal: the complaint still counts.
 * A decompression bomb refuses the request (422): no app sends one by accident.
 */
export async function takePhotos(files: readonly UploadedFile[], media: PgMediaStore): Promise<PhotoOutcome> {
  const out: PhotoOutcome = { attachments: [], dropped: [] };
  for (const [index, file] of files.entries()) {
    const n = index + 1;
    try {
      const { url, contentType, size } = await media.put(file.buffer);
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
        'too-large': `is ${file.size} bytes, over the limit of ${media.limits.maxBytes}`,
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

export interface MultipartReport {
  fields: Record<string, unknown>;
  files: UploadedFile[];
}

/**
 * Reads a multipart report: a `report` field with the same JSON as a plain request, and up to
 * `maxCount` files under `photos`. Files are held in memory (at most maxCount × hard cap).
 */
export class Uploads {
  private readonly parse: ReturnType<ReturnType<typeof multer>['array']>;

  constructor(
    private readonly maxCount: number,
    private readonly hardCapBytes: number,
  ) {
    this.parse = multer({
      storage: multer.memoryStorage(),
      limits: {
        fileSize: hardCapBytes,
        files: maxCount,
        fields: 10,
        fieldSize: 256 * 1024,
        parts: maxCount + 10,
      },
    }).array('photos', maxCount);
  }

  read(req: Request, res: Response): Promise<MultipartReport> {
    return new Promise((resolve, reject) => {
      this.parse(req, res, (err: unknown) => {
        if (err) return reject(this.describe(err));
        resolve({
          fields: (req.body ?? {}) as Record<string, unknown>,
          files: (req.files ?? []) as UploadedFile[],
        });
      });
    });
  }

  private describe(err: unknown): HttpException {
    const answer = (status: number, error: string, message: string) =>
      new HttpException({ statusCode: status, error, message }, status);
    if (err instanceof MulterError) {
      switch (err.code) {
        case 'LIMIT_FILE_SIZE':
          return answer(
            413,
            'Payload Too Large',
            `a photo is larger than the upload limit of ${this.hardCapBytes} bytes`,
          );
        case 'LIMIT_FILE_COUNT':
        case 'LIMIT_UNEXPECTED_FILE':
          return answer(400, 'Bad Request', `send at most ${this.maxCount} files, all in the "photos" field`);
        default:
          return answer(400, 'Bad Request', `multipart body refused: ${err.message}`);
      }
    }
    return answer(
      400,
      'Bad Request',
      `multipart body could not be read: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}
