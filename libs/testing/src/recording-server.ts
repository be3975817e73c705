import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a stand-in server received. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The bytes as sent, for signatures computed over them. */
  rawBody: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  body: unknown;
  /** What the server answered. */
  status: number;
}

export interface Answer {
  status: number;
  body?: unknown;
}

export interface RecordingServer {
  url: string;
  /** Every request answered by `answer` (those refused by `failNext` are not kept). */
  requests: RecordedRequest[];
  /** Refuse the next n requests with this status, as a provider in an outage does. */
  failNext(n: number, status?: number): void;
  close(): Promise<void>;
}

function parseJson(text: string): unknown {
  try {
    return text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    return undefined; // a form post or plain text: the raw body is there for it
  }
}

/**
 * A local HTTP server standing in for a SaaS API in tests (a messaging provider, an SMS
 * gateway, an app's webhook): it answers what `answer` says and keeps every request.
 */
export async function startRecordingServer(
  answer: (request: Omit<RecordedRequest, 'status'>, baseUrl: string) => Answer,
): Promise<RecordingServer> {
  const requests: RecordedRequest[] = [];
  let failures = 0;
  let failStatus = 500;
  let base = '';
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const json = (status: number, body: unknown) =>
        res
          .writeHead(status, { 'content-type': 'application/json' })
          .end(body === undefined ? '' : JSON.stringify(body));
      if (failures > 0) {
        failures--;
        return json(failStatus, { error: { message: 'service unavailable', code: 2 } });
      }
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const request = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers,
        rawBody,
        body: parseJson(rawBody),
      };
      const { status, body } = answer(request, base);
      requests.push({ ...request, status });
      json(status, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    requests,
    failNext(n, status = 500) {
      failures = n;
      failStatus = status;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
