import { randomUUID } from 'node:crypto';
import {
  Controller,
  Get,
  HttpException,
  Inject,
  NotFoundException,
  Param,
  Post,
  Req,
  Res,
  ServiceUnavailableException,
  UnsupportedMediaTypeException,
  UseFilters,
  BadRequestException,
  PayloadTooLargeException,
} from '@nestjs/common';
import {
  enforceLimits,
  normalizeTrackingCode,
  orServiceUnavailable,
  withIdempotencyKey,
} from '@aduan/channel-sdk';
import type { Request, Response } from 'express';
import type { Open311Api } from '../app';
import { GeoReportErrors } from './errors';
import { send, splitFormat, type Format } from './format';
import { takeMediaUrl } from './media-url';
import { FormRefused, parseRequestForm } from './request-form';
import { statesFor } from './statuses';
import { requestUpdateOf, serviceRequestOf } from './views';

export const OPEN311_API = Symbol('OPEN311_API');

const SPEC = 'http://wiki.open311.org/GeoReport_v2';
/** When this API's shape last changed, as the discovery document states it. */
const CHANGESET = '2026-11-30T00:00:00Z';
const MAX_SPAN_DAYS = 90;
const DAY_MS = 86_400_000;
const MAX_PAGE_SIZE = 1000;
const MAX_FORM_BYTES = 64 * 1024;
const W3C_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Params = Record<string, unknown>;

