import {
  Body as RawBody,
  Controller,
  Get,
  HttpCode,
  Inject,
  Post,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DUMMY_HASH, verifyPassword } from '../auth/password';
import { LocalTokens, type OfficerPrincipal } from '../auth/tokens';
import { ApiError, ApiErrorFilter } from './api-error';
import { asBody, text } from './input';
import { Officer, OfficerAuthGuard } from './officer-auth';
import { Officers } from './officers';

@ApiTags('auth')
@Controller('v1/officer')
@UseFilters(ApiErrorFilter)
export class AuthController {
  constructor(
    @Inject(Officers) private readonly officers: Officers,
    @Inject(LocalTokens) private readonly tokens: LocalTokens | null,
  ) {}

  @Post('auth/sign-in')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in with username and password; answers a 15-minute access token' })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['username', 'password'],
      properties: { username: { type: 'string' }, password: { type: 'string' } },
    },
  })
  async signIn(@RawBody() raw: unknown) {
    if (!this.tokens)
      throw new ApiError(
        503,
        'OFFICER_API_DISABLED',
        'the officer API is disabled: OFFICER_JWT_SECRET is not set',
      );
    const body = asBody(raw);
    const username = text(body, 'username', { required: true, max: 100 });
    const password = text(body, 'password', { required: true, max: 200 });
    const officer = await this.officers.byUsername(username);
    // The same work and the same answer whether the user exists or not.
    const ok = await verifyPassword(password, officer?.passwordHash ?? DUMMY_HASH);
    if (!officer || !ok) throw new ApiError(401, 'INVALID_CREDENTIALS', 'username or password is wrong');
    const { passwordHash: _hash, ...user } = officer;
    const { token, expiresAt } = await this.tokens.issue({
      id: user.id,
      role: user.role,
      unit: user.unit?.code ?? null,
    });
    return { accessToken: token, tokenType: 'Bearer', expiresAt: expiresAt.toISOString(), user };
  }

  @Get('me')
  @UseGuards(OfficerAuthGuard)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The signed-in officer' })
  async me(@Officer() who: OfficerPrincipal) {
    const me = await this.officers.byId(who.id);
    if (!me) throw new ApiError(401, 'UNAUTHENTICATED', 'this account no longer exists');
    return me;
  }
}
