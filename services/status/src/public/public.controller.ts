import { Controller, Get, Inject, NotFoundException, Optional, Param, Req, Res } from '@nestjs/common';
import { normalizeTrackingCode } from '@aduan/channel-sdk';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { EvidenceService } from '../evidence/evidence-service';
import { PublicLookupLimits } from './lookup-limits';
import { findPublicReport, type PublicReport } from './public-report';
import { PublicStreams, versionOf } from './public-streams';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** What an event id written by this service looks like; anything else is ignored. */
const EVENT_ID = /^[A-Za-z0-9_-]{22}$/;

/** `"v"` and `W/"v"` in an If-None-Match list, or `*`. */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t === etag || t === `W/${etag}`;
  });
}

@Controller('v1/public')
export class PublicController {
  private readonly lookups: PublicLookupLimits;

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(EvidenceService) private readonly evidence: EvidenceService,
    @Inject(PublicStreams) private readonly streams: PublicStreams,
    // Provided from PUBLIC_LOOKUPS_PER_MINUTE; absent, the default limit applies.
    @Optional() @Inject(PublicLookupLimits) lookups?: PublicLookupLimits,
  ) {
    this.lookups = lookups ?? PublicLookupLimits.on(db);
  }

  /** The same answer for a malformed and an unknown code: the endpoint confirms nothing. */
  private async find(raw: string): Promise<PublicReport> {
    const code = normalizeTrackingCode(raw);
    const report = code ? await findPublicReport(this.db, code) : null;
    if (!report) throw new NotFoundException(`no report with tracking code ${raw.slice(0, 20)}`);
    return report;
  }

  @Get('reports/:trackingCode')
  async report(
    @Param('trackingCode') raw: string,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PublicReport | undefined> {
    await this.lookups.admit(req, res);
    const report = await this.find(raw);
    const etag = `"${versionOf(report)}"`;
    res.setHeader('ETag', etag);
    // Any browser may keep it but must ask again each time; a 304 costs one short query's answer.
    // Never a shared cache: the report may turn confidential, and codes are not for proxies to list.
    res.setHeader('Cache-Control', 'private, no-cache');
    if (matches(req.headers['if-none-match'], etag)) {
      res.status(304);
      return undefined;
    }
    return report;
  }

  /**
   * Server-sent events: the public view now, then again each time it changes (ADR 0047). An
   * EventSource that reconnects sends the last id it saw and is sent nothing it already has.
   */
  @Get('reports/:trackingCode/events')
  async events(@Param('trackingCode') raw: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.lookups.admit(req, res);
    const report = await this.find(raw);
    const client = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const place = this.streams.reserve(client);
    if (!place.ok) {
      res.status(503).setHeader('Retry-After', '60').setHeader('Cache-Control', 'no-store');
      res.json({ statusCode: 503, error: 'Service Unavailable', message: place.reason });
      return;
    }
    const last = req.headers['last-event-id'];
    const lastEventId = typeof last === 'string' && EVENT_ID.test(last) ? last : null;
    if (res.destroyed || req.socket.destroyed) {
      this.streams.release(client);
      return;
    }
    this.streams.open(report.trackingCode, client, res, report, lastEventId);
  }

  /** Follow-up photos shown on the public timeline, without the metadata of the original. */
  @Get('evidence/:id')
  async photo(@Param('id') id: string, @Res() res: Response): Promise<void> {
    const bytes = UUID.test(id) ? await this.evidence.publicCopy(id) : null;
    if (!bytes) throw new NotFoundException('no such public evidence');
    res.setHeader('Content-Type', 'image/jpeg');
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.send(bytes);
  }
}
