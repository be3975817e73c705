/**
 * NotificationDelivery: delivers `aduan.notification.v1` to citizens on one adapter's channel(s),
 * each notification exactly once.
 *
 *   const delivery = new NotificationDelivery({
 *     bus, deliveries: store.deliveries, conversations: store.conversations,
 *     channels: ['email'], groupId: 'aduan.channel-email.notifications',
 *     send: async (notification, { deliveryId, conversation }) => {
 *       // talk to the provider; return its message id. Throw PermanentError for what no retry
 *       // can fix (address refused, message rejected); anything else is retried.
 *     },
 *   });
 *   await delivery.start();  …  await delivery.stop();
 *
 * The SDK owns the policy, the adapter only classifies errors:
 * - notifications of other channels are skipped (and committed);
 * - a notification id already in the delivery log as sent is skipped, so a redelivered event or
 *   a restart between sending and the Kafka commit sends nothing twice;
 * - a transient failure is thrown to the bus, which retries with backoff and, after its last
 *   attempt, dead-letters to `aduan.notification.v1.dlq`; a PermanentError is dead-lettered now.
 * The group id is explicit and stable per adapter (`aduan.<service>.notifications`): it is where
 * the committed position lives.
 */
import type { ConsumerRunner, Delivery, EventBus } from '@aduan/bus';
import type { Channel, Notification } from '@aduan/contracts';
import type { Logger, Metrics } from '@aduan/platform';
import type { Conversation, Conversations } from '../store/conversations';
import { deliveryIds, type DeliveryLog } from '../store/delivery-log';

export interface NotificationContext {
  deliveryId: string;
  /** The conversation about this report on the channel, when the adapter recorded one (thread info). */
  conversation: Conversation | null;
  /** Carries report id, topic, partition and offset. Never log the recipient. */
  log: Logger;
}

export type NotificationSender = (
  notification: Notification,
  ctx: NotificationContext,
) => Promise<string | void>;

export interface NotificationDeliveryOptions {
  bus: EventBus;
  deliveries: DeliveryLog;
  conversations?: Conversations;
  channels: readonly Channel[];
  groupId: string;
  send: NotificationSender;
  metrics?: Metrics;
  /** Bus retry policy for transient failures (defaults: the bus's). */
  maxAttempts?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
}

export class NotificationDelivery {
  private runner: ConsumerRunner | undefined;

  constructor(private readonly opts: NotificationDeliveryOptions) {}

  async start(): Promise<void> {
    await this.opts.bus.ensureTopics(['aduan.notification.v1']);
    this.runner = this.opts.bus.subscribe({
      groupId: this.opts.groupId,
      maxAttempts: this.opts.maxAttempts,
      retryBaseMs: this.opts.retryBaseMs,
      retryMaxMs: this.opts.retryMaxMs,
      handlers: { 'aduan.notification.v1': (d) => this.handle(d) },
    });
    await this.runner.start();
  }

  async stop(): Promise<void> {
    await this.runner?.stop();
    this.runner = undefined;
  }

  /** Readiness: throws once the consumer stopped for good. */
  assertHealthy(): void {
    this.runner?.assertHealthy();
  }

  private async handle({ payload, log }: Delivery<'aduan.notification.v1'>): Promise<void> {
    if (!this.opts.channels.includes(payload.channel)) return;
    const deliveryId = deliveryIds.notification(payload.notificationId);
    const conversation =
      (await this.opts.conversations?.findByReport(payload.channel, payload.reportId)) ?? null;
    const nlog = log.child({
      notificationId: payload.notificationId,
      channel: payload.channel,
      state: payload.state,
    });
    try {
      const outcome = await this.opts.deliveries.deliver(
        { deliveryId, channel: payload.channel, kind: 'notification', reportId: payload.reportId },
        () => this.opts.send(payload, { deliveryId, conversation, log: nlog }),
      );
      if (outcome.status === 'already-sent') nlog.info('notification already delivered; not sent again');
      else nlog.info('notification delivered');
      this.count(payload.channel, outcome.status);
    } catch (err) {
      this.count(payload.channel, 'failed');
      throw err;
    }
  }

  private count(channel: Channel, result: string): void {
    this.opts.metrics
      ?.counter('aduan_channel_notifications_total', 'Notifications handled, by channel and result', [
        'channel',
        'result',
      ])
      .inc({ channel, result });
  }
}
