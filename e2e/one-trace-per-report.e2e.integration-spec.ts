import { installTracing } from '@aduan/platform';
import { eventually, startRecordingServer, type RecordingServer } from '@aduan/testing';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { publicReport, startStack, submitJaki } from './stack';

/**
 * One report's journey is one trace (ADR 0070): the JAKI request, the complaint on Kafka, the
 * router's decision, the status service's transitions relayed from its outbox, and the adapter
 * taking the state change to push it to the citizen's app. The spans are caught by an in-memory
 * exporter installed before the services start; they run in this process, so all report to it.
 */
describe('tracing: one trace from the channel request to the citizen notification', () => {
  const exporter = new InMemorySpanExporter();
  installTracing([new SimpleSpanProcessor({ exporter })]);
  let stack: Awaited<ReturnType<typeof startStack>>;
  let app: RecordingServer;

  beforeAll(async () => {
    app = await startRecordingServer(() => ({ status: 204 }));
    stack = await startStack('e2e_trace', {
      JAKI_PUSH_WEBHOOK_URL: `${app.url}/push`,
      JAKI_PUSH_SECRET: 'e2e-trace-push-secret',
    });
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
    await app?.close();
  });

  const describeSpan = (s: ReadableSpan) => `${s.instrumentationScope.name}: ${s.name}`;

  it('carries the traceparent through every hop, and the log lines of the report name the trace', async () => {
    const { reportId, trackingCode } = await submitJaki(stack.jakiUrl, {
      text: 'PROMO!!! Pinjaman online cair 5 menit tanpa jaminan, bunga 0%. Hubungi WA kami sekarang, klik link di bio',
      reporter: { name: 'Dewi Lestari', phone: '081377788899' },
    });
    await eventually(async () =>
      expect((await publicReport(stack.statusUrl, trackingCode)).state).toBe('REJECTED'),
    );
    // The app got the rejection pushed: the adapter handled the status service's lifecycle event.
    await eventually(() =>
      expect(app.requests.map((r) => (r.body as { to?: string }).to)).toContain('REJECTED'),
    );

    const intake = exporter
      .getFinishedSpans()
      .find((s) => s.name === 'intake jaki' && s.attributes['aduan.report_id'] === reportId);
    expect(intake).toBeDefined();
    const traceId = intake!.spanContext().traceId;
    const journey = () =>
      exporter
        .getFinishedSpans()
        .filter((s) => s.spanContext().traceId === traceId)
        .map(describeSpan);
    await eventually(() =>
      expect(journey()).toEqual(
        expect.arrayContaining([
          'channel-jaki: POST /v1/reports',
          'channel-jaki: intake jaki',
          'channel-jaki: publish aduan.complaint.received.v1',
          'router: process aduan.complaint.received.v1',
          'router: publish aduan.complaint.routed.v1',
          'status: process aduan.complaint.routed.v1',
          'status: publish aduan.report.lifecycle.v1',
          'channel-jaki: process aduan.report.lifecycle.v1',
          'status: publish aduan.notification.v1',
        ]),
      ),
    );
    // Each hop is the child of the one before it: a single tree under the request.
    const spans = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
    const ids = new Set(spans.map((s) => s.spanContext().spanId));
    const roots = spans.filter((s) => !s.parentSpanContext || !ids.has(s.parentSpanContext.spanId));
    expect(roots.map(describeSpan)).toEqual(['channel-jaki: POST /v1/reports']);

    const traced = stack.lines.filter((l) => l.includes(traceId));
    expect(traced.length).toBeGreaterThan(0);
    expect(traced.join('\n')).not.toMatch(/Dewi|081377788899/);
  });
});
