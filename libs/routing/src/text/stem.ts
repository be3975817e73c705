/**
 * A deliberately over-generating Indonesian (and a little English) stemmer. Instead of
 * guessing the one true root it returns every plausible root, and lexicon terms (written as
 * roots) match when they are among them. That copes with informal nasal forms ("numpuk",
 * "ngalir", "nyangkut") that a formal stemmer such as Nazief–Adriani gets wrong, at the
 * price of rare spurious roots, which never matter unless they equal a lexicon term.
 */

const VOWEL = /^[aiueo]/;
const PARTICLES = ['lah', 'kah', 'tah', 'pun'] as const;
const POSSESSIVES = ['nya', 'ku', 'mu'] as const;
const DERIVATIONAL = ['kan', 'an', 'i'] as const;
const MIN_ROOT = 3;

function strip(word: string, suffix: string): string | undefined {
  return word.endsWith(suffix) && word.length - suffix.length >= MIN_ROOT
    ? word.slice(0, -suffix.length)
    : undefined;
}

/** Removes inflectional endings only (particles and possessives): "lubangnya" → "lubang". */
export function inflectionForms(word: string): string[] {
  const forms = [word];
  for (const p of PARTICLES) {
    const s = strip(word, p);
    if (s) forms.push(s);
  }
  for (const form of [...forms]) {
    for (const p of POSSESSIVES) {
      const s = strip(form, p);
      if (s) forms.push(s);
    }
  }
  return forms;
}

function suffixForms(word: string): string[] {
  const out: string[] = [];
  for (const suffix of DERIVATIONAL) {
    const s = strip(word, suffix);
    if (s) out.push(s);
  }
  return out;
}

function prefixForms(word: string): string[] {
  const out: string[] = [];
  const add = (s: string | undefined): void => {
    if (s && s.length >= MIN_ROOT) out.push(s);
  };
  const after = (prefix: string): string | undefined =>
    word.startsWith(prefix) ? word.slice(prefix.length) : undefined;

  for (const p of ['di', 'ke', 'se', 'ter', 'ber', 'be', 'per', 'pe', 'te']) add(after(p));

  // Formal nasal prefixes drop the root's first consonant; recode it (men+tumpuk → menumpuk).
  for (const me of ['me', 'pe']) {
    const r = after(me);
    if (!r) continue;
    add(r); // me-/pe- before l, r, w, y: "merokok" → "rokok", "pelarangan" → "larang"
    if (r.startsWith('ng')) {
      const v = r.slice(2);
      add(v);
      if (VOWEL.test(v)) add('k' + v);
    } else if (r.startsWith('ny')) {
      const v = r.slice(2);
      if (VOWEL.test(v)) add('s' + v);
    } else if (r.startsWith('m')) {
      const v = r.slice(1);
      add(v);
      if (VOWEL.test(v)) add('p' + v);
    } else if (r.startsWith('n')) {
      const v = r.slice(1);
      add(v);
      if (VOWEL.test(v)) add('t' + v);
    }
  }

  // Informal Jakarta nasal verbs: "ngalir", "ngecek", "nyangkut", "numpuk", "mampet".
  if (word.startsWith('nge') && !VOWEL.test(word.slice(3))) add(word.slice(3));
  if (word.startsWith('ng')) {
    const v = word.slice(2);
    if (VOWEL.test(v)) {
      add(v);
      add('k' + v);
    }
  } else if (word.startsWith('ny')) {
    const v = word.slice(2);
    if (VOWEL.test(v)) {
      add('s' + v);
      add('c' + v);
    }
  } else if (word.startsWith('n')) {
    // "numpuk", "nutup". No informal m→p recoding: it turns "mohon" into "pohon".
    const v = word.slice(1);
    if (VOWEL.test(v)) add('t' + v);
  }
  return out;
}

function englishForms(word: string): string[] {
  const out: string[] = [];
  if (word.length >= 6 && word.endsWith('ing')) {
    const b = word.slice(0, -3);
    out.push(b, b + 'e');
    if (b.length > 3 && b[b.length - 1] === b[b.length - 2]) out.push(b.slice(0, -1));
  }
  if (word.length >= 5 && word.endsWith('ed')) {
    const b = word.slice(0, -2);
    out.push(b, b + 'e');
  }
  if (word.length >= 5 && word.endsWith('es')) out.push(word.slice(0, -2));
  if (word.length >= 4 && word.endsWith('s') && !word.endsWith('ss')) out.push(word.slice(0, -1));
  if (word.length >= 6 && word.endsWith('ly')) out.push(word.slice(0, -2));
  return out;
}

const cache = new Map<string, readonly string[]>();
const CACHE_LIMIT = 50_000;

/** Every plausible root of a lower-case token, the token itself first. */
const MONEY = /^(?:rp)?\d+(?:[.,]\d+)*(?:rb|ribu|rebu|k|jt|juta|jeti)$/;
const MONEY_WORDS = new Set([
  'sejuta',
  'seratus',
  'goceng',
  'ceban',
  'gocap',
  'cepek',
  'gopek',
  'noban',
  'sejeti',
]);

export function rootCandidates(word: string): readonly string[] {
  const hit = cache.get(word);
  if (hit) return hit;
  const roots = new Set<string>([word]);
  // "minta 200rb", "bayar sejuta": a sum of money reads as the word "nominal" to the lexicon.
  if (MONEY.test(word) || MONEY_WORDS.has(word)) roots.add('nominal');
  if (word.length >= 4 && /^[a-z]+$/.test(word)) {
    const layer1 = new Set<string>();
    for (const form of inflectionForms(word)) {
      layer1.add(form);
      for (const s of suffixForms(form)) layer1.add(s);
    }
    for (const form of layer1) {
      roots.add(form);
      for (const p of prefixForms(form)) {
        roots.add(p);
        for (const s of suffixForms(p)) roots.add(s);
        for (const p2 of prefixForms(p)) {
          roots.add(p2);
          for (const s of suffixForms(p2)) roots.add(s);
        }
      }
    }
    for (const e of englishForms(word)) if (e.length >= MIN_ROOT) roots.add(e);
  }
  const result = [...roots];
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(word, result);
  return result;
}
