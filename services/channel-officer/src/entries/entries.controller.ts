import { randomUUID } from 'node:crypto';
import {
  BadRequestException,
  Body,
  Controller,
  ForbiddenException,
  Headers,
  HttpCode,
  HttpException,
  Inject,
  Post,
  UnauthorizedException,
} from '@nestjs/common';
import { Acknowledgements, ComplaintIntake, type Receipt } from '@aduan/channel-sdk';
import {
  bearerToken,
  InvalidOfficerToken,
  verifyOfficerToken,
  type Logger,
  type OfficerClaims,
} from '@aduan/platform';
import type { BackgroundSends } from '../contact/retry-in-background';
import { contactKindOf, type ContactKind, type ContactSender } from '../contact/contact-sender';
import { parseEntry } from './entry-request';

export interface EntryDeps {
  jwtSecret?: string;
  intake: ComplaintIntake;
  acks: Acknowledgements;
  sender: ContactSender;
  background: BackgroundSends;
  categories: ReadonlySet<string>;
  log: Logger;
}
export const ENTRY_DEPS = Symbol('ENTRY_DEPS');

const MAY_ENTER = new Set(['admin', 'crm_officer']);
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

interface Entered extends Receipt {
  state: 'RECEIVED';
  /** How the citizen hears of the report number: by SMS, by e-mail, or not at all (no contact). */
  acknowledgement: ContactKind | 'none';
}

@Controller('v1/officer')
export class EntriesController {
  constructor(@Inject(ENTRY_DEPS) private readonly deps: EntryDeps) {}

  /** A letter, walk-in, phone call or media item, entered on the citizen's behalf. */
  @Post('entries')
  @HttpCode(202)
  async enter(
    @Headers() headers: Record<string, string | undefined>,
    @Body() body: unknown,
  ): Promise<Entered> {
    const officer = await this.authenticate(headers['authorization']);
    const key = headers['idempotency-key'];
    if (key !== undefined && !IDEMPOTENCY_KEY.test(key))
      throw new BadRequestException('Idempotency-Key must be 1 to 200 visible ASCII characters');

    const parsed = parseEntry(body, this.deps.categories);
    if (!parsed.ok) throw new BadRequestException(parsed.problems.join('; '));
    const entry = parsed.value;
    // Phone first: most walk-in and phone reporters leave a number, and SMS reaches them fastest.
    const address = entry.contact.phone ?? entry.contact.email;
    const kind = address ? contactKindOf(address) : undefined;

    const receipt = await this.deps.intake.submit({
      channel: entry.channel,
      sourceId: key ? `${officer.sub}:${key}` : randomUUID(),
      ...(entry.channel === 'media' && entry.reference ? { sourceUrl: entry.reference } : {}),
      ...(entry.receivedAt ? { receivedAt: entry.receivedAt } : {}),
      reporter: { anonymous: entry.anonymous, ...entry.contact },
      text:
        entry.reference && entry.channel !== 'media'
          ? `${entry.text}\n[Ref: ${entry.reference}]`
          : entry.text,
      ...(entry.subject ? { subject: entry.subject } : {}),
      ...(entry.category ? { category: entry.category } : {}),
      ...(entry.location ? { location: entry.location } : {}),
      visibility: entry.visibility,
    });
    this.deps.log.info('report entered by an officer', {
      reportId: receipt.reportId,
      channel: entry.channel,
      officer: officer.sub,
      acknowledgement: kind ?? 'none',
    });
    if (address && kind) {
      this.deps.background.run('acknowledgement', () =>
        this.deps.acks.sendOnce(
          entry.channel,
          receipt,
          (message, deliveryId) => this.deps.sender.send(address, message, deliveryId),
          kind === 'sms' ? 'short' : 'long',
        ),
      );
    }
    return { ...receipt, state: 'RECEIVED', acknowledgement: kind ?? 'none' };
  }

  private async authenticate(authorization: string | undefined): Promise<OfficerClaims> {
    if (!this.deps.jwtSecret) {
      throw new HttpException(
        {
          statusCode: 503,
          error: 'Service Unavailable',
          message: 'officer entry is disabled: OFFICER_JWT_SECRET is not set',
        },
        503,
      );
    }
    const token = bearerToken(authorization);
    if (!token) throw new UnauthorizedException('an officer token is required (Authorization: Bearer)');
    let officer: OfficerClaims;
    try {
      officer = await verifyOfficerToken(token, this.deps.jwtSecret);
    } catch (err) {
      if (err instanceof InvalidOfficerToken)
        throw new UnauthorizedException(`the officer token is not valid: ${err.message}`);
      throw err;
    }
    if (!MAY_ENTER.has(officer.role))
      throw new ForbiddenException(`role ${officer.role} may not enter reports; crm_officer or admin may`);
    return officer;
  }
}
