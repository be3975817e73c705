import type { ConsumerRunner, Delivery, EventBus } from '@aduan/bus';
import type { Channel } from '@aduan/contracts';
import type { Metrics } from '@aduan/platform';
import type { ReporterBook } from '../store/reporter-book';

export interface ReporterErasuresOptions {
  bus: EventBus;
  reporters: Pick<ReporterBook, 'erase'>;
  channels: readonly Channel[];
  groupId: string;
  metrics?: Metrics;
}

/**
 * Carries out, in the adapter's own store, an erasure the status service recorded
 * (`aduan.reporter.erased.v1`, ADR 0058): the reference's data key, the reply book entries and the
 * conversations' addresses go. Redelivery is harmless: erasing twice leaves the same store.
 */
export class ReporterErasures {
  private runner: ConsumerRunner | undefined;

  constructor(private readonly opts: ReporterErasuresOptions) {}

  async start(): Promise<void> {
    this.runner = this.opts.bus.subscribe({
      groupId: this.opts.groupId,
      handlers: { 'aduan.reporter.erased.v1': (d) => this.handle(d) },
    });
    await this.runner.start();
  }

  async stop(): Promise<void> {
    await this.runner?.stop();
    this.runner = undefined;
  }

  private async handle({ payload, log }: Delivery<'aduan.reporter.erased.v1'>): Promise<void> {
    if (!this.opts.channels.includes(payload.channel)) return;
    const reports = await this.opts.reporters.erase(payload.channel, payload.reportId, payload.ref);
    log.info('reporter erased from the channel store', {
      reportId: payload.reportId,
      channel: payload.channel,
      reports: reports.length,
    });
    this.opts.metrics
      ?.counter('aduan_channel_reporter_erasures_total', 'Reporter erasures carried out, by channel', [
        'channel',
      ])
      .inc({ channel: payload.channel });
  }
}
