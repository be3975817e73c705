import { isFacilityWord, type PlaceMention, type SiteKind } from './gazetteer';
import { type WilayahDirectory, kecamatanKodeOf, kotaKodeOf } from './wilayah-directory';

export type PlaceLevel = 'kelurahan' | 'kecamatan' | 'kota';

export interface PlaceCandidate {
  readonly kode: string;
  readonly nama: string;
  readonly level: PlaceLevel;
  readonly confidence: number;
  /** Why it is a candidate, e.g. `kel. cempaka puti barat` or `landmark stasiun tebet`. */
  readonly source: string;
}

export interface TextPlace {
  readonly kelurahanKode?: string;
  readonly kecamatanKode?: string;
  readonly kotaKode?: string;
  readonly confidence: number;
  readonly evidence?: string;
  readonly candidates: readonly PlaceCandidate[];
  readonly reasons: readonly string[];
  /** Tokens that are place names: the category classifier must not read "Lubang Buaya" as a pothole. */
  readonly maskedTokens: ReadonlySet<number>;
  /** A site the text names ("setu babakan", "GOR Ciracas"), wherever the report is placed. */
  readonly site?: NamedSite;
}

/** A place people visit for what it is, whose own manager answers for its upkeep. */
export interface NamedSite {
  readonly kind: SiteKind;
  readonly label: string;
}

/** A text place at or above this confidence names the kelurahan; below it is only a candidate. */
export const DECISIVE = 0.6;

interface Cand {
  kode: string;
  confidence: number;
  source: string;
  span: number;
  /** Unmarked kecamatan-like or everyday names that a kecamatan named elsewhere can confirm. */
  promotable: boolean;
  /** From a truncated name ("Pejaten" → Barat/Timur). */
  fragment?: boolean;
}

/**
 * Turns place mentions into at most one kelurahan, following the labelling rules: a
 * kelurahan must be unambiguous; names that are also kecamatan names count as kelurahan only
 * with a "kel." marker or a confirming kecamatan; streets, facilities and directions
 * ("arah Cililitan") never decide; a boundary landmark never decides.
 */
