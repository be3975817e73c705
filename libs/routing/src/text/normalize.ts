import { readRoutingJson, isRecord } from '../data-files';
import { rootCandidates } from './stem';

export interface Token {
  /** Standardised surface form (lower case, slang expanded). */
  readonly text: string;
  readonly index: number;
  /** A punctuation mark or line break stood before it: names and phrases never span it. */
  readonly breakBefore: boolean;
  readonly sentence: number;
  /** Plausible roots, `text` first; lexicon terms are matched against these. */
  readonly roots: readonly string[];
  /** Written with a capital: inside a street name after "Jl." it is part of the name. */
  readonly capitalized: boolean;
  /** Written as the abbreviation "jl"/"jln" (a street name follows), not as the word "jalan". */
  readonly streetAbbreviation: boolean;
}

export interface TextSignals {
  readonly urls: number;
  /**
   * Links outside go.id whose address names a city programme or body ("kjp-daftar.online",
   * "pbb-dki.pay-online.id"): the city does not send its programmes through such addresses.
   */
  readonly lookalikeUrls: number;
  readonly phones: number;
  readonly mentions: number;
  readonly hashtags: readonly string[];
  readonly emojis: number;
  /** Words with asterisks inside, e.g. "anj*ng": self-censored profanity. */
  readonly censored: number;
  readonly questionMarks: number;
  /** "… gak?", "… ya?", "…kah?": a yes/no question. */
  readonly yesNoQuestions: number;
  /** Laughter: "wkwk", "hahaha", 😂 🤣. */
  readonly laughs: number;
  readonly exclamations: number;
  readonly letters: number;
  readonly truncated: boolean;
}

export interface NormalizedText {
  readonly tokens: readonly Token[];
  readonly signals: TextSignals;
}

/**
 * Beyond this the text is not read: a 100 KB paste is never a better complaint than its
 * first pages, and cost must stay bounded per report.
 */
export const MAX_ANALYSED_CHARS = 8_000;

let slangCache: ReadonlyMap<string, readonly string[]> | undefined;
let lowercaseOnlyCache: ReadonlySet<string> | undefined;

function slang(): ReadonlyMap<string, readonly string[]> {
  if (slangCache) return slangCache;
  const root = readRoutingJson('slang.json');
  const map = new Map<string, readonly string[]>();
  const tokens = isRecord(root) ? root['tokens'] : undefined;
  if (isRecord(tokens)) {
    for (const [from, to] of Object.entries(tokens)) {
      if (typeof to === 'string') map.set(from, to.split(/\s+/).filter(Boolean));
    }
  }
  const lower =
    isRecord(root) && isRecord(root['lowercaseOnly']) ? root['lowercaseOnly']['words'] : undefined;
  lowercaseOnlyCache = new Set(
    Array.isArray(lower) ? lower.filter((w): w is string => typeof w === 'string') : [],
  );
  slangCache = map;
  return map;
}

/** Abbreviations expanded only when not written in capitals ("tpi" = tapi, "TPI" = fish auction). */
function lowercaseOnly(): ReadonlySet<string> {
  slang();
  return lowercaseOnlyCache ?? new Set();
}

const URL_RE =
  /\b(?:https?:\/\/\S+|www\.\S+|[a-z0-9-]+\.(?:ly|com|id|co|net|org|xyz|info|site|link|me|io|app|cc|online|top|click|shop|store|biz|live|vip|tk|ml|ga|cf|gq)(?:\/\S*)?)/gi;