function one(params: Params, name: string): string | undefined {
  const v = params[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new FormRefused(`${name} must be given once`);
  return v.trim() || undefined;
}

function commaList(params: Params, name: string, max: number): string[] | undefined {
  const items = one(params, name)
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (items && items.length > max) throw new FormRefused(`${name} holds at most ${max} values`);
  return items?.length ? items : undefined;
}

function datetime(params: Params, name: string): Date | undefined {
  const raw = one(params, name);
  if (raw === undefined) return undefined;
  const d = W3C_DATETIME.test(raw) ? new Date(raw) : new Date(NaN);
  if (Number.isNaN(d.getTime()))
    throw new FormRefused(
      `${name} must be a date and time with its time zone, e.g. 2026-11-30T08:00:00+07:00`,
    );
  return d;
}

/** start_date / end_date, at most 90 days apart, the last 90 days when neither is given. */
function window(params: Params): { from: Date; to: Date } {
  const to = datetime(params, 'end_date') ?? new Date();
  const from = datetime(params, 'start_date') ?? new Date(to.getTime() - MAX_SPAN_DAYS * DAY_MS);
  if (from >= to) throw new FormRefused('start_date must be before end_date');
  if (to.getTime() - from.getTime() > MAX_SPAN_DAYS * DAY_MS)
    throw new FormRefused(`start_date and end_date may be at most ${MAX_SPAN_DAYS} days apart`);
  return { from, to };
}

function paging(params: Params): { limit: number; offset: number } {
  const number = (name: string, fallback: number, max: number) => {
    const raw = one(params, name);
    if (raw === undefined) return fallback;
    const n = /^\d{1,7}$/.test(raw) ? Number(raw) : NaN;
    if (!(n >= 1 && n <= max)) throw new FormRefused(`${name} must be a whole number from 1 to ${max}`);
    return n;
  };
  const size = number('page_size', MAX_PAGE_SIZE, MAX_PAGE_SIZE);
  const page = number('page', 1, 100_000);
  return { limit: size, offset: (page - 1) * size };
}

/** A form-encoded body, read here: the kit's HTTP app parses JSON bodies only. */
async function formBody(req: Request): Promise<Params> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES)
      throw new PayloadTooLargeException(`request body is larger than the limit of ${MAX_FORM_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
}

/**
 * Open311 GeoReport v2 under /open311/v2 with mySociety's servicerequestupdates (ADR 0051,
 * docs/open311.md). Reads are public and answer from the status service's public lists; a
 * POST needs a client app's api_key and becomes a report on channel `open311`.
 */
@Controller('open311/v2')
@UseFilters(GeoReportErrors)
export class GeoReportController {
  constructor(@Inject(OPEN311_API) private readonly api: Open311Api) {}

  /** A jurisdiction_id other than the city's is the spec's 404. */
  private jurisdiction(params: Params): void {
    const asked = one(params, 'jurisdiction_id');
    if (asked !== undefined && asked !== this.api.jurisdictionId)
      throw new NotFoundException(
        `jurisdiction_id "${asked.slice(0, 60)}" not found: this is ${this.api.jurisdictionId}`,
      );
  }

  /** Counts lookups by id against the client's allowance; 429 with Retry-After beyond it. */
  private lookingUp(req: Request, res: Response, n: number): void {
    const wait = this.api.lookups.take(req.ip ?? req.socket.remoteAddress ?? 'unknown', n);
    if (wait === null) return;
    res.setHeader('Retry-After', String(wait));
    throw new HttpException(`too many requests looked up by id; try again in ${wait} s`, 429);
  }

  private lists() {
    if (!this.api.status)
      throw new ServiceUnavailableException(
        'request lists are off: the operator has not set STATUS_BASE_URL',
      );
    return this.api.status;
  }

  @Get(':resource')
  async top(@Param('resource') resource: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const { name, format } = splitFormat(resource);
    const params = req.query as Params;
    this.jurisdiction(params);
    if (name === 'discovery') return this.discovery(res, format);
    if (name === 'services')
      return send(
        res,
        format,
        'services',
        'service',
        this.api.services.services.map((s) => ({ ...s })),
      );
    if (name === 'requests') return this.requests(req, res, format);
    if (name === 'servicerequestupdates') return this.updates(params, res, format);
    throw new NotFoundException(`no resource "${name.slice(0, 40)}" here`);
  }

  private discovery(res: Response, format: Format): void {
    send(res, format, 'discovery', null, {
      changeset: CHANGESET,
      contact: this.api.contact,
      key_service: `API keys for posting requests: ${this.api.contact}`,
      endpoints: [
        {
          specification: SPEC,
          url: `${this.api.publicBaseUrl()}/open311/v2`,
          changeset: CHANGESET,
          type: 'production',
          formats: ['text/xml', 'application/json'],
        },
      ],
    });
  }

  private async requests(req: Request, res: Response, format: Format): Promise<void> {
    const params = req.query as Params;
    const ids = commaList(params, 'service_request_id', 100);
    if (ids) this.lookingUp(req, res, ids.length);
    const page = paging(params);
    // Asked by id, every other filter is ignored, as the spec says.
    const filter = ids
      ? { codes: ids.map((id) => normalizeTrackingCode(id) ?? id.slice(0, 40)), ...page }
      : { ...window(params), ...page, ...this.filters(params) };
    const reports = await this.lists().requests(filter);
    const body = reports.map((r) => serviceRequestOf(r, this.api.services));
    send(res, format, 'service_requests', 'request', body);
  }

  private filters(params: Params): { categories?: string[]; states?: string[] } {
    const out: { categories?: string[]; states?: string[] } = {};
    const codes = commaList(params, 'service_code', 50);
    if (codes) {
      const unknown = codes.find((c) => !this.api.services.find(c));
      if (unknown)
        throw new FormRefused(`service_code "${unknown.slice(0, 60)}" is not a service of this city`);
      out.categories = codes.map((c) => this.api.services.find(c)!.service_name);
    }
    const status = one(params, 'status');
    if (status) {
      const states = statesFor(status);
      if (!states)
        throw new FormRefused('status must be open, closed or an extended status (docs/open311.md)');
      out.states = states;
    }
    return out;
  }

  private async updates(params: Params, res: Response, format: Format): Promise<void> {
    const updates = await this.lists().updates({ ...window(params), ...paging(params) });
    send(res, format, 'service_requests_updates', 'request_update', updates.map(requestUpdateOf));
  }

  @Get('services/:resource')
  definition(@Param('resource') resource: string, @Req() req: Request, @Res() res: Response): void {
    const { name, format } = splitFormat(resource);
    this.jurisdiction(req.query as Params);
    const service = this.api.services.find(name);
    if (!service) throw new NotFoundException(`service_code "${name.slice(0, 60)}" not found`);
    send(res, format, 'service_definition', null, { service_code: service.service_code, attributes: [] });
  }

  @Get('requests/:resource')
  async request(
    @Param('resource') resource: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const { name, format } = splitFormat(resource);
    this.jurisdiction(req.query as Params);
    this.lookingUp(req, res, 1);
    const code = normalizeTrackingCode(name);
    // A malformed and an unknown id get the same answer: it confirms nothing.
    const [report] = code ? await this.lists().requests({ codes: [code], limit: 1, offset: 0 }) : [];
    if (!report) throw new NotFoundException(`service_request_id ${name.slice(0, 20)} not found`);
    send(res, format, 'service_requests', 'request', [serviceRequestOf(report, this.api.services)]);
  }

  @Get('tokens/:resource')
  async token(@Param('resource') resource: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const { name, format } = splitFormat(resource);
    this.jurisdiction(req.query as Params);
    this.lookingUp(req, res, 1);
    const found = UUID.test(name)
      ? await this.api.ctx.store.conversations.findByReport('open311', name.toLowerCase())
      : null;
    if (!found) throw new NotFoundException(`token ${name.slice(0, 40)} not found`);
    send(res, format, 'service_requests', 'request', [
      { service_request_id: found.trackingCode, token: name },
    ]);
  }

  @Post(':resource')
  async create(
    @Param('resource') resource: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const { name, format } = splitFormat(resource);
    if (name !== 'requests') throw new NotFoundException(`nothing to post to "${name.slice(0, 40)}"`);
    const params = { ...(req.query as Params), ...(await this.readBody(req)) };
    this.jurisdiction(params);
    // The address first, so guessing keys is limited too; then the app the key names.
    const { posts } = this.api;
    await enforceLimits(posts.limits, res, [{ limit: posts.perIp, key: req.ip ?? req.socket.remoteAddress }]);
    const header = req.headers['x-api-key'];
    const client = this.api.keys.clientOf(
      one(params, 'api_key') ?? (Array.isArray(header) ? header[0] : header),
    );
    await enforceLimits(posts.limits, res, [{ limit: posts.perKey, key: client }]);
    const form = parseRequestForm(params, this.api.services);
    const { api_key: _key, ...fields } = params;
    const { ctx, media } = this.api;
    const take = async (key: string | undefined) => {
      const sourceId = key ? `${client}:${key}` : randomUUID();
      const photo = form.mediaUrl ? await takeMediaUrl(form.mediaUrl, media) : {};
      const receipt = ctx.intake.receiptFor('open311', sourceId);
      // Recorded before the event, so tokens/{token} answers as soon as the client has the token.
      await ctx.store.conversations.open({
        channel: 'open311',
        address: sourceId,
        ...receipt,
        thread: { app: client },
      });
      const text = [
        form.description,
        ...(photo.note ? [`[Foto tidak disertakan / photo left out: ${photo.note}]`] : []),
      ].join('\n');
      await ctx.intake.submit({
        channel: 'open311',
        sourceId,
        reporter: { ...form.reporter, replyTo: null },
        text,
        // The router reads the subject with the text to place the report; the public description
        // is made from the text alone, so an address the reporter wrote is never shown.
        ...(form.addressString ? { subject: `Lokasi / location: ${form.addressString}` } : {}),
        category: form.service.service_name,
        ...(form.location ? { location: form.location } : {}),
        attachments: photo.attachment ? [photo.attachment] : [],
        visibility: 'public',
      });
      ctx.logger.info('request accepted', {
        reportId: receipt.reportId,
        app: client,
        photo: !!photo.attachment,
      });
      return {
        service_request_id: receipt.trackingCode,
        token: receipt.reportId,
        service_notice: `Lacak laporan / track the request: ${receipt.trackingUrl}`,
        account_id: null,
      };
    };
    const accepted = await orServiceUnavailable(res, ctx.logger, () =>
      withIdempotencyKey(ctx.idempotency, client, req.headers['idempotency-key'], fields, take),
    );
    send(res, format, 'service_requests', 'request', [accepted], 201);
  }

  private async readBody(req: Request): Promise<Params> {
    if (req.is('application/x-www-form-urlencoded')) return formBody(req);
    if (req.is('application/json')) {
      const body = req.body as unknown;
      if (body && typeof body === 'object' && !Array.isArray(body)) return body as Params;
      throw new BadRequestException('a JSON body must be an object of the request fields');
    }
    if (!req.headers['content-type']) return {};
    throw new UnsupportedMediaTypeException(
      'send the request fields form-encoded (application/x-www-form-urlencoded) or as JSON',
    );
  }
}
