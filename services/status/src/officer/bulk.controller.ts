import { Body as RawBody, Controller, HttpCode, Inject, Post, UseFilters, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createLogger } from '@aduan/platform';
import { DataSource } from 'typeorm';
import type { OfficerPrincipal } from '../auth/tokens';
import { LifecycleService } from '../lifecycle/lifecycle-service';
import { writeAudit } from './access';
import { ApiError, ApiErrorFilter } from './api-error';
import { asBody, isUuid, optionalUuid, text, type Body } from './input';
import { BULK } from './openapi-schemas';
import { Officer, OfficerAuthGuard } from './officer-auth';

export const BULK_ACTIONS = ['claim', 'assign', 'coordinate'] as const;
type BulkAction = (typeof BULK_ACTIONS)[number];
const MAX_REPORTS = 50;

interface Target {
  id: string;
  version: number;
}

interface Result {
  id: string;
  ok: boolean;
  status: number;
  trackingCode: string | null;
  version: number | null;
  code: string | null;
  message: string | null;
}

function invalid(name: string, why: string): ApiError {
  return new ApiError(400, 'VALIDATION_FAILED', `${name}: ${why}`, { problems: [name] });
}

/** `reports`: up to 50 distinct `{ id, version }`, each the version the officer saw in the queue. */
export function targets(body: Body): Target[] {
  const v = body.reports;
  if (!Array.isArray(v) || !v.length) throw invalid('reports', 'must be a list of { id, version }');
  if (v.length > MAX_REPORTS) throw invalid('reports', `at most ${MAX_REPORTS} reports at once`);
  const list = v.map((item: unknown, i) => {
    const r = item as { id?: unknown; version?: unknown } | null;
    if (!r || typeof r !== 'object' || !isUuid(r.id))
      throw invalid('reports', `item ${i + 1} needs the report id`);
    if (typeof r.version !== 'number' || !Number.isSafeInteger(r.version) || r.version < 1)
      throw invalid('reports', `item ${i + 1} needs the version you saw`);
    return { id: r.id.toLowerCase(), version: r.version };
  });
  if (new Set(list.map((t) => t.id)).size !== list.length)
    throw invalid('reports', 'a report is listed twice');
  return list;
}

/**
 * One action on several reports of the queue. Each report is its own action — its own checks,
 * transaction and audit row — so a conflict or refusal of one leaves the others done, and the
 * answer says, report by report, what became of it.
 */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('v1/officer')
@UseGuards(OfficerAuthGuard)
@UseFilters(ApiErrorFilter)
export class BulkController {
  private readonly logger = createLogger('status').child({ component: 'bulk' });

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(LifecycleService) private readonly lifecycle: LifecycleService,
  ) {}

  @Post('bulk')
  @HttpCode(200)
  @ApiOkResponse({ schema: BULK })
  @ApiOperation({
    summary:
      'Claim, assign or coordinate several reports at once; one result per report, in the order sent (a refusal of one leaves the others done)',
  })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['action', 'reports'],
      properties: {
        action: { type: 'string', enum: [...BULK_ACTIONS] },
        reports: {
          type: 'array',
          maxItems: MAX_REPORTS,
          items: {
            type: 'object',
            required: ['id', 'version'],
            properties: { id: { type: 'string', format: 'uuid' }, version: { type: 'integer' } },
          },
        },
        officer: { type: 'string', format: 'uuid', description: 'assign: the unit officer' },
        unit: { type: 'string', description: 'coordinate: the unit code' },
        note: { type: 'string', description: 'coordinate: why (internal)' },
      },
    },
  })
  async bulk(@Officer() who: OfficerPrincipal, @RawBody() raw: unknown) {
    const body = asBody(raw);
    const action = text(body, 'action', { required: true, max: 20 });
    if (!(BULK_ACTIONS as readonly string[]).includes(action))
      throw invalid('action', `must be one of ${BULK_ACTIONS.join(', ')}`);
    const reports = targets(body);
    const officer = optionalUuid(body, 'officer');
    if (action === 'assign' && !officer) throw invalid('officer', 'is required to assign');
    const unit = text(body, 'unit', { max: 64 });
    if (action === 'coordinate' && !unit) throw invalid('unit', 'is required to coordinate');
    const note = text(body, 'note', { max: 4000 });

    const results: Result[] = [];
    for (const target of reports) {
      results.push(await this.one(who, action as BulkAction, target, { officer, unit, note }));
    }
    await writeAudit(this.db, who, {
      action: `bulk-${action}`,
      outcome: 'granted',
      detail: { reports: reports.length, refused: results.filter((r) => !r.ok).length },
    });
    return { results };
  }

  private async one(
    who: OfficerPrincipal,
    action: BulkAction,
    { id, version }: Target,
    o: { officer?: string | undefined; unit?: string | undefined; note?: string | undefined },
  ): Promise<Result> {
    try {
      if (action === 'coordinate')
        await this.lifecycle.perform(who, id, 'coordinate', {
          version,
          unit: o.unit!,
          ...(o.note ? { note: o.note } : {}),
        });
      else await this.lifecycle.assign(who, id, action === 'claim' ? who.id : o.officer!, version);
      const [row] = (await this.db.query('SELECT tracking_code, version FROM report WHERE id = $1', [
        id,
      ])) as Array<{
        tracking_code: string;
        version: number;
      }>;
      return {
        id,
        ok: true,
        status: 200,
        trackingCode: row?.tracking_code ?? null,
        version: row?.version ?? null,
        code: null,
        message: null,
      };
    } catch (err) {
      // No tracking code on a refusal: it would open the public page of a report the officer may not see.
      const refused = { id, ok: false, trackingCode: null, version: null };
      if (err instanceof ApiError) {
        const answer = err.getResponse() as { code?: string; message?: string };
        return {
          ...refused,
          status: err.getStatus(),
          code: answer.code ?? null,
          message: answer.message ?? null,
        };
      }
      // The reports before and after this one are still done; this one is reported, not hidden.
      this.logger.error('bulk action failed on one report', {
        reportId: id,
        action,
        error: err instanceof Error ? err.message : String(err),
      });
      return { ...refused, status: 500, code: 'ERROR', message: 'the action failed; try this report again' };
    }
  }
}
