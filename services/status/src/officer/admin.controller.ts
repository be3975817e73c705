import {
  Body as RawBody,
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  Patch,
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
import { ONE_TIME_PASSWORD_HOURS, oneTimePassword } from '../auth/one-time-password';
import { Sessions } from '../auth/sessions';
import type { OfficerPrincipal } from '../auth/tokens';
import type { Clock } from '../clock';
import { ROLES, type Role } from '../lifecycle/state-machine';
import { deny, writeAudit } from './access';
import { categoryNames } from './categories';
import { CATEGORIES, PASSWORD_RESET, UNITS, USER, USERS } from './openapi-schemas';
import { ApiError, ApiErrorFilter } from './api-error';
import { asBody, integer, text, uuidParam, type Body } from './input';
import { Officer, OfficerAuthGuard } from './officer-auth';
import { Officers, type OfficerChange, type OfficerView } from './officers';
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
    const created = await this.officers.create({
      username,
      password: text(body, 'password', { required: true, min: 10, max: 200 }),
      displayName: text(body, 'displayName', { required: true, max: 200 }),
      role: role as Role,
      ...(unit ? { unit } : {}),
      ...(capacity !== undefined ? { capacity } : {}),
    });
    await writeAudit(this.db, who, {
      action: 'create-user',
      outcome: 'granted',
      detail: { officer: created.id, role: created.role, unit: created.unit?.code ?? null },
    });
    return created;
  }

  @Patch('users/:id')
  @ApiOkResponse({ schema: USER })
  @ApiOperation({
    summary:
      "Change an officer's role, unit, capacity or name (admin); a new role or unit ends their sessions, as their tokens name the old ones",
  })
  @ApiBody({
    schema: {
      type: 'object',
      properties: {
        displayName: { type: 'string' },
        role: { type: 'string', enum: [...ROLES] },
        unit: { type: 'string', nullable: true },
        capacity: { type: 'integer', minimum: 0, maximum: 1000 },
      },
    },
  })
  async updateUser(@Officer() who: OfficerPrincipal, @Param('id') rawId: string, @RawBody() raw: unknown) {
    if (who.role !== 'admin') await deny(this.db, who, 'update-user', null, 'only admins manage accounts');
    const id = uuidParam(rawId, 'officer');
    const change = officerChange(asBody(raw));
    if (id === who.id && change.role !== undefined && change.role !== who.role)
      throw new ApiError(409, 'SELF_ROLE_CHANGE', 'an admin cannot change their own role');
    const updated = await this.officers.update(id, change);
    if (!updated) throw new ApiError(404, 'NOT_FOUND', `no officer ${id}`);
    const { before, after } = updated;
    const changed = changes(before, after);
    // Access tokens carry role and unit: the officer signs in again rather than act under the old ones.
    const sessions =
      'role' in changed || 'unit' in changed ? await this.sessions.revokeAll(id, 'role or unit changed') : 0;
    await writeAudit(this.db, who, {
      action: 'update-user',
      outcome: 'granted',
      detail: { officer: id, changed, sessions },
    });
    return after;
  }

  @Post('users/:id/reset-password')
  @HttpCode(200)
  @ApiOkResponse({ schema: PASSWORD_RESET })
  @ApiOperation({
    summary:
      'Reset a password (admin): answers a one-time password, once; the officer signs in with it only to choose a new one, within 24 hours; their sessions end',
  })
  async resetPassword(@Officer() who: OfficerPrincipal, @Param('id') rawId: string) {
    if (who.role !== 'admin') await deny(this.db, who, 'reset-password', null, 'only admins manage accounts');
    const id = uuidParam(rawId, 'officer');
    if (id === who.id)
      throw new ApiError(409, 'SELF_RESET', 'an admin cannot reset their own password; another admin can');
    const password = oneTimePassword();
    const validUntil = new Date(this.clock().getTime() + ONE_TIME_PASSWORD_HOURS * 3600_000);
    const user = await this.officers.setOneTimePassword(id, password, validUntil);
    if (!user) throw new ApiError(404, 'NOT_FOUND', `no officer ${id}`);
    const sessions = await this.sessions.revokeAll(id, 'password reset');
    await writeAudit(this.db, who, {
      action: 'reset-password',
      outcome: 'granted',
      detail: { officer: id, sessions, validUntil: validUntil.toISOString() },
    });
    return { user, oneTimePassword: password, validUntil: validUntil.toISOString() };
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

const CHANGEABLE = ['displayName', 'role', 'unit', 'capacity'];

/** The fields of an account change, each checked; anything else in the body is refused by name. */
function officerChange(body: Body): OfficerChange {
  const unknown = Object.keys(body).filter((k) => !CHANGEABLE.includes(k));
  if (unknown.length)
    throw new ApiError(
      400,
      'VALIDATION_FAILED',
      `${unknown.join(', ')}: not a field that can be changed (${CHANGEABLE.join(', ')})`,
      { problems: unknown },
    );
  const role = text(body, 'role', { max: 32 });
  if (role !== undefined && !(ROLES as readonly string[]).includes(role))
    throw new ApiError(400, 'VALIDATION_FAILED', `role must be one of ${ROLES.join(', ')}`, {
      problems: ['role'],
    });
  const displayName = text(body, 'displayName', { max: 200 });
  const capacity = integer(body, 'capacity', { min: 0, max: 1000 });
  // null (or "") takes the unit away; absent leaves it.
  const unit = 'unit' in body ? (text(body, 'unit', { max: 64 }) ?? null) : undefined;
  const change: OfficerChange = {
    ...(displayName !== undefined ? { displayName } : {}),
    ...(role !== undefined ? { role: role as Role } : {}),
    ...(unit !== undefined ? { unit } : {}),
    ...(capacity !== undefined ? { capacity } : {}),
  };
  if (!Object.keys(change).length)
    throw new ApiError(400, 'VALIDATION_FAILED', `nothing to change: send one of ${CHANGEABLE.join(', ')}`, {
      problems: CHANGEABLE,
    });
  return change;
}

/** What an admin's change did, for the audit row: each changed field's old and new value. */
function changes(before: OfficerView, after: OfficerView): Record<string, { from: unknown; to: unknown }> {
  const out: Record<string, { from: unknown; to: unknown }> = {};
  const pairs: Array<[string, unknown, unknown]> = [
    ['displayName', before.displayName, after.displayName],
    ['role', before.role, after.role],
    ['unit', before.unit?.code ?? null, after.unit?.code ?? null],
    ['capacity', before.capacity, after.capacity],
  ];
  for (const [name, from, to] of pairs) if (from !== to) out[name] = { from, to };
  return out;
}
