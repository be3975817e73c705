import { randomUUID } from 'node:crypto';
import { DEV_TRACKING_SECRET, trackingCodeFor } from '@aduan/channel-sdk';
import type { ComplaintReceived } from '@aduan/contracts';

/** A JAKI complaint with a point, received now or `minutesLater`, as a channel would publish it. */
export function receivedComplaint(
  text: string,
  lat: number,
  lon: number,
  minutesLater = 0,
): ComplaintReceived {
  const reportId = randomUUID();
  const at = new Date(Date.now() + minutesLater * 60_000).toISOString();
  return {
    reportId,
    trackingCode: trackingCodeFor(reportId, DEV_TRACKING_SECRET),
    channel: 'jaki',
    source: { id: `src-${reportId}`, receivedAt: at },
    reporter: { anonymous: true },
    text,
    attachments: [],
    visibility: 'public',
    receivedAt: at,
    location: { lat, lon },
  };
}
