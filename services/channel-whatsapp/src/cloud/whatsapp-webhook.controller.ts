import {
  Controller,
  Get,
  Headers,
  HttpCode,
  HttpException,
  Inject,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { rawBodyOf, verifyHubSignature256 } from '@aduan/channel-sdk';
import type { Logger } from '@aduan/platform';
import type { Request, Response } from 'express';
import type { MessageIntake } from '../inbound/message-intake';
import type { CloudApi } from './cloud-api';
import { normalizeCloudWebhook } from './normalize';
import { parseCloudWebhook } from './webhook-payload';

export interface CloudWebhookDeps {
  appSecret?: string;
  verifyToken?: string;
  api: CloudApi;
  intake: MessageIntake;
  maxMediaBytes: number;
  log: Logger;
}
export const CLOUD_WEBHOOK = Symbol('CLOUD_WEBHOOK');

const CHALLENGE = /^[A-Za-z0-9_-]{1,200}$/;

function refuse(status: number, message: string): HttpException {
  const error =
    { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 503: 'Service Unavailable' }[status] ??
    'Error';
  return new HttpException({ statusCode: status, error, message }, status);
}

/** WhatsApp Business Cloud API webhooks: the subscription handshake and signed message events. */
@Controller('webhooks/whatsapp')
export class WhatsappWebhookController {
  constructor(@Inject(CLOUD_WEBHOOK) private readonly deps: CloudWebhookDeps) {}

  /** Meta calls this once when the webhook is subscribed, and expects the challenge back. */
  @Get()
  verify(@Query() query: Record<string, unknown>, @Res() res: Response): void {
    if (!this.deps.verifyToken)
      throw refuse(503, 'the WhatsApp webhook handshake is disabled: WHATSAPP_VERIFY_TOKEN is not set');
    const mode = query['hub.mode'];
    const token = query['hub.verify_token'];
    const challenge = query['hub.challenge'];
    if (mode !== 'subscribe') throw refuse(400, 'hub.mode must be "subscribe"');
    if (typeof challenge !== 'string' || !CHALLENGE.test(challenge))
      throw refuse(400, 'hub.challenge is missing or not a plain token');
    if (token !== this.deps.verifyToken) throw refuse(403, 'hub.verify_token does not match');
    res.status(200).type('text/plain').send(challenge);
  }

  @Post()
  @HttpCode(200)
  async receive(
    @Req() req: Request,
    @Headers('x-hub-signature-256') signature: string | undefined,
  ): Promise<{ accepted: number; ignored: number }> {
    const { appSecret, log } = this.deps;
    if (!appSecret) throw refuse(503, 'WhatsApp intake is disabled: WHATSAPP_APP_SECRET is not set');
    const raw = rawBodyOf(req.body);
    const check = verifyHubSignature256(raw, signature, appSecret);
    if (!check.ok) {
      log.warn('refused a WhatsApp webhook', { reason: check.reason });
      throw refuse(401, check.reason);
    }
    const parsed = parseCloudWebhook(raw);
    if (!parsed.ok) throw refuse(400, `not a WhatsApp Cloud API webhook: ${parsed.problem}`);

    const normalized = await normalizeCloudWebhook(parsed.value, {
      api: this.deps.api,
      maxMediaBytes: this.deps.maxMediaBytes,
      log,
    });
    if (normalized.statuses) log.debug('status callbacks ignored', { count: normalized.statuses });
    // Accepted so that Meta does not retry them for days; nothing is published.
    for (const kind of normalized.unsupported)
      log.info('message type not taken as a complaint', { type: kind });
    for (const message of normalized.messages) await this.deps.intake.handle(message);
    return {
      accepted: normalized.messages.length,
      ignored: normalized.unsupported.length + normalized.statuses,
    };
  }
}
