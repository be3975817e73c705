import {
  Controller,
  Headers,
  HttpCode,
  HttpException,
  Inject,
  PayloadTooLargeException,
  Post,
  Req,
  Res,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { MediaRefused, type MediaType } from '@aduan/channel-sdk';
import { officerFromAuthorization } from '@aduan/platform';
import type { Request, Response } from 'express';
import { ENTRY_DEPS, MAY_ENTER, type EntryDeps } from './entries.controller';

/** What an officer photographs at the counter or scans from a letter; browsers show all three. */
export const ENTRY_PHOTO_TYPES: MediaType[] = ['image/jpeg', 'image/png', 'image/webp'];

/** The answer to an upload: the id to name in the entry's `photos`, and what was kept. */
export interface UploadedEntryPhoto {
  photo: string;
  contentType: string;
  size: number;
}

/**
 * The body of a photo upload, read up to `maxBytes` and no further: a declared length over it is
 * refused before a byte is read, a chunked body as soon as it passes it. A multipart form and
 * JSON are named as what they are, since their bytes would only be refused as "not a photo".
 */
async function uploadedBytes(req: Request, res: Response, maxBytes: number): Promise<Buffer> {
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  // Not urlencoded: nothing parses it here, and `curl --data-binary @foto.jpg` sends that type.
  if (type.startsWith('multipart/'))
    throw new UnsupportedMediaTypeException(
      "send the photo's bytes as the request body (Content-Type image/jpeg, image/png or image/webp), not a form",
    );
  if (req.readableEnded)
    throw new UnsupportedMediaTypeException(
      "send the photo's bytes as the request body (Content-Type image/jpeg, image/png or image/webp), not JSON",
    );
  const tooLarge = () => {
    // The rest of the body is not read: the connection closes once the refusal is out.
    res.setHeader('Connection', 'close');
    return new PayloadTooLargeException(`the photo is larger than the limit of ${maxBytes} bytes`);
  };
  if (Number(req.headers['content-length'] ?? 0) > maxBytes) throw tooLarge();
  const chunks: Buffer[] = [];
  let seen = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    seen += chunk.length;
    if (seen > maxBytes) {
      req.pause();
      throw tooLarge();
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * `POST /v1/officer/entries/photos`: the first step of an entry with a photo. The photo is kept
 * in the channel kit's media store (type read from the bytes, size and pixel limits, a public
 * copy without EXIF) and its id then goes into the entry's `photos`; nothing is published here.
 */
@Controller('v1/officer/entries')
export class EntryPhotosController {
  constructor(@Inject(ENTRY_DEPS) private readonly deps: EntryDeps) {}

  @Post('photos')
  @HttpCode(201)
  async upload(
    @Headers('authorization') authorization: string | undefined,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<UploadedEntryPhoto> {
    const officer = await officerFromAuthorization(
      authorization,
      this.deps.officerKeys,
      MAY_ENTER,
      'enter reports',
    );
    const { photos, ctx } = this.deps;
    const bytes = await uploadedBytes(req, res, photos.limits.maxBytes);
    try {
      const kept = await photos.put(bytes, { declaredType: req.headers['content-type'] });
      ctx.logger.info('photo kept for an entry', { officer: officer.sub, photo: kept.id });
      return { photo: kept.id, contentType: kept.contentType, size: kept.size };
    } catch (err) {
      if (!(err instanceof MediaRefused)) throw err;
      throw new HttpException(
        { statusCode: err.status, error: 'Photo Refused', problem: err.problem, message: err.message },
        err.status,
      );
    }
  }
}
