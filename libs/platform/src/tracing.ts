import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import type { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider, type SpanProcessor } from '@opentelemetry/sdk-trace';

/**
 * Traces (ADR 0070). One report's journey — the channel's request, the complaint on Kafka, the
 * router's decision, the status service's transitions, the notification the adapter sends — is
 * one trace: the W3C `traceparent` travels in each Kafka record's headers and in the status
 * outbox. Spans are exported over OTLP/HTTP only when a collector is configured; without one the
 * context still passes through, so a trace started by a caller (a city app's own tracing)
 * continues across Aduan whatever is exported here.
 */

let propagating = false;
let provider: TracerProvider | undefined;

function propagate(): void {
  if (propagating) return;
  propagating = true;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
}

/**
 * Records spans into these processors, for the whole process (a test's in-memory exporter; the
 * OTLP exporter). The first installation wins: in-process tests start several services, and
 * the spans of all of them go to the one the test installed.
 */
export function installTracing(processors: SpanProcessor[], serviceName = 'aduan'): TracerProvider {
  propagate();
  if (provider) return provider;
  provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    spanProcessors: processors,
  });
  trace.setGlobalTracerProvider(provider);
  return provider;
}

/** Settings read by `startTracing` (declared with logSettings, so every service has them). */
export interface TracingConfig {
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;
  OTEL_SERVICE_NAME?: string;
}

/** Called by every service at start-up: propagation always, export when a collector is set. */
export function startTracing(service: string, config: TracingConfig): void {
  propagate();
  const endpoint = config.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!endpoint || provider) return;
  // Loaded only when a collector is set: the exporter and its protobuf encoders are ~16 MB of
  // memory a service without a collector would carry for nothing (ADR 0081).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { OTLPTraceExporter: Exporter } = require('@opentelemetry/exporter-trace-otlp-http') as {
    OTLPTraceExporter: typeof OTLPTraceExporter;
  };
  const exporter = new Exporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces` });
  installTracing([new BatchSpanProcessor({ exporter })], config.OTEL_SERVICE_NAME ?? service);
}

/** Sends what is recorded (a service stopping); the provider stays for others in the process. */
export async function flushTraces(): Promise<void> {
  await provider?.forceFlush().catch(() => undefined);
}

/** The trace context to carry with a record: `traceparent` (and `tracestate`) of the active span. */
export function traceHeaders(ctx: Context = context.active()): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier;
}

/** The context a record's headers carry (the root context when they carry none). */
export function traceContextOf(headers: Record<string, string | undefined>): Context {
  return propagation.extract(ROOT_CONTEXT, headers);
}

/** The trace id of the active span, for log lines; undefined outside any trace. */
export function activeTraceId(): string | undefined {
  const span = trace.getSpan(context.active());
  const id = span?.spanContext().traceId;
  return id && !/^0+$/.test(id) ? id : undefined;
}

/**
 * Runs `work` in a span named `name` of the tracer `scope` (the service or library), as a child
 * of `parent` (default: the active context); the span records an error and ends with `work`.
 */
export async function inSpan<T>(
  scope: string,
  name: string,
  opts: { kind?: SpanKind; attributes?: Attributes; parent?: Context },
  work: (span: Span) => Promise<T>,
): Promise<T> {
  const tracer = trace.getTracer(scope);
  return tracer.startActiveSpan(
    name,
    { kind: opts.kind ?? SpanKind.INTERNAL, attributes: opts.attributes ?? {} },
    opts.parent ?? context.active(),
    async (span) => {
      try {
        return await work(span);
      } catch (err) {
        span.setStatus({
          code: SpanStatusCode.ERROR,
          message: err instanceof Error ? err.message : String(err),
        });
        throw err;
      } finally {
        span.end();
      }
    },
  );
}

/**
 * A span name that says which endpoint without saying which report: path segments that are
 * values rather than words (ids, tracking codes, phone numbers: digits beyond a version like
 * `v1`, capitals, or long) become `:id`.
 */
export function routeOf(url: string): string {
  const path = url.split('?')[0] ?? '/';
  return path
    .split('/')
    .map((segment) =>
      (/\d/.test(segment) && segment.length > 3) || /[A-Z]/.test(segment) || segment.length > 32
        ? ':id'
        : segment,
    )
    .join('/');
}

/**
 * Express middleware: each request is a server span, continuing the caller's `traceparent` when
 * it sends one (a city app with tracing of its own). Health and metrics probes are left out.
 */
export function traceRequests(scope: string) {
  return (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    const url = req.url ?? '/';
    if (/^\/(health|metrics)(\/|$|\?)/.test(url)) return next();
    const headers = req.headers as Record<string, string | undefined>;
    void inSpan(
      scope,
      `${req.method ?? 'GET'} ${routeOf(url)}`,
      {
        kind: SpanKind.SERVER,
        parent: traceContextOf(headers),
        attributes: { 'http.request.method': req.method ?? '' },
      },
      (span) =>
        new Promise<void>((resolve) => {
          // Multipart parsers read the body in listeners on the request: they run in the span too.
          context.bind(context.active(), req);
          res.once('close', () => {
            span.setAttribute('http.response.status_code', res.statusCode);
            resolve();
          });
          next();
        }),
    );
  };
}

export { SpanKind };
