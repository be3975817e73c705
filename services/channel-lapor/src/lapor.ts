import {
  defineChannel,
  deliveryIds,
  fetchMedia,
  MEDIA_STORE,
  MediaController,
  MediaFetchError,
  mediaPublicBaseUrl,
  MediaRefused,
  migrateAdapterTables,
  PgMediaStore,
  runChannel,
  type ChannelContext,
  type ChannelConfig,
  type PollIngress,
} from '@aduan/channel-sdk';
import type { Attachment } from '@aduan/contracts';
import { createLogger, type Logger } from '@aduan/platform';
import { loadCategories } from '@aduan/reference-data';
import { laporSettings } from './config';
import { flowBack, rememberLaporReport } from './flow-back';
import { HeldStatusChanges } from './held-status-changes';
import { LaporClient } from './lapor-client';
import { attachmentsOf, laporIdOf, toDraft, type LaporReport } from './mapping';
import { LAPOR_MIGRATIONS_TABLE, laporMigrations } from './migrations';

type LaporContext = ChannelContext<ChannelConfig<typeof laporSettings>>;

/** What the city answers on LAPOR! when it takes a report in; LAPOR! passes it to the reporter. */
export function acknowledgementText(trackingCode: string): string {
  return (
    `Laporan ini telah diterima Pemerintah Provinsi DKI Jakarta dengan nomor ${trackingCode}. ` +
    'Setiap perkembangan penanganannya kami sampaikan di sini.'
  );
}

/**
 * Takes one report LAPOR! disposed to the city in: the complaint event (received at LAPOR!'s
 * disposition time, so LAPOR!'s working-day clocks start right), the way back to LAPOR!, and the
 * acknowledgement posted there. A report already taken in (an overlapping page, a re-read after a
 * restart) creates nothing; one an officer entered by hand gets its acknowledgement.
 */
function laporIntake(ctx: LaporContext, client: LaporClient, media: PgMediaStore) {
  const categories = new Set(loadCategories().map((c) => c.name));
  const apiOrigin = new URL(ctx.config.LAPOR_API_BASE_URL!).origin;

  async function download(item: LaporReport, notes: string[]): Promise<Attachment[]> {
    const kept: Attachment[] = [];
    for (const a of attachmentsOf(item)) {
      // The token goes only to LAPOR!'s own host, never to a link elsewhere.
      const headers = new URL(a.url).origin === apiOrigin ? client.authorization : undefined;
      try {
        const { bytes, contentType } = await fetchMedia(a.url, { maxBytes: media.limits.maxBytes, headers });
        kept.push(await media.put(bytes, { declaredType: contentType ?? a.tipe, filename: a.nama }));
      } catch (err) {
        // A file that can never be had is dropped with a note; the report still counts.
        if (err instanceof MediaRefused || (err instanceof MediaFetchError && !err.transient))
          notes.push(`[Lampiran tidak disertakan: ${err.message}]`);
        else throw err;
      }
    }
    return kept;
  }

  return async (item: unknown, log: Logger): Promise<void> => {
    const draft = toDraft(item, categories);
    const agency = ctx.config.LAPOR_AGENCY_ID;
    const disposedTo = (item as { instansi?: { id?: unknown } }).instansi?.id;
    if (agency && disposedTo !== agency) {
      // Not disposed to this agency: never ours to take in, whatever the list says.
      log.warn('LAPOR! report of another agency ignored');
      return;
    }
    const receipt = ctx.intake.receiptFor('lapor', draft.sourceId);
    const ackId = deliveryIds.acknowledgement(receipt.reportId);
    // The acknowledgement is queued last: once it is there, everything before it was done.
    if (await ctx.outbox.find(ackId)) {
      log.info('LAPOR! report taken in before; nothing new', { reportId: receipt.reportId });
      return;
    }
    const notes: string[] = [];
    const attachments = await download(item as LaporReport, notes);
    const { disposedAt, ...rest } = draft;
    // Received when LAPOR! disposed it to the city: that starts LAPOR!'s working-day clocks.
    // The reporter is kept in the channel store here; the event names them by reference only.
    const event = await ctx.intake.prepare(
      { ...rest, attachments, text: [draft.text, ...notes].join('\n') },
      disposedAt,
    );
    // The way back first, so the status service's first transition of it already finds it.
    await rememberLaporReport(ctx, { laporId: draft.sourceId, ...receipt, at: disposedAt });
    await ctx.bus.publish('aduan.complaint.received.v1', event);
    // The kit's own count of complaints taken in, which `intake.submit` keeps for other adapters.
    ctx.metrics
      .counter('aduan_complaints_received_total', 'Complaints accepted, by channel', ['channel'])
      .inc({ channel: 'lapor' });
    await ctx.outbox.enqueue({
      deliveryId: ackId,
      channel: 'lapor',
      kind: 'acknowledgement',
      reportId: receipt.reportId,
      to: { address: draft.sourceId },
      message: {
        subject: `Laporan ${receipt.trackingCode}`,
        text: acknowledgementText(receipt.trackingCode),
      },
    });
    log.info('LAPOR! report taken in', {
      reportId: receipt.reportId,
      attachments: attachments.length,
      location: Boolean(draft.location),
      confidential: draft.confidential,
    });
  };
}

