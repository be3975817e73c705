import { randomUUID } from 'node:crypto';
import type { ComplaintReceived } from '@aduan/contracts';

/** A valid anonymous complaint, fresh ids each time, for the bus' own tests. */
export function sampleComplaint(overrides: Partial<ComplaintReceived> = {}): ComplaintReceived {
  const now = new Date().toISOString();
  return {
    reportId: randomUUID(),
    trackingCode: 'ABCDE-FGHJK',
    channel: 'jaki',
    source: { id: randomUUID(), receivedAt: now },
    reporter: { anonymous: true },
    text: 'Jalan berlubang di depan pasar',
    attachments: [],
    visibility: 'public',
    receivedAt: now,
    ...overrides,
  };
}
