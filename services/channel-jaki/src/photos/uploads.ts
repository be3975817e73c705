import { HttpException } from '@nestjs/common';
import type { Request, Response } from 'express';
import multer, { MulterError } from 'multer';
import type { UploadedFile } from './photo-intake';

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
