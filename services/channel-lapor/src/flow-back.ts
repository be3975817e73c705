/**
 * What the city does flows back to LAPOR!, each step once (ADR 0018):
 *
 * - every transition of a LAPOR! report on `aduan.report.lifecycle.v1` is queued in the outbox as
 *   one status post under `lapor-status:<reportId>:<sequence>`, so a redelivered transition, a
 *   re-read topic or a restart queues nothing twice, and the outbox sends it until LAPOR! has it;
 * - `aduan.notification.v1` for channel `lapor` is queued by the runner like any channel's and
 *   sent as a follow-up (tindak lanjut) by `send` below;
 * - a LAPOR! report an officer entered by hand (channel-officer) is recorded here when its
 *   `aduan.complaint.received.v1` passes, so its transitions flow back too. A transition that
 *   comes before (the two topics are read by different consumer groups) is held in channel-lapor's
 *   own table and queued, in its order, when the entry passes.
 *
 * Every post carries its delivery id as `id_eksternal`: a post repeated after a crash (LAPOR!
 * had it, the outbox had not yet marked it sent) is recognised by LAPOR! as the same one.
 */
import type { ConsumerRunner } from '@aduan/bus';
import type { ChannelContext, SendRequest } from '@aduan/channel-sdk';
import type { ReportLifecycle } from '@aduan/contracts';
import type { Logger } from '@aduan/platform';
import type { HeldStatusChange, HeldStatusChanges } from './held-status-changes';
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

export function flowBack(ctx: ChannelContext<unknown>, client: LaporClient, held: HeldStatusChanges) {
  const runners: ConsumerRunner[] = [];

  /** LAPOR!'s id of the report, when channel-lapor has its way back to LAPOR!. */
  async function laporIdOfReport(reportId: string): Promise<string | null> {
    const conversation = await ctx.store.conversations.findByReport('lapor', reportId);
    const laporId = conversation?.thread['laporId'];
    return typeof laporId === 'string' ? laporId : null;
  }

  /** Queues one status post; true when queued now, false when its delivery id was queued before. */
  function queue(laporId: string, c: HeldStatusChange): Promise<boolean> {
    return ctx.outbox.enqueue({
      deliveryId: statusDeliveryId(c.reportId, c.sequence),
      channel: 'lapor',
      kind: 'notification',
      reportId: c.reportId,
      to: { address: laporId },
      message: { subject: c.trackingCode, text: JSON.stringify(c.post) },
    });
  }

  /**
   * Queues the report's held transitions, oldest first, then lets them go. The kit's outbox
   * writes on its own connection, so this is not one transaction: a crash in between leaves them
   * held, and queueing them again later adds nothing (the outbox keeps one message per delivery id).
   */
  async function queueHeld(reportId: string, laporId: string, log: Logger): Promise<void> {
    const waiting = await held.of(reportId);
    for (const c of waiting) await queue(laporId, c);
    await held.release(
      reportId,
      waiting.map((c) => c.sequence),
    );
    if (waiting.length)
      log.info('held status changes queued for LAPOR!', { sequences: waiting.map((c) => c.sequence) });
  }

  return {
    async start(): Promise<void> {
      await ctx.bus.ensureTopics(['aduan.report.lifecycle.v1']);
      runners.push(
        ctx.bus.subscribe({
          groupId: 'aduan.channel-lapor.entries',
          handlers: {
            'aduan.complaint.received.v1': async ({ payload: e, log }) => {
              if (e.channel !== 'lapor') return;
              let laporId = await laporIdOfReport(e.reportId);
              if (!laporId) {
                laporId = e.source.id;
                await rememberLaporReport(ctx, {
                  laporId,
                  reportId: e.reportId,
                  trackingCode: e.trackingCode,
                  at: new Date(e.receivedAt),
                });
              }
              // Transitions that came before the entry; also after a redelivery, in case a crash
              // came between recording the way back and queueing them.
              await queueHeld(e.reportId, laporId, log);
            },
          },
        }),
        ctx.bus.subscribe({
          groupId: 'aduan.channel-lapor.status',
          handlers: {
            'aduan.report.lifecycle.v1': async ({ payload: e, log }) => {
              const change = {
                reportId: e.reportId,
                sequence: e.sequence,
                trackingCode: e.trackingCode,
                post: statusPostOf(e),
              };
              let laporId = await laporIdOfReport(e.reportId);
              if (!laporId) {
                // Another channel's report, or a hand entry of a LAPOR! item not recorded yet.
                await held.hold(change);
                // The entry may have been recorded since we looked, and have looked for held
                // changes before this one was held: looking again leaves none behind.
                laporId = await laporIdOfReport(e.reportId);
                if (!laporId) return;
              }
              // Held ones first: a status post waits for the one before it only once that is queued.
              await queueHeld(e.reportId, laporId, log);
              const queued = await queue(laporId, change);
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
