import { Controller, Get, Inject, NotFoundException, Param, Res } from '@nestjs/common';
import { normalizeTrackingCode } from '@aduan/channel-sdk';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { EvidenceService } from '../evidence/evidence-service';
import { findPublicReport, type PublicReport } from './public-report';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Controller('v1/public')
export class PublicController {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(EvidenceService) private readonly evidence: EvidenceService,
  ) {}

  @Get('reports/:trackingCode')
  async report(@Param('trackingCode') raw: string): Promise<PublicReport> {
    const code = normalizeTrackingCode(raw);
    // The same answer for a malformed and an unknown code: the endpoint confirms nothing.
    const report = code ? await findPublicReport(this.db, code) : null;
    if (!report) throw new NotFoundException(`no report with tracking code ${raw.slice(0, 20)}`);
    return report;
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
