import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { inSpan, installTracing, routeOf, traceContextOf, traceHeaders } from './tracing';

describe('tracing', () => {
  const exporter = new InMemorySpanExporter();
  installTracing([new SimpleSpanProcessor({ exporter })]);
  beforeEach(() => exporter.reset());

  it('names a request by its endpoint, never by the report, code or number in its path', () => {
    expect(routeOf('/v1/public/reports/T2ZHP-GWN4S')).toBe('/v1/public/reports/:id');
    expect(routeOf('/v1/officer/reports/0b7c5e0e-3f7d-5d8c-9d8e-1c2b3a4d5e6f/contact')).toBe(
      '/v1/officer/reports/:id/contact',
    );
    expect(routeOf('/v1/reports?lat=-6.17')).toBe('/v1/reports');
    expect(routeOf('/lacak/ABCDE-FGHJK')).toBe('/lacak/:id');
    expect(routeOf('/webhooks/whatsapp')).toBe('/webhooks/whatsapp');
    expect(routeOf('/v1/citizen/081234567890/reports')).toBe('/v1/citizen/:id/reports');
  });

  it('carries a span across a record as a W3C traceparent, and continues it on the other side', async () => {
    const headers = await inSpan('producer', 'publish', {}, async () => traceHeaders());
    expect(headers['traceparent']).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    await inSpan('consumer', 'process', { parent: traceContextOf(headers) }, async () => undefined);
    const [publish, processed] = exporter.getFinishedSpans();
    expect(processed!.spanContext().traceId).toBe(publish!.spanContext().traceId);
    expect(processed!.parentSpanContext?.spanId).toBe(publish!.spanContext().spanId);
  });

  it('starts a trace of its own for a record whose traceparent is missing or forged', async () => {
    for (const headers of [
      {},
      { traceparent: '00-not-a-trace-01' },
      { traceparent: `00-${'0'.repeat(32)}-${'1'.repeat(16)}-01` },
    ])
      await inSpan('consumer', 'process', { parent: traceContextOf(headers) }, async () => {
        expect(trace.getActiveSpan()?.spanContext().traceId).toMatch(/^(?!0+$)[0-9a-f]{32}$/);
      });
    const spans = exporter.getFinishedSpans();
    expect(spans).toHaveLength(3);
    expect(spans.every((s) => !s.parentSpanContext)).toBe(true);
  });

  it('ends a span whose work failed with the error recorded, and lets the error through', async () => {
    await expect(
      inSpan('x', 'fails', {}, async () => {
        throw new Error('database away');
      }),
    ).rejects.toThrow('database away');
    expect(exporter.getFinishedSpans()[0]!.status).toEqual({ code: 2, message: 'database away' });
  });
});
