import { createHash, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  BadRequestException,
  ConflictException,
  Controller,
  Get,
  HttpCode,
  HttpException,
  Inject,
  NotFoundException,
  Param,
  Post,
  Req,
  Res,
  ServiceUnavailableException,
} from '@nestjs/common';
import {
  IDEMPOTENCY_KEY,
  IdempotencyConflict,
  mediaResponse,
  normalizeTrackingCode,
  type ChannelContext,
  type PgMediaStore,
  type Receipt,
} from '@aduan/channel-sdk';
import type { Request, Response } from 'express';
import { takePhotos, type UploadedFile, type Uploads } from '../photos';
import { StatusUnavailable, type JakResponView, type StatusClient } from '../status-client';
import type { ApiKeys } from './api-keys';
import { parseReportRequest } from './report-request';

export interface JakiApi {
  ctx: ChannelContext<unknown>;
  apiKeys: ApiKeys;
  categories: ReadonlySet<string>;
  uploads: Uploads;
  media: PgMediaStore;
  status: StatusClient;
  /** Photos stored on disk before the media store, still linked from older reports. */
  legacyPhotoDir?: string;
}
export const JAKI_API = Symbol('JAKI_API');

interface Accepted extends Receipt {
  state: 'RECEIVED';
  /** Photos left out of the report, and why; absent when every photo was kept. */
  droppedPhotos?: Array<{ index: number; reason: string }>;
}

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
    const clientId = this.authenticate(req);
    const key = req.headers['idempotency-key'];
    if (key !== undefined && (typeof key !== 'string' || !IDEMPOTENCY_KEY.test(key)))
      throw new BadRequestException('Idempotency-Key must be 1 to 200 visible ASCII characters');
    let body: unknown = req.body;
    let files: UploadedFile[] = [];
    if (req.is('multipart/form-data')) {
      const multipart = await this.api.uploads.read(req, res);
      files = multipart.files;
      if (typeof multipart.fields['report'] !== 'string')
        throw new BadRequestException('a multipart report carries its JSON in a "report" field');
      try {
        body = JSON.parse(multipart.fields['report']);
      } catch (err) {
        throw new BadRequestException(`the "report" field is not valid JSON: ${(err as Error).message}`);
      }
    }
    const parsed = parseReportRequest(body, this.api.categories);
    if (!parsed.ok) throw new BadRequestException(parsed.problems.join('; '));
    const request = parsed.value;
    const { ctx } = this.api;

    const take = async (sourceId: string): Promise<Accepted> => {
      const photos = await takePhotos(files, this.api.media);
      const notes = photos.dropped.map((d) => `[Foto tidak disertakan / photo left out: ${d.reason}]`);
      const receipt = ctx.intake.receiptFor('jaki', sourceId);
      // Recorded before the event, so the report's first state change already finds its app to push to.
      await ctx.store.conversations.open({
        channel: 'jaki',
        address: sourceId,
        ...receipt,
        thread: { app: clientId },
      });
      await ctx.intake.submit({
        channel: 'jaki',
        sourceId,
        reporter: request.reporter,
        text: [request.text, ...notes].join('\n'),
        category: request.category,
        location: request.location,
        visibility: request.visibility,
        attachments: photos.attachments,
      });
      ctx.logger.info('report accepted', {
        reportId: receipt.reportId,
        app: clientId,
        photos: photos.attachments.length,
        dropped: photos.dropped.length,
      });
      return {
        ...receipt,
        state: 'RECEIVED',
        ...(photos.dropped.length ? { droppedPhotos: photos.dropped } : {}),
      };
    };
    try {
      if (!key) return await take(randomUUID());
      // The photos count as the body too: the same key with other photos is another request.
      const fingerprint = {
        report: body,
        photos: files.map((f) => createHash('sha256').update(f.buffer).digest('hex')),
      };
      return await ctx.idempotency.once(clientId, key, fingerprint, () => take(`${clientId}:${key}`));
    } catch (err) {
      if (err instanceof HttpException) throw err;
      if (err instanceof IdempotencyConflict) throw new ConflictException(err.message);
      // Kafka or the database is away: nothing was promised, the app sends the report again.
      ctx.logger.warn('report not taken in, the app will retry', {
        error: err instanceof Error ? err.message : String(err),
      });
      res.setHeader('Retry-After', '30');
      throw new ServiceUnavailableException(
        'report intake is briefly unavailable; send the report again later',
      );
    }
  }

  /** The JakRespon view of one report: its state and public timeline, nothing about the reporter. */
  @Get('reports/:trackingCode')
  async view(@Req() req: Request, @Param('trackingCode') raw: string): Promise<JakResponView> {
    this.authenticate(req);
    const code = normalizeTrackingCode(raw);
    const report = code
      ? await this.api.status.report(code).catch((err: unknown) => {
          if (!(err instanceof StatusUnavailable)) throw err;
          this.api.ctx.logger.warn('status service unavailable', { error: err.message });
          throw new ServiceUnavailableException('report status is unavailable right now; try again shortly');
        })
      : null;
    if (!report) throw new NotFoundException(`no report with tracking code ${raw.slice(0, 20)}`);
    return report;
  }

  /** Links on reports made before the media store: the file's name is the SHA-256 of its public copy. */
  @Get('photos/:name')
  async legacyPhoto(@Param('name') name: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const id = LEGACY_PHOTO.exec(name)?.[1];
    if (!id) throw new NotFoundException('no such photo');
    const { media, legacyPhotoDir } = this.api;
    if (legacyPhotoDir && !(await media.get(id))) {
      const bytes = await readFile(join(legacyPhotoDir, name)).catch(() => null);
      if (bytes) await media.put(bytes);
    }
    const answer = await mediaResponse(media, id, req.headers['if-none-match']);
    if (answer.status === 404) throw new NotFoundException('no such photo');
    res.status(answer.status).set(answer.headers).end(answer.body);
  }

  private authenticate(req: Request): string {
    const auth = this.api.apiKeys.check({
      'x-api-key': req.headers['x-api-key'],
      authorization: req.headers.authorization,
    });
    if (auth.ok) return auth.clientId;
    const error = auth.status === 401 ? 'Unauthorized' : 'Service Unavailable';
    throw new HttpException({ statusCode: auth.status, error, message: auth.message }, auth.status);
  }
}
