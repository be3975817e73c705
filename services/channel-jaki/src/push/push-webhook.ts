import { createHmac } from 'node:crypto';
import { PermanentError, type ConsumerRunner, type Delivery, type EventBus } from '@aduan/bus';
import type { Conversations, DeliveryLog } from '@aduan/channel-sdk';
import { STATE_LABELS } from '@aduan/contracts';
import type { Metrics } from '@aduan/platform';

/**
 * Pushes every state change of a report made in the JAKI app to the app's backend:
 *
 *   POST <JAKI_PUSH_WEBHOOK_URL>
 *   X-Aduan-Signature: sha256=<hex HMAC-SHA256(JAKI_PUSH_SECRET, raw body)>
 *   X-Aduan-Delivery: push:<reportId>:<sequence>
 *   { "app": "jaki-android", "trackingCode": "…", "sequence": 3, "from": "RECEIVED", "to": "IN_PROGRESS",
 *     "label": "Proses", "at": "…", "publicNote": "…" }
 *
 * Each (report, sequence) is pushed once (delivery log), retried with the bus's backoff while the
 * app answers 5xx or not at all; a 4xx other than 408/429 is dead-lettered. The body carries no
 * personal data: the app already maps tracking codes to its users.
 */
export const PUSH_SIGNATURE_HEADER = 'X-Aduan-Signature';

export interface PushSettings {
  url: string;
  secret: string;
  groupId: string;
  timeoutMs?: number;
}

export function pushSignature(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export class PushWebhook {
  private runner: ConsumerRunner | undefined;

  constructor(
    private readonly bus: EventBus,
    private readonly deliveries: DeliveryLog,
    private readonly conversations: Conversations,
    private readonly settings: PushSettings,
    private readonly metrics?: Metrics,
  ) {}

  async start(): Promise<void> {
    await this.bus.ensureTopics(['aduan.report.lifecycle.v1']);
    this.runner = this.bus.subscribe({
      groupId: this.settings.groupId,
      handlers: { 'aduan.report.lifecycle.v1': (d) => this.handle(d) },
    });
    await this.runner.start();
  }

  assertHealthy(): void {
    this.runner?.assertHealthy();
  }

  async stop(): Promise<void> {
    await this.runner?.stop();
  }

  private async handle({ payload: e, log }: Delivery<'aduan.report.lifecycle.v1'>): Promise<void> {
    // Only reports this adapter took in have a JAKI conversation; the rest are other channels'.
    const conversation = await this.conversations.findByReport('jaki', e.reportId);
    if (!conversation) return;
    const app = typeof conversation.thread['app'] === 'string' ? conversation.thread['app'] : undefined;
    const deliveryId = `push:${e.reportId}:${e.sequence}`;
    const body = JSON.stringify({
      ...(app ? { app } : {}),
      trackingCode: e.trackingCode,
      sequence: e.sequence,
      from: e.from,
      to: e.to,
      label: STATE_LABELS[e.to],
      at: e.at,
      ...(e.publicNote ? { publicNote: e.publicNote } : {}),
    });
    const outcome = await this.deliveries.deliver(
      { deliveryId, channel: 'jaki', kind: 'notification', reportId: e.reportId },
      () => this.post(body, deliveryId),
    );
    log.info(outcome.status === 'sent' ? 'state change pushed to the app' : 'state change already pushed', {
      sequence: e.sequence,
      to: e.to,
    });
    this.metrics
      ?.counter('aduan_jaki_push_total', 'State changes pushed to the JAKI app, by result', ['result'])
      .inc({ result: outcome.status });
  }

  private async post(body: string, deliveryId: string): Promise<void> {
    let res: Response;
    try {
      res = await fetch(this.settings.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [PUSH_SIGNATURE_HEADER]: pushSignature(body, this.settings.secret),
          'X-Aduan-Delivery': deliveryId,
        },
        body,
        signal: AbortSignal.timeout(this.settings.timeoutMs ?? 10_000),
      });
    } catch (err) {
      throw new Error(`push webhook unreachable: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (res.ok) return;
    if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) {
      throw new PermanentError('PUSH_REFUSED', `push webhook refused the delivery with ${res.status}`);
    }
    throw new Error(`push webhook answered ${res.status}`);
  }
}
