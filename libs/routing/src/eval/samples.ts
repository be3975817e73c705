import type { RoutingInput } from '../types';

/** One labelled case, in the routing-samples file format (snake_case, as published). */
export interface Sample {
  readonly id: string;
  readonly channel: string;
  readonly text: string;
  readonly subject?: string;
  readonly category_hint?: string;
  readonly location?: { readonly lat: unknown; readonly lon: unknown } | null;
  readonly received_at: string;
  readonly expected?: Expected;
}

export interface Expected {
  readonly category: string | null;
  readonly opd: string | null;
  readonly kelurahan_kode: string | null;
  /** ROUTED, TRIAGE, REJECTED or DUPLICATE_OF:<id>. */
  readonly outcome: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nullableString(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function parseExpected(value: unknown): Expected | undefined {
  if (!isRecord(value) || typeof value['outcome'] !== 'string') return undefined;
  return {
    category: nullableString(value['category']),
    opd: nullableString(value['opd']),
    kelurahan_kode: nullableString(value['kelurahan_kode']),
    outcome: value['outcome'],
  };
}

/** Reads a samples file; `expected` is optional so unlabelled (held-out) files work too. */
export function parseSamples(json: unknown): Sample[] {
  if (!Array.isArray(json)) throw new Error('samples file must hold a JSON array');
  return json.map((raw, i): Sample => {
    if (!isRecord(raw)) throw new Error(`sample #${i} is not an object`);
    const id = raw['id'];
    if (typeof id !== 'string' || id === '') throw new Error(`sample #${i} has no id`);
    const location = raw['location'];
    const expected = parseExpected(raw['expected']);
    return {
      id,
      channel: typeof raw['channel'] === 'string' ? raw['channel'] : '',
      text: typeof raw['text'] === 'string' ? raw['text'] : '',
      ...(typeof raw['subject'] === 'string' ? { subject: raw['subject'] } : {}),
      ...(typeof raw['category_hint'] === 'string' ? { category_hint: raw['category_hint'] } : {}),
      ...(isRecord(location) ? { location: { lat: location['lat'], lon: location['lon'] } } : {}),
      received_at: typeof raw['received_at'] === 'string' ? raw['received_at'] : '',
      ...(expected ? { expected } : {}),
    };
  });
}

export function toRoutingInput(sample: Sample): RoutingInput {
  return {
    id: sample.id,
    channel: sample.channel,
    text: sample.text,
    ...(sample.subject !== undefined ? { subject: sample.subject } : {}),
    ...(sample.category_hint !== undefined ? { categoryHint: sample.category_hint } : {}),
    ...(sample.location ? { location: sample.location } : {}),
    receivedAt: sample.received_at,
  };
}

/** Chronological, as the router would have seen them; ties keep file order. */
export function chronological(samples: readonly Sample[]): Sample[] {
  return samples
    .map((s, i) => ({ s, i, t: Date.parse(s.received_at) }))
    .sort(
      (a, b) =>
        (Number.isFinite(a.t) ? a.t : Infinity) - (Number.isFinite(b.t) ? b.t : Infinity) || a.i - b.i,
    )
    .map((x) => x.s);
}
