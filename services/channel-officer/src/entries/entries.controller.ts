import { randomUUID } from 'node:crypto';
import { BadRequestException, Body, Controller, Headers, HttpCode, Inject, Post, Res } from '@nestjs/common';
import {
  acknowledgementMessage,
  deliveryIds,
  MEDIA_EXTENSION,
  orServiceUnavailable,
  withIdempotencyKey,
  type MediaType,
  type PgMediaStore,
  type ChannelContext,
  type Receipt,
} from '@aduan/channel-sdk';
import {
  officerFromAuthorization,
  type OfficerClaims,
  type OfficerRole,
  type OfficerTokenVerifier,
} from '@aduan/platform';
import type { Attachment } from '@aduan/contracts';
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
  /** Where entry photos are uploaded first (POST /v1/officer/entries/photos) and found by id. */
  photos: PgMediaStore;
  /** The types an entry's photo may have, as its public copy. */
  photoTypes: readonly string[];
}
export const ENTRY_DEPS = Symbol('ENTRY_DEPS');
export const MAY_ENTER: OfficerRole[] = ['crm_officer', 'admin'];

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
    const attachments = await this.photosOf(parsed.photos);
    const entry = attachments.length ? { ...parsed.value, attachments } : parsed.value;
    // With a key the report id derives from it, so even two racing first requests make one report;
    // a LAPOR! item's derives from LAPOR!'s id, so it is the report channel-lapor reads too.
    // Kafka or the database away: 503 with Retry-After, and the officer sends it again (ADR 0053).
    return orServiceUnavailable(res, ctx.logger, () =>
      withIdempotencyKey(ctx.idempotency, `officer:${officer.sub}`, key, body, (k) =>
        entry.laporId
          ? this.recordLapor(officer, entry.laporId, entry)
          : this.record(officer, k ? `${officer.sub}:${k}` : randomUUID(), entry),
      ),
    );
  }

  /**
   * The uploaded photos an entry names, as attachments. A photo that was never uploaded here (or
   * is no photo) refuses the whole entry: the officer sees the form again rather than a report
   * that silently lacks what they attached.
   */
  private async photosOf(ids: readonly string[]): Promise<Attachment[]> {
    const found = await Promise.all(
      ids.map((id, i) => this.deps.photos.find(id, `photo-${i + 1}`).then((ref) => ({ id, i, ref }))),
    );
    const problems = found
      .filter(({ ref }) => !ref || !this.deps.photoTypes.includes(ref.contentType))
      .map(({ i, ref }) =>
        ref
          ? `photos[${i}] is ${ref.contentType}, not a photo`
          : `photos[${i}] was never uploaded: POST it to /v1/officer/entries/photos first`,
      );
    if (problems.length) throw new BadRequestException(problems.join('; '));
    return found.map(({ ref }) => {
      const { url, contentType, size, name } = ref!;
      return { url, contentType, size, name: `${name}.${MEDIA_EXTENSION[contentType as MediaType]}` };
    });
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
