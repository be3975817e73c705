/**
 * What the city does flows back to LAPOR!, each step once (ADR 0018):
 *
 * - every transition of a LAPOR! report on `aduan.report.lifecycle.v1` is queued in the outbox as
 *   one status post under `lapor-status:<reportId>:<sequence>`, so a redelivered transition, a
 *   re-read topic or a restart queues nothing twice, and the outbox sends it until LAPOR! has it;
 * - `aduan.notification.v1` for channel `lapor` is queued by the runner like any channel's and
 *   sent as a follow-up (tindak lanjut) by `send` below;
 * - a LAPOR! report an officer entered by hand (channel-officer) is recorded here when its
 *   `aduan.complaint.received.v1` passes, so its transitions flow back too.
 *
 * Every post carries its delivery id as `id_eksternal`: a post repeated after a crash (LAPOR!
 * had it, the outbox had not yet marked it sent) is recognised by LAPOR! as the same one.
 */
import type { ConsumerRunner } from '@aduan/bus';
import type { ChannelContext, SendRequest } from '@aduan/channel-sdk';
import type { ReportLifecycle } from '@aduan/contracts';
import type { LaporClient } from './lapor-client';
import { LAPOR_STATUS_OF, type StatusPost } from './mapping';

const STATUS = 'lapor-status';
const statusDeliveryId = (reportId: string, sequence: number) => `${STATUS}:${reportId}:${sequence}`;

/** Records the way back to LAPOR! for a report: its LAPOR! id, kept with the conversation. */
export async function rememberLaporReport(
  ctx: ChannelContext<unknown>,
  r: { laporId: string; reportId: string; trackingCode: string; at: Date },
): Promise<void> {
  await ctx.store.conversations.open({
    channel: 'lapor',
    address: r.laporId,
    reportId: r.reportId,
    trackingCode: r.trackingCode,
    thread: { laporId: r.laporId },
    at: r.at,
    replyTo: { address: r.laporId },
  });
}

export function statusPostOf(e: ReportLifecycle): StatusPost {
  return {
    status: LAPOR_STATUS_OF[e.to],
    status_instansi: e.to,
    urutan: e.sequence,
    waktu: e.at,
    ...(e.publicNote ? { keterangan: e.publicNote } : {}),
  };
}

export function flowBack(ctx: ChannelContext<unknown>, client: LaporClient) {
  const runners: ConsumerRunner[] = [];
  return {
    async start(): Promise<void> {
      await ctx.bus.ensureTopics(['aduan.report.lifecycle.v1']);
      runners.push(
        ctx.bus.subscribe({
          groupId: 'aduan.channel-lapor.entries',
          handlers: {
            'aduan.complaint.received.v1': async ({ payload: e }) => {
              if (e.channel !== 'lapor') return;
              if (await ctx.store.conversations.findByReport('lapor', e.reportId)) return;
              const at = new Date(e.receivedAt);
              await rememberLaporReport(ctx, {
                laporId: e.source.id,
                reportId: e.reportId,
                trackingCode: e.trackingCode,
                at,
              });
            },
          },
        }),
        ctx.bus.subscribe({
          groupId: 'aduan.channel-lapor.status',
          handlers: {
            'aduan.report.lifecycle.v1': async ({ payload: e, log }) => {
              // Only LAPOR! reports have a LAPOR! conversation; the rest are other channels'.
              const conversation = await ctx.store.conversations.findByReport('lapor', e.reportId);
              const laporId = conversation?.thread['laporId'];
              if (typeof laporId !== 'string') return;
              const queued = await ctx.outbox.enqueue({
                deliveryId: statusDeliveryId(e.reportId, e.sequence),
                channel: 'lapor',
                kind: 'notification',
                reportId: e.reportId,
                to: { address: laporId },
                message: { subject: e.trackingCode, text: JSON.stringify(statusPostOf(e)) },
              });
              log.info(queued ? 'status change queued for LAPOR!' : 'status change queued before', {
                sequence: e.sequence,
                to: e.to,
              });
            },
          },
        }),
      );
      for (const r of runners) await r.start();
    },
    async stop(): Promise<void> {
      for (const r of runners.splice(0)) await r.stop();
    },
    /** Sends one outbox message to LAPOR!: a status post, or a follow-up with the message's text. */
    async send({ deliveryId, reportId, to, message }: SendRequest): Promise<string> {
      if (!deliveryId.startsWith(`${STATUS}:`)) return client.followUp(to.address, deliveryId, message.text);
      const post = JSON.parse(message.text) as StatusPost;
      // LAPOR! shows a report's statuses in the order they arrive: the previous one goes first.
      const before = reportId ? await ctx.outbox.find(statusDeliveryId(reportId, post.urutan - 1)) : null;
      if (before && before.status !== 'sent' && before.status !== 'failed')
        throw new Error(`status change ${post.urutan - 1} of this report is not posted yet`);
      return client.status(to.address, deliveryId, post);
    },
  };
}
