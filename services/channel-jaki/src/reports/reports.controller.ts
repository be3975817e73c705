import { randomUUID } from 'node:crypto';
import {
  BadRequestException,
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  HttpException,
  Inject,
  Post,
} from '@nestjs/common';
import { ComplaintIntake, type Receipt } from '@aduan/channel-sdk';
import { ApiKeys } from './api-keys';
import { AnsweredRequests } from './answered-requests';
import { parseReportRequest } from './report-request';

export const KNOWN_CATEGORIES = Symbol('KNOWN_CATEGORIES');

interface Accepted extends Receipt {
  state: 'RECEIVED';
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

@Controller('v1')
export class ReportsController {
  private readonly answered = new AnsweredRequests<Accepted>();

  constructor(
    @Inject(ComplaintIntake) private readonly intake: ComplaintIntake,
    @Inject(ApiKeys) private readonly apiKeys: ApiKeys,
    @Inject(KNOWN_CATEGORIES) private readonly categories: ReadonlySet<string>,
  ) {}

  @Get('categories')
  listCategories(): { categories: string[] } {
    return { categories: [...this.categories].sort((a, b) => a.localeCompare(b, 'id')) };
  }

  /** 202: the report exists (Kafka has it) but nobody has acted on it yet. */
  @Post('reports')
  @HttpCode(202)
  async create(
    @Headers() headers: Record<string, string | undefined>,
    @Body() body: unknown,
  ): Promise<Accepted> {
    const auth = this.apiKeys.check(headers);
    if (!auth.ok) throw new HttpException({ statusCode: auth.status, error: auth.status === 401 ? 'Unauthorized' : 'Service Unavailable', message: auth.message }, auth.status);

    const idempotencyKey = headers['idempotency-key'];
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw new BadRequestException('Idempotency-Key must be 1 to 200 visible ASCII characters');
    }
    const sourceId = idempotencyKey ? `${auth.clientId}:${idempotencyKey}` : randomUUID();
    const earlier = this.answered.get(sourceId);
    if (earlier) return earlier;

    const parsed = parseReportRequest(body, this.categories);
    if (!parsed.ok) throw new BadRequestException(parsed.problems.join('; '));
    const request = parsed.value;

    const receipt = await this.intake.submit({
      channel: 'jaki',
      sourceId,
      reporter: request.reporter,
      text: request.text,
      category: request.category,
      location: request.location,
      visibility: request.visibility,
    });
    const accepted: Accepted = { ...receipt, state: 'RECEIVED' };
    this.answered.set(sourceId, accepted);
    return accepted;
  }
}
