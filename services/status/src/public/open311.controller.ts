import { BadRequestException, Controller, Get, Inject, Query } from '@nestjs/common';
import { normalizeTrackingCode } from '@aduan/channel-sdk';
import type { LifecycleState } from '@aduan/contracts';
import { DataSource } from 'typeorm';
import {
  findOpen311Reports,
  findOpen311Updates,
  isLifecycleState,
  type Open311Report,
  type Open311Update,
} from './open311-requests';

/** The most rows one answer carries; a client pages with `offset`. */
const MAX_LIMIT = 1000;
/** The longest window one question covers (the GeoReport v2 default is 90 days). */
const MAX_SPAN_DAYS = 90;
const DAY_MS = 86_400_000;

type Params = Record<string, unknown>;

function list(params: Params, name: string, max: number): string[] | undefined {
  const raw = params[name];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string') throw new BadRequestException(`${name} must be given once, comma-separated`);
  const items = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!items.length || items.length > max)
    throw new BadRequestException(`${name} must hold 1 to ${max} comma-separated values`);
  return items;
}

function int(params: Params, name: string, fallback: number, max: number): number {
  const raw = params[name];
  if (raw === undefined) return fallback;
  const n = typeof raw === 'string' && /^\d{1,7}$/.test(raw) ? Number(raw) : NaN;
  if (!(n <= max)) throw new BadRequestException(`${name} must be a whole number from 0 to ${max}`);
  return n;
}

function date(params: Params, name: string): Date | undefined {
  const raw = params[name];
  if (raw === undefined) return undefined;
  const d = typeof raw === 'string' ? new Date(raw) : new Date(NaN);
  if (Number.isNaN(d.getTime())) throw new BadRequestException(`${name} must be an ISO 8601 date and time`);
  return d;
}

/** [from, to) as the caller gives it: both required, at most MAX_SPAN_DAYS long. */
function window(params: Params): { from: Date; to: Date } {
  const [from, to] = [date(params, 'from'), date(params, 'to')];
  if (!from || !to || from >= to || to.getTime() - from.getTime() > MAX_SPAN_DAYS * DAY_MS)
    throw new BadRequestException(`give from before to, at most ${MAX_SPAN_DAYS} days apart`);
  return { from, to };
}

/**
 * Lists for the Open311 front (ADR 0051): public reports by code, category, state and time, and
 * their public transitions since a time. Nothing here needs a tracking code to find, so nothing
 * here says more than the public page of each report does.
 */
@Controller('v1/public/open311')
export class Open311Controller {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  @Get('requests')
  async requests(@Query() params: Params): Promise<{ requests: Open311Report[] }> {
    const rawCodes = list(params, 'codes', 100);
    // An unreadable code is one no report has: it matches nothing instead of failing the rest.
    const codes = rawCodes?.map((c) => normalizeTrackingCode(c) ?? '');
    const states = list(params, 'states', 20);
    const unknown = states?.find((s) => !isLifecycleState(s));
    if (unknown) throw new BadRequestException(`state "${unknown.slice(0, 40)}" is not a lifecycle state`);
    const requests = await findOpen311Reports(this.db, {
      ...(codes ? { codes } : window(params)),
      ...(states ? { states: states as LifecycleState[] } : {}),
      ...(params['categories'] !== undefined ? { categories: list(params, 'categories', 200) } : {}),
      limit: int(params, 'limit', 100, MAX_LIMIT),
      offset: int(params, 'offset', 0, 1_000_000),
    });
    return { requests };
  }

  @Get('updates')
  async updates(@Query() params: Params): Promise<{ updates: Open311Update[] }> {
    const updates = await findOpen311Updates(this.db, {
      ...window(params),
      limit: int(params, 'limit', 100, MAX_LIMIT),
      offset: int(params, 'offset', 0, 1_000_000),
    });
    return { updates };
  }
}
