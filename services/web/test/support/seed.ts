import { EventBus } from '@aduan/bus';
import { DEV_TRACKING_SECRET, reportIdFor, trackingCodeFor } from '@aduan/channel-sdk';
import type { Area, ComplaintReceived, ComplaintRouted, Unit } from '@aduan/contracts';
import type { Logger } from '@aduan/platform';
import { eventually, testEnv } from '@aduan/testing';

export const KENARI: Area = {
  kelurahan: { kode: '31.71.04.1002', nama: 'Kenari' },
  kecamatan: { kode: '31.71.04', nama: 'Senen' },
  kota: { kode: '31.71', nama: 'Kota Administrasi Jakarta Pusat' },
};

/** Personal data the pages must never show; the tests search for every piece of it. */
export const REPORTER = {
  name: 'Siti Rahmawati',
  phone: '+6281234567890',
  email: 'siti.rahma@example.id',
  anonymous: false,
};
export const REPORTER_TRACES = [
  'Siti',
  'Rahmawati',
  '6281234567890',
  '0812-3456-7890',
  'siti.rahma@example.id',
  'wamid.',
];

export interface SeededReport {
  reportId: string;
  trackingCode: string;
}

/** Publishes what a channel adapter and the router would, so the status service stores the report as in production. */
export class Seeder {
  readonly bus: EventBus;

  constructor(topicPrefix: string, logger: Logger) {
    this.bus = new EventBus({
      brokers: testEnv.kafkaBrokers,
      clientId: 'web-test-seeder',
      source: '/aduan/web-test',
      logger,
      topicPrefix,
    });
  }

  async connect(): Promise<void> {
    await this.bus.connect();
    await this.bus.ensureTopics(['aduan.complaint.received.v1', 'aduan.complaint.routed.v1']);
  }

  async report(opts: {
    sourceId: string;
    text: string;
    unit: Unit | null;
    outcome: 'ROUTED' | 'TRIAGE';
    category: string;
  }): Promise<SeededReport> {
    const reportId = reportIdFor('whatsapp', opts.sourceId);
    const trackingCode = trackingCodeFor(reportId, DEV_TRACKING_SECRET);
    const now = new Date();
    const received: ComplaintReceived = {
      reportId,
      trackingCode,
      channel: 'whatsapp',
      source: { id: opts.sourceId, receivedAt: now.toISOString() },
      reporter: REPORTER,
      text: opts.text,
      location: { lat: -6.1936, lon: 106.8467 },
      attachments: [],
      visibility: 'public',
      receivedAt: now.toISOString(),
    };
    const routed: ComplaintRouted = {
      reportId,
      trackingCode,
      outcome: opts.outcome,
      category: opts.category,
      categoryConfidence: opts.outcome === 'ROUTED' ? 0.92 : 0.4,
      area: KENARI,
      placeConfidence: 1,
      unit: opts.unit,
      duplicateOf: null,
      reasons: opts.outcome === 'TRIAGE' ? [{ code: 'LOW_CATEGORY_CONFIDENCE' }] : [],
      candidates: opts.unit
        ? []
        : [{ opd: 'DSDA', category: opts.category, kelurahanKode: KENARI.kelurahan.kode, score: 0.4 }],
      rule: opts.unit ? { id: `default:${opts.category}`, version: 1 } : null,
      routedAt: new Date(now.getTime() + 1000).toISOString(),
    };
    await this.bus.publish('aduan.complaint.received.v1', received);
    await this.bus.publish('aduan.complaint.routed.v1', routed);
    return { reportId, trackingCode };
  }

  /** Waits until the status service has applied both events (received and routed), in whatever order they came. */
  async stored(statusUrl: string, report: SeededReport): Promise<void> {
    await eventually(
      async () => {
        const res = await fetch(`${statusUrl}/v1/public/reports/${report.trackingCode}`);
        expect(res.status).toBe(200);
        const body = (await res.json()) as { timeline: unknown[] };
        expect(body.timeline.length).toBeGreaterThanOrEqual(2);
      },
      { timeoutMs: 40_000, intervalMs: 300 },
    );
  }

  async close(): Promise<void> {
    await this.bus.close();
  }
}
