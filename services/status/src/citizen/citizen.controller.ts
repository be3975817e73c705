import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { normalizeTrackingCode } from '@aduan/channel-sdk';
import type { LifecycleState } from '@aduan/contracts';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { ApiError } from '../officer/api-error';
import { reviewSecretMatches } from './review-secret';
import { CitizenReviews, type Verdict } from './reviews';
import { Support } from './support';

/** Support is off while SUPPORT_KEY is unset; the provider is then null. */
export const SUPPORT = Symbol('Support');

interface Found {
  id: string;
  state: LifecycleState;
  public: boolean;
}

/** What the tracking page shows and offers besides the report itself. */
export interface CitizenView {
  /** Supporters of the incident; null for a private report or while support is off. */
  supporters: number | null;
  review: {
    /** The key in the link works and the reporter may still answer. */
    canReview: boolean;
    verdict: Verdict | null;
    closesAt: string | null;
    closedAt: string | null;
  };
}

const CLIENT_ID = /^[A-Za-z0-9_-]{16,100}$/;
const VERDICTS: readonly string[] = ['confirmed', 'not_fixed'];

/**
 * The citizen's actions on a report (ADR 0048): the reporter's review with the key from their
 * completion message, and anyone's support of a public report. Unknown and malformed codes get
 * the same 404 as the public report itself.
 */
@Controller('v1/public/reports/:trackingCode')
export class CitizenController {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(CitizenReviews) private readonly reviews: CitizenReviews,
    @Inject(SUPPORT) private readonly support: Support | null,
  ) {}

  @Get('citizen')
  async view(@Param('trackingCode') raw: string, @Query('k') key?: string): Promise<CitizenView> {
    const report = await this.find(raw);
    const w = await this.reviews.window(this.db, report.id);
    const open = this.reviews.isOpen(w);
    return {
      supporters: report.public && this.support ? await this.support.supportersOf(report.id) : null,
      review: {
        canReview: open && typeof key === 'string' && (await reviewSecretMatches(this.db, report.id, key)),
        verdict: w.verdict,
        closesAt: w.closesAt?.toISOString() ?? null,
        closedAt: w.closedAt?.toISOString() ?? null,
      },
    };
  }

  @Post('review')
  @HttpCode(200)
  async review(
    @Param('trackingCode') raw: string,
    @Body() body: { key?: unknown; verdict?: unknown } | undefined,
  ): Promise<{ verdict: Verdict; state: LifecycleState }> {
    const problems = [
      ...(typeof body?.key === 'string' && body.key
        ? []
        : ['key is required: the k of the link in your message']),
      ...(typeof body?.verdict === 'string' && VERDICTS.includes(body.verdict)
        ? []
        : ['verdict must be confirmed or not_fixed']),
    ];
    if (problems.length) throw new ApiError(400, 'VALIDATION_FAILED', problems.join('; '), { problems });
    const report = await this.find(raw);
    const outcome = await this.reviews.reviewWithSecret(
      report.id,
      body!.key as string,
      body!.verdict as Verdict,
    );
    if (outcome === 'forbidden')
      throw new ApiError(403, 'REVIEW_KEY_MISMATCH', 'the review key does not belong to this report');
    if (!outcome.ok) {
      const why = {
        'not-completed': `the report is ${outcome.state}, not completed`,
        closed: 'the review window of this report has ended',
        reviewed: 'the reporter has already answered for this completion',
      }[outcome.reason];
      throw new ApiError(409, 'REVIEW_NOT_OPEN', why, { state: outcome.state });
    }
    return { verdict: outcome.verdict, state: outcome.state };
  }

  @Post('support')
  async supportReport(
    @Param('trackingCode') raw: string,
    @Body() body: { clientId?: unknown } | undefined,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<{ supporters: number; counted: boolean }> {
    if (!this.support) throw new ApiError(503, 'SUPPORT_OFF', 'support is not enabled on this server');
    const clientId = body?.clientId;
    if (typeof clientId !== 'string' || !CLIENT_ID.test(clientId))
      throw new ApiError(400, 'VALIDATION_FAILED', 'clientId must be 16–100 letters, digits, - or _', {
        problems: ['clientId'],
      });
    const report = await this.find(raw);
    if (!report.public) throw this.notFound(raw);
    const outcome = await this.support.support(report.id, req.ip ?? req.socket.remoteAddress ?? '', clientId);
    if (outcome.kind === 'limited') {
      res.setHeader('Retry-After', String(outcome.retryAfterSeconds));
      throw new ApiError(
        429,
        'RATE_LIMITED',
        `too many support requests; try again in ${outcome.retryAfterSeconds} s`,
      );
    }
    res.status(outcome.kind === 'counted' ? 201 : 200);
    return { supporters: outcome.supporters, counted: outcome.kind === 'counted' };
  }

  private async find(raw: string): Promise<Found> {
    const code = normalizeTrackingCode(raw);
    const [row] = code
      ? ((await this.db.query(
          `SELECT id, state, visibility = 'public' AS public FROM report
            WHERE tracking_code = $1 AND NOT confidential`,
          [code],
        )) as Found[])
      : [];
    if (!row) throw this.notFound(raw);
    return row;
  }

  private notFound(raw: string): ApiError {
    return new ApiError(404, 'NOT_FOUND', `no report with tracking code ${raw.slice(0, 20)}`);
  }
}
