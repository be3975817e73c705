import { randomUUID } from 'node:crypto';
import {
  Body as RawBody,
  Controller,
  Get,
  Headers,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
  Req,
  Res,
  UseFilters,
  UseGuards,
  type OnModuleDestroy,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { LIFECYCLE_STATES, type LifecycleState } from '@aduan/contracts';
import { createLogger } from '@aduan/platform';
import type { Request, Response } from 'express';
import multer from 'multer';
import { DataSource } from 'typeorm';
import { Sessions } from '../auth/sessions';
import type { OfficerPrincipal } from '../auth/tokens';
import type { Clock } from '../clock';
import { EvidenceService } from '../evidence/evidence-service';
import { LifecycleService } from '../lifecycle/lifecycle-service';
import type { TransitionAction } from '../lifecycle/state-machine';
import type { IdentityVault } from '../vault/identity-vault';
import type { AdapterContacts } from '../vault/adapter-contacts';
import { ContactReveal } from '../vault/reveal';
import { deny, guardReport } from './access';
import {
  APPROVED,
  CONTACT,
  EVIDENCE,
  NOTE,
  NOTIFICATIONS,
  QUEUE,
  REPORT,
  REVEAL_REQUESTED,
  SEARCH,
} from './openapi-schemas';
import { ApiError, ApiErrorFilter } from './api-error';
import { isCategory } from './categories';
import { OfficerEvents } from './officer-events';
import { asBody, expectedVersion, isUuid, optionalUuid, text, uuidList, uuidParam } from './input';
import { Officer, OfficerAuthGuard } from './officer-auth';
import { parseSearch, searchReports } from './report-search';
import { DEFAULT_QUEUE_STATES, queue, reportDetail } from './report-views';

export const CLOCK = Symbol('Clock');
export const VAULT = Symbol('IdentityVault');
export const ADAPTER_CONTACTS = Symbol('AdapterContacts');
export const EVIDENCE_MAX_BYTES = Symbol('EvidenceMaxBytes');

/** What every action that changes a report carries besides its own fields. */
const VERSIONED = {
  version: { type: 'integer', description: 'the report version you acted on (or send If-Match)' },
  actionId: { type: 'string', format: 'uuid', description: 'makes a retry idempotent' },
};

const ACTION_BODY = {
  schema: {
    type: 'object',
    properties: {
      ...VERSIONED,
      unit: { type: 'string' },
      note: { type: 'string' },
      reason: { type: 'string' },
      evidence: { type: 'array', items: { type: 'string', format: 'uuid' } },
      master: { type: 'string', description: 'report id or tracking code' },
      decision: { type: 'string', enum: ['accept', 'refuse'] },
    },
  },
};

const ROUTE_ACTIONS: Record<string, TransitionAction | 'validate'> = {
  route: 'route',
  coordinate: 'coordinate',
  dispose: 'dispose',
  start: 'start',
  'follow-up': 'follow-up',
  validate: 'validate',
  reject: 'reject',
  merge: 'merge',
  reopen: 'reopen',
};

/** A query parameter given once; `?state=A&state=B` arrives as a list, which no filter here means. */
function single(value: unknown, name: string): string | undefined {
  if (value === undefined || typeof value === 'string') return value;
  throw new ApiError(
    400,
    'VALIDATION_FAILED',
    `${name} must be given once (a comma list for several states)`,
    { problems: [name] },
  );
}

@ApiTags('reports')
@ApiBearerAuth()
@Controller('v1/officer')
@UseGuards(OfficerAuthGuard)
@UseFilters(ApiErrorFilter)
export class ReportsController implements OnModuleDestroy {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(Sessions) sessions: Sessions,
    @Inject(LifecycleService) private readonly lifecycle: LifecycleService,
    @Inject(EvidenceService) private readonly evidence: EvidenceService,
    @Inject(VAULT) vault: IdentityVault,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(EVIDENCE_MAX_BYTES) private readonly maxBytes: number,
    @Inject(ADAPTER_CONTACTS) adapters: AdapterContacts,
  ) {
    this.reveal = new ContactReveal(db, vault, adapters);
    this.live = new OfficerEvents(
      db,
      sessions,
      (db.options as { url: string }).url,
      createLogger('status').child({ component: 'officer-events' }),
    );
  }

  private readonly reveal: ContactReveal;
  private readonly live: OfficerEvents;

  async onModuleDestroy(): Promise<void> {
    await this.live.stop();
  }

  @Get('events')
  @ApiProduces('text/event-stream')
  @ApiOperation({
    summary:
      'The live queue: `event: report` with a report id and tracking code whenever a report the officer may see changes (no other data; read it with GET /reports/{id}); a comment every 15 s; ends with the access token, to be reopened with a fresh one',
  })
  async events(@Officer() who: OfficerPrincipal, @Res() res: Response) {
    await this.live.open(who, res);
  }

  @Get('queue')
  @ApiOkResponse({ schema: QUEUE })
  @ApiQuery({ name: 'unit', required: false, type: String, description: 'unit code' })
  @ApiQuery({ name: 'state', required: false, type: String, description: 'comma list of states' })
  @ApiQuery({ name: 'assignee', required: false, type: String, description: '`me` or an officer id' })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', maximum: 100 } })
  @ApiQuery({ name: 'offset', required: false, schema: { type: 'integer', minimum: 0 } })
  @ApiOperation({ summary: 'Reports waiting for a unit, overdue first, then oldest first' })
  async queue(
    @Officer() who: OfficerPrincipal,
    @Query('unit') rawUnit?: unknown,
    @Query('state') rawState?: unknown,
    @Query('assignee') rawAssignee?: unknown,
    @Query('limit') rawLimit?: unknown,
    @Query('offset') rawOffset?: unknown,
  ) {
    const unit = single(rawUnit, 'unit');
    const state = single(rawState, 'state');
    const assignee = single(rawAssignee, 'assignee');
    const limit = single(rawLimit, 'limit');
    const offset = single(rawOffset, 'offset');
    if (who.role === 'unit_officer' && unit && unit !== who.unit)
      await deny(this.db, who, 'queue', null, 'unit officers see only their own unit');
    const states = state
      ? state.split(',').map((s) => s.trim().toUpperCase())
      : who.role === 'validator'
        ? ['AWAITING_VALIDATION']
        : [...DEFAULT_QUEUE_STATES];
    const unknown = states.filter((s) => !(LIFECYCLE_STATES as readonly string[]).includes(s));
    if (unknown.length)
      throw new ApiError(400, 'VALIDATION_FAILED', `unknown state ${unknown.join(', ')}`, {
        problems: unknown,
      });
    const n = limit === undefined ? 50 : Number(limit);
    const skip = offset === undefined ? 0 : Number(offset);
    if (!Number.isInteger(n) || n < 1 || n > 100)
      throw new ApiError(400, 'VALIDATION_FAILED', 'limit must be 1 to 100', { problems: ['limit'] });
    if (!Number.isSafeInteger(skip) || skip < 0)
      throw new ApiError(400, 'VALIDATION_FAILED', 'offset must be 0 or more', { problems: ['offset'] });
    const who_ = assignee === 'me' ? who.id : assignee;
    if (who_ !== undefined && !isUuid(who_))
      throw new ApiError(400, 'VALIDATION_FAILED', 'assignee must be "me" or an officer id', {
        problems: ['assignee'],
      });
    const scope = who.role === 'unit_officer' ? who.unit! : unit;
    return queue(
      this.db,
      {
        states: states as LifecycleState[],
        limit: n,
        offset: skip,
        ...(scope ? { unit: scope } : {}),
        ...(who_ ? { assignee: who_ } : {}),
      },
      this.clock(),
    );
  }

  @Get('reports')
  @ApiOkResponse({ schema: SEARCH })
  @ApiOperation({
    summary:
      'Search every report the officer may see, newest first: words of the public text or a tracking code, and filters that all apply together. Never answers reporter contact data',
  })
  @ApiQuery({
    name: 'q',
    required: false,
    type: String,
    description: 'words (each also as the start of a longer word) or a tracking code, any case',
  })
  @ApiQuery({ name: 'state', required: false, type: String, description: 'comma list of states' })
  @ApiQuery({ name: 'category', required: false, type: String, description: 'a name of GET /categories' })
  @ApiQuery({
    name: 'unit',
    required: false,
    type: String,
    description: 'unit code (its reports and those escalated to it)',
  })
  @ApiQuery({ name: 'channel', required: false, type: String })
  @ApiQuery({ name: 'assignee', required: false, type: String, description: '`me` or an officer id' })
  @ApiQuery({
    name: 'from',
    required: false,
    type: String,
    description: 'received on or after: a Jakarta day YYYY-MM-DD or a time with its offset',
  })
  @ApiQuery({
    name: 'to',
    required: false,
    type: String,
    description: 'received before the end of this Jakarta day, or before this time',
  })
  @ApiQuery({ name: 'overdue', required: false, schema: { type: 'string', enum: ['true', 'false'] } })
  @ApiQuery({ name: 'cursor', required: false, type: String, description: 'nextCursor of the page before' })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 100 } })
  async search(@Officer() who: OfficerPrincipal, @Query() query: Record<string, unknown>) {
    const filter = parseSearch(query, who.id);
    // The queue's rule: a unit officer sees its own unit's reports and those escalated to it.
    if (who.role === 'unit_officer') {
      if (!who.unit || (filter.unit && filter.unit !== who.unit))
        await deny(this.db, who, 'search', null, 'unit officers see only their own unit');
      filter.unit = who.unit!;
    } else if (filter.unit) {
      const [known] = (await this.db.query('SELECT 1 FROM unit WHERE code = $1', [filter.unit])) as unknown[];
      if (!known)
        throw new ApiError(400, 'VALIDATION_FAILED', `unit: no unit ${filter.unit}`, { problems: ['unit'] });
    }
    return searchReports(this.db, filter, this.clock());
  }

  @Get('reports/:id')
  @ApiOkResponse({ schema: REPORT })
  @ApiOperation({ summary: 'Everything an officer may see about one report' })
  @ApiParam({ name: 'id', format: 'uuid' })
  async detail(@Officer() who: OfficerPrincipal, @Param('id') rawId: string) {
    const id = uuidParam(rawId);
    await guardReport(this.db, who, id, 'read');
    return this.load(who, id);
  }

  private async load(who: OfficerPrincipal, id: string) {
    const detail = await reportDetail(this.db, this.evidence, who, id, this.clock());
    if (!detail) throw new ApiError(404, 'NOT_FOUND', `no report ${id}`);
    return detail;
  }

  @Post('reports/:id/claim')
  @HttpCode(200)
  @ApiOkResponse({ schema: REPORT })
  @ApiOperation({ summary: 'Take the report yourself (within your capacity)' })
  @ApiBody({ schema: { type: 'object', properties: { version: { type: 'integer' } } } })
  async claim(
    @Officer() who: OfficerPrincipal,
    @Param('id') rawId: string,
    @Headers('if-match') ifMatch: string | undefined,
    @RawBody() raw: unknown,
  ) {
    const id = uuidParam(rawId);
    await this.lifecycle.assign(who, id, who.id, expectedVersion(ifMatch, asBody(raw)));
    return this.load(who, id);
  }

  @Post('reports/:id/assign')
  @HttpCode(200)
  @ApiOkResponse({ schema: REPORT })
  @ApiOperation({ summary: 'Give the report to a unit officer of its unit (within their capacity)' })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['officer'],
      properties: { officer: { type: 'string', format: 'uuid' }, version: { type: 'integer' } },
    },
  })
  async assign(
    @Officer() who: OfficerPrincipal,
    @Param('id') rawId: string,
    @Headers('if-match') ifMatch: string | undefined,
    @RawBody() raw: unknown,
  ) {
    const id = uuidParam(rawId);
    const body = asBody(raw);
    const officer = optionalUuid(body, 'officer');
    if (!officer)
      throw new ApiError(400, 'VALIDATION_FAILED', 'officer is required', { problems: ['officer'] });
    await this.lifecycle.assign(who, id, officer, expectedVersion(ifMatch, body));
    return this.load(who, id);
  }

  @Post('reports/:id/notes')
  @ApiCreatedResponse({ schema: NOTE })
  @ApiOperation({ summary: 'Add an internal note (never public)' })
  @ApiBody({ schema: { type: 'object', required: ['text'], properties: { text: { type: 'string' } } } })
  async note(@Officer() who: OfficerPrincipal, @Param('id') rawId: string, @RawBody() raw: unknown) {
    const id = uuidParam(rawId);
    await guardReport(this.db, who, id, 'note');
    const note = text(asBody(raw), 'text', { required: true, max: 4000 });
    const noteId = randomUUID();
    const [row] = (await this.db.query(
      `INSERT INTO report_note (id, report_id, author_id, text, at) VALUES ($1, $2, $3, $4, $5) RETURNING at`,
      [noteId, id, who.id, note, this.clock()],
    )) as Array<{ at: Date }>;
    return { id: noteId, at: row!.at.toISOString(), author: { id: who.id }, text: note };
  }

  @Post('reports/:id/evidence')
  @ApiCreatedResponse({ schema: EVIDENCE })
  @ApiOperation({ summary: 'Upload one evidence photo (multipart field "file")' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: { file: { type: 'string', format: 'binary' } },
    },
  })
  async upload(
    @Officer() who: OfficerPrincipal,
    @Param('id') rawId: string,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const id = uuidParam(rawId);
    await guardReport(this.db, who, id, 'evidence');
    if (who.role !== 'admin' && who.role !== 'unit_officer')
      await deny(this.db, who, 'evidence', id, `the ${who.role} role does not upload evidence`);
    const file = await this.receiveFile(req, res);
    res.status(201);
    return this.evidence.upload(who, id, file);
  }

  private receiveFile(req: Request, res: Response): Promise<Buffer> {
    const upload = multer({
      storage: multer.memoryStorage(),
      limits: { fileSize: this.maxBytes, files: 1, fields: 5 },
    }).single('file');
    return new Promise((resolve, reject) =>
      upload(req, res, (err: unknown) => {
        if (err instanceof multer.MulterError) {
          if (err.code === 'LIMIT_FILE_SIZE')
            return reject(
              new ApiError(413, 'PAYLOAD_TOO_LARGE', `evidence photos are limited to ${this.maxBytes} bytes`),
            );
          return reject(
            new ApiError(400, 'FILE_REQUIRED', `upload one photo in the field "file" (${err.message})`),
          );
        }
        if (err)
          return reject(new ApiError(400, 'FILE_REQUIRED', 'the upload is not valid multipart/form-data'));
        const file = (req as Request & { file?: { buffer: Buffer } }).file;
        if (!file) return reject(new ApiError(400, 'FILE_REQUIRED', 'upload one photo in the field "file"'));
        resolve(file.buffer);
      }),
    );
  }

  @Get('evidence/:evidenceId')
  @ApiOperation({ summary: 'The evidence photo as uploaded' })
  async photo(@Officer() who: OfficerPrincipal, @Param('evidenceId') rawId: string, @Res() res: Response) {
    const found = await this.evidence.original(uuidParam(rawId, 'evidence'));
    if (!found) throw new ApiError(404, 'NOT_FOUND', 'no such evidence');
    await guardReport(this.db, who, found.reportId, 'read-evidence');
    res.setHeader('Content-Type', found.contentType);
    res.setHeader('Cache-Control', 'private, max-age=300');
    res.send(found.bytes);
  }

  @Post('reports/:id/contact')
  @HttpCode(200)
  @ApiOkResponse({ schema: CONTACT })
  @ApiResponse({ status: 202, schema: REVEAL_REQUESTED })
  @ApiOperation({
    summary:
      "Reveal the reporter's contact data (admin, crm_officer) with a second officer's approval: without requestId it opens a request (202); with an approved one it answers the contact once. Never for an anonymous reporter. Every step is audited",
  })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['reason'],
      properties: { reason: { type: 'string' }, requestId: { type: 'string', format: 'uuid' } },
    },
  })
  async contact(
    @Officer() who: OfficerPrincipal,
    @Param('id') rawId: string,
    @RawBody() raw: unknown,
    @Res({ passthrough: true }) res: Response,
  ) {
    const id = await this.mayReveal(who, rawId, 'reveal-contact');
    const body = asBody(raw);
    const reason = text(body, 'reason', { required: true, min: 5, max: 500 });
    const answer = await this.reveal.reveal(who, id, reason, optionalUuid(body, 'requestId'));
    if (answer.status === 'awaiting-approval') {
      res.status(202);
      return answer;
    }
    return answer.contact;
  }

  @Post('reports/:id/contact/:requestId/approve')
  @HttpCode(200)
  @ApiOkResponse({ schema: APPROVED })
  @ApiOperation({
    summary: "Approve another officer's request to reveal a reporter (admin, crm_officer); audited",
  })
  async approveReveal(
    @Officer() who: OfficerPrincipal,
    @Param('id') rawId: string,
    @Param('requestId') rawRequest: string,
  ) {
    const id = await this.mayReveal(who, rawId, 'reveal-approved');
    await this.reveal.approve(who, id, uuidParam(rawRequest, 'request'));
    return { status: 'approved' };
  }

  @Post('reports/:id/reporter/erase')
  @HttpCode(200)
  @ApiOperation({
    summary:
      "Erase the reporter of a report (admin): their data key is deleted, so their contact can never be read again; the report's history stays. Audited",
  })
  @ApiBody({ schema: { type: 'object', required: ['reason'], properties: { reason: { type: 'string' } } } })
  async eraseReporter(@Officer() who: OfficerPrincipal, @Param('id') rawId: string, @RawBody() raw: unknown) {
    const id = uuidParam(rawId);
    await guardReport(this.db, who, id, 'erase-reporter');
    if (who.role !== 'admin')
      await deny(this.db, who, 'erase-reporter', id, `the ${who.role} role may not erase a reporter`);
    const reason = text(asBody(raw), 'reason', { required: true, min: 5, max: 500 });
    await this.reveal.erase(who, id, reason);
    return { status: 'erased' };
  }

  private async mayReveal(who: OfficerPrincipal, rawId: string, action: string): Promise<string> {
    const id = uuidParam(rawId);
    await guardReport(this.db, who, id, action);
    if (who.role !== 'admin' && who.role !== 'crm_officer')
      await deny(this.db, who, action, id, `the ${who.role} role may not see reporter contact data`);
    return id;
  }

  @Post('reports/:id/recategorise')
  @HttpCode(200)
  @ApiOkResponse({ schema: REPORT })
  @ApiOperation({
    summary:
      'File the report under another category of GET /categories, with a reason (admin, crm_officer, unit_officer; any open report). The state and the unit stay; the change is an entry of the history. See ADR 0068',
  })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['category', 'reason'],
      properties: {
        category: { type: 'string', description: 'a name of GET /v1/officer/categories' },
        reason: { type: 'string', description: 'why (internal, never public)' },
        ...VERSIONED,
      },
    },
  })
  async recategorise(
    @Officer() who: OfficerPrincipal,
    @Param('id') rawId: string,
    @Headers('if-match') ifMatch: string | undefined,
    @RawBody() raw: unknown,
  ) {
    const id = uuidParam(rawId);
    const body = asBody(raw);
    const category = text(body, 'category', { required: true, max: 200 });
    if (!isCategory(category))
      throw new ApiError(
        400,
        'VALIDATION_FAILED',
        `category: ${category.slice(0, 100)} is not a category of GET /v1/officer/categories`,
        { problems: ['category'] },
      );
    const reason = text(body, 'reason', { required: true, min: 5, max: 2000 });
    const version = expectedVersion(ifMatch, body);
    const actionId = optionalUuid(body, 'actionId');
    await this.lifecycle.recategorise(who, id, {
      version,
      category,
      reason,
      ...(actionId ? { actionId } : {}),
    });
    return this.load(who, id);
  }

  @Get('notifications')
  @ApiOkResponse({ schema: NOTIFICATIONS })
  @ApiOperation({ summary: "What was sent to the signed-in officer's unit (escalations)" })
  async notifications(@Officer() who: OfficerPrincipal) {
    const units = [
      ...(who.unit ? [who.unit] : []),
      ...(who.role === 'validator' || who.role === 'admin' ? ['VALIDATOR'] : []),
    ];
    const rows = (await this.db.query(
      `SELECT n.id, n.at, n.kind, n.report_id, r.tracking_code, n.message FROM officer_notification n JOIN report r ON r.id = n.report_id
        WHERE n.unit_code = ANY($1) ORDER BY n.at DESC LIMIT 100`,
      [units],
    )) as Array<{
      id: string;
      at: Date;
      kind: string;
      report_id: string;
      tracking_code: string;
      message: string;
    }>;
    return {
      items: rows.map((n) => ({
        id: n.id,
        at: n.at.toISOString(),
        kind: n.kind,
        reportId: n.report_id,
        trackingCode: n.tracking_code,
        message: n.message,
      })),
    };
  }

  // Declared last: Express tries routes in order, and the fixed paths above must win.
  @Post('reports/:id/:action')
  @HttpCode(200)
  @ApiOkResponse({ schema: REPORT })
  @ApiOperation({ summary: 'Move a report through its lifecycle (see docs/officer-api.md for each action)' })
  @ApiParam({ name: 'action', enum: Object.keys(ROUTE_ACTIONS) })
  @ApiBody(ACTION_BODY)
  async act(
    @Officer() who: OfficerPrincipal,
    @Param('id') rawId: string,
    @Param('action') name: string,
    @Headers('if-match') ifMatch: string | undefined,
    @RawBody() raw: unknown,
  ) {
    const id = uuidParam(rawId);
    const body = asBody(raw);
    let action = Object.prototype.hasOwnProperty.call(ROUTE_ACTIONS, name) ? ROUTE_ACTIONS[name] : undefined;
    if (!action) throw new ApiError(404, 'NOT_FOUND', `no action ${name}`);
    if (action === 'validate') {
      const decision = text(body, 'decision', { required: true });
      if (decision !== 'accept' && decision !== 'refuse')
        throw new ApiError(400, 'VALIDATION_FAILED', 'decision must be accept or refuse', {
          problems: ['decision'],
        });
      action = decision;
    }
    const version = expectedVersion(ifMatch, body);
    const actionId = optionalUuid(body, 'actionId');
    const unit = text(body, 'unit', { max: 64 });
    const note = text(body, 'note', { max: 4000 });
    const reason = text(body, 'reason', { max: 2000 });
    const master = text(body, 'master', { max: 64 });
    await this.lifecycle.perform(who, id, action, {
      version,
      evidence: uuidList(body, 'evidence'),
      ...(actionId ? { actionId } : {}),
      ...(unit ? { unit } : {}),
      ...(note ? { note } : {}),
      ...(reason ? { reason } : {}),
      ...(master ? { master } : {}),
    });
    return this.load(who, id);
  }
}
