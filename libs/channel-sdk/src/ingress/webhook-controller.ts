import { All, Controller, Inject, Param, Req, Res } from '@nestjs/common';
import { classifyFailure } from '@aduan/bus';
import type { Channel } from '@aduan/contracts';
import type { Logger, Metrics } from '@aduan/platform';
import type { Request, Response } from 'express';
import { IntakeSaturated } from '../limits/in-flight';
import type { Quarantine } from '../store/quarantine';
import { rawBodyOf } from '../webhooks/webhook-http-app';
import { WebhookRefused, type WebhookAnswer, type WebhookIngress, type WebhookRequest } from './webhook';
import { withoutNul } from './without-nul';

export interface WebhookRoutes {
  channel: Channel;
  ingresses: ReadonlyMap<string, WebhookIngress>;
  quarantine: Quarantine;
  log: Logger;
  metrics: Metrics;
}
export const WEBHOOK_ROUTES = Symbol('WEBHOOK_ROUTES');

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  415: 'Unsupported Media Type',
  503: 'Service Unavailable',
};

function send(res: Response, a: WebhookAnswer): void {
  res.status(a.status ?? 200);
  if (a.contentType) res.type(a.contentType);
  if (typeof a.body === 'string') res.send(a.body);
  else res.json(a.body);
}

function refuse(res: Response, status: number, message: string, retryAfter?: number): void {
  if (retryAfter) res.setHeader('Retry-After', String(retryAfter));
  res.status(status).json({ statusCode: status, error: STATUS_TEXT[status] ?? 'Error', message });
}

/**
 * An item of a shape its adapter did not expect (a number where the provider sends text) breaks
 * the adapter's reading with a TypeError or RangeError. The same bytes break it again on every
 * redelivery, so it is quarantined, not answered 503 for ever. A TypeError with a `cause` is
 * fetch's network failure, which passes: that stays transient.
 */
export function unreadableItem(err: unknown): { kind: 'permanent'; code: string; message: string } | null {
  if (!(err instanceof TypeError || err instanceof RangeError) || err.cause !== undefined) return null;
  return { kind: 'permanent', code: 'UNREADABLE_ITEM', message: err.message };
}

/** The one front door of every webhook ingress an adapter declares (see WebhookIngress). */
@Controller('webhooks')
export class WebhookController {
  constructor(@Inject(WEBHOOK_ROUTES) private readonly routes: WebhookRoutes) {}

  @All(':name')
  async receive(@Param('name') name: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const ingress = this.routes.ingresses.get(name);
    if (!ingress) return refuse(res, 404, `no webhook named "${name}" here`);
    const request: WebhookRequest = {
      raw: rawBodyOf(req.body),
      headers: req.headers,
      query: req.query as Record<string, unknown>,
      url: `${req.protocol}://${req.get('host') ?? 'localhost'}${req.originalUrl}`,
    };
    const log = this.routes.log.child({ webhook: name });
    try {
      if (req.method === 'GET') {
        if (!ingress.handshake) return refuse(res, 405, 'this webhook takes POST only');
        return send(res, ingress.handshake(request));
      }
      if (req.method !== 'POST') return refuse(res, 405, 'this webhook takes POST only');
      ingress.verify(request);
      const items = await ingress.parse(request);
      let quarantined = 0;
      for (const item of items) {
        if (!(await this.takeIn(ingress, item, log))) quarantined++;
      }
      this.count(name, 'accepted', items.length - quarantined);
      send(
        res,
        ingress.answer?.(items.length - quarantined, quarantined) ?? {
          body: { accepted: items.length - quarantined, quarantined },
        },
      );
    } catch (err) {
      if (err instanceof WebhookRefused) {
        log.warn('webhook refused', { status: err.status, reason: err.message });
        this.count(name, `refused_${err.status}`);
        return refuse(res, err.status, err.message);
      }
      if (err instanceof IntakeSaturated) {
        this.count(name, 'saturated');
        return refuse(res, 503, err.message, err.retryAfterSeconds);
      }
      // Kafka or the database is away: the provider keeps the delivery and tries again.
      log.warn('webhook not taken in, provider will redeliver', {
        error: err instanceof Error ? err.message : String(err),
      });
      this.count(name, 'unavailable');
      return refuse(res, 503, 'intake is briefly unavailable; deliver again later', 30);
    }
  }

  /** True when the item is on Kafka; false when it can never be and was quarantined. */
  private async takeIn(ingress: WebhookIngress, item: unknown, log: Logger): Promise<boolean> {
    const sourceId = ingress.idOf?.(item);
    try {
      await ingress.handle(withoutNul(item), sourceId ? log.child({ sourceId }) : log);
      return true;
    } catch (err) {
      const failure = unreadableItem(err) ?? classifyFailure(err);
      if (failure.kind === 'transient') throw err;
      await this.routes.quarantine.keep({
        channel: ingress.channelOf?.(item) ?? ingress.channel ?? this.routes.channel,
        ingress: `webhook:${ingress.name}`,
        ...(sourceId ? { sourceId } : {}),
        reason: `${failure.code}: ${failure.message}`,
        excerpt: JSON.stringify(item),
      });
      log.warn('webhook item quarantined', { sourceId, code: failure.code, reason: failure.message });
      this.routes.metrics
        .counter('aduan_channel_quarantined_total', 'Source items that could not be read', ['ingress'])
        .inc({ ingress: `webhook:${ingress.name}` });
      return false;
    }
  }

  private count(name: string, result: string, n = 1): void {
    this.routes.metrics
      .counter('aduan_channel_webhooks_total', 'Webhook requests and items, by webhook and result', [
        'webhook',
        'result',
      ])
      .inc({ webhook: name, result }, n);
  }
}
