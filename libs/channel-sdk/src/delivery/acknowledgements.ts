/**
 * The acknowledgement: "received, your tracking code is X (link)", sent exactly once per report
 * through the delivery log (delivery id `ack:<reportId>`), however often the source message is
 * re-read or the adapter restarts.
 *
 *   const receipt = await intake.submit(draft);            // Kafka has the report first
 *   await acks.sendOnce('email', receipt, async (message, deliveryId) => {
 *     const info = await transport.sendMail({ …, subject: message.subject, text: message.text });
 *     return info.messageId;                                 // kept in the log
 *   });
 *
 * `send` throws on failure; the error propagates so the adapter does not advance its cursor and
 * the acknowledgement is tried again when the message is read again.
 */
import type { Channel } from '@aduan/contracts';
import type { Metrics } from '@aduan/platform';
import type { Receipt } from '../complaint-intake';
import { deliveryIds, type DeliveryLog, type DeliveryOutcome } from '../store/delivery-log';
import { acknowledgementMessage, type ChannelMessage, type MessageStyle } from './templates';

export type MessageSender = (message: ChannelMessage, deliveryId: string) => Promise<string | void>;

export class Acknowledgements {
  constructor(
    private readonly deliveries: DeliveryLog,
    private readonly metrics?: Metrics,
  ) {}

  async sendOnce(
    channel: Channel,
    receipt: Receipt,
    send: MessageSender,
    style: MessageStyle = 'long',
  ): Promise<DeliveryOutcome> {
    const deliveryId = deliveryIds.acknowledgement(receipt.reportId);
    const message = acknowledgementMessage(receipt, style);
    const outcome = await this.deliveries.deliver(
      { deliveryId, channel, kind: 'acknowledgement', reportId: receipt.reportId },
      () => send(message, deliveryId),
    );
    this.count(channel, outcome.status);
    return outcome;
  }

  /** Any other one-off reply (follow-up received, please add details) under its own delivery id. */
  async replyOnce(
    channel: Channel,
    deliveryId: string,
    message: ChannelMessage,
    send: MessageSender,
    reportId?: string,
  ): Promise<DeliveryOutcome> {
    const outcome = await this.deliveries.deliver({ deliveryId, channel, kind: 'reply', reportId }, () =>
      send(message, deliveryId),
    );
    return outcome;
  }

  private count(channel: Channel, result: string): void {
    this.metrics
      ?.counter('aduan_channel_acknowledgements_total', 'Acknowledgements, by channel and result', [
        'channel',
        'result',
      ])
      .inc({ channel, result });
  }
}
