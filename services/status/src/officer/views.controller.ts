import {
  Body as RawBody,
  Controller,
  Delete,
  Get,
  HttpCode,
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
import type { Clock } from '../clock';
import { ApiErrorFilter } from './api-error';
import { asBody, uuidParam } from './input';
import { Officer, OfficerAuthGuard } from './officer-auth';
import { SAVED_VIEW, SAVED_VIEW_FILTERS, SAVED_VIEW_LIST } from './openapi-schemas';
import { CLOCK } from './reports.controller';
import {
  deleteView,
  MAX_VIEWS_PER_OFFICER,
  readFilters,
  readName,
  saveView,
  VIEW_NAME_MAX,
  viewsOf,
} from './views';

/** An officer's saved queue filters (ADR 0078): each officer sees, applies and deletes only their own. */
@ApiTags('views')
@ApiBearerAuth()
@Controller('v1/officer/views')
@UseGuards(OfficerAuthGuard)
@UseFilters(ApiErrorFilter)
export class ViewsController {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @ApiOkResponse({ schema: SAVED_VIEW_LIST })
  @ApiOperation({ summary: "The signed-in officer's saved views, by name" })
  async list(@Officer() who: OfficerPrincipal) {
    return { items: await viewsOf(this.db, who.id) };
  }

  @Post()
  @ApiResponse({ status: 201, schema: SAVED_VIEW, description: 'saved' })
  @ApiResponse({
    status: 200,
    schema: SAVED_VIEW,
    description: 'a view of the same name (in any case) had its filters replaced',
  })
  @ApiResponse({ status: 400, description: 'VALIDATION_FAILED: problems names the name or filters.<name>' })
  @ApiResponse({
    status: 409,
    description: `TOO_MANY_VIEWS: the officer already keeps ${MAX_VIEWS_PER_OFFICER}`,
  })
  @ApiOperation({
    summary:
      "Save the queue's current filters under a name, for the signed-in officer only. The filters are checked as GET /v1/officer/reports would check them",
  })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['name', 'filters'],
      properties: {
        name: { type: 'string', minLength: 1, maxLength: VIEW_NAME_MAX },
        filters: SAVED_VIEW_FILTERS,
      },
    },
  })
  async save(
    @Officer() who: OfficerPrincipal,
    @RawBody() raw: unknown,
    @Res({ passthrough: true }) res: Response,
  ) {
    const body = asBody(raw);
    const name = readName(body.name);
    const filters = readFilters(body.filters, who.id);
    const saved = await saveView(this.db, who.id, name, filters, this.clock());
    res.status(saved.created ? 201 : 200);
    return saved.view;
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiResponse({ status: 204, description: 'deleted' })
  @ApiResponse({ status: 403, description: "FORBIDDEN: another officer's view" })
  @ApiResponse({ status: 404, description: 'NOT_FOUND' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({ summary: 'Delete one of the signed-in officer’s saved views' })
  async remove(@Officer() who: OfficerPrincipal, @Param('id') rawId: string): Promise<void> {
    await deleteView(this.db, who.id, uuidParam(rawId, 'saved view'));
  }
}
