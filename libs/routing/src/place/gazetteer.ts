import type { WilayahRow } from '@aduan/reference-data';
import { boundedEditDistance } from '../text/edit-distance';
import { normalizeText, type Token } from '../text/normalize';

export type NameKind = 'kelurahan' | 'kecamatan' | 'kota' | 'landmark';

/** What a landmark is visited for, when its own manager answers for its upkeep. */
export const SITE_KINDS = ['tourism', 'sports'] as const;
export type SiteKind = (typeof SITE_KINDS)[number];

export function isSiteKind(value: unknown): value is SiteKind {
  return (SITE_KINDS as readonly unknown[]).includes(value);
}

export interface LandmarkInfo {
  readonly label: string;
  /** Null for landmarks known to sit on a boundary (or wide areas): they never decide alone. */
  readonly kelurahan: string | null;
  readonly candidates: readonly string[];
  readonly confidence: number;
  readonly kind: 'landmark' | 'street' | 'area';
  /** What visitors come for: "tourism" for monuments, museums, beaches, the zoo; "sports" for stadiums and halls. */
  readonly site?: SiteKind;
}

export interface GazetteerName {
  readonly kind: NameKind;
  readonly label: string;
  /** Kemendagri code for wilayah names. */
  readonly kode?: string;
  readonly landmark?: LandmarkInfo;
  readonly compact: string;
  readonly needsMarker: boolean;
  /**
   * The name begins with what the place is ("Taman Suropati", "Rusun Marunda"): that word
   * stays visible to the classifier, which reads a park's lamps as the park's.
   */
  readonly facilityHead?: boolean;
}

/** What stands just before a name tells what the writer meant by it. */
/**
 * `approach`: "jalan menuju Masjid X", the way into a place, so at it; a landmark there places
 * the report, a kelurahan or kecamatan named there does not (the road leads towards it).
 */
export type MentionContext =
  'kel' | 'kec' | 'kota' | 'plain' | 'street' | 'facility' | 'direction' | 'approach';

export interface PlaceMention {
  /** Token span [start, end). */
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly names: readonly GazetteerName[];
  readonly context: MentionContext;
  /** Edit distance of a fuzzy match; 0 when exact. */
  readonly distance: number;
  /** Kelurahan codes that complete a truncated name ("Pejaten" → Barat/Timur). */
  readonly partial: readonly string[];
  /**
   * Where the writer lives or sets out from ("saya tinggal di X", "kami warga Kel. X", "rumah di
   * X, …", "dari X naik MRT"), not necessarily where the problem is.
   */
  readonly residence: boolean;
  /**
   * A kota name after an office or institution the text puts the matter at: "di PPKD Jakarta
   * Timur", "di Sudin Jakarta Utara". No address needs "di" and another word before its kota.
   */
  readonly institution: boolean;
}

export interface LandmarkData {
  readonly landmarks: readonly {
    readonly names: readonly string[];
    readonly kelurahan: string | null;
    readonly candidates?: readonly string[];
    readonly confidence?: number;
    readonly kind?: 'landmark' | 'street' | 'area';
    readonly site?: SiteKind;
  }[];
  readonly needsMarker: readonly string[];
  /** First words of landmark names that say what kind of facility it is ("taman", "rusun"). */
  readonly facilityHeads?: readonly string[];
}

