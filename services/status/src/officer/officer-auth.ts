import {
  createParamDecorator,
  Inject,
  Injectable,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import type { Request } from 'express';
import { Sessions } from '../auth/sessions';
import { InvalidTokenError, type OfficerPrincipal, type TokenVerifier } from '../auth/tokens';
import { ApiError } from './api-error';

export const TOKEN_VERIFIER = Symbol('TokenVerifier');

type WithPrincipal = Request & { officer?: OfficerPrincipal };

/**
 * Every officer endpoint but sign-in and refresh: a valid, unexpired token of a session that is
 * still open, of an account that is not disabled, or 401, before anything else runs. The session
 * is read on every request, so signing out or disabling an account stops its tokens here at once.
 */
@Injectable()
export class OfficerAuthGuard implements CanActivate {
  constructor(
    @Inject(TOKEN_VERIFIER) private readonly verifier: TokenVerifier,
    @Inject(Sessions) private readonly sessions: Sessions,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<WithPrincipal>();
    const header = req.headers.authorization ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) throw new ApiError(401, 'UNAUTHENTICATED', 'send Authorization: Bearer <access token>');
    let officer: OfficerPrincipal;
    try {
      officer = await this.verifier.verify(m[1]!);
    } catch (err) {
      if (err instanceof InvalidTokenError) throw new ApiError(401, 'UNAUTHENTICATED', err.message);
      throw err;
    }
    if (!officer.sessionId || !(await this.sessions.active(officer.sessionId, officer.id)))
      throw new ApiError(401, 'UNAUTHENTICATED', 'the session has ended (signed out or account disabled)');
    req.officer = officer;
    return true;
  }
}

export const Officer = createParamDecorator((_: unknown, ctx: ExecutionContext): OfficerPrincipal => {
  const officer = ctx.switchToHttp().getRequest<WithPrincipal>().officer;
  if (!officer) throw new ApiError(401, 'UNAUTHENTICATED', 'not signed in');
  return officer;
});
