import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startRecordingServer, type RecordedRequest, type RecordingServer } from '@aduan/testing';
import sharp from 'sharp';

/**
 * Local stand-ins for the SaaS the adapter talks to, speaking their documented HTTP APIs and
 * recording every request: the WhatsApp Cloud API (messages and media endpoints, and the media
 * host its links point at) and the outgoing SMS gateway contract of @aduan/channel-sdk.
 */
export interface FakeServer extends RecordingServer {
  /** False: every request is answered 503, as in an outage. */
  up: boolean;
}

export interface FakeCloudApi extends FakeServer {
  /** The photo every media link serves (a real JPEG). */
  photo: Buffer;
  /** Downloads of media links, with the Authorization header they carried. */
  downloads: Array<{ path: string; authorization: string | undefined }>;
}

function switchable<T extends RecordingServer>(server: T, switches: { up: boolean }): T & { up: boolean } {
  return Object.defineProperty(server, 'up', {
    get: () => switches.up,
    set: (v: boolean) => (switches.up = v),
  }) as T & { up: boolean };
}

const down = { status: 503, body: { error: { message: 'Service temporarily unavailable', code: 2 } } };

/** https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages and …/media */
export async function fakeCloudApi(): Promise<FakeCloudApi> {
  const photo = await sharp({ create: { width: 32, height: 24, channels: 3, background: '#2e86c1' } })
    .jpeg()
    .toBuffer();
  const downloads: FakeCloudApi['downloads'] = [];
  // Meta's media links live on another host (lookaside.fbsbx.com) and need the token too.
  const cdn = createServer((req, res) => {
    downloads.push({ path: req.url ?? '/', authorization: req.headers.authorization });
    if (req.headers.authorization !== 'Bearer test-access-token') return res.writeHead(401).end();
    res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': photo.length }).end(photo);
  });
  await new Promise<void>((resolve) => cdn.listen(0, '127.0.0.1', resolve));
  const cdnUrl = `http://127.0.0.1:${(cdn.address() as AddressInfo).port}`;
  let sent = 0;
  const switches = { up: true };
  const server = await startRecordingServer((r) => {
    const json = (status: number, body: unknown) => ({ status, body });
    if (!switches.up) return down;
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
        url: `${cdnUrl}/whatsapp_business/attachments/?mid=${media[1]}&ext=1&hash=secret-signature`,
        mime_type: 'image/jpeg',
        sha256: '4654+8g=',
        file_size: photo.length,
        id: media[1],
      });
    }
    return json(404, { error: { message: 'Unknown path', code: 100 } });
  });
  const close = server.close;
  return Object.assign(switchable(server, switches), {
    photo,
    downloads,
    close: async () => {
      await new Promise((resolve) => cdn.close(resolve));
      await close();
    },
  });
}

export async function fakeSmsGateway(): Promise<FakeServer> {
  let sent = 0;
  const switches = { up: true };
  const server = await startRecordingServer((r) => {
    if (!switches.up) return down;
    if (r.headers.authorization !== 'Bearer test-sms-gateway-token') return { status: 401 };
    return { status: 202, body: { id: `sms-${++sent}` } };
  });
  return switchable(server, switches);
}

/** What a Cloud API send carried to the citizen: the text, or the template's parameters. */
export function sentText(r: RecordedRequest): string {
  const body = r.body as {
    text?: { body: string };
    template?: { components: Array<{ parameters: Array<{ text: string }> }> };
  };
  return body.text?.body ?? body.template!.components[0]!.parameters.map((p) => p.text).join(' ');
}
