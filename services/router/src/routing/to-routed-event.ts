import type {
  ComplaintReceived,
  ComplaintRouted,
  RoutingCandidate,
  RoutingReason,
  Unit,
} from '@aduan/contracts';
import type { ResolvedUnit, RoutingDecision, RoutingInput } from '@aduan/routing';

export function toRoutingInput(e: ComplaintReceived): RoutingInput {
  return {
    id: e.reportId,
    channel: e.channel,
    text: e.text,
    ...(e.subject ? { subject: e.subject } : {}),
    ...(e.category ? { categoryHint: e.category } : {}),
    location: e.location ? { lat: e.location.lat, lon: e.location.lon } : null,
    receivedAt: e.receivedAt,
  };
}

/**
 * The unit's code, in the scheme officers' accounts use: an OPD by its code, a Suku Dinas as
 * `<OPD>.<kota kode>`, a regional office by its Kemendagri code.
 */
export function unitCode(unit: ResolvedUnit): string {
  if (!unit.wilayahKode) return unit.opd;
  if (unit.level === 'kota' && unit.opd !== 'KOTA_ADM') return `${unit.opd}.${unit.wilayahKode}`;
  return unit.wilayahKode;
}

/** `code: human text` → { code, detail }, as the library writes its reasons. */
export function toReason(reason: string): RoutingReason {
  const colon = reason.indexOf(':');
  if (colon < 0) return { code: reason.trim() };
  return { code: reason.slice(0, colon).trim(), detail: reason.slice(colon + 1).trim() };
}

function candidates(decision: RoutingDecision): RoutingCandidate[] {
  const { categories, places, opds } = decision.candidates;
  return [
    ...categories.map((c) => ({
      category: c.name,
      score: round(c.confidence),
      ...(c.opd ? { opd: c.opd } : {}),
    })),
    ...opds.map((o) => ({ category: o.category, opd: o.opd, score: 0 })),
    ...places
      .filter((p) => p.level === 'kelurahan')
      .map((p) => ({ kelurahanKode: p.kode, score: round(p.confidence) })),
  ];
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

export function toRoutedEvent(e: ComplaintReceived, d: RoutingDecision, routedAt: Date): ComplaintRouted {
  const area =
    d.kelurahan && d.kecamatan && d.kota
      ? {
          kelurahan: { kode: d.kelurahan.kode, nama: d.kelurahan.nama },
          kecamatan: { kode: d.kecamatan.kode, nama: d.kecamatan.nama },
          kota: { kode: d.kota.kode, nama: d.kota.nama },
        }
      : null;
  const unit: Unit | null =
    d.unit && d.outcome !== 'REJECTED' ? { code: unitCode(d.unit), name: d.unit.label } : null;
  return {
    reportId: e.reportId,
    trackingCode: e.trackingCode,
    outcome: d.outcome,
    category: d.category ?? null,
    categoryConfidence: Math.min(1, Math.max(0, d.categoryConfidence)),
    area,
    placeConfidence: Math.min(1, Math.max(0, d.placeConfidence)),
    unit,
    opd: d.outcome === 'REJECTED' ? null : (d.opd ?? null),
    duplicateOf: d.duplicateOf ?? null,
    reasons: d.reasons.map(toReason),
    candidates: candidates(d),
    rule:
      d.ruleId !== undefined && d.rulesVersion !== undefined
        ? { id: d.ruleId, version: d.rulesVersion }
        : null,
    routedAt: routedAt.toISOString(),
  };
}