const PHONE_RE = /(?:\+?62|\b0)8[0-9x][0-9x\-\s.]{6,16}/gi;
const MENTION_RE = /@[a-z0-9_]+/gi;
const HASHTAG_RE = /#([\p{L}\p{N}_]+)/gu;
const EMOJI_RE = /\p{Extended_Pictographic}/gu;
const CENSORED_RE = /\b[\p{L}]+\*+[\p{L}]*\b/gu;
const BREAK_CHARS = /[.,;:!?()[\]{}"“”\n\r\t|/&+]/;
const SENTENCE_END = /[.!?\n]/;
const YES_NO_RE = /\b(?:gak|ga|gk|nggak|ngga|enggak|engga|tidak|ndak|ya|yah|kah|belum|blm|kan)\s*\?/gi;
const LAUGH_RE =
  /[\u{1F602}\u{1F923}\u{1F606}\u{1F639}]|\b(?:wk){2,}w?\b|\b(?:ha){3,}h?\b|\b(?:he){3,}\b|\bxixi\w*/giu;

const PROGRAMME_IN_ADDRESS =
  /(?:dki|jakarta|jkt|pemprov|kjp|kjmu|kjs|bansos|blt|bst|pkh|pbb|ktp|dukcapil|jaki|jakone|bpjs|kemensos|subsidi|pln|pdam|pam)/i;

function isLookalikeAddress(word: string): boolean {
  const host = word
    .toLowerCase()
    .replace(/^https?:\/\//, '')
    .split('/')[0];
  return !!host && !/\.go\.id$/.test(host) && PROGRAMME_IN_ADDRESS.test(host);
}

function countMatches(text: string, re: RegExp): number {
  return (text.match(re) ?? []).length;
}

/** Words before "kali" that make it "times", not "river": "3 kali", "ke-3 kalinya", "berkali-kali". */
const TIMES_BEFORE =
  /^(\d+|ber?kali|beberapa|berapa|sekian|banyak|satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|puluhan|ratusan)$/;

/** "Udah ke-3 kalinya" counts occasions; read as "kali" it would make a river complaint of it. */
function countsTimes(word: string, before: string | undefined): boolean {
  return (word === 'kali' || word === 'kalinya') && before !== undefined && TIMES_BEFORE.test(before);
}
/** Splits text into standardised tokens and counts the signals that spam and abuse screening use. */
export function normalizeText(input: string): NormalizedText {
  const truncated = input.length > MAX_ANALYSED_CHARS;
  // Case is kept until tokens are cut: capitals mark street names ("Jl. Pemuda").
  let text = (truncated ? input.slice(0, MAX_ANALYSED_CHARS) : input)
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '');

  const hashtags = [...text.matchAll(HASHTAG_RE)].map((m) => (m[1] ?? '').toLowerCase());
  const emojis = countMatches(text, EMOJI_RE);
  const urls = countMatches(text, URL_RE);
  const lookalikeUrls = text
    .split(/\s+/)
    .filter((word) => new RegExp(URL_RE.source, 'i').test(word) && isLookalikeAddress(word)).length;
  text = text.replace(URL_RE, ' urltoken ');
  const phones = countMatches(text, PHONE_RE);
  text = text.replace(PHONE_RE, ' phonetoken ');
  const mentions = countMatches(text, MENTION_RE);
  text = text.replace(MENTION_RE, ' ');
  const censored = countMatches(text, CENSORED_RE);
  text = text.replace(CENSORED_RE, ' sensorkasar ');
  const questionMarks = countMatches(text, /\?/g);
  const yesNoQuestions = countMatches(text, YES_NO_RE);
  const laughs = countMatches(text, LAUGH_RE);
  const exclamations = countMatches(text, /!/g);
  text = text.replace(/#/g, ' ').replace(/['’`]/g, '');
  // "kel." and "kec." are markers, not sentence ends.
  text = text.replace(/\b(kel|kec|jl|jln|gg|no|rt|rw|kab|kota|adm)\.\s*/gi, '$1 ');

  const tokens: Token[] = [];
  const map = slang();
  let pendingBreak = true;
  let sentence = 0;
  let letters = 0;
  // Walk runs of letters/digits; anything else is a separator, some of which are breaks.
  const re = /[\p{L}\p{N}]+|[^\p{L}\p{N}]+/gu;
  for (const match of text.matchAll(re)) {
    const piece = match[0];
    if (!/[\p{L}\p{N}]/u.test(piece)) {
      if (BREAK_CHARS.test(piece)) pendingBreak = true;
      if (SENTENCE_END.test(piece)) sentence++;
      continue;
    }
    const capitalized = /^\p{Lu}/u.test(piece);
    let word = piece.toLowerCase().replace(/([a-z])\1{2,}/g, '$1');
    const streetAbbreviation = word === 'jl' || word === 'jln';
    // Indonesian reduplication written with a 2: "bolong2", "anak2"; with a suffix after the
    // 2 ("mabuk2an", "kejar2an") the suffix belongs to the repeat: "mabuk mabukan".
    const redup = /^([a-z]{2,})2(an|nya|in|kan)?$/.exec(word);
    const repeat = redup?.[1] !== undefined;
    const repeatSuffix = redup?.[2] ?? '';
    if (redup?.[1]) word = redup[1];
    letters += word.replace(/[^a-z]/g, '').length;
    const acronym = piece.length >= 2 && piece === piece.toUpperCase() && lowercaseOnly().has(word);
    let expanded = acronym ? undefined : map.get(word);
    if (!expanded && word.endsWith('nya')) {
      // "lobangnya": the slang base with its possessive dropped.
      const base = map.get(word.slice(0, -3));
      if (base) expanded = base;
    }
    expanded ??= [word];
    if (repeat)
      expanded = repeatSuffix ? [...expanded, `${word}${repeatSuffix}`] : [...expanded, ...expanded];
    for (const raw of expanded) {
      const part = countsTimes(raw, tokens[tokens.length - 1]?.text) ? 'kalix' : raw;
      tokens.push({
        text: part,
        index: tokens.length,
        breakBefore: pendingBreak,
        sentence,
        roots: rootCandidates(part),
        capitalized,
        streetAbbreviation,
      });
      pendingBreak = false;
    }
  }

  return {
    tokens,
    signals: {
      urls,
      lookalikeUrls,
      phones,
      mentions,
      hashtags,
      emojis,
      censored,
      questionMarks,
      yesNoQuestions,
      laughs,
      exclamations,
      letters,
      truncated,
    },
  };
}
