import type { RunningChannel } from '@aduan/channel-sdk';
import { startRecordingServer, type RecordingServer } from '@aduan/testing';

export const PUSH_SECRET = 'push-secret';

export interface AppBackend extends RecordingServer {
  /** False: every push is answered 503, as in an outage of the JAKI backend. */
  up: boolean;
  /** The pushes the backend accepted, in the order it got them. */
  pushes(): Array<{ app?: string; trackingCode: string; sequence: number; to: string; label: string }>;
  refused(): number;
}

/** The JAKI backend's state-change webhook (ADR 0026): 204 for a push it took. */
export async function appBackend(): Promise<AppBackend> {
  const switches = { up: true, refused: 0 };
  const server = await startRecordingServer(() => {
    if (switches.up) return { status: 204 };
    switches.refused++;
    return { status: 503, body: { message: 'maintenance' } };
  });
  const backend = Object.assign(server, {
    pushes: () =>
      server.requests
        .filter((r) => r.status === 204)
        .map((r) => r.body as ReturnType<AppBackend['pushes']>[number]),
    refused: () => switches.refused,
  });
  // An accessor, read by the handler at request time, so a test turns the outage on and off.
  Object.defineProperty(backend, 'up', {
    get: () => switches.up,
    set: (v: boolean) => {
      switches.up = v;
    },
  });
  return backend as AppBackend;
}

/** What the status service publishes once it has a report: its first transition. */
export async function statusReceived(
  running: RunningChannel,
  reportId: string,
  trackingCode: string,
): Promise<void> {
  await running.context.bus.publish('aduan.report.lifecycle.v1', {
    reportId,
    trackingCode,
    sequence: 1,
    from: null,
    to: 'RECEIVED',
    at: new Date().toISOString(),
    actor: { kind: 'system', id: 'status' },
    evidence: [],
  });
}