const MAX_SPAN = 5;
const KEL_MARKERS = new Set(['kel', 'kelurahan', 'desa', 'kelurahaan']);
const KEC_MARKERS = new Set(['kec', 'kecamatan']);
const KOTA_MARKERS = new Set(['kota', 'kab', 'kabupaten', 'kotamadya']);
/** "tinggal di", "ngekos di", "rumah saya di": what follows is the writer's home. */
const LIVES_BEFORE_DI = new Set(['tinggal', 'ngekos', 'kos', 'kost', 'ngontrak', 'domisili', 'berdomisili']);
const HOME_WORDS = new Set(['rumah', 'kontrakan']);
const FIRST_PERSON = new Set(['saya', 'kami', 'aku', 'gue', 'gw', 'sy', 'ku']);
/** "West Tebet", "North Kembangan": English puts the direction first. */
const ENGLISH_DIRECTION: ReadonlyMap<string, string> = new Map([
  ['north', 'utara'],
  ['south', 'selatan'],
  ['east', 'timur'],
  ['west', 'barat'],
]);
// Not "gang": an alley named after a kelurahan is in it ("gang Tanah Sereal"); a road may run far.
const STREET_BEFORE = new Set(['jalan', 'lorong', 'jalur', 'street', 'road']);
const STREET_AFTER = new Set(['raya', 'street', 'road', 'st']);
// Only true headings: "ke Kota Tua" or "dari Cipulir" may well be where the problem is.
// A route ("rute Kampung Melayu–Pulo Gadung", "trayek", "koridor") runs through many kelurahan.
const DIRECTION_BEFORE = new Set([
  'arah',
  'menuju',
  'towards',
  'tembus',
  'jurusan',
  'rute',
  'trayek',
  'koridor',
]);
const APPROACH_BEFORE = new Set(['jalan', 'gang', 'akses', 'jalur']);
// Public primary schools, cemeteries and puskesmas are named after the kelurahan they are in
// ("SDN Kelapa Dua Wetan 03", "TPU Pondok Ranggon"), so sd/sdn, tpu/makam and puskesmas are not
// here, nor "sekolah" ("depan sekolah Tj. Duren Utara" is a school there).
const FACILITY_BEFORE = new Set([
  'stasiun',
  'station',
  'peron',
  'terminal',
  'halte',
  'pasar',
  'market',
  'kali',
  'sungai',
  'river',
  'flyover',
  'underpass',
  'tol',
  'rusun',
  'rusunawa',
  'rusunami',
  'apartemen',
  'mall',
  'mal',
  'plaza',
  'rs',
  'rsud',
  'sakit',
  'polsek',
  'polres',
  'koramil',
  'kantor',
  'smp',
  'smpn',
  'sma',
  'sman',
  'smk',
  'masjid',
  'gereja',
  'simpang',
  'perempatan',
  'pertigaan',
  'bundaran',
  'gerbang',
  'pintu',
  'taman',
  'lapangan',
  'waduk',
  'situ',
  'kanal',
  'jembatan',
  'universitas',
  'kampus',
  'stadion',
  'gor',
  'perumahan',
  'komplek',
  'kompleks',
  'perum',
  'cluster',
  'pos',
  'bantaran',
  'tanggul',
  'pelabuhan',
  'dermaga',
  'bandara',
  'bridge',
  'kolong',
  'koridor',
  'tugu',
  'uki',
]);
/** "rs", "pasar", "stasiun": a word that says what kind of place follows. */
export function isFacilityWord(word: string): boolean {
  return FACILITY_BEFORE.has(word);
}
const DIRECTIONAL_LAST = new Set(['utara', 'selatan', 'barat', 'timur']);
/**
 * Words of place names as they are abbreviated in addresses ("Kel. Tj. Priok", "Kb. Jeruk",
 * "Cempaka Putih Brt"). Expanded only while matching place names: "KB" elsewhere is family planning.
 */
const PLACE_ABBREVIATIONS: ReadonlyMap<string, string> = new Map([
  ['brt', 'barat'],
  ['bar', 'barat'],
  ['tmr', 'timur'],
  ['tim', 'timur'],
  ['utr', 'utara'],
  ['ut', 'utara'],
  ['sel', 'selatan'],
  ['sl', 'selatan'],
  ['slt', 'selatan'],
  ['sltn', 'selatan'],
  ['selt', 'selatan'],
  ['tj', 'tanjung'],
  ['tjg', 'tanjung'],
  ['tg', 'tanjung'],
  ['kb', 'kebon'],
  ['kbn', 'kebon'],
  ['kp', 'kampung'],
  ['kmp', 'kampung'],
  ['kamp', 'kampung'],
  ['pd', 'pondok'],
  ['pdk', 'pondok'],
  ['ps', 'pasar'],
  ['psr', 'pasar'],
  ['kby', 'kebayoran'],
  ['keb', 'kebayoran'],
  ['klp', 'kelapa'],
  ['gn', 'gunung'],
  ['smr', 'sumur'],
  ['gng', 'gunung'],
  ['cp', 'cempaka'],
  ['jt', 'jati'],
  ['cip', 'cipinang'],
  ['p', 'pulau'],
  ['pl', 'pulau'],
  ['rw', 'rawa'],
  ['jkt', 'jakarta'],
  ['jak', 'jakarta'],
]);
const KOTA_ALIASES: Readonly<Record<string, readonly string[]>> = {
  '31.01': ['kepulauan seribu', 'pulau seribu', 'kep seribu', 'kabupaten kepulauan seribu'],
  '31.71': ['jakarta pusat'],
  '31.72': ['jakarta utara'],
  '31.73': ['jakarta barat'],
  '31.74': ['jakarta selatan'],
  '31.75': ['jakarta timur'],
};

