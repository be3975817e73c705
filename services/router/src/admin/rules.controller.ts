import {
  BadRequestException,
  Body,
  ConflictException,
  Controller,
  Get,
  Headers,
  Inject,
  NotFoundException,
  HttpCode,
  Param,
  ParseIntPipe,
  Post,
  Put,
} from '@nestjs/common';
import type { AuditEntry, RuleSetVersion } from '../rules/rule-store';
import { RuleStore, RuleVersionNotFound, StaleRuleSet } from '../rules/rule-store';
import { PREVIEW_MAX, RecentInputs } from '../rules/recent-inputs';
import {
  RoutingRulesError,
  proposeRouting,
  type Preview,
  type RoutingContext,
  type RoutingDecision,
  type RoutingRules,
} from '@aduan/routing';
import { requireOfficer } from './officer-auth';
import type { OfficerTokenVerifier } from '@aduan/platform';

/** The verifier of officer tokens (the status service's JWKS), undefined while none is configured. */
export const OFFICER_KEYS = Symbol('OFFICER_KEYS');
export const ROUTING_CONTEXT = Symbol('ROUTING_CONTEXT');

interface ReplaceBody {
  rules?: unknown;
  note?: unknown;
  basedOn?: unknown;
}

interface DraftPreviewBody {
  rules?: unknown;
  limit?: unknown;
}

interface RollbackBody {
  version?: unknown;
  basedOn?: unknown;
  note?: unknown;
}

/** A note beside a new version: optional, short, and text. */
function noteOf(note: unknown): { note?: string } {
  if (note === undefined) return {};
  if (typeof note !== 'string' || note.length > 500)
    throw new BadRequestException('note must be a string of at most 500 characters');
  return note.trim() ? { note: note.trim() } : {};
}

function basedOnOf(basedOn: unknown): { basedOn?: number } {
  if (basedOn === undefined) return {};
  if (!Number.isInteger(basedOn) || (basedOn as number) < 1)
    throw new BadRequestException('basedOn must be a version number');
  return { basedOn: basedOn as number };
}

interface PreviewBody {
  text?: unknown;
  subject?: unknown;
  category?: unknown;
  location?: unknown;
  channel?: unknown;
}

/** The point to locate, as the router's input carries it; anything else is refused by name. */
function previewLocation(raw: unknown): { lat: number; lon: number } | null {
  if (raw === undefined || raw === null) return null;
  const { lat, lon } = (typeof raw === 'object' ? raw : {}) as { lat?: unknown; lon?: unknown };
  if (
    typeof lat !== 'number' ||
    typeof lon !== 'number' ||
    !Number.isFinite(lat) ||
    !Number.isFinite(lon) ||
    Math.abs(lat) > 90 ||
    Math.abs(lon) > 180
  ) {
    throw new BadRequestException('location must be {"lat": number, "lon": number} in degrees, or null');
  }
  return { lat, lon };
}

/**
 * CRM admins change who handles what without a redeploy. Every change is a new version,
 * audited; routed events name the version and rule that decided them.
 */
@Controller('v1/admin')
export class RulesController {
  constructor(
    @Inject(RuleStore) private readonly store: RuleStore,
    @Inject(OFFICER_KEYS) private readonly keys: OfficerTokenVerifier | undefined,
    @Inject(ROUTING_CONTEXT) private readonly context: Omit<RoutingContext, 'rules' | 'incidents'>,
    @Inject(RecentInputs) private readonly recent: RecentInputs,
  ) {}

  @Get('rules')
  async current(@Headers('authorization') auth?: string): Promise<RoutingRules> {
    await requireOfficer(auth, this.keys, ['admin', 'crm_officer']);
    return this.store.current(0);
  }

  @Put('rules')
  async replace(@Body() body: ReplaceBody, @Headers('authorization') auth?: string): Promise<RoutingRules> {
    const officer = await requireOfficer(auth, this.keys, ['admin']);
    if (!body || typeof body !== 'object' || !Array.isArray(body.rules))
      throw new BadRequestException('body must be {"rules": [...]}');
    const opts = { ...noteOf(body.note), ...basedOnOf(body.basedOn) };
    return refusingBadRules(() => this.store.replace(body.rules, officer.sub, opts));
  }

