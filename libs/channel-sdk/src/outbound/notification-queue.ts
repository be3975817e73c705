/**
 * Takes `aduan.notification.v1` for the adapter's channels and queues each notification in the
 * outbox, under its notification id. The consumer commits as soon as the message is queued, so
 * a provider outage never holds up the topic or turns into a dead letter: the outbox worker
 * retries the send for as long as the outage lasts.
 *
 * The recipient is the adapter's own record of how it answers the report's citizen, kept when
 * the report was opened (its conversation, or the reply book). An address the notification names
 * is never used: anyone who can write to the topic could otherwise choose who receives the city's
 * messages (ADR 0055). Without a record of its own the adapter sends nothing.
 */
import type { ConsumerRunner, Delivery, EventBus } from '@aduan/bus';
import type { Channel } from '@aduan/contracts';
import type { Metrics } from '@aduan/platform';
import type { Conversations } from '../store/conversations';
import type { ReplyBook } from '../store/reply-book';
import { deliveryIds } from './delivery-ids';
import type { Outbox, Recipient } from './outbox';

/** How long a citizen's next message is taken as the answer to an officer's question. */
export const ANSWER_EXPECTED_MS = 14 * 24 * 3_600_000;

export interface NotificationQueueOptions {
  bus: EventBus;
  outbox: Outbox;
  conversations: Conversations;
  /** The reply book of the reports the adapter opened without a conversation. */
  replies?: Pick<ReplyBook, 'find'>;
  channels: readonly Channel[];
  groupId: string;
  metrics?: Metrics;
}

export class NotificationQueue {
  private runner: ConsumerRunner | undefined;

  constructor(private readonly opts: NotificationQueueOptions) {}

  async start(): Promise<void> {
    this.runner = this.opts.bus.subscribe({
      groupId: this.opts.groupId,
      handlers: { 'aduan.notification.v1': (d) => this.handle(d) },
    });
    await this.runner.start();
  }

  async stop(): Promise<void> {
    await this.runner?.stop();
    this.runner = undefined;
  }

  assertHealthy(): void {
    this.runner?.assertHealthy();
  }

  private async handle({ payload, log }: Delivery<'aduan.notification.v1'>): Promise<void> {
    if (!this.opts.channels.includes(payload.channel)) return;
    const to = await this.recipientOf(payload.channel, payload.reportId);
    const nlog = log.child({ notificationId: payload.notificationId, channel: payload.channel });
    if (!to) {
      nlog.info("no record of this report's citizen on the channel; notification not sent");
      this.count(payload.channel, 'no_recipient');
      return;
    }
    const queued = await this.opts.outbox.enqueue({
      deliveryId: deliveryIds.notification(payload.notificationId),
      channel: payload.channel,
      kind: 'notification',
      reportId: payload.reportId,
      to,
      message: { subject: `Laporan ${payload.trackingCode}`, text: payload.message },
    });
    // The citizen's next message answers an officer's question, whenever it comes (ADR 0074).
    if (payload.expectsAnswer)
      await this.opts.conversations.expectAnswer(
        payload.channel,
        payload.reportId,
        new Date(Date.now() + ANSWER_EXPECTED_MS),
      );
    // Per message, so at debug: aduan_channel_notifications_total counts them for ops.
    nlog.debug(queued ? 'notification queued' : 'notification queued before; not queued again');
    this.count(payload.channel, queued ? 'queued' : 'repeat');
  }

  private async recipientOf(channel: Channel, reportId: string): Promise<Recipient | null> {
    return (
      (await this.opts.conversations.replyAddress(channel, reportId)) ??
      (await this.opts.replies?.find(channel, reportId)) ??
      null
    );
  }

  private count(channel: Channel, result: string): void {
    this.opts.metrics
      ?.counter('aduan_channel_notifications_total', 'Notifications taken in, by channel and result', [
        'channel',
        'result',
      ])
      .inc({ channel, result });
  }
}
