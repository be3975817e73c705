import {
  BadRequestException,
  Body,
  ConflictException,
  Controller,
  Get,
  Headers,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { orServiceUnavailable, type ComplaintIntake } from '@aduan/channel-sdk';
import {
  officerFromAuthorization,
  type Logger,
  type OfficerClaims,
  type OfficerRole,
  type OfficerTokenVerifier,
} from '@aduan/platform';
import type { Response } from 'express';
import {
  CANDIDATE_STATES,
  type Candidate,
  type CandidateState,
  type NewsCandidates,
} from './news-candidates';

export interface CandidateDeps {
  candidates: NewsCandidates;
  intake: ComplaintIntake;
  officerKeys: OfficerTokenVerifier | undefined;
  log: Logger;
}
export const CANDIDATE_DEPS = Symbol('CANDIDATE_DEPS');

/** CRM officers take complaints in from every channel; a news item is one more. */
const MAY_DECIDE: OfficerRole[] = ['crm_officer', 'admin'];
const ID = /^[0-9a-f]{32}$/;
const MAX_REASON = 500;

export interface Promoted {
  candidate: Candidate;
  reportId: string;
  trackingCode: string;
  trackingUrl: string;
}

/** The text of the report a news item becomes: what the outlet wrote, headline first. */
export function reportText(c: Pick<Candidate, 'title' | 'summary'>): string {
  return c.summary ? `${c.title}\n\n${c.summary}` : c.title;
}

@Controller('v1/officer/news/candidates')
export class CandidatesController {
  constructor(@Inject(CANDIDATE_DEPS) private readonly deps: CandidateDeps) {}

  @Get()
  async list(
    @Headers('authorization') authorization: string | undefined,
    @Query('state') state: string | undefined,
    @Query('limit') limit: string | undefined,
  ): Promise<{ state: CandidateState; candidates: Candidate[] }> {
    await this.officer(authorization);
    const wanted = (state ?? 'pending') as CandidateState;
    if (!CANDIDATE_STATES.includes(wanted))
      throw new BadRequestException(`state must be one of ${CANDIDATE_STATES.join(', ')}`);
    const n = limit === undefined ? 50 : Number(limit);
    if (!Number.isInteger(n) || n < 1 || n > 200)
      throw new BadRequestException('limit must be a whole number from 1 to 200');
    return { state: wanted, candidates: await this.deps.candidates.list(wanted, n) };
  }

  /**
   * Publishes the news item as a report of channel `media`. The report's id derives from the
   * item's identity, so promoting twice (a double click, a retry after a timeout, two officers)
   * is one report: the second answer is the first one's.
   */
  @Post(':id/promote')
  @HttpCode(200)
  async promote(
    @Headers('authorization') authorization: string | undefined,
    @Param('id') id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Promoted> {
    const officer = await this.officer(authorization);
    const { candidates, intake, log } = this.deps;
    return orServiceUnavailable(res, log, async () => {
      const candidate = await this.find(id);
      const key = await candidates.keyOf(candidate.id);
      if (!key) throw new NotFoundException(`no news candidate ${id}`);
      if (candidate.state === 'dismissed')
        throw new ConflictException(
          `the candidate was dismissed (${candidate.dismissReason ?? 'no reason'}); it cannot become a report`,
        );
      const receipt =
        candidate.state === 'promoted'
          ? intake.receiptFor('media', key)
          : await intake.submit({
              channel: 'media',
              sourceId: key,
              sourceUrl: candidate.link,
              ...(candidate.publishedAt ? { receivedAt: new Date(candidate.publishedAt) } : {}),
              // The outlet is the source; nobody is answered and nobody's contact is kept.
              reporter: { anonymous: true, replyTo: null },
              text: reportText(candidate),
            });
      const promoted = await candidates.markPromoted(candidate.id, officer.sub, receipt);
      log.info('news candidate promoted', {
        candidate: candidate.id,
        reportId: receipt.reportId,
        officer: officer.sub,
      });
      return { candidate: promoted ?? candidate, ...receipt };
    });
  }

  @Post(':id/dismiss')
  @HttpCode(200)
  async dismiss(
    @Headers('authorization') authorization: string | undefined,
    @Param('id') id: string,
    @Body() body: unknown,
  ): Promise<{ candidate: Candidate }> {
    const officer = await this.officer(authorization);
    const raw = body && typeof body === 'object' ? (body as { reason?: unknown }).reason : undefined;
    const reason = typeof raw === 'string' ? raw.replace(/\s+/g, ' ').trim() : '';
    if (!reason)
      throw new BadRequestException('reason is required: say why the news item is not a complaint');
    if (reason.length > MAX_REASON)
      throw new BadRequestException(`reason must be at most ${MAX_REASON} characters`);
    const candidate = await this.find(id);
    if (candidate.state === 'promoted')
      throw new ConflictException(
        `the candidate is already report ${candidate.report?.trackingCode ?? ''}; it cannot be dismissed`.trim(),
      );
    const dismissed = (await this.deps.candidates.dismiss(candidate.id, officer.sub, reason)) ?? candidate;
    if (dismissed.state === 'promoted')
      throw new ConflictException('the candidate was promoted meanwhile; it cannot be dismissed');
    this.deps.log.info('news candidate dismissed', { candidate: candidate.id, officer: officer.sub });
    return { candidate: dismissed };
  }

  private officer(authorization: string | undefined): Promise<OfficerClaims> {
    return officerFromAuthorization(
      authorization,
      this.deps.officerKeys,
      MAY_DECIDE,
      'decide on news candidates',
    );
  }

  private async find(id: string): Promise<Candidate> {
    const candidate = ID.test(id) ? await this.deps.candidates.get(id) : null;
    if (!candidate) throw new NotFoundException(`no news candidate ${id}`);
    return candidate;
  }
}
