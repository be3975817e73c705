import { createHmac } from 'node:crypto';
import type { ConsumerRunner } from '@aduan/bus';
import { postOutbound, type ChannelContext, type ChannelParts, type SendRequest } from '@aduan/channel-sdk';
import { STATE_LABELS } from '@aduan/contracts';

/**
 * Pushes every state change of a report made in the JAKI app to the app's backend (ADR 0026):
 *
 *   POST <JAKI_PUSH_WEBHOOK_URL>
 *   X-Aduan-Signature: sha256=<hex HMAC-SHA256(JAKI_PUSH_SECRET, raw body)>
 *   X-Aduan-Delivery: push:<reportId>:<sequence>
 *   { "app": "jaki-android", "trackingCode": "…", "sequence": 3, "from": "RECEIVED", "to": "IN_PROGRESS",
 *     "label": "Proses", "at": "…", "publicNote": "…" }
 *
 * Each transition is queued in the outbox under its delivery id, so a redelivered transition is
 * pushed once, and an outage of the app's backend delays pushes without holding up the topic or
 * losing them to a restart; a report's changes still arrive in order. A refusal (4xx other than
 * 408/429) marks the push failed. The body carries no personal data: the app maps tracking codes
 * to its users.
 */
export const PUSH_SIGNATURE_HEADER = 'X-Aduan-Signature';

export function pushSignature(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export function statePush(
  ctx: ChannelContext<unknown>,
  url: string,
  secret: string,
): Required<Pick<ChannelParts, 'send' | 'stop'>> & { start(): Promise<void> } {
  let runner: ConsumerRunner | undefined;
  return {
    async start() {
      await ctx.bus.ensureTopics(['aduan.report.lifecycle.v1']);
      // The group of the push before the outbox, so an upgrade resumes where it stopped.
      runner = ctx.bus.subscribe({
        groupId: 'aduan.channel-jaki.push',
        handlers: {
          'aduan.report.lifecycle.v1': async ({ payload: e, log }) => {
            // Only reports this adapter took in have a JAKI conversation; the rest are other channels'.
            const conversation = await ctx.store.conversations.findByReport('jaki', e.reportId);
            if (!conversation) return;
            const app =
              typeof conversation.thread['app'] === 'string' ? conversation.thread['app'] : undefined;
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
            const queued = await ctx.outbox.enqueue({
              deliveryId: `push:${e.reportId}:${e.sequence}`,
              channel: 'jaki',
              kind: 'notification',
              reportId: e.reportId,
              to: { address: app ?? 'jaki' },
              message: { subject: e.trackingCode, text: body },
            });
            log.info(queued ? 'state change queued for the app' : 'state change queued before', {
              sequence: e.sequence,
              to: e.to,
            });
          },
        },
      });
      await runner.start();
    },
    stop: async () => runner?.stop(),
    async send({ deliveryId, message }: SendRequest) {
      // The outbox sends each message on its own; the app gets a report's changes in order.
      const [, reportId, sequence] = deliveryId.split(':');
      const before = await ctx.outbox.find(`push:${reportId}:${Number(sequence) - 1}`);
      if (before && before.status !== 'sent' && before.status !== 'failed')
        throw new Error(`state change ${Number(sequence) - 1} of this report is not pushed yet`);
      const headers = { 'content-type': 'application/json', 'X-Aduan-Delivery': deliveryId };
      const signature = { [PUSH_SIGNATURE_HEADER]: pushSignature(message.text, secret) };
      await postOutbound(
        'push webhook',
        url,
        { headers: { ...headers, ...signature }, body: message.text },
        10_000,
      );
    },
  };
}