/**
 * SP4N-LAPOR! both ways: reports LAPOR! disposed to the city are read page by page from its
 * integration API (a poll ingress with LAPOR!'s cursor), and every state change of those reports,
 * and every citizen notification about them, is posted back once (ADR 0018).
 */
export const lapor = defineChannel({
  service: 'channel-lapor',
  channels: ['lapor'],
  settings: laporSettings,
  port: 'LAPOR_PORT',
  async setup(ctx) {
    const { config } = ctx;
    await migrateAdapterTables({
      url: config.DATABASE_URL,
      migrations: laporMigrations,
      historyTable: LAPOR_MIGRATIONS_TABLE,
      logger: ctx.logger,
      startupWaitMs: config.STARTUP_WAIT_SECONDS * 1000,
    });
    let baseUrl = '';
    const media = new PgMediaStore(ctx.store.db, {
      publicBaseUrl: () => baseUrl,
      maxBytes: config.MEDIA_MAX_BYTES,
      maxPixels: config.MEDIA_MAX_PIXELS,
    });
    const common = {
      api: { controllers: [MediaController], providers: [{ provide: MEDIA_STORE, useValue: media }] },
    };
    if (!config.LAPOR_API_BASE_URL || !config.LAPOR_API_TOKEN) {
      if (config.LAPOR_API_TOKEN) ctx.logger.warn('LAPOR_API_BASE_URL is unset: LAPOR! 1708 sync is off');
      return common;
    }
    const client = new LaporClient(config.LAPOR_API_BASE_URL, config.LAPOR_API_TOKEN);
    const back = flowBack(ctx as ChannelContext<unknown>, client, new HeldStatusChanges(ctx.store.db));
    const poll: PollIngress<unknown> = {
      name: 'lapor',
      partitions: ['disposisi'],
      intervalMs: config.LAPOR_POLL_INTERVAL_SECONDS * 1000,
      maxBackoffMs: config.LAPOR_RETRY_MAX_SECONDS * 1000,
      idOf: laporIdOf,
      handle: laporIntake(ctx, client, media),
      async poll(_partition, cursor, signal) {
        const page = await client.reports(cursor, config.LAPOR_PAGE_SIZE, signal);
        return { items: page.data, next: page.cursor_berikutnya, more: page.ada_lagi };
      },
    };
    return {
      ...common,
      polls: [poll],
      send: (request) => back.send(request),
      health: { 'lapor-token': () => client.assertTokenAccepted() },
      urls: (base) => [`${base}/health/ready`],
      start: async ({ port }) => {
        baseUrl = mediaPublicBaseUrl(config.MEDIA_PUBLIC_BASE_URL, port);
        await back.start();
      },
      stop: () => back.stop(),
    };
  },
});

export const startChannelLapor = (
  env: NodeJS.ProcessEnv = process.env,
  logger: Logger = createLogger(lapor.service),
) => runChannel(lapor, env, logger);
