import { Body as RawBody, Controller, Get, Inject, Post, UseFilters, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import type { OfficerPrincipal } from '../auth/tokens';
import { ROLES, type Role } from '../lifecycle/state-machine';
import { deny } from './access';
import { ApiError, ApiErrorFilter } from './api-error';
import { asBody, integer, text } from './input';
import { Officer, OfficerAuthGuard } from './officer-auth';
import { Officers } from './officers';

@ApiTags('admin')
@ApiBearerAuth()
@Controller('v1/officer')
@UseGuards(OfficerAuthGuard)
@UseFilters(ApiErrorFilter)
export class AdminController {
  constructor(
    @Inject(Officers) private readonly officers: Officers,
    @Inject(DataSource) private readonly db: DataSource,
  ) {}

  @Get('users')
  @ApiOperation({ summary: 'Officer accounts (admin)' })
  async users(@Officer() who: OfficerPrincipal) {
    if (who.role !== 'admin') await deny(this.db, who, 'list-users', null, 'only admins manage accounts');
    return { items: await this.officers.list() };
  }

  @Post('users')
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

  @Get('units')
  @ApiOperation({ summary: 'Units reports can be routed, coordinated or disposed to' })
  async units() {
    return { items: await this.officers.units() };
  }
}
