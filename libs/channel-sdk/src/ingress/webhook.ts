/**
 * Webhook ingress: what a provider POSTs to `/webhooks/<name>`. The runner owns the front door,
 * the adapter writes only the channel's part:
 *
 *   verify (signature over the raw bytes) → parse (into items) → handle each item → answer.
 *
 * - A request that fails verification is refused (401) and publishes nothing.
 * - A body that cannot be parsed is refused (400) naming the problem.
 * - Every item is on Kafka before the provider gets its 200. An item that can never be taken in
 *   (PermanentError) is quarantined and the rest go on; a transient failure (broker or database
 *   down) answers 503 with Retry-After, so the provider delivers again and nothing is lost.
 *   Items carry their provider ids, so a redelivery creates nothing new.
 * - `handshake` answers the provider's GET (Meta's `hub.challenge`).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Channel } from '@aduan/contracts';
import type { Logger } from '@aduan/platform';
import { verifyHubSignature256 } from '../webhooks/hub-signature';
import { formParams, verifyTwilioSignature } from '../webhooks/twilio-signature';

export interface WebhookRequest {
  /** The exact bytes received, before any parsing. */
  raw: Buffer;
  headers: Record<string, string | string[] | undefined>;
  query: Record<string, unknown>;
  /** The URL the provider called, as it saw it (for signatures that cover the URL). */
  url: string;
}

export interface WebhookAnswer {
  status?: number;
  contentType?: string;
  body: unknown;
}

/** A refusal of the request itself, with the status to answer. */
export class WebhookRefused extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 415 | 503,
    message: string,
  ) {
    super(message);
    this.name = 'WebhookRefused';
  }
}

export type WebhookVerifier = (req: WebhookRequest) => void;

export interface WebhookIngress<Item = unknown> {
  /** Mounted at `/webhooks/<name>`. */
  name: string;
  /** The channel its items belong to, for an adapter of several channels; default: its first. */
  channel?: Channel;
  verify: WebhookVerifier;
  /** Answers the provider's GET handshake; absent: GET is 405. */
  handshake?: (req: WebhookRequest) => WebhookAnswer;
  /** Items of the body; throw WebhookRefused(400, …) for a body that is not what the provider sends. */
  parse(req: WebhookRequest): Item[] | Promise<Item[]>;
  /** Takes one item in; resolves once it is on Kafka. Throw PermanentError for an unreadable item. */
  handle(item: Item, log: Logger): Promise<void>;
  /** Identifies an item in logs and the quarantine (a provider message id). */
  idOf?: (item: Item) => string | undefined;
  /**
   * The channel of one item, for a webhook that carries several (Meta's: Page posts, Messenger
   * and Instagram on one URL): an unreadable item is quarantined under it. Default: `channel`.
   */
  channelOf?: (item: Item) => Channel;
  /** The success answer (default `{ accepted: n }` as JSON). */
  answer?: (accepted: number, quarantined: number) => WebhookAnswer;
}

const header = (req: WebhookRequest, name: string): string | undefined => {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
};

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Presets for the signatures providers use. */
export const verifiers = {
  /** Meta (WhatsApp Cloud, Messenger, Instagram): HMAC-SHA256 of the body with the app secret. */
  metaSignature(appSecret: string): WebhookVerifier {
    return (req) => {
      const check = verifyHubSignature256(req.raw, header(req, 'x-hub-signature-256'), appSecret);
      if (!check.ok) throw new WebhookRefused(401, check.reason);
    };
  },

  /** Twilio-style form posts: HMAC-SHA1 over the public URL and the sorted form fields. */
  twilioSignature(authToken: string, publicUrl: (req: WebhookRequest) => string): WebhookVerifier {
    return (req) => {
      const params = formParams(req.raw.toString('utf8'));
      const check = verifyTwilioSignature(
        publicUrl(req),
        params,
        header(req, 'x-twilio-signature'),
        authToken,
      );
      if (!check.ok) throw new WebhookRefused(401, check.reason);
    };
  },

  /** A plain HMAC of the body in a header, hex or base64, with an optional prefix ("sha256="). */
  hmacHeader(opts: {
    header: string;
    secret: string;
    algorithm?: 'sha256' | 'sha1' | 'sha512';
    encoding?: 'hex' | 'base64';
    prefix?: string;
  }): WebhookVerifier {
    return (req) => {
      const presented = header(req, opts.header);
      if (!presented) throw new WebhookRefused(401, `${opts.header} header is missing`);
      const expected =
        (opts.prefix ?? '') +
        createHmac(opts.algorithm ?? 'sha256', opts.secret)
          .update(req.raw)
          .digest(opts.encoding ?? 'hex');
      if (!safeEqual(presented.trim(), expected))
        throw new WebhookRefused(401, `${opts.header} does not match the body`);
    };
  },

  /** A shared secret the provider echoes in a header (Telegram's X-Telegram-Bot-Api-Secret-Token). */
  secretHeader(name: string, secret: string): WebhookVerifier {
    return (req) => {
      const presented = header(req, name);
      if (!presented) throw new WebhookRefused(401, `${name} header is missing`);
      if (!safeEqual(presented, secret)) throw new WebhookRefused(401, `${name} does not match`);
    };
  },
};

const CHALLENGE = /^[A-Za-z0-9_-]{1,200}$/;

/** Meta's subscription handshake: echo `hub.challenge` when `hub.verify_token` matches. */
export function metaHandshake(verifyToken: string): (req: WebhookRequest) => WebhookAnswer {
  return (req) => {
    const { query } = req;
    if (query['hub.mode'] !== 'subscribe') throw new WebhookRefused(400, 'hub.mode must be "subscribe"');
    const challenge = query['hub.challenge'];
    if (typeof challenge !== 'string' || !CHALLENGE.test(challenge))
      throw new WebhookRefused(400, 'hub.challenge is missing or not a plain token');
    if (typeof query['hub.verify_token'] !== 'string' || !safeEqual(query['hub.verify_token'], verifyToken))
      throw new WebhookRefused(403, 'hub.verify_token does not match');
    return { status: 200, contentType: 'text/plain', body: challenge };
  };
}

/** Parses a JSON body, refusing what is not JSON with the parser's reason. */
export function jsonBody(req: WebhookRequest): unknown {
  try {
    return JSON.parse(req.raw.toString('utf8'));
  } catch (err) {
    throw new WebhookRefused(
      400,
      `body is not valid JSON: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}
