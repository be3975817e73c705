import { createHash } from 'node:crypto';
import { startRecordingServer, type RecordingServer } from '@aduan/testing';

export const OFFICER_SECRET = 'test-officer-jwt-secret';

/** A citizen's mobile number for a test id: the same id, the same number. */
export function phoneOf(id: string): string {
  const n = Number.parseInt(createHash('sha256').update(id).digest('hex').slice(0, 12), 16) % 100_000_000;
  return `+62812${String(n).padStart(8, '0')}`;
}

export interface SmsGatewayStandIn extends RecordingServer {
  /** False: every part is answered 503, as in an outage. */
  up: boolean;
  /** The SMS the gateway accepted, one per part. */
  sent(): Array<{ to: string; text: string }>;
  refused(): number;
}

/** The outgoing-SMS gateway contract of @aduan/channel-sdk (docs/adr/0022). */
export async function smsGateway(): Promise<SmsGatewayStandIn> {
  let refused = 0;
  let next = 1;
  // Read by the handler at request time, so a test flips the outage on and off.
  const switches = { up: true };
  const server = await startRecordingServer(() => {
    if (switches.up) return { status: 202, body: { id: `sms-${next++}` } };
    refused++;
    return { status: 503, body: { error: 'gateway unavailable' } };
  });
  const gateway = Object.assign(server, {
    sent: () =>
      server.requests
        .filter((r) => r.status === 202)
        .map((r) => r.body as { to: string; text: string })
        .map(({ to, text }) => ({ to, text })),
    refused: () => refused,
  });
  Object.defineProperty(gateway, 'up', {
    get: () => switches.up,
    set: (v: boolean) => {
      switches.up = v;
    },
  });
  return gateway as SmsGatewayStandIn;
}