const PUBLIC_SCHOOL = /^(sd|smp|sma|smk)(?:n| negeri)? (\d+)( .+)?$/;

/**
 * A public school is written "SMAN 70", "SMA Negeri 70", "SMA 70", with or without "Jakarta" or
 * its street: every writing of a gazetteer's school name names it.
 */
function schoolNameVariants(name: string): string[] {
  const m = PUBLIC_SCHOOL.exec(name);
  if (!m) return [name];
  const [, level, number, rest = ''] = m;
  const tails = rest === ' jakarta' || rest === '' ? ['', ' jakarta'] : [rest];
  const variants = new Set([name]);
  for (const head of [`${level}n`, `${level} negeri`, `${level}`])
    for (const tail of tails) variants.add(`${head} ${number}${tail}`);
  return [...variants];
}

function compactOf(words: readonly string[]): string {
  return words.join('');
}

function tokensOf(name: string): string[] {
  return normalizeText(name).tokens.map((t) => t.text);
}

/**
 * Place names of DKI (kelurahan, kecamatan, kota from wilayah.json) and the curated
 * landmarks, matched in token streams. Names are compared without spaces so that
 * "Kramatjati"/"Kramat Jati" and "Palmeriam"/"Pal Meriam" meet.
 */
export class Gazetteer {
  private readonly exact = new Map<string, GazetteerName[]>();
  private readonly fuzzyBuckets = new Map<string, GazetteerName[]>();
  /** Unmarked fuzzy matching runs at every token, so it uses narrower (3-letter) buckets. */
  private readonly unmarkedBuckets = new Map<string, GazetteerName[]>();
  private readonly partials = new Map<string, string[]>();

