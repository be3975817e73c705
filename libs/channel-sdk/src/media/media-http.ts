/**
 * `GET /media/{sha256}`: the public copy of a stored file, for the links adapters put in events.
 *
 *   imports: [MediaModule.serving(media)]            // in the adapter's Nest module
 *
 * or, outside Nest, `mediaResponse(media, id, req.headers['if-none-match'])` gives status,
 * headers and body to write. The id is the only key: it is unguessable without the bytes.
 * Originals are never served here (ADR 0014).
 */
import { Controller, Get, Inject, Module, Param, Req, Res, type DynamicModule } from '@nestjs/common';
import type { Request, Response } from 'express';
import { MEDIA_ID, type MediaStore } from './media-store';
import { MEDIA_EXTENSION, isImageType, type MediaType } from './sniff';

export interface MediaResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

function problem(status: number, error: string, message: string): MediaResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'x-content-type-options': 'nosniff' },
    body: Buffer.from(JSON.stringify({ statusCode: status, error, message })),
  };
}

export async function mediaResponse(
  store: MediaStore,
  id: string,
  ifNoneMatch?: string | string[],
): Promise<MediaResponse> {
  if (!MEDIA_ID.test(id))
    return problem(400, 'Bad Request', 'a media id is the 64 lowercase hex digits of a SHA-256');
  const etag = `"${id}"`;
  const found = await store.get(id, { variant: 'public' });
  if (!found) return problem(404, 'Not Found', 'no media with this id');
  const headers: Record<string, string> = {
    'content-type': found.contentType,
    'x-content-type-options': 'nosniff',
    // An id always names the same bytes, so caches may keep them for a year; but not shared
    // caches: a photo showing a face or a child may have to be taken down, and a proxy or CDN
    // would keep serving it.
    'cache-control': 'private, max-age=31536000, immutable',
    etag,
    // Nothing served here is a page: even if a browser were talked into rendering a file, it
    // would run no script and reach nothing.
    'content-security-policy': "default-src 'none'; sandbox",
  };
  // PDFs, videos and audio are downloaded, not opened in the adapter's origin.
  if (!isImageType(found.contentType)) {
    const ext = MEDIA_EXTENSION[found.contentType as MediaType] ?? 'bin';
    headers['content-disposition'] = `attachment; filename="${id}.${ext}"`;
  }
  const tags = [ifNoneMatch ?? []].flat().flatMap((v) => v.split(',').map((t) => t.trim()));
  if (tags.includes(etag) || tags.includes('*')) return { status: 304, headers, body: Buffer.alloc(0) };
  headers['content-length'] = String(found.bytes.length);
  return { status: 200, headers, body: found.bytes };
}

export const MEDIA_STORE = Symbol('MEDIA_STORE');

@Controller('media')
export class MediaController {
  constructor(@Inject(MEDIA_STORE) private readonly store: MediaStore) {}

  @Get(':id')
  async media(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const answer = await mediaResponse(this.store, id, req.headers['if-none-match']);
    res.status(answer.status).set(answer.headers);
    if (answer.status === 304) res.end();
    else res.end(answer.body);
  }
}

/** Mounts `GET /media/{sha256}` on an adapter's Nest app. */
@Module({})
export class MediaModule {
  static serving(store: MediaStore): DynamicModule {
    return {
      module: MediaModule,
      controllers: [MediaController],
      providers: [{ provide: MEDIA_STORE, useValue: store }],
    };
  }
}
