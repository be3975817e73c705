import { Controller, Get, Inject, NotFoundException, Param } from '@nestjs/common';
import { normalizeTrackingCode } from '@aduan/channel-sdk';
import { DataSource } from 'typeorm';
import { findPublicReport, type PublicReport } from './public-report';

@Controller('v1/public')
export class PublicController {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  @Get('reports/:trackingCode')
  async report(@Param('trackingCode') raw: string): Promise<PublicReport> {
    const code = normalizeTrackingCode(raw);
    // The same answer for a malformed and an unknown code: the endpoint confirms nothing.
    const report = code ? await findPublicReport(this.db, code) : null;
    if (!report) throw new NotFoundException(`no report with tracking code ${raw.slice(0, 20)}`);
    return report;
  }
}
