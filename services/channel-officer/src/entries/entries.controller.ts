import { randomUUID } from 'node:crypto';
import { BadRequestException, Body, Controller, Headers, HttpCode, Inject, Post, Res } from '@nestjs/common';
import {
  acknowledgementMessage,
  deliveryIds,
  orServiceUnavailable,
  withIdempotencyKey,
  type ChannelContext,
  type Receipt,
} from '@aduan/channel-sdk';
import {
  officerFromAuthorization,
  type OfficerClaims,
  type OfficerRole,
  type OfficerTokenVerifier,
} from '@aduan/platform';
import type { Response } from 'express';
import { isEmail } from '../contact/contact-sender';
import { parseEntry, type EntryDraft } from './entry-request';

export interface EntryDeps {
  ctx: ChannelContext<object>;
  /** Checks officer tokens (the status service's JWKS); undefined while none is configured. */
  officerKeys: OfficerTokenVerifier | undefined;
  categories: ReadonlySet<string>;
  /** Whether the medium of this address is configured. */
  reaches(address: string): boolean;
}
export const ENTRY_DEPS = Symbol('ENTRY_DEPS');
const MAY_ENTER: OfficerRole[] = ['crm_officer', 'admin'];

interface Entered extends Receipt {
  state: 'RECEIVED';
  /** How the citizen hears of the report number: by SMS, by e-mail, through LAPOR!, or not at all. */
  acknowledgement: 'sms' | 'email' | 'lapor' | 'none';
}

@Controller('v1/officer')
export class EntriesController {
  constructor(@Inject(ENTRY_DEPS) private readonly deps: EntryDeps) {}

  /** A letter, walk-in, phone call or media item, entered on the citizen's behalf. */
  @Post('entries')
  @HttpCode(202)
  async enter(
    @Headers('authorization') authorization: string | undefined,
    @Headers('idempotency-key') key: string | undefined,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Entered> {
    const { ctx, categories } = this.deps;
    const officer = await officerFromAuthorization(
      authorization,
      this.deps.officerKeys,
      MAY_ENTER,
      'enter reports',
    );
    const parsed = parseEntry(body, categories);
    if (!parsed.ok) throw new BadRequestException(parsed.problems.join('; '));
    // With a key the report id derives from it, so even two racing first requests make one report;
    // a LAPOR! item's derives from LAPOR!'s id, so it is the report channel-lapor reads too.
    // Kafka or the database away: 503 with Retry-After, and the officer sends it again (ADR 0053).
    return orServiceUnavailable(res, ctx.logger, () =>
      withIdempotencyKey(ctx.idempotency, `officer:${officer.sub}`, key, body, (k) =>
        parsed.value.laporId
          ? this.recordLapor(officer, parsed.value.laporId, parsed.value)
          : this.record(officer, k ? `${officer.sub}:${k}` : randomUUID(), parsed.value),
      ),
    );
  }

  /** LAPOR! hears of the report from channel-lapor (by its id), which also answers its reporter. */
  private async recordLapor(officer: OfficerClaims, laporId: string, entry: EntryDraft): Promise<Entered> {
    const { laporId: _, ...draft } = entry;
    const receipt = await this.deps.ctx.intake.submit({
      ...draft,
      reporter: { ...entry.reporter, replyTo: laporId },
      sourceId: laporId,
    });
    this.deps.ctx.logger.info('LAPOR! item entered by an officer', {
      reportId: receipt.reportId,
      officer: officer.sub,
    });
    return { ...receipt, state: 'RECEIVED', acknowledgement: 'lapor' };
  }

  private async record(officer: OfficerClaims, sourceId: string, entry: EntryDraft): Promise<Entered> {
    const { intake, outbox, logger } = this.deps.ctx;
    // Phone first: most walk-in and phone reporters leave a number, and SMS reaches them fastest;
    // an address whose medium is off is passed over, so the answer says how the citizen is told.
    const to = [entry.reporter.phone, entry.reporter.email].find((a) => a && this.deps.reaches(a));
    const acknowledgement = !to ? 'none' : isEmail(to) ? 'email' : 'sms';
    // Notifications later go where the acknowledgement went.
    const reporter = to ? { ...entry.reporter, replyTo: to } : entry.reporter;
    const receipt = await intake.submit({ ...entry, reporter, sourceId });
    if (to)
      await outbox.enqueue({
        deliveryId: deliveryIds.acknowledgement(receipt.reportId),
        channel: entry.channel,
        kind: 'acknowledgement',
        reportId: receipt.reportId,
        to: { address: to },
        message: acknowledgementMessage(receipt, acknowledgement === 'sms' ? 'short' : 'long'),
      });
    logger.info('report entered by an officer', {
      reportId: receipt.reportId,
      channel: entry.channel,
      officer: officer.sub,
      acknowledgement,
    });
    return { ...receipt, state: 'RECEIVED', acknowledgement };
  }
}
