import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startRecordingServer, type CitizenMessage, type RecordingServer } from '@aduan/testing';
import sharp from 'sharp';

export const APP_SECRET = 'test_app_secret';
export const VERSION = 'v21.0';

/** What the adapter asked the Graph API to publish or send, as a citizen would see it. */
export interface GraphSend extends CitizenMessage {
  /** The Page or account whose token sent it. */
  as: string;
  /** `comments`, `replies` or `messages`. */
  edge: string;
  body: Record<string, unknown>;
}

export interface GraphStandIn extends RecordingServer {
  /** False: every call is answered 503 (code 2), as in an outage. */
  up: boolean;
  /** Pages and accounts whose token is answered with OAuthException 190, as once revoked. */
  revoked: Set<string>;
  /** Recipients Meta will not let the Page write to (551: the person is not available). */
  unreachable: Set<string>;
  sent(): GraphSend[];
  /** The base of the picture host (Meta's CDN) and the photo it serves. */
  pictures: { url: string; photo: Buffer; close(): Promise<void> };
}

const refusedToken = {
  status: 400,
  body: {
    error: {
      message: 'Error validating access token: The user has not authorized application 438792.',
      type: 'OAuthException',
      code: 190,
      error_subcode: 458,
      fbtrace_id: 'AbCdEf',
    },
  },
};

/**
 * The Graph API calls channel-meta makes, answered as Meta documents them: comments on Page
 * objects (`POST /{id}/comments` → `{id}`), Instagram comment replies (`POST /{id}/replies`),
 * Send API messages (`POST /{page-id}/messages` → `{recipient_id, message_id}`), `GET /me`, and
 * the profile of a Messenger or Instagram sender. Tokens are `token-<page id>`.
 */
export async function graphStandIn(): Promise<GraphStandIn> {
  const photo = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#c0392b' } })
    .jpeg()
    .toBuffer();
  const cdn = createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': photo.length }).end(photo),
  );
  await new Promise<void>((resolve) => cdn.listen(0, '127.0.0.1', resolve));
  const switches = { up: true };
  const revoked = new Set<string>();
  const unreachable = new Set<string>();
  let n = 0;
  const server = await startRecordingServer((r) => {
    if (!switches.up)
      return { status: 503, body: { error: { message: 'Service temporarily unavailable', code: 2 } } };
    const as = /^Bearer page-token-(\d+)$/.exec(String(r.headers.authorization ?? ''))?.[1];
    if (!as)
      return {
        status: 400,
        body: { error: { message: 'Invalid OAuth access token', type: 'OAuthException', code: 190 } },
      };
    if (revoked.has(as)) return refusedToken;
    const [path, query = ''] = r.path.split('?');
    const parts = path!.split('/').filter(Boolean);
    if (parts[0] !== VERSION)
      return { status: 400, body: { error: { message: 'Unknown path components', code: 2500 } } };
    const [, id, edge] = parts.map(decodeURIComponent);
    if (r.method === 'GET' && id === 'me') return { status: 200, body: { id: as } };
    if (r.method === 'GET' && !edge)
      return {
        status: 200,
        body: query.includes('username')
          ? { id, name: 'Siti Rahmawati', username: 'siti.rahma' }
          : { id, first_name: 'Budi', last_name: 'Santoso' },
      };
    if (r.method === 'POST' && (edge === 'comments' || edge === 'replies'))
      return { status: 200, body: { id: `${id}_${++n}` } };
    if (r.method === 'POST' && edge === 'messages' && id === as) {
      const to = (r.body as { recipient?: { id?: string } }).recipient?.id;
      if (unreachable.has(to ?? ''))
        return {
          status: 400,
          body: {
            error: {
              message: "This person isn't available right now.",
              type: 'OAuthException',
              code: 551,
              error_subcode: 1545041,
            },
          },
        };
      return { status: 200, body: { recipient_id: to, message_id: `m_sent_${++n}` } };
    }
    return { status: 400, body: { error: { message: `Unsupported ${r.method} request`, code: 100 } } };
  });
  const api = Object.assign(server, {
    revoked,
    unreachable,
    pictures: {
      url: `http://127.0.0.1:${(cdn.address() as AddressInfo).port}`,
      photo,
      close: () => new Promise<void>((resolve) => cdn.close(() => resolve())),
    },
    sent: (): GraphSend[] =>
      server.requests
        .filter((r) => r.method === 'POST' && r.status === 200)
        .map((r) => {
          const [, , id, edge] = r.path.split('/').map(decodeURIComponent);
          const body = r.body as { message?: string | { text?: string }; recipient?: { id?: string } };
          const as = /page-token-(\d+)/.exec(String(r.headers.authorization))![1]!;
          const text = typeof body.message === 'string' ? body.message : (body.message?.text ?? '');
          return {
            as,
            edge: edge!,
            to: edge === 'messages' ? body.recipient!.id! : id!,
            text,
            body: r.body as Record<string, unknown>,
          };
        }),
  });
  Object.defineProperty(api, 'up', { get: () => switches.up, set: (v: boolean) => (switches.up = v) });
  return api as GraphStandIn;
}

export const tokensFor = (...ids: string[]) => ids.map((id) => `${id}=page-token-${id}`).join(',');

export function sign(raw: string, secret = APP_SECRET): string {
  return `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
}

/** POSTs a delivery to the running adapter, signed as Meta signs it; returns the HTTP status. */
export async function deliver(port: number, body: unknown, secret = APP_SECRET): Promise<number> {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const res = await fetch(`http://127.0.0.1:${port}/webhooks/meta`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(raw, secret) },
    body: raw,
  });
  await res.text();
  return res.status;
}

const seconds = () => Math.floor(Date.now() / 1000);

/** A visitor's post on a Page's feed. */
export function feedPost(page: string, id: string, text: string, extra: Record<string, unknown> = {}) {
  return {
    object: 'page',
    entry: [
      {
        id: page,
        time: seconds(),
        changes: [
          {
            field: 'feed',
            value: {
              from: { id: `90${Number.parseInt(id, 36) % 1e9}`, name: 'Budi Santoso' },
              item: 'post',
              post_id: `${page}_${id}`,
              verb: 'add',
              created_time: seconds(),
              is_hidden: false,
              message: text,
              ...extra,
            },
          },
        ],
      },
    ],
  };
}

/** A Messenger (page) or Instagram Direct (instagram) message. */
export function directMessage(
  object: 'page' | 'instagram',
  page: string,
  sender: string,
  mid: string | undefined,
  message: Record<string, unknown>,
  timestamp = Date.now(),
) {
  return {
    object,
    entry: [
      {
        id: page,
        time: timestamp,
        messaging: [
          {
            sender: { id: sender },
            recipient: { id: page },
            timestamp,
            message: { ...(mid ? { mid } : {}), ...message },
          },
        ],
      },
    ],
  };
}

/** A comment on one of an Instagram account's media. */
export function igComment(
  account: string,
  id: string | undefined,
  from: Record<string, unknown>,
  text: string,
) {
  return {
    object: 'instagram',
    entry: [
      {
        id: account,
        time: seconds(),
        changes: [
          {
            field: 'comments',
            value: {
              from,
              media: { id: '18000000000000001', media_product_type: 'FEED' },
              ...(id ? { id } : {}),
              text,
            },
          },
        ],
      },
    ],
  };
}
