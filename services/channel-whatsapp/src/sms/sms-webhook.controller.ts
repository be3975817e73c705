import { Controller, Header, HttpCode, HttpException, Inject, Post, Req } from '@nestjs/common';
import { formParams, rawBodyOf, verifyTwilioSignature } from '@aduan/channel-sdk';
import type { Logger } from '@aduan/platform';
import type { Request } from 'express';
import type { MessageIntake } from '../inbound/message-intake';
import { parseSmsForm } from './sms-form';

export interface SmsWebhookDeps {
  authToken?: string;
  /** The URL the gateway is configured to call; it is part of what the gateway signs. */
  publicUrl?: string;
  intake: MessageIntake;
  log: Logger;
}
export const SMS_WEBHOOK = Symbol('SMS_WEBHOOK');

// We answer by our own gateway call, so the TwiML answer is empty: no second, unlogged reply.
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

function refuse(status: number, error: string, message: string): HttpException {
  return new HttpException({ statusCode: status, error, message }, status);
}

@Controller('webhooks/sms')
export class SmsWebhookController {
  constructor(@Inject(SMS_WEBHOOK) private readonly deps: SmsWebhookDeps) {}

  @Post()
  @HttpCode(200)
  @Header('Content-Type', 'text/xml; charset=utf-8')
  async receive(@Req() req: Request): Promise<string> {
    const { authToken, log } = this.deps;
    if (!authToken)
      throw refuse(503, 'Service Unavailable', 'SMS intake is disabled: SMS_WEBHOOK_AUTH_TOKEN is not set');
    if (!req.is('application/x-www-form-urlencoded')) {
      throw refuse(
        415,
        'Unsupported Media Type',
        'the SMS webhook takes application/x-www-form-urlencoded form fields',
      );
    }
    const params = formParams(rawBodyOf(req.body).toString('utf8'));
    const url =
      this.deps.publicUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}${req.originalUrl}`;
    const check = verifyTwilioSignature(url, params, req.headers['x-twilio-signature'], authToken);
    if (!check.ok) {
      log.warn('refused an SMS webhook', { reason: check.reason });
      throw refuse(401, 'Unauthorized', check.reason);
    }
    const parsed = parseSmsForm(params);
    if (!parsed.ok) throw refuse(400, 'Bad Request', `not an SMS webhook: ${parsed.problem}`);
    await this.deps.intake.handle(parsed.message);
    return EMPTY_TWIML;
  }
}