export function resolveTextPlace(mentions: readonly PlaceMention[], directory: WilayahDirectory): TextPlace {
  const cands: Cand[] = [];
  const kecMentions: { kode: string; span: number }[] = [];
  const kotaMentions = new Set<string>();
  const reasons: string[] = [];
  const masked = new Set<number>();
  let site: NamedSite | undefined;

  mentions.forEach((m, span) => {
    const wilayahNames = m.names.filter((n) => n.kind !== 'landmark');
    const landmarks = m.names.filter((n) => n.kind === 'landmark');
    const marked = m.context === 'kel' || m.context === 'kec';
    const names = landmarks.length > 0 && !(marked && wilayahNames.length > 0) ? landmarks : wilayahNames;
    const isKecamatanToo = m.names.some((n) => n.kind === 'kecamatan');
    const weakPlain = m.context === 'plain' && names.every((n) => n.needsMarker);
    const headVisible = names.length > 0 && names.every((n) => n.facilityHead);
    if (!(weakPlain && m.end - m.start === 1))
      for (let t = headVisible ? m.start + 1 : m.start; t < m.end; t++) masked.add(t);
    const fuzzyPenalty = 0.07 * m.distance;

    for (const kode of m.partial) {
      cands.push({
        kode,
        confidence: 0.3,
        source: `partial name "${m.text}"`,
        span,
        promotable: false,
        fragment: true,
      });
    }
    for (const name of names) {
      if (name.kind === 'landmark' && name.landmark) {
        const lm = name.landmark;
        if (lm.site && m.context !== 'direction' && m.context !== 'street')
          site ??= { kind: lm.site, label: lm.label };
        // "Jl. RS Fatmawati", "Jalan Pasar Minggu": a street named after a facility runs far from it
        // ("Jl. Petak Sembilan" is the quarter itself).
        if (m.context === 'street' && lm.kind === 'landmark' && isFacilityWord(m.text.split(' ')[0] ?? ''))
          continue;
        if (m.context === 'direction' || !lm.kelurahan) {
          for (const kode of lm.candidates) {
            cands.push({ kode, confidence: 0.35, source: `landmark ${lm.label}`, span, promotable: false });
          }
          if (!lm.kelurahan && m.context !== 'direction') {
            reasons.push(`landmark_ambiguous: "${m.text}" lies on a kelurahan boundary or spans several`);
          }
        } else {
          cands.push({
            kode: lm.kelurahan,
            confidence: lm.confidence - fuzzyPenalty,
            source: `landmark ${lm.label}`,
            span,
            promotable: false,
          });
        }
      } else if (name.kind === 'kota' && name.kode) {
        if (m.context === 'plain' || m.context === 'kota') kotaMentions.add(name.kode);
      } else if (name.kind === 'kecamatan' && name.kode) {
        if (m.context === 'plain' || m.context === 'kec') kecMentions.push({ kode: name.kode, span });
      } else if (name.kind === 'kelurahan' && name.kode) {
        let confidence: number;
        let promotable = false;
        if (m.context === 'kel') confidence = 0.95;
        else if (m.context === 'plain') {
          promotable = isKecamatanToo || name.needsMarker;
          confidence = promotable ? 0.45 : 0.8;
        } else confidence = 0.3;
        const label = m.context === 'kel' ? `kel. ${m.text}` : m.text;
        cands.push({
          kode: name.kode,
          confidence: confidence - fuzzyPenalty,
          source: label,
          span,
          promotable,
        });
      }
    }
  });

  // "Saya tinggal di Rawa Buaya, … lampu di gang kakak saya di Kapuk mati": where the writer
  // lives yields to any other place the text names. The address goes on in the names right
  // after it ("warga Kel. Bungur, Senen").
  const aside: boolean[] = [];
  mentions.forEach((m, i) => {
    const prev = mentions[i - 1];
    aside.push(m.residence || (prev !== undefined && aside[i - 1] === true && m.start - prev.end <= 1));
  });
  const home = new Set(cands.filter((c) => aside[c.span]).map((c) => c.kode));
  // "Saya warga Kel. Petojo Utara, … pelatihan di PPKD Jakarta Pusat": an office named by its
  // kota is where the matter is, somewhere the text does not place.
  const elsewhere = mentions.some((m, i) => m.institution && !aside[i]);
  // A fragment of a name ("Pejaten") is too weak to move the report away; a street or a heading is not.
  if (elsewhere || cands.some((c) => !aside[c.span] && !home.has(c.kode) && !c.fragment))
    cands.splice(0, cands.length, ...cands.filter((c) => !aside[c.span]));

  for (const c of cands) {
    const kec = kecamatanKodeOf(c.kode);
    const confirming = kecMentions.filter((k) => k.kode === kec && k.span !== c.span);
    const others = kecMentions.filter((k) => k.span !== c.span);
    if (confirming.length > 0) {
      c.confidence = c.promotable ? Math.max(c.confidence, 0.75) : c.confidence + 0.04;
    } else if (others.length > 0 && c.confidence >= DECISIVE) {
      c.confidence -= 0.2;
    }
    if (kotaMentions.size > 0) c.confidence += kotaMentions.has(kotaKodeOf(c.kode)) ? 0.01 : -0.15;
  }

  const best = new Map<string, Cand>();
  for (const c of cands) {
    const prev = best.get(c.kode);
    if (!prev || c.confidence > prev.confidence) best.set(c.kode, c);
  }
  const ranked = [...best.values()].sort(
    (a, b) => b.confidence - a.confidence || a.kode.localeCompare(b.kode),
  );
  const candidates: PlaceCandidate[] = ranked.slice(0, 5).map((c) => ({
    kode: c.kode,
    nama: directory.area(c.kode)?.nama ?? c.kode,
    level: 'kelurahan',
    confidence: round(Math.max(0, Math.min(1, c.confidence))),
    source: c.source,
  }));

  // What every answer carries; `reasons` keeps growing below.
  const read = { candidates, reasons, maskedTokens: masked, ...(site ? { site } : {}) };

  const top = ranked[0];
  if (top && top.confidence >= DECISIVE) {
    const rival = ranked.find((c) => c.kode !== top.kode && c.confidence >= DECISIVE);
    // A name written after "kel." (0.95) outranks a certain landmark (0.85): the writer said so.
    if (rival && top.confidence - rival.confidence < 0.1 - 1e-9) {
      reasons.push(
        `place_ambiguous: the text names both ${nameOf(directory, top.kode)} and ${nameOf(directory, rival.kode)}`,
      );
      return { confidence: 0, ...read };
    }
    const kecNamed = kecMentions.map((k) => k.kode).filter((k) => k !== kecamatanKodeOf(top.kode));
    if (kecNamed.length > 0 && !kecMentions.some((k) => k.kode === kecamatanKodeOf(top.kode))) {
      reasons.push(
        `place_kecamatan_mismatch: ${nameOf(directory, top.kode)} is not in Kec. ${nameOf(directory, kecNamed[0] ?? '')}`,
      );
    }
    return {
      kelurahanKode: top.kode,
      kecamatanKode: kecamatanKodeOf(top.kode),
      kotaKode: kotaKodeOf(top.kode),
      confidence: round(Math.min(0.97, top.confidence)),
      evidence: top.source,
      ...read,
    };
  }

  const kecs = [...new Set(kecMentions.map((k) => k.kode))];
  if (kecs.length === 1 && kecs[0]) {
    const kec = kecs[0];
    reasons.push(`only_kecamatan_named: Kec. ${nameOf(directory, kec)} but no kelurahan`);
    return {
      kecamatanKode: kec,
      kotaKode: kotaKodeOf(kec),
      confidence: 0,
      ...read,
      candidates: [
        ...candidates,
        {
          kode: kec,
          nama: nameOf(directory, kec),
          level: 'kecamatan',
          confidence: 0.5,
          source: 'kecamatan named',
        },
      ],
    };
  }
  const kotas = [...kotaMentions];
  if (kotas.length === 1 && kotas[0]) {
    return { kotaKode: kotas[0], confidence: 0, ...read };
  }
  return { confidence: 0, ...read };
}

function nameOf(directory: WilayahDirectory, kode: string): string {
  return directory.area(kode)?.nama ?? kode;
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