  constructor(wilayah: readonly WilayahRow[], landmarks: LandmarkData) {
    const needsMarker = new Set(landmarks.needsMarker.map((n) => compactOf(tokensOf(n))));
    const add = (name: GazetteerName): void => {
      const list = this.exact.get(name.compact);
      if (list) list.push(name);
      else this.exact.set(name.compact, [name]);
      if (name.compact.length >= 5) {
        // Keyed by the first two letters, and by the first and third, so that after "kel." a
        // dropped second letter ("Pnjaringan") still finds its bucket.
        for (const key of new Set([
          name.compact.slice(0, 2),
          name.compact.slice(0, 1) + name.compact.slice(2, 3),
        ])) {
          const bucket = this.fuzzyBuckets.get(key);
          if (bucket) bucket.push(name);
          else this.fuzzyBuckets.set(key, [name]);
        }
      }
      if (name.kind === 'kelurahan' && !name.needsMarker && name.compact.length >= 8) {
        // Also under its first, third and fourth letters: "Ptukangan Utara" drops the second.
        for (const key of new Set([name.compact.slice(0, 3), name.compact[0] + name.compact.slice(2, 4)])) {
          const bucket = this.unmarkedBuckets.get(key);
          if (bucket) bucket.push(name);
          else this.unmarkedBuckets.set(key, [name]);
        }
      }
    };

    for (const row of wilayah) {
      if (row.level === 'provinsi') continue;
      if (row.level === 'kabupaten_kota') {
        for (const alias of KOTA_ALIASES[row.kode] ?? []) {
          add({
            kind: 'kota',
            label: row.nama,
            kode: row.kode,
            compact: compactOf(tokensOf(alias)),
            needsMarker: false,
          });
        }
        continue;
      }
      const words = tokensOf(row.nama);
      const compact = compactOf(words);
      add({
        kind: row.level,
        label: row.nama,
        kode: row.kode,
        compact,
        needsMarker: needsMarker.has(compact),
      });
      const last = words[words.length - 1];
      if (row.level === 'kelurahan' && words.length >= 2 && last && DIRECTIONAL_LAST.has(last)) {
        const prefix = compactOf(words.slice(0, -1));
        const list = this.partials.get(prefix);
        if (list) list.push(row.kode);
        else this.partials.set(prefix, [row.kode]);
      }
    }

    const heads = new Set(landmarks.facilityHeads ?? []);
    for (const lm of landmarks.landmarks) {
      const info: LandmarkInfo = {
        label: lm.names[0] ?? '',
        kelurahan: lm.kelurahan,
        candidates: lm.candidates ?? (lm.kelurahan ? [lm.kelurahan] : []),
        confidence: lm.confidence ?? 0.85,
        kind: lm.kind ?? 'landmark',
        ...(lm.site ? { site: lm.site } : {}),
      };
      for (const alias of lm.names.flatMap(schoolNameVariants)) {
        add({
          kind: 'landmark',
          label: alias,
          landmark: info,
          compact: compactOf(tokensOf(alias)),
          needsMarker: false,
          ...(heads.has(tokensOf(alias)[0] ?? '') ? { facilityHead: true } : {}),
        });
      }
    }
  }

  /** All place mentions, left to right, longest match first, never overlapping. */
  findMentions(tokens: readonly Token[]): PlaceMention[] {
    const mentions: PlaceMention[] = [];
    let i = 0;
    while (i < tokens.length) {
      const m = this.matchAt(tokens, i);
      if (m) {
        mentions.push(m);
        i = m.end;
      } else i++;
    }
    return mentions;
  }

  private spanLimit(tokens: readonly Token[], i: number): number {
    let limit = 1;
    // The full stop of an abbreviation ("Tj. Priok") does not end the name.
    const continues = (j: number): boolean =>
      !tokens[j]?.breakBefore ||
      (tokens[j - 1] !== undefined && placeWord(tokens[j - 1] as Token) !== tokens[j - 1]?.text);
    while (limit < MAX_SPAN && i + limit < tokens.length && continues(i + limit)) limit++;
    return limit;
  }

