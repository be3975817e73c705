import {
  createAjv,
  describeAjvErrors,
  LIFECYCLE_STATES,
  type Area,
  type LifecycleState,
  type Unit,
} from '@aduan/contracts';

/**
 * What the JAKI app's JakRespon view shows for one report, read from the status service's
 * public API and copied field by field, so nothing the status service may add later (and
 * nothing about the reporter) passes through unseen.
 */
export interface JakResponView {
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

/** The status service's answer: the view's fields, the nullable ones possibly absent. */
type Answer = Omit<JakResponView, 'timeline'> & {
  timeline: Array<
    Omit<JakResponView['timeline'][number], 'note' | 'evidence'> & Partial<JakResponView['timeline'][number]>
  >;
};

const nullableString = { type: ['string', 'null'] };
const validate = createAjv().compile({
  type: 'object',
  required: ['trackingCode', 'state', 'label', 'updatedAt', 'timeline'],
  properties: {
    trackingCode: { type: 'string' },
    state: { enum: LIFECYCLE_STATES },
    label: { type: 'string' },
    category: nullableString,
    description: nullableString,
    receivedAt: nullableString,
    updatedAt: { type: 'string' },
    timeline: {
      type: 'array',
      items: {
        type: 'object',
        required: ['state', 'label', 'at'],
        properties: {
          state: { enum: LIFECYCLE_STATES },
          label: { type: 'string' },
          at: { type: 'string' },
          note: nullableString,
          evidence: { type: 'array' },
        },
      },
    },
  },
});

export class StatusUnavailable extends Error {}

export class StatusClient {
  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs = 5000,
  ) {}

  /** null when the status service knows no report with that code. */
  async report(trackingCode: string): Promise<JakResponView | null> {
    const url = `${this.baseUrl.replace(/\/$/, '')}/v1/public/reports/${encodeURIComponent(trackingCode)}`;
    const res = await fetch(url, { signal: AbortSignal.timeout(this.timeoutMs) }).catch((err: unknown) => {
      throw new StatusUnavailable(
        `status service unreachable: ${err instanceof Error ? err.message : String(err)}`,
      );
    });
    if (res.status === 404) return null;
    if (!res.ok) throw new StatusUnavailable(`status service answered ${res.status}`);
    const body = (await res.json()) as unknown;
    if (!validate(body))
      throw new StatusUnavailable(
        `status service answer not understood: ${describeAjvErrors(validate.errors).join('; ')}`,
      );
    const r = body as Answer;
    return {
      trackingCode: r.trackingCode,
      state: r.state,
      label: r.label,
      category: r.category ?? null,
      unit: r.unit ? { code: r.unit.code, name: r.unit.name } : null,
      area: r.area ?? null,
      description: r.description ?? null,
      receivedAt: r.receivedAt ?? null,
      updatedAt: r.updatedAt,
      timeline: r.timeline.map((t) => ({
        state: t.state,
        label: t.label,
        at: t.at,
        note: t.note ?? null,
        evidence: (t.evidence ?? []).map((e) => ({ url: e.url, contentType: e.contentType })),
      })),
    };
  }
}
