import {
  Body as RawBody,
  Controller,
  Get,
  Inject,
  Param,
  Post,
  Res,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import type { OfficerPrincipal } from '../auth/tokens';
import { CONVERSATION, MESSAGE_SENT } from '../conversation/conversation-schema';
import {
  OFFICER_MESSAGE_KINDS,
  OFFICER_TEXT_MAX,
  OFFICER_TEXT_MIN,
  plainOfficerText,
  type OfficerMessageKind,
} from '../conversation/officer-message-text';
import { conversationOf, OfficerMessages } from '../conversation/officer-messages';
import { MessageLimits } from '../conversation/message-limits';
import { deny, guardReport } from './access';
import { ApiError, ApiErrorFilter } from './api-error';
import { asBody, optionalUuid, text, uuidParam } from './input';
import { Officer, OfficerAuthGuard } from './officer-auth';

/**
 * "Ask for details" and "send message" (ADR 0074). Registered before ReportsController: its
 * `reports/:id/:action` would otherwise take `messages` for an unknown lifecycle action.
 */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('v1/officer/reports')
@UseGuards(OfficerAuthGuard)
@UseFilters(ApiErrorFilter)
export class MessagesController {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(OfficerMessages) private readonly messages: OfficerMessages,
    @Inject(MessageLimits) private readonly limits: MessageLimits,
  ) {}

  @Get(':id/conversation')
  @ApiOkResponse({ schema: CONVERSATION })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({
    summary:
      "The officers' questions and messages to the report's citizen, each with its delivery and the citizen's answer, and whether the report waits for one",
  })
  async conversation(@Officer() who: OfficerPrincipal, @Param('id') rawId: string) {
    const id = uuidParam(rawId);
    await guardReport(this.db, who, id, 'read');
    return conversationOf(this.db, id);
  }

  @Post(':id/messages')
  @ApiResponse({ status: 201, schema: MESSAGE_SENT, description: 'queued for the citizen' })
  @ApiResponse({
    status: 200,
    schema: MESSAGE_SENT,
    description: 'the same actionId again: nothing sent twice',
  })
  @ApiResponse({
    status: 409,
    description:
      'nobody to write to: REPORTER_ANONYMOUS, CHANNEL_CANNOT_CARRY, REPORTER_ERASED, NO_REPORTER, or REPORT_CLOSED',
  })
  @ApiResponse({ status: 429, description: 'RATE_LIMITED, with Retry-After' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({
    summary:
      "Ask the reporter a question (`question`: the report waits for their answer, which their next message on the channel gives) or tell them something (`message`), on their own channel through the notification outbox (admin, crm_officer, unit_officer of the report's unit; open reports). The officer never sees the address. Audited; see ADR 0074",
  })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['kind', 'text'],
      properties: {
        kind: { type: 'string', enum: [...OFFICER_MESSAGE_KINDS] },
        text: { type: 'string', minLength: OFFICER_TEXT_MIN, maxLength: OFFICER_TEXT_MAX },
        actionId: { type: 'string', format: 'uuid', description: 'makes a retry idempotent' },
      },
    },
  })
  async send(
    @Officer() who: OfficerPrincipal,
    @Param('id') rawId: string,
    @RawBody() raw: unknown,
    @Res({ passthrough: true }) res: Response,
  ) {
    const id = uuidParam(rawId);
    const body = asBody(raw);
    const kind = text(body, 'kind', { required: true, max: 20 });
    if (!(OFFICER_MESSAGE_KINDS as readonly string[]).includes(kind))
      throw new ApiError(400, 'VALIDATION_FAILED', 'kind must be question or message', {
        problems: ['kind'],
      });
    const said = plainOfficerText(text(body, 'text', { required: true, max: 20_000 }));
    if (said.length < OFFICER_TEXT_MIN || said.length > OFFICER_TEXT_MAX)
      throw new ApiError(
        400,
        'VALIDATION_FAILED',
        `text must be ${OFFICER_TEXT_MIN} to ${OFFICER_TEXT_MAX} characters of readable text (it has ${said.length})`,
        { problems: ['text'] },
      );
    const actionId = optionalUuid(body, 'actionId');
    await guardReport(this.db, who, id, 'message-citizen');
    if (who.role === 'validator')
      await deny(this.db, who, 'message-citizen', id, 'the validator role does not write to citizens');
    await this.limits.admit(who, id, res);
    const sent = await this.messages.send(who, id, {
      kind: kind as OfficerMessageKind,
      text: said,
      ...(actionId ? { actionId } : {}),
    });
    res.status(sent.created ? 201 : 200);
    const conversation = await conversationOf(this.db, id);
    return { message: conversation.entries.find((e) => e.id === sent.id)!, conversation };
  }
}
