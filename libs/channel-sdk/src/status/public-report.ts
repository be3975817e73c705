import {
  describeAjvErrors,
  LIFECYCLE_STATES,
  schemaParts,
  type Area,
  type LifecycleState,
  type Unit,
} from '@aduan/contracts';
import Ajv from 'ajv';

/**
 * A report as a channel may show it to the citizen who asks (the JAKI app's JakRespon view, a
 * chat message "status <code>"), read from the status service's public API. The schema below is
 * the copy: whatever it does not name (anything the status service may add later, anything
 * about the reporter) is removed before the view leaves the adapter.
 */
export interface PublicReportView {
  trackingCode: string;
  state: LifecycleState;
  label: string;
  category: string | null;
  unit: Unit | null;
  area: Area | null;
  description: string | null;
  receivedAt: string | null;
  updatedAt: string;
  timeline: Array<{
    state: LifecycleState;
    label: string;
    at: string;
    note: string | null;
    evidence: Array<{ url: string; contentType: string }>;
  }>;
}

const text = { type: 'string' };
const state = { enum: LIFECYCLE_STATES };
const orNull = (s: { type: string }) => ({ ...s, type: [s.type, 'null'], default: null });
const object = (required: string[], properties: object) => ({ type: 'object', required, properties });
const toView = new Ajv({
  removeAdditional: 'all',
  useDefaults: true,
  allErrors: true,
  strict: false,
}).compile(
  object(['trackingCode', 'state', 'label', 'updatedAt', 'timeline'], {
    trackingCode: text,
    state,
    label: text,
    category: orNull(text),
    unit: orNull(schemaParts.unit),
    area: orNull(schemaParts.area),
    description: orNull(text),
    receivedAt: orNull(text),
    updatedAt: text,
    timeline: {
      type: 'array',
      items: object(['state', 'label', 'at'], {
        state,
        label: text,
        at: text,
        note: orNull(text),
        evidence: {
          type: 'array',
          default: [],
          items: object(['url', 'contentType'], { url: text, contentType: text }),
        },
      }),
    },
  }),
);

export class StatusUnavailable extends Error {}

/** The view of the report with this code from the status service at `baseUrl`; null when it knows none. */
export async function fetchPublicReport(
  baseUrl: string,
  trackingCode: string,
  timeoutMs = 5000,
): Promise<PublicReportView | null> {
  const url = `${baseUrl.replace(/\/$/, '')}/v1/public/reports/${encodeURIComponent(trackingCode)}`;
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) }).catch((err: unknown) => {
    throw new StatusUnavailable(
      `status service unreachable: ${err instanceof Error ? err.message : String(err)}`,
    );
  });
  if (res.status === 404) return null;
  if (!res.ok) throw new StatusUnavailable(`status service answered ${res.status}`);
  const view = (await res.json()) as unknown;
  if (!toView(view))
    throw new StatusUnavailable(
      `status service answer not understood: ${describeAjvErrors(toView.errors).join('; ')}`,
    );
  return view as unknown as PublicReportView;
}