  private matchAt(tokens: readonly Token[], i: number): PlaceMention | undefined {
    const first = tokens[i];
    if (!first || !/[a-z]/.test(first.text) || KEL_MARKERS.has(first.text) || KEC_MARKERS.has(first.text)) {
      return undefined;
    }
    // "RW 05" is a neighbourhood unit; "Rw. Badak" and "rw badak utara" are Rawa Badak.
    const next = tokens[i + 1];
    if (
      first.text === 'rw' &&
      (!next || !/^[a-z]/.test(next.text) || (!next.capitalized && next.breakBefore))
    )
      return undefined;
    const limit = this.spanLimit(tokens, i);
    const words = (len: number): string[] => tokens.slice(i, i + len).map(placeWord);
    const marker = this.markerBefore(tokens, i);
    const direction = ENGLISH_DIRECTION.get(first.text);
    for (let len = limit; direction && len >= 2; len--) {
      const names = this.exact.get(compactOf([...words(len).slice(1), direction]));
      if (names) return this.mention(tokens, i, len, names, 0, []);
    }

    let exactHit: { len: number; names: GazetteerName[] } | undefined;
    for (let len = limit; len >= 1 && !exactHit; len--) {
      const names =
        this.exact.get(compactOf(words(len))) ??
        this.exact.get(
          compactOf(tokens.slice(i, i + len).map((t) => PLACE_SECOND_READING.get(t.text) ?? placeWord(t))),
        );
      if (names) exactHit = { len, names };
    }

    const wantFuzzy = marker === 'kel' || marker === 'kec';
    let fuzzyHit: { len: number; names: GazetteerName[]; distance: number; score: number } | undefined;
    if (wantFuzzy || !exactHit) {
      for (let len = limit; len >= 1; len--) {
        const compact = compactOf(words(len));
        // One misspelt word ("Cililtan, Kramat Jati") counts when its own kecamatan follows.
        const confirmable = len === 1 && compact.length >= 7;
        const unmarkedOk = (len >= 2 && compact.length >= 9) || confirmable;
        if (!wantFuzzy && !unmarkedOk) continue;
        const maxEdits = wantFuzzy ? (compact.length >= 9 ? 2 : compact.length >= 5 ? 1 : 0) : 1;
        if (maxEdits === 0) continue;
        const bucket = wantFuzzy
          ? this.fuzzyBuckets.get(compact.slice(0, 2))
          : this.unmarkedBuckets.get(compact.slice(0, 3));
        for (const name of bucket ?? []) {
          const d = boundedEditDistance(compact, name.compact, maxEdits);
          if (d === 0 || d > maxEdits) continue;
          if (!wantFuzzy && len === 1 && !this.kecamatanFollows(tokens, i + 1, name.kode)) continue;
          const score = name.compact.length - 3 * d;
          if (!fuzzyHit || score > fuzzyHit.score) fuzzyHit = { len, names: [name], distance: d, score };
          else if (score === fuzzyHit.score && fuzzyHit.len === len && !fuzzyHit.names.includes(name)) {
            fuzzyHit.names.push(name);
          }
        }
      }
    }

    const exactScore = exactHit ? Math.max(...exactHit.names.map((n) => n.compact.length)) : -Infinity;
    if (exactHit && (!fuzzyHit || exactScore >= fuzzyHit.score)) {
      return this.mention(tokens, i, exactHit.len, exactHit.names, 0, []);
    }
    if (fuzzyHit) return this.mention(tokens, i, fuzzyHit.len, fuzzyHit.names, fuzzyHit.distance, []);

    for (let len = limit; len >= 1; len--) {
      const kodes = this.partials.get(compactOf(words(len)));
      if (kodes) return this.mention(tokens, i, len, [], 0, kodes);
    }
    return undefined;
  }

  /** The kecamatan of kelurahan `kode` is named at `start` ("Ciganjor Jagakarsa", "Cililtan, Kramat Jati"). */
  private kecamatanFollows(tokens: readonly Token[], start: number, kode: string | undefined): boolean {
    if (!kode) return false;
    const at = KEC_MARKERS.has(tokens[start]?.text ?? '') ? start + 1 : start;
    for (let len = 1; len <= 3 && at + len <= tokens.length; len++) {
      const names = this.exact.get(compactOf(tokens.slice(at, at + len).map(placeWord)));
      if (names?.some((n) => n.kind === 'kecamatan' && n.kode !== undefined && kode.startsWith(`${n.kode}.`)))
        return true;
    }
    return false;
  }

  private markerBefore(tokens: readonly Token[], i: number): 'kel' | 'kec' | 'kota' | undefined {
    const prev = tokens[i - 1]?.text;
    if (!prev) return undefined;
    if (KEL_MARKERS.has(prev)) return 'kel';
    if (KEC_MARKERS.has(prev)) return 'kec';
    if (KOTA_MARKERS.has(prev)) return 'kota';
    return undefined;
  }

  private mention(
    tokens: readonly Token[],
    start: number,
    len: number,
    names: GazetteerName[],
    distance: number,
    partial: string[],
  ): PlaceMention {
    const end = start + len;
    return {
      start,
      end,
      text: tokens
        .slice(start, end)
        .map((t) => t.text)
        .join(' '),
      names,
      context: this.contextOf(tokens, start, end),
      distance,
      partial,
      residence: residenceAround(tokens, start, end),
      institution: names.some((n) => n.kind === 'kota') && institutionBefore(tokens, start),
    };
  }

