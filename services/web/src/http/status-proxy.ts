import {
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
} from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Transform, type TransformCallback } from 'node:stream';
import type { Logger, Metrics } from '@aduan/platform';
import type { Request, Response } from 'express';

export interface StatusProxyOptions {
  baseUrl: string;
  timeoutMs: number;
  maxBodyBytes: number;
  logger: Logger;
  metrics: Metrics;
  /**
   * Another service's officer API behind the same kind of proxy (channel-media's news
   * candidates): its name in answers, logs and metrics, and the only paths forwarded to it.
   */
  upstream?: {
    name: string;
    metric: string;
    allowedPath: RegExp;
    served: string;
    /** Request headers that upstream reads besides the usual ones (channel-officer's Idempotency-Key). */
    requestHeaders?: readonly string[];
  };
}

/** Only the status service's public and officer APIs are reachable through the site. */
const ALLOWED_PATH = /^\/v1\/(public|officer)(\/|$)/;
/**
 * Public answers keep their own cache policy through the proxy: statistics are the same for
 * everyone (ADR 0050), a report's view is private and revalidated by ETag (ADR 0047). Officer
 * answers carry personal data and are never stored.
 */
const OWN_CACHE_POLICY = /^\/v1\/public\//;
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']);

const REQUEST_HEADERS = [
  'authorization',
  'content-type',
  'accept',
  'accept-language',
  'if-match',
  'if-none-match',
  'last-event-id',
  'x-request-id',
];
const RESPONSE_HEADERS = [
  'content-type',
  'content-length',
  'etag',
  'location',
  'www-authenticate',
  'retry-after',
  'content-disposition',
];

function pick(headers: IncomingHttpHeaders, names: readonly string[]): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const name of names) {
    const value = headers[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}

function problem(res: Response, statusCode: number, error: string, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.status(statusCode).setHeader('Cache-Control', 'no-store');
  res.json({ statusCode, error, message });
}

class TooLarge extends Error {}

/** Counts bytes as they stream through and fails the stream past the limit (chunked uploads have no length). */
function byteLimit(max: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) {
      seen += chunk.length;
      if (seen > max) done(new TooLarge(`request body is larger than ${max} bytes`));
      else done(null, chunk);
    },
  });
}

/**
 * `/api/status/*` → the status service, streaming both ways so that evidence uploads are never
 * held in memory here. The browser only ever talks to this origin, so no CORS is needed, and
 * nothing that passes through is cacheable: officer answers carry personal data.
 */
export function statusProxy(opts: StatusProxyOptions): (req: Request, res: Response) => void {
  const base = new URL(opts.baseUrl);
  const send = base.protocol === 'https:' ? httpsRequest : httpRequest;
  const basePath = base.pathname.replace(/\/$/, '');
  const upstreamName = opts.upstream?.name ?? 'the status service';
  const allowedPath = opts.upstream?.allowedPath ?? ALLOWED_PATH;
  const log = opts.logger.child({
    component: opts.upstream ? `${opts.upstream.metric}-proxy` : 'status-proxy',
  });
  const duration = opts.metrics.histogram(
    opts.upstream ? `web_${opts.upstream.metric}_proxy_seconds` : 'web_status_proxy_seconds',
    `Time to the answer of ${upstreamName}, by method and status`,
    ['method', 'status'],
  );

  return (req, res) => {
    // req.url is relative to the mount point: "/v1/public/reports/ABCDE-FGHJK?x=1".
    const path = req.url;
    if (!allowedPath.test(path) || path.includes('..')) {
      return problem(
        res,
        404,
        'Not Found',
        opts.upstream?.served ?? 'only /api/status/v1/public/… and /api/status/v1/officer/… are served here',
      );
    }
    if (!METHODS.has(req.method))
      return problem(res, 405, 'Method Not Allowed', `${req.method} is not forwarded`);
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > opts.maxBodyBytes) {
      return problem(
        res,
        413,
        'Payload Too Large',
        `request body is larger than the limit of ${opts.maxBodyBytes} bytes`,
      );
    }

    const headers = pick(req.headers, [...REQUEST_HEADERS, ...(opts.upstream?.requestHeaders ?? [])]);
    // The platform's JSON parser has already read JSON bodies; they are sent on re-serialised.
    const parsed = req.body !== undefined && req.readableEnded;
    const json = parsed ? Buffer.from(JSON.stringify(req.body)) : undefined;
    if (json) headers['content-length'] = json.length;
    else if (req.headers['content-length']) headers['content-length'] = req.headers['content-length'];
    else if (req.headers['transfer-encoding']) headers['transfer-encoding'] = 'chunked';
    headers['x-forwarded-proto'] = req.protocol;
    // The status service counts live streams per citizen: it learns who asks, not just this site.
    const peer = req.socket.remoteAddress;
    const forwarded = req.headers['x-forwarded-for'];
    if (peer) headers['x-forwarded-for'] = forwarded ? `${String(forwarded)}, ${peer}` : peer;

    const started = process.hrtime.bigint();
    const observe = (status: number | string) =>
      duration.observe(
        { method: req.method, status: String(status) },
        Number(process.hrtime.bigint() - started) / 1e9,
      );

    const upstream = send(
      {
        protocol: base.protocol,
        hostname: base.hostname,
        port: base.port,
        method: req.method,
        path: basePath + path,
        headers,
        timeout: opts.timeoutMs,
      },
      (answer: IncomingMessage) => {
        observe(answer.statusCode ?? 502);
        res.status(answer.statusCode ?? 502);
        for (const [name, value] of Object.entries(pick(answer.headers, RESPONSE_HEADERS))) {
          if (value !== undefined) res.setHeader(name, value);
        }
        const own = OWN_CACHE_POLICY.test(path) ? answer.headers['cache-control'] : undefined;
        res.setHeader('Cache-Control', own ?? 'no-store');
        if (answer.headers['content-type']?.startsWith('text/event-stream')) {
          // A live stream is quiet between heartbeats for longer than the answer timeout, and
          // lasts as long as the page is open: no timeout, no buffering, headers out at once.
          upstream.setTimeout(0);
          res.setHeader('X-Accel-Buffering', 'no');
          res.flushHeaders();
          res.socket?.setNoDelay(true);
        }
        answer.pipe(res);
        answer.on('error', () => res.destroy());
      },
    );
    upstream.on('timeout', () => {
      upstream.destroy();
      observe('timeout');
      log.warn(`${upstreamName} did not answer in time`, { method: req.method, timeoutMs: opts.timeoutMs });
      problem(res, 504, 'Gateway Timeout', `${upstreamName} did not answer within ${opts.timeoutMs} ms`);
    });
    upstream.on('error', (err) => {
      if (res.headersSent || res.writableEnded) return void res.destroy();
      if (err instanceof TooLarge) {
        return problem(
          res,
          413,
          'Payload Too Large',
          `request body is larger than the limit of ${opts.maxBodyBytes} bytes`,
        );
      }
      observe('unreachable');
      log.warn(`${upstreamName} unreachable`, { method: req.method, error: err.message });
      problem(res, 502, 'Bad Gateway', `${upstreamName} cannot be reached; try again in a moment`);
    });
    // A browser that goes away (closed tab, cancelled upload) frees the upstream request too.
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });

    if (json) upstream.end(json);
    else if (req.method === 'GET' || req.method === 'HEAD' || req.readableEnded) upstream.end();
    else {
      const limit = byteLimit(opts.maxBodyBytes);
      limit.on('error', (err) => upstream.destroy(err));
      req.pipe(limit).pipe(upstream);
    }
  };
}
