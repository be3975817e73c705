import {
  Body as RawBody,
  Controller,
  Get,
  Header,
  HttpCode,
  Inject,
  Post,
  Req,
  Res,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import type { Request, Response } from 'express';
import { verifyPassword } from '../auth/password';
import { RefreshRefused, Sessions, type Issued } from '../auth/sessions';
import { LocalTokens, type OfficerPrincipal } from '../auth/tokens';
import { writeAudit } from './access';
import { SESSION, USER } from './openapi-schemas';
import { ApiError, ApiErrorFilter } from './api-error';
import { asBody, text } from './input';
import { Officer, OfficerAuthGuard } from './officer-auth';
import { Officers, type OfficerView } from './officers';
import { CLOCK } from './reports.controller';
import { SignInThrottle } from './sign-in-throttle';
import type { Clock } from '../clock';

const REFRESH_BODY = {
  schema: { type: 'object', required: ['refreshToken'], properties: { refreshToken: { type: 'string' } } },
};

@ApiTags('auth')
@Controller('v1/officer')
@UseFilters(ApiErrorFilter)
export class AuthController {
  constructor(
    @Inject(Officers) private readonly officers: Officers,
    @Inject(LocalTokens) private readonly tokens: LocalTokens,
    @Inject(Sessions) private readonly sessions: Sessions,
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(SignInThrottle) private readonly throttle: SignInThrottle,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post('auth/sign-in')
  @HttpCode(200)
  @ApiOkResponse({ schema: SESSION })
  @ApiOperation({
    summary: 'Sign in with username and password; answers a 5-minute access token and a refresh token',
  })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['username', 'password'],
      properties: {
        username: { type: 'string' },
        password: { type: 'string' },
        newPassword: {
          type: 'string',
          minLength: 10,
          description: 'With a one-time password an admin gave: the password that replaces it',
        },
      },
    },
  })
  async signIn(@RawBody() raw: unknown, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const body = asBody(raw);
    const username = text(body, 'username', { required: true, max: 100 });
    const password = text(body, 'password', { required: true, max: 200 });
    const newPassword = text(body, 'newPassword', { min: 10, max: 200 });
    // The same answer, and as long a wait, whether the user exists or not (ADR 0056).
    const officer = await this.throttle.verify(
      { username, clientIp: req.ip, res },
      () => this.officers.byUsername(username),
      (o) => verifyPassword(password, o.passwordHash),
    );
    if (!officer) throw new ApiError(401, 'INVALID_CREDENTIALS', 'username or password is wrong');
    // Only someone who knows the password learns that the account is disabled.
    if (officer.disabled) throw new ApiError(403, 'ACCOUNT_DISABLED', 'this account is disabled');
    const { passwordHash: _hash, oneTimeUntil, ...user } = officer;
    if (oneTimeUntil) {
      // A password an admin reset only opens the door to choosing one's own (ADR 0075).
      if (oneTimeUntil.getTime() <= this.clock().getTime())
        throw new ApiError(
          403,
          'PASSWORD_EXPIRED',
          'this one-time password has expired; ask an admin to reset the password again',
        );
      if (!newPassword)
        throw new ApiError(
          403,
          'PASSWORD_CHANGE_REQUIRED',
          'this is a one-time password: send newPassword, the password of your own that replaces it',
          { problems: ['newPassword'] },
        );
      if (newPassword === password)
        throw new ApiError(400, 'VALIDATION_FAILED', 'newPassword must differ from the one-time password', {
          problems: ['newPassword'],
        });
      await this.officers.setPassword(user.id, newPassword);
      await writeAudit(
        this.db,
        { id: user.id, role: user.role, unit: user.unit?.code ?? null },
        { action: 'set-password', outcome: 'granted', detail: { after: 'one-time password' } },
      );
      return this.answer({ ...user, mustChangePassword: false }, await this.sessions.open(user.id));
    }
    if (newPassword)
      throw new ApiError(
        400,
        'VALIDATION_FAILED',
        'newPassword is taken only with a one-time password an admin gave',
        { problems: ['newPassword'] },
      );
    return this.answer(user, await this.sessions.open(user.id));
  }

  @Post('auth/refresh')
  @HttpCode(200)
  @ApiOkResponse({ schema: SESSION })
  @ApiOperation({
    summary:
      'Trade a refresh token for a new access token and a new refresh token; a reused one ends the session',
  })
  @ApiBody(REFRESH_BODY)
  async refresh(@RawBody() raw: unknown) {
    const refreshToken = text(asBody(raw), 'refreshToken', { required: true, max: 200 });
    let issued: Issued;
    try {
      issued = await this.sessions.refresh(refreshToken);
    } catch (err) {
      if (!(err instanceof RefreshRefused)) throw err;
      // A reused refresh token means a copy exists somewhere: worth a row the admins can find.
      const owner = err.officerId ? await this.officers.byId(err.officerId) : null;
      if (owner)
        await writeAudit(
          this.db,
          { id: owner.id, role: owner.role, unit: owner.unit?.code ?? null },
          { action: 'refresh', outcome: 'denied', detail: { why: 'refresh token reused; session ended' } },
        );
      throw new ApiError(401, 'UNAUTHENTICATED', err.message);
    }
    const user = await this.officers.byId(issued.officerId);
    if (!user) throw new ApiError(401, 'UNAUTHENTICATED', 'this account no longer exists');
    return this.answer(user, issued);
  }

  @Post('auth/sign-out')
  @HttpCode(204)
  @UseGuards(OfficerAuthGuard)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'End this session: its access and refresh tokens stop working' })
  async signOut(@Officer() who: OfficerPrincipal): Promise<void> {
    await this.sessions.revoke(who.sessionId!, 'signed out');
  }

  @Post('auth/sign-out-everywhere')
  @HttpCode(204)
  @UseGuards(OfficerAuthGuard)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'End every session of the signed-in officer, on every device' })
  async signOutEverywhere(@Officer() who: OfficerPrincipal): Promise<void> {
    const sessions = await this.sessions.revokeAll(who.id, 'signed out everywhere');
    await writeAudit(this.db, who, {
      action: 'sign-out-everywhere',
      outcome: 'granted',
      detail: { sessions },
    });
  }

  @Get('me')
  @ApiOkResponse({ schema: USER })
  @UseGuards(OfficerAuthGuard)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The signed-in officer' })
  async me(@Officer() who: OfficerPrincipal) {
    const me = await this.officers.byId(who.id);
    if (!me) throw new ApiError(401, 'UNAUTHENTICATED', 'this account no longer exists');
    return me;
  }

  private async answer(user: OfficerView, issued: Issued) {
    const { token, expiresAt } = await this.tokens.issue({
      id: user.id,
      role: user.role,
      unit: user.unit?.code ?? null,
      sessionId: issued.sessionId,
    });
    return {
      accessToken: token,
      tokenType: 'Bearer',
      expiresAt: expiresAt.toISOString(),
      refreshToken: issued.refreshToken,
      refreshExpiresAt: issued.refreshExpiresAt.toISOString(),
      user,
    };
  }
}

/**
 * The public keys officer access tokens are verified with, for the router, channel-officer,
 * channel-media and channel-whatsapp (OFFICER_JWKS_URL). Public by design: they verify, they
 * cannot sign.
 */
@Controller('.well-known')
export class JwksController {
  constructor(@Inject(LocalTokens) private readonly tokens: LocalTokens) {}

  @Get('jwks.json')
  @Header('cache-control', 'public, max-age=300')
  jwks() {
    return this.tokens.jwks;
  }
}
