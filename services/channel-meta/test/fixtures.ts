import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WebhookRequest } from '@aduan/channel-sdk';

/** A fixture's exact bytes: Meta signs them, so they are never re-serialised. */
export function fixture(name: string): Buffer {
  return readFileSync(join(__dirname, 'fixtures', name));
}

export function request(raw: Buffer | string, headers: WebhookRequest['headers'] = {}): WebhookRequest {
  return {
    raw: Buffer.isBuffer(raw) ? raw : Buffer.from(raw),
    headers,
    query: {},
    url: 'http://aduan.test/webhooks/meta',
  };
}
