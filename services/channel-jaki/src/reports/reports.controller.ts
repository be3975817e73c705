import { randomUUID } from 'node:crypto';
import {
  BadRequestException,
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
import { ComplaintIntake, Conversations, normalizeTrackingCode, type Receipt } from '@aduan/channel-sdk';
import type { Logger } from '@aduan/platform';
import type { Request, Response } from 'express';
import { takePhotos, type UploadedFile } from '../photos/photo-intake';
import type { PhotoStorage } from '../photos/photo-storage';
import type { Uploads } from '../photos/uploads';
import { StatusUnavailable, type JakResponView, type StatusClient } from '../status/status-client';
import { JAKI_OPTIONS, KNOWN_CATEGORIES, PHOTO_STORAGE } from '../tokens';
import { ApiKeys } from './api-keys';
import { AnsweredRequests } from './answered-requests';
import { parseReportRequest } from './report-request';

export { KNOWN_CATEGORIES } from '../tokens';

export interface JakiOptions {
  uploads: Uploads;
  status: StatusClient;
  conversations: Conversations;
  photoMaxBytes: number;
  log: Logger;
}

interface Accepted extends Receipt {
  state: 'RECEIVED';
  /** Photos left out of the report, and why; absent when every photo was kept. */
  droppedPhotos?: Array<{ index: number; reason: string }>;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

@Controller('v1')
export class ReportsController {
  private readonly answered = new AnsweredRequests<Accepted>();

  constructor(
    @Inject(ComplaintIntake) private readonly intake: ComplaintIntake,
    @Inject(ApiKeys) private readonly apiKeys: ApiKeys,
    @Inject(KNOWN_CATEGORIES) private readonly categories: ReadonlySet<string>,
    @Inject(PHOTO_STORAGE) private readonly photos: PhotoStorage,
    @Inject(JAKI_OPTIONS) private readonly opts: JakiOptions,
  ) {}

  @Get('categories')
  listCategories(): { categories: string[] } {
    return { categories: [...this.categories].sort((a, b) => a.localeCompare(b, 'id')) };
  }

  /**
   * 202: the report exists (Kafka has it) but nobody has acted on it yet. JSON, or multipart
   * with the same JSON in a `report` field and photos under `photos`.
   */
  @Post('reports')
  @HttpCode(202)
  async create(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<Accepted> {
    const clientId = this.authenticate(req);
    const idempotencyKey = req.headers['idempotency-key'];
    if (
      idempotencyKey !== undefined &&
      (typeof idempotencyKey !== 'string' || !IDEMPOTENCY_KEY.test(idempotencyKey))
    ) {
      throw new BadRequestException('Idempotency-Key must be 1 to 200 visible ASCII characters');
    }
    const sourceId = idempotencyKey ? `${clientId}:${idempotencyKey}` : randomUUID();
    const earlier = this.answered.get(sourceId);
    if (earlier) return earlier;

    let body: unknown = req.body;
    let files: UploadedFile[] = [];
    if (req.is('multipart/form-data')) {
      const multipart = await this.opts.uploads.read(req, res);
      files = multipart.files;
      const report = multipart.fields['report'];
      if (typeof report !== 'string')
        throw new BadRequestException('a multipart report carries its JSON in a "report" field');
      try {
        body = JSON.parse(report);
      } catch (err) {
        throw new BadRequestException(
          `the "report" field is not valid JSON: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
    }
    const parsed = parseReportRequest(body, this.categories);
    if (!parsed.ok) throw new BadRequestException(parsed.problems.join('; '));
    const request = parsed.value;

    const photos = await takePhotos(files, this.photos, this.opts.photoMaxBytes);
    const notes = photos.dropped.map((d) => `[Foto tidak disertakan / photo left out: ${d.reason}]`);
    const receipt = await this.intake.submit({
      channel: 'jaki',
      sourceId,
      reporter: request.reporter,
      text: [request.text, ...notes].join('\n'),
      category: request.category,
      location: request.location,
      visibility: request.visibility,
      attachments: photos.attachments,
    });
    // Marks the report as the app's, so its state changes are pushed back to that app.
    await this.opts.conversations.open({
      channel: 'jaki',
      address: sourceId,
      reportId: receipt.reportId,
      trackingCode: receipt.trackingCode,
      thread: { app: clientId },
    });
    this.opts.log.info('report accepted', {
      reportId: receipt.reportId,
      app: clientId,
      photos: photos.attachments.length,
      dropped: photos.dropped.length,
    });
    const accepted: Accepted = {
      ...receipt,
      state: 'RECEIVED',
      ...(photos.dropped.length ? { droppedPhotos: photos.dropped } : {}),
    };
    this.answered.set(sourceId, accepted);
    return accepted;
  }

  /** The JakRespon view of one report: its state and public timeline, nothing about the reporter. */
  @Get('reports/:trackingCode')
  async view(@Req() req: Request, @Param('trackingCode') raw: string): Promise<JakResponView> {
    this.authenticate(req);
    const code = normalizeTrackingCode(raw);
    const notFound = () => new NotFoundException(`no report with tracking code ${raw.slice(0, 20)}`);
    if (!code) throw notFound();
    try {
      const report = await this.opts.status.report(code);
      if (!report) throw notFound();
      return report;
    } catch (err) {
      if (err instanceof StatusUnavailable) {
        this.opts.log.warn('status service unavailable', { error: err.message });
        throw new ServiceUnavailableException('report status is unavailable right now; try again shortly');
      }
      throw err;
    }
  }

  private authenticate(req: Request): string {
    const auth = this.apiKeys.check({
      'x-api-key': req.headers['x-api-key'],
      authorization: req.headers.authorization,
    });
    if (!auth.ok) {
      throw new HttpException(
        {
          statusCode: auth.status,
          error: auth.status === 401 ? 'Unauthorized' : 'Service Unavailable',
          message: auth.message,
        },
        auth.status,
      );
    }
    return auth.clientId;
  }
}
