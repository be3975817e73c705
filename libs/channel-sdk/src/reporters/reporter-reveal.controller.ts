import { Body, Controller, Headers, HttpCode, HttpException, Inject, Post } from '@nestjs/common';
import { isReporterRef, type Channel } from '@aduan/contracts';
import { bearerToken, InvalidInternalToken, type InternalTokenVerifier, type Logger } from '@aduan/platform';
import type { ReporterBook, RevealedContact } from '../store/reporter-book';

export interface ReporterReveals {
  channels: readonly Channel[];
  reporters: Pick<ReporterBook, 'reveal'>;
  /** Undefined while STATUS_JWKS_URL is unset: no caller can be checked, so none is answered. */
  verifier: InternalTokenVerifier | undefined;
  log: Logger;
}
export const REPORTER_REVEALS = Symbol('REPORTER_REVEALS');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function fail(status: number, error: string, message: string): never {
  throw new HttpException({ statusCode: status, error, message }, status);
}

/**
 * The status service's way to a reporter's contact (ADR 0058): after two officers agreed there
 * (ADR 0055), it calls here with a token it signed for this reference alone, living a minute.
 * Nobody else can call it: the token's signature, audience, scope and subject are checked
 * against the status service's public keys. The contact leaves only in this answer.
 */
@Controller('internal/reporters')
export class ReporterRevealController {
  constructor(@Inject(REPORTER_REVEALS) private readonly reveals: ReporterReveals) {}

  @Post('reveal')
  @HttpCode(200)
  async reveal(
    @Headers('authorization') authorization: string | undefined,
    @Body() body: unknown,
  ): Promise<{ contact: RevealedContact }> {
    const { verifier, reporters, channels, log } = this.reveals;
    if (!verifier)
      fail(503, 'Service Unavailable', 'reporter reveal is off on this adapter: STATUS_JWKS_URL is not set');
    const { reportId, ref } = (body ?? {}) as { reportId?: unknown; ref?: unknown };
    if (typeof reportId !== 'string' || !UUID.test(reportId))
      fail(400, 'Bad Request', 'reportId must be a report id (a UUID)');
    if (!isReporterRef(ref)) fail(400, 'Bad Request', 'ref must be a reporter reference (rp_…)');
    const token = bearerToken(authorization);
    if (!token)
      fail(401, 'Unauthorized', 'a token of the status service is required (Authorization: Bearer …)');
    try {
      await verifier.verify(token, 'reporter:reveal', ref);
    } catch (err) {
      if (err instanceof InvalidInternalToken)
        fail(401, 'Unauthorized', `the token is not valid: ${err.message}`);
      throw err;
    }
    for (const channel of channels) {
      const contact = await reporters.reveal(channel, reportId, ref);
      if (contact) {
        log.info('reporter contact revealed to the status service', { reportId, channel });
        return { contact };
      }
    }
    log.info('reporter reveal asked for a report with no contact here', { reportId });
    fail(
      404,
      'Not Found',
      'no contact is kept for this report and reference (never kept, anonymous or erased)',
    );
  }
}
