import {
  createTestDatabase,
  startRecordingServer,
  startServiceProcess,
  testEnv,
  uniqueTopicPrefix,
  type RecordingServer,
  type ServiceProcess,
  type TestDatabase,
} from '@aduan/testing';

interface OtlpExport {
  resourceSpans: Array<{
    resource: { attributes: Array<{ key: string; value: { stringValue?: string } }> };
    scopeSpans: Array<{ spans: Array<{ name: string; traceId: string; parentSpanId?: string }> }>;
  }>;
}

const CALLER_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

/**
 * channel-jaki as it runs in a container, with OTEL_EXPORTER_OTLP_ENDPOINT naming a collector
 * (here a local stand-in that records what an OpenTelemetry collector receives over OTLP/HTTP).
 */
describe('channel-jaki exports its spans to an OpenTelemetry collector', () => {
  let db: TestDatabase;
  let collector: RecordingServer;
  let service: ServiceProcess | undefined;

  beforeAll(async () => {
    [db, collector] = await Promise.all([
      createTestDatabase('jaki_traces'),
      startRecordingServer(() => ({ status: 200, body: {} })),
    ]);
  });
  afterAll(async () => {
    await service?.kill().catch(() => undefined);
    await collector?.close();
    await db?.drop();
  });

  it('continues the calling app’s trace and sends the request, intake and publish spans on stopping', async () => {
    service = await startServiceProcess('channel-jaki', {
      JAKI_PORT: '0',
      JAKI_API_KEYS: 'jaki-android:trace-key',
      DATABASE_URL: db.url,
      KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: uniqueTopicPrefix(),
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
      OTEL_SERVICE_NAME: 'aduan-channel-jaki',
    });
    const res = await fetch(`${new URL(service.url).origin}/v1/reports`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-api-key': 'trace-key',
        traceparent: `00-${CALLER_TRACE}-00f067aa0ba902b7-01`,
      },
      body: JSON.stringify({ text: 'Saluran air mampet di depan SDN 03 Menteng, air meluap ke jalan.' }),
    });
    expect(res.status).toBe(202);
    await service.stop(); // a SIGTERM, as a container stop: what is batched goes out first

    const exported = collector.requests.filter((r) => r.path === '/v1/traces');
    expect(exported.length).toBeGreaterThan(0);
    const resources = exported.flatMap((r) => (r.body as OtlpExport).resourceSpans);
    expect(resources[0]!.resource.attributes).toContainEqual({
      key: 'service.name',
      value: { stringValue: 'aduan-channel-jaki' },
    });
    const spans = resources.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
    const ofCaller = spans.filter((s) => s.traceId === CALLER_TRACE).map((s) => s.name);
    expect(ofCaller).toEqual(
      expect.arrayContaining(['POST /v1/reports', 'intake jaki', 'publish aduan.complaint.received.v1']),
    );
    // Nothing of the complaint itself is exported: names and the trace ids only.
    expect(JSON.stringify(resources)).not.toMatch(/Saluran|Menteng/);
  }, 90_000);
});
