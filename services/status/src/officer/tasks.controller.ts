import {
  Body as RawBody,
  Controller,
  Headers,
  HttpCode,
  Inject,
  Param,
  Post,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import type { OfficerPrincipal } from '../auth/tokens';
import type { Clock } from '../clock';
import { EvidenceService } from '../evidence/evidence-service';
import { TASK_ACTIONS, type TaskAction } from '../lifecycle/task-rules';
import { TaskService } from '../lifecycle/tasks';
import { ApiError, ApiErrorFilter } from './api-error';
import { asBody, expectedVersion, optionalUuid, text, uuidList, uuidParam, type Body } from './input';
import { REPORT } from './openapi-schemas';
import { Officer, OfficerAuthGuard } from './officer-auth';
import { CLOCK } from './reports.controller';
import { reportDetail } from './report-views';

const MAX_UNITS = 10;

/** `units`: a list of unit codes, each a short non-empty string; which exist is the service's to say. */
export function unitList(body: Body): string[] {
  const v = body.units;
  const problem = (why: string) =>
    new ApiError(400, 'VALIDATION_FAILED', `units: ${why}`, { problems: ['units'] });
  if (!Array.isArray(v) || !v.length) throw problem('must be a list of unit codes');
  if (v.length > MAX_UNITS) throw problem(`at most ${MAX_UNITS} units at once`);
  if (!v.every((u) => typeof u === 'string' && u.trim() && u.length <= 64))
    throw problem('every unit must be a unit code');
  return (v as string[]).map((u) => u.trim());
}

/**
 * Parallel coordination (ADR 0073): hand a report to several units at once, and each unit's
 * officers work their own part. Declared before the reports controller, whose `reports/:id/:action`
 * would otherwise take `reports/:id/tasks`.
 */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('v1/officer')
@UseGuards(OfficerAuthGuard)
@UseFilters(ApiErrorFilter)
export class TasksController {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(TaskService) private readonly tasks: TaskService,
    @Inject(EvidenceService) private readonly evidence: EvidenceService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post('reports/:id/tasks')
  @HttpCode(200)
  @ApiOkResponse({ schema: REPORT })
  @ApiOperation({
    summary:
      'Coordinate the report with several units at once: each gets a part with its own state, assignee and 7-day clock; the report goes to validation when every part is done (admin, crm_officer, unit_officer of the report; ADR 0073)',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['units'],
      properties: {
        units: {
          type: 'array',
          items: { type: 'string' },
          description: 'unit codes (two or more for a new round)',
        },
        note: { type: 'string', description: 'why (internal, never public)' },
        version: { type: 'integer', description: 'the report version you acted on (or send If-Match)' },
        actionId: { type: 'string', format: 'uuid', description: 'makes a retry idempotent' },
      },
    },
  })
  async coordinate(
    @Officer() who: OfficerPrincipal,
    @Param('id') rawId: string,
    @Headers('if-match') ifMatch: string | undefined,
    @RawBody() raw: unknown,
  ) {
    const id = uuidParam(rawId);
    const body = asBody(raw);
    const units = unitList(body);
    const note = text(body, 'note', { max: 4000 });
    const version = expectedVersion(ifMatch, body);
    const actionId = optionalUuid(body, 'actionId');
    await this.tasks.coordinate(who, id, {
      version,
      units,
      ...(note ? { note } : {}),
      ...(actionId ? { actionId } : {}),
    });
    return this.load(who, id);
  }

  @Post('reports/:id/tasks/:taskId/:action')
  @HttpCode(200)
  @ApiOkResponse({ schema: REPORT })
  @ApiOperation({
    summary:
      "Work one unit's part: claim, assign (officer), start, done (note and at least one evidence photo). Versioned by the part's own version",
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'taskId', format: 'uuid' })
  @ApiParam({ name: 'action', enum: [...TASK_ACTIONS] })
  @ApiBody({
    schema: {
      type: 'object',
      properties: {
        version: { type: 'integer', description: "the part's version you acted on (or send If-Match)" },
        officer: { type: 'string', format: 'uuid', description: 'assign: a unit officer of the part’s unit' },
        note: { type: 'string', description: 'done: what the unit did (public once every part is done)' },
        evidence: { type: 'array', items: { type: 'string', format: 'uuid' } },
      },
    },
  })
  async act(
    @Officer() who: OfficerPrincipal,
    @Param('id') rawId: string,
    @Param('taskId') rawTask: string,
    @Param('action') name: string,
    @Headers('if-match') ifMatch: string | undefined,
    @RawBody() raw: unknown,
  ) {
    const id = uuidParam(rawId);
    const taskId = uuidParam(rawTask, 'part');
    if (!(TASK_ACTIONS as readonly string[]).includes(name))
      throw new ApiError(404, 'NOT_FOUND', `no action ${name.slice(0, 40)} on a part`);
    const body = asBody(raw);
    const version = expectedVersion(ifMatch, body);
    const officer = optionalUuid(body, 'officer');
    const note = text(body, 'note', { max: 4000 });
    await this.tasks.act(who, id, taskId, name as TaskAction, {
      version,
      evidence: uuidList(body, 'evidence'),
      ...(officer ? { officer } : {}),
      ...(note ? { note } : {}),
    });
    return this.load(who, id);
  }

  private async load(who: OfficerPrincipal, id: string) {
    const detail = await reportDetail(this.db, this.evidence, who, id, this.clock());
    if (!detail) throw new ApiError(404, 'NOT_FOUND', `no report ${id}`);
    return detail;
  }
}