  /**
   * How the last `limit` received complaints would have been routed under a draft, beside how
   * they were: nothing is stored or published (ADR 0075).
   */
  @Post('rules/preview')
  @HttpCode(200)
  async previewDraft(
    @Body() body: DraftPreviewBody,
    @Headers('authorization') auth?: string,
  ): Promise<Preview> {
    await requireOfficer(auth, this.keys, ['admin']);
    if (!body || typeof body !== 'object' || !Array.isArray(body.rules))
      throw new BadRequestException('body must be {"rules": [...], "limit": 100}');
    const limit = body.limit ?? 100;
    if (!Number.isInteger(limit) || (limit as number) < 1 || (limit as number) > PREVIEW_MAX)
      throw new BadRequestException(`limit must be a whole number from 1 to ${PREVIEW_MAX}`);
    const draft = await refusingBadRules(async () => this.store.draft(body.rules));
    const current = await this.store.current(0);
    return this.recent.preview(draft, current.version, limit as number);
  }

  /** Puts an earlier version back in force as a new version, audited as a rollback. */
  @Post('rules/rollback')
  @HttpCode(200)
  async rollback(@Body() body: RollbackBody, @Headers('authorization') auth?: string): Promise<RoutingRules> {
    const officer = await requireOfficer(auth, this.keys, ['admin']);
    if (!body || typeof body !== 'object' || !Number.isInteger(body.version) || (body.version as number) < 1)
      throw new BadRequestException(
        'body must be {"version": <an earlier version>, "basedOn": <the current one>}',
      );
    const opts = { ...noteOf(body.note), ...basedOnOf(body.basedOn) };
    try {
      return await refusingBadRules(() => this.store.rollback(body.version as number, officer.sub, opts));
    } catch (err) {
      if (err instanceof RuleVersionNotFound) throw new NotFoundException(err.message);
      throw err;
    }
  }

  @Get('rules/versions')
  async versions(@Headers('authorization') auth?: string): Promise<{ items: RuleSetVersion[] }> {
    await requireOfficer(auth, this.keys, ['admin', 'crm_officer']);
    return { items: await this.store.versions() };
  }

  @Get('rules/versions/:version')
  async version(
    @Param('version', ParseIntPipe) version: number,
    @Headers('authorization') auth?: string,
  ): Promise<RoutingRules> {
    await requireOfficer(auth, this.keys, ['admin', 'crm_officer']);
    try {
      return await this.store.get(version);
    } catch (err) {
      if (err instanceof RuleVersionNotFound) throw new NotFoundException(err.message);
      throw err;
    }
  }

  @Get('rules/audit')
  async audit(@Headers('authorization') auth?: string): Promise<{ items: AuditEntry[] }> {
    await requireOfficer(auth, this.keys, ['admin']);
    return { items: await this.store.audit() };
  }

  /** What the router would decide for a message under the current rules; nothing is stored or published. */
  @Post('preview')
  async preview(
    @Body() body: PreviewBody,
    @Headers('authorization') auth?: string,
  ): Promise<RoutingDecision> {
    await requireOfficer(auth, this.keys, ['admin', 'crm_officer']);
    if (!body || typeof body.text !== 'string' || !body.text.trim())
      throw new BadRequestException('text is required');
    const location = previewLocation(body.location);
    const rules = await this.store.current();
    return proposeRouting(
      {
        id: 'preview',
        channel: typeof body.channel === 'string' ? body.channel : 'officer',
        text: body.text.slice(0, 20_000),
        ...(typeof body.subject === 'string' ? { subject: body.subject } : {}),
        ...(typeof body.category === 'string' ? { categoryHint: body.category } : {}),
        location,
        receivedAt: new Date().toISOString(),
      },
      { ...this.context, rules, recordIncidents: false },
    );
  }
}

/** A rule set the library refuses is the caller's mistake (400); a stale base is a conflict (409). */
async function refusingBadRules<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof RoutingRulesError) throw new BadRequestException(err.message);
    if (err instanceof StaleRuleSet) throw new ConflictException(err.message);
    throw err;
  }
}
