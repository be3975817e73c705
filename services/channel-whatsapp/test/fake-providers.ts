import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Local stand-ins for the SaaS the adapter talks to, speaking their documented HTTP APIs and
 * recording every request: the WhatsApp Cloud API (messages and media endpoints) and the
 * outgoing SMS gateway contract of @aduan/channel-sdk.
 */
export interface Recorded {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

export interface FakeServer {
  url: string;
  requests: Recorded[];
  /** Answer the next n requests with this status (provider outage). */
  failNext(n: number, status?: number): void;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as unknown) : undefined;
}

async function serve(handle: (r: Recorded, res: ServerResponse, base: string) => void): Promise<FakeServer> {
  const requests: Recorded[] = [];
  let failures = 0;
  let failStatus = 500;
  let base = '';
  const server: Server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const recorded = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body };
      if (failures > 0) {
        failures--;
        res
          .writeHead(failStatus, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: { message: 'down', code: 2 } }));
        return;
      }
      requests.push(recorded);
      handle(recorded, res, base);
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

export const FAKE_MEDIA_SIZE = 48213;

/** https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages and …/media */
export function fakeCloudApi(): Promise<FakeServer> {
  let sent = 0;
  return serve((r, res, base) => {
    const json = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (r.headers.authorization !== 'Bearer test-access-token')
      return json(401, { error: { message: 'Invalid OAuth access token', code: 190 } });
    const send = /^\/v21\.0\/(\d+)\/messages$/.exec(r.path);
    if (r.method === 'POST' && send) {
      const to = (r.body as { to?: string }).to ?? '';
      return json(200, {
        messaging_product: 'whatsapp',
        contacts: [{ input: to, wa_id: to }],
        messages: [{ id: `wamid.sent.${++sent}` }],
      });
    }
    const media = /^\/v21\.0\/(\d+)$/.exec(r.path);
    if (r.method === 'GET' && media) {
      return json(200, {
        messaging_product: 'whatsapp',
        url: `${base}/whatsapp_business/attachments/?mid=${media[1]}`,
        mime_type: 'image/jpeg',
        sha256: '4654+8g=',
        file_size: FAKE_MEDIA_SIZE,
        id: media[1],
      });
    }
    json(404, { error: { message: 'Unknown path', code: 100 } });
  });
}

export function fakeSmsGateway(): Promise<FakeServer> {
  let sent = 0;
  return serve((r, res) => {
    if (r.headers.authorization !== 'Bearer test-sms-gateway-token') return void res.writeHead(401).end();
    res.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `sms-${++sent}` }));
  });
}
