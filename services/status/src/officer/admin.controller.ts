import {
  Body as RawBody,
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Sessions } from '../auth/sessions';
import type { OfficerPrincipal } from '../auth/tokens';
import type { Clock } from '../clock';
import { ROLES, type Role } from '../lifecycle/state-machine';
import { deny, writeAudit } from './access';
import { categoryNames } from './categories';
import { CATEGORIES, UNITS, USER, USERS } from './openapi-schemas';
import { ApiError, ApiErrorFilter } from './api-error';
import { asBody, integer, text, uuidParam } from './input';
import { Officer, OfficerAuthGuard } from './officer-auth';
import { Officers } from './officers';
import { CLOCK } from './reports.controller';

@ApiTags('admin')
@ApiBearerAuth()
@Controller('v1/officer')
@UseGuards(OfficerAuthGuard)
@UseFilters(ApiErrorFilter)
export class AdminController {
  constructor(
    @Inject(Officers) private readonly officers: Officers,
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(Sessions) private readonly sessions: Sessions,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('users')
  @ApiOkResponse({ schema: USERS })
  @ApiOperation({ summary: 'Officer accounts (admin)' })
  async users(@Officer() who: OfficerPrincipal) {
    if (who.role !== 'admin') await deny(this.db, who, 'list-users', null, 'only admins manage accounts');
    return { items: await this.officers.list() };
  }

  @Post('users')
  @ApiCreatedResponse({ schema: USER })
  @ApiOperation({ summary: 'Create an officer account (admin)' })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['username', 'password', 'displayName', 'role'],
      properties: {
        username: { type: 'string' },
        password: { type: 'string', minLength: 10 },
        displayName: { type: 'string' },
        role: { type: 'string', enum: [...ROLES] },
        unit: { type: 'string' },
        capacity: { type: 'integer', minimum: 0 },
      },
    },
  })
  async createUser(@Officer() who: OfficerPrincipal, @RawBody() raw: unknown) {
    if (who.role !== 'admin') await deny(this.db, who, 'create-user', null, 'only admins manage accounts');
    const body = asBody(raw);
    const role = text(body, 'role', { required: true });
    if (!(ROLES as readonly string[]).includes(role))
      throw new ApiError(400, 'VALIDATION_FAILED', `role must be one of ${ROLES.join(', ')}`, {
        problems: ['role'],
      });
    const username = text(body, 'username', { required: true, max: 64 });
    if (!/^[a-z0-9._-]+$/i.test(username))
      throw new ApiError(
        400,
        'VALIDATION_FAILED',
        'username may hold letters, digits, dot, dash and underscore',
        { problems: ['username'] },
      );
    const unit = text(body, 'unit', { max: 64 });
    const capacity = integer(body, 'capacity', { min: 0, max: 1000 });
    return this.officers.create({
      username,
      password: text(body, 'password', { required: true, min: 10, max: 200 }),
      displayName: text(body, 'displayName', { required: true, max: 200 }),
      role: role as Role,
      ...(unit ? { unit } : {}),
      ...(capacity !== undefined ? { capacity } : {}),
    });
  }

  @Post('users/:id/disable')
  @HttpCode(200)
  @ApiOkResponse({ schema: USER })
  @ApiOperation({
    summary:
      'Disable an account (admin): it cannot sign in, its sessions end, its tokens stop at once here and within 5 minutes elsewhere',
  })
  async disableUser(@Officer() who: OfficerPrincipal, @Param('id') id: string) {
    return this.setDisabled(who, uuidParam(id, 'officer'), true);
  }

  @Post('users/:id/enable')
  @HttpCode(200)
  @ApiOkResponse({ schema: USER })
  @ApiOperation({ summary: 'Enable a disabled account again (admin); its old sessions stay ended' })
  async enableUser(@Officer() who: OfficerPrincipal, @Param('id') id: string) {
    return this.setDisabled(who, uuidParam(id, 'officer'), false);
  }

  private async setDisabled(who: OfficerPrincipal, id: string, disabled: boolean) {
    const action = disabled ? 'disable-user' : 'enable-user';
    if (who.role !== 'admin') await deny(this.db, who, action, null, 'only admins manage accounts');
    if (disabled && id === who.id)
      throw new ApiError(409, 'SELF_DISABLE', 'an admin cannot disable their own account');
    const account = await this.officers.setDisabled(id, disabled, this.clock());
    if (!account) throw new ApiError(404, 'NOT_FOUND', `no officer ${id}`);
    const sessions = disabled ? await this.sessions.revokeAll(id, 'account disabled') : 0;
    await writeAudit(this.db, who, { action, outcome: 'granted', detail: { officer: id, sessions } });
    return account;
  }

  @Get('units')
  @ApiOkResponse({ schema: UNITS })
  @ApiOperation({ summary: 'Units reports can be routed, coordinated or disposed to' })
  async units() {
    return { items: await this.officers.units() };
  }

  @Get('categories')
  @ApiOkResponse({ schema: CATEGORIES })
  @ApiOperation({ summary: 'The complaint categories, as reports carry them and the search filters them' })
  categories() {
    return { items: categoryNames().map((name) => ({ name })) };
  }
}
