import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  Controller,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  Post,
  Req,
  Res,
  ServiceUnavailableException,
} from '@nestjs/common';
import {
  enforceLimits,
  fetchPublicReport,
  mediaResponse,
  normalizeTrackingCode,
  orServiceUnavailable,
  StatusUnavailable,
  withIdempotencyKey,
  type PublicReportView,
  type Receipt,
} from '@aduan/channel-sdk';
import type { Request, Response } from 'express';
import type { JakiApi } from '../app';
import { discardUploads, photoHash, takePhotos, type UploadedPhoto } from '../photos';
import { parseReportRequest } from './report-request';

export const JAKI_API = Symbol('JAKI_API');

/** `droppedPhotos`: the photos left out of the report, and why; absent when every photo was kept. */
type Accepted = Receipt & { state: 'RECEIVED'; droppedPhotos?: Array<{ index: number; reason: string }> };

const LEGACY_PHOTO = /^([0-9a-f]{64})\.(jpg|png|webp)$/;

@Controller('v1')
export class ReportsController {
  constructor(@Inject(JAKI_API) private readonly api: JakiApi) {}

  @Get('categories')
  listCategories(): { categories: string[] } {
    return { categories: [...this.api.categories].sort((a, b) => a.localeCompare(b, 'id')) };
  }

  /**
   * 202: the report exists (Kafka has it) but nobody has acted on it yet. JSON, or multipart
   * with the same JSON in a `report` field and photos under `photos`.
   */
  @Post('reports')
  @HttpCode(202)
  async create(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<Accepted> {
    const { limits, perIp, perKey } = this.api;
    let clientId: string | undefined;
    let unauthorized: unknown;
    try {
      clientId = this.api.apiKeys.authenticate(req.headers);
    } catch (err) {
      unauthorized = err;
    }
    // Both counters in one statement. The address counts a request with a wrong key too, and
    // its 429 comes before the 401, so guessing keys is slow as well.
    await enforceLimits(limits, res, [
      { limit: perIp, key: req.ip ?? req.socket.remoteAddress },
      { limit: perKey, key: clientId },
    ]);
    if (clientId === undefined) throw unauthorized;
    const { body, files } = req.is('multipart/form-data')
      ? await this.api.readMultipart(req, res)
      : { body: req.body as unknown, files: [] as UploadedPhoto[] };
    try {
      return await this.report(req, res, clientId, body, files);
    } finally {
      await discardUploads(files);
    }
  }

  /** The report of one request, its photos already on disk (removed by the caller). */
  private async report(
    req: Request,
    res: Response,
    clientId: string,
    body: unknown,
    files: UploadedPhoto[],
  ): Promise<Accepted> {
    const { ctx, media } = this.api;
    const request = parseReportRequest(body, this.api.categories);
    // The photos belong to the body: the same key with other photos is another request.
    const photoHashes = await Promise.all(files.map(photoHash));
    const take = async (key: string | undefined): Promise<Accepted> => {
      const sourceId = key ? `${clientId}:${key}` : randomUUID();
      const photos = await takePhotos(files, media);
      const notes = photos.dropped.map((d) => `[Foto tidak disertakan / photo left out: ${d.reason}]`);
      const receipt = ctx.intake.receiptFor('jaki', sourceId);
      await ctx.intake.submit(
        {
          channel: 'jaki',
          sourceId,
          ...request,
          text: [request.text, ...notes].join('\n'),
          attachments: photos.attachments,
        },
        // Recorded before the event, so the report's first state change finds the app to push to.
        () =>
          ctx.store.conversations.open({
            channel: 'jaki',
            address: sourceId,
            ...receipt,
            thread: { app: clientId },
          }),
      );
      const dropped = photos.dropped.length;
      // Debug: at a flood's rate a line per request costs more than the request's own work.
      ctx.logger.debug('report accepted', {
        reportId: receipt.reportId,
        app: clientId,
        photos: photos.attachments.length,
        dropped,
      });
      return { ...receipt, state: 'RECEIVED', ...(dropped ? { droppedPhotos: photos.dropped } : {}) };
    };
    const key = req.headers['idempotency-key'];
    return orServiceUnavailable(res, ctx.logger, () =>
      withIdempotencyKey(ctx.idempotency, clientId, key, { report: body, photos: photoHashes }, take),
    );
  }

  /** The JakRespon view of one report: its state and public timeline, nothing about the reporter. */
  @Get('reports/:trackingCode')
  async view(@Req() req: Request, @Param('trackingCode') raw: string): Promise<PublicReportView> {
    this.api.apiKeys.authenticate(req.headers);
    const code = normalizeTrackingCode(raw);
    const report = code
      ? await fetchPublicReport(this.api.statusBaseUrl, code).catch((err: unknown) => {
          if (!(err instanceof StatusUnavailable)) throw err;
          this.api.ctx.logger.warn('status service unavailable', { error: err.message });
          throw new ServiceUnavailableException('report status is unavailable right now; try again shortly');
        })
      : null;
    if (!report) throw new NotFoundException(`no report with tracking code ${raw.slice(0, 20)}`);
    return report;
  }

  /** Links on reports made before the media store, named by the SHA-256 of the file kept on disk. */
  @Get('photos/:name')
  async legacyPhoto(@Param('name') name: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const id = LEGACY_PHOTO.exec(name)?.[1];
    if (!id) throw new NotFoundException('no such photo');
    const { media, legacyPhotoDir } = this.api;
    if (!(await media.get(id))) {
      const bytes = await readFile(join(legacyPhotoDir, name)).catch(() => null);
      if (bytes) await media.put(bytes);
    }
    const answer = await mediaResponse(media, id, req.headers['if-none-match']);
    if (answer.status === 404) throw new NotFoundException('no such photo');
    res.status(answer.status).set(answer.headers).end(answer.body);
  }
}