  private contextOf(tokens: readonly Token[], start: number, end: number): MentionContext {
    const marker = this.markerBefore(tokens, start);
    if (marker) return marker;
    const next = tokens[end];
    if (next && !next.breakBefore && STREET_AFTER.has(next.text)) return 'street';
    const first = tokens[start];
    const prev = tokens[start - 1];
    if (!prev || first?.breakBefore) return 'plain';
    if (insideStreetName(tokens, start)) return 'street';
    if (STREET_BEFORE.has(prev.text)) return 'street';
    // "jl raya lenteng agung": a street, lower case or not.
    if (prev.text === 'raya' && STREET_BEFORE.has(tokens[start - 2]?.text ?? '')) return 'street';
    // An island of Kepulauan Seribu is its kelurahan: "dermaga Pulau Tidung" is on Pulau Tidung.
    if (FACILITY_BEFORE.has(prev.text)) return placeWord(first as Token) === 'pulau' ? 'plain' : 'facility';
    if (prev.text === 'menuju' && APPROACH_BEFORE.has(tokens[start - 2]?.text ?? '')) return 'approach';
    if (DIRECTION_BEFORE.has(prev.text)) return 'direction';
    return 'plain';
  }
}

/**
 * Second readings, tried when the first finds nothing: numbers written as digits in kelurahan
 * names ("Jembatan 5"; landmarks keep their digits, "SMAN 1"), and abbreviations of two words
 * ("Cp." is Cempaka or Cipinang).
 */
const PLACE_SECOND_READING: ReadonlyMap<string, string> = new Map([
  ['cp', 'cipinang'],
  ['1', 'satu'],
  ['2', 'dua'],
  ['3', 'tiga'],
  ['4', 'empat'],
  ['5', 'lima'],
]);

/** A token as a word of a place name: abbreviations expanded ("Pd." reads as "pada" elsewhere). */
function placeWord(t: Token): string {
  if (t.text === 'pada' && t.capitalized) return 'pondok';
  return PLACE_ABBREVIATIONS.get(t.text) ?? t.text;
}

const SETTING_OUT_AFTER = new Set(['naik', 'ke', 'menuju', 'sampai', 'sampe']);

function residenceAround(tokens: readonly Token[], start: number, end: number): boolean {
  let j = start - 1;
  if (KEL_MARKERS.has(tokens[j]?.text ?? '') || KEC_MARKERS.has(tokens[j]?.text ?? '')) j--;
  const [w1, w2, w3] = [tokens[j]?.text, tokens[j - 1]?.text, tokens[j - 2]?.text];
  if (w1 === 'warga') return FIRST_PERSON.has(w2 ?? '');
  if (w1 === 'dari') return SETTING_OUT_AFTER.has(tokens[end]?.text ?? '');
  if (w1 !== 'di') return false;
  if (LIVES_BEFORE_DI.has(w2 ?? '')) return true;
  if (FIRST_PERSON.has(w2 ?? '') && (HOME_WORDS.has(w3 ?? '') || LIVES_BEFORE_DI.has(w3 ?? ''))) return true;
  // "rumah di X, anak sekolah di Y": an address set apart; "rumah di X kebanjiran" is the problem.
  return HOME_WORDS.has(w2 ?? '') && tokens[end]?.breakBefore === true;
}

/** "di PPKD Jakarta Timur": one or two words of an institution's name between "di" and the kota. */
function institutionBefore(tokens: readonly Token[], start: number): boolean {
  for (let j = start - 1; j >= Math.max(0, start - 3); j--) {
    const t = tokens[j];
    if (!t) return false;
    if (t.text === 'di') return j < start - 1;
    if (tokens[j + 1]?.breakBefore) return false;
  }
  return false;
}

/** "Jl. Pemuda Rawamangun": a capitalised name continuing a street name is part of that street. */
function insideStreetName(tokens: readonly Token[], start: number): boolean {
  if (!tokens[start]?.capitalized) return false;
  for (let j = start - 1; j >= Math.max(0, start - 4); j--) {
    const t = tokens[j];
    if (!t) return false;
    if (t.streetAbbreviation) return true;
    if (!t.capitalized || tokens[j + 1]?.breakBefore) return false;
  }
  return false;
}
