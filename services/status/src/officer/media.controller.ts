import { Controller, Get, Headers, Inject, Param, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { mediaResponse, PgMediaStore } from '@aduan/channel-sdk';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import type { OfficerPrincipal } from '../auth/tokens';
import { guardReport } from './access';
import { ApiError, ApiErrorFilter } from './api-error';
import { Officer, OfficerAuthGuard } from './officer-auth';

const MEDIA_ID = /^[0-9a-f]{64}$/;

/**
 * Citizens' photos and attachments from every channel, as the channel kit's media store keeps
 * them, for the console to show inline behind the officer's token. Served only to an officer
 * who may read a report (or follow-up) that carries the file.
 */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('v1/officer')
@UseGuards(OfficerAuthGuard)
@UseFilters(ApiErrorFilter)
export class MediaController {
  private readonly media: PgMediaStore;

  constructor(@Inject(DataSource) private readonly db: DataSource) {
    // Read-only here: the base URL is never used, links are the adapters' own.
    this.media = new PgMediaStore(db, { publicBaseUrl: '' });
  }

  @Get('media/:id')
  @ApiOperation({ summary: "A citizen's photo or attachment (the copy without EXIF), by its SHA-256" })
  async file(
    @Officer() who: OfficerPrincipal,
    @Param('id') id: string,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    if (!MEDIA_ID.test(id))
      throw new ApiError(400, 'VALIDATION_FAILED', 'a media id is the 64 lowercase hex digits of a SHA-256');
    const reportId = await this.reportCarrying(id);
    if (!reportId) throw new ApiError(404, 'NOT_FOUND', 'no report carries this file');
    await guardReport(this.db, who, reportId, 'read-attachment');
    const answer = await mediaResponse(this.media, id, ifNoneMatch).catch((err: { code?: string }) => {
      // The adapters keep their media in another database than this one: nothing to serve here.
      if (err.code === '42P01')
        throw new ApiError(404, 'NOT_FOUND', 'the media store is not in this database');
      throw err;
    });
    res.status(answer.status).set(answer.headers).send(answer.body);
  }

  private async reportCarrying(id: string): Promise<string | null> {
    const suffix = `%/media/${id}`;
    const rows = (await this.db.query(
      `SELECT id FROM report r WHERE EXISTS (SELECT 1 FROM jsonb_array_elements(r.attachments) a WHERE a->>'url' LIKE $1)
       UNION ALL
       SELECT report_id FROM report_follow_up f WHERE EXISTS (SELECT 1 FROM jsonb_array_elements(f.attachments) a WHERE a->>'url' LIKE $1)
       LIMIT 1`,
      [suffix],
    )) as Array<{ id: string }>;
    return rows[0]?.id ?? null;
  }
}
