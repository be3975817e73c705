import {
  createParamDecorator,
  Inject,
  Injectable,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import type { Request } from 'express';
import { InvalidTokenError, type OfficerPrincipal, type TokenVerifier } from '../auth/tokens';
import { ApiError } from './api-error';

export const TOKEN_VERIFIER = Symbol('TokenVerifier');

type WithPrincipal = Request & { officer?: OfficerPrincipal };

/** Every officer endpoint but sign-in: a valid, unexpired token or 401, before anything else runs. */
@Injectable()
export class OfficerAuthGuard implements CanActivate {
  constructor(@Inject(TOKEN_VERIFIER) private readonly verifier: TokenVerifier | null) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (!this.verifier)
      throw new ApiError(
        503,
        'OFFICER_API_DISABLED',
        'the officer API is disabled: OFFICER_JWT_SECRET is not set',
      );
    const req = ctx.switchToHttp().getRequest<WithPrincipal>();
    const header = req.headers.authorization ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) throw new ApiError(401, 'UNAUTHENTICATED', 'send Authorization: Bearer <access token>');
    try {
      req.officer = await this.verifier.verify(m[1]!);
    } catch (err) {
      if (err instanceof InvalidTokenError) throw new ApiError(401, 'UNAUTHENTICATED', err.message);
      throw err;
    }
    return true;
  }
}

export const Officer = createParamDecorator((_: unknown, ctx: ExecutionContext): OfficerPrincipal => {
  const officer = ctx.switchToHttp().getRequest<WithPrincipal>().officer;
  if (!officer) throw new ApiError(401, 'UNAUTHENTICATED', 'not signed in');
  return officer;
});
