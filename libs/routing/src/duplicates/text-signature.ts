import type { Token } from '../text/normalize';
import { inflectionForms } from '../text/stem';

const STOPWORDS = new Set([
  'yang',
  'di',
  'ke',
  'dari',
  'dan',
  'ini',
  'itu',
  'pak',
  'bu',
  'bapak',
  'ibu',
  'kak',
  'admin',
  'tolong',
  'mohon',
  'sudah',
  'tidak',
  'ada',
  'saya',
  'kami',
  'kita',
  'warga',
  'sama',
  'juga',
  'lagi',
  'saja',
  'dengan',
  'untuk',
  'pada',
  'karena',
  'banget',
  'sekali',
  'sangat',
  'the',
  'a',
  'an',
  'is',
  'are',
  'of',
  'to',
  'in',
  'on',
  'and',
  'please',
  'rt',
  'rw',
  'terus',
  'masih',
  'belum',
  'bisa',
  'jadi',
  'kalau',
  'atau',
  'tapi',
  'sampai',
  'sejak',
  'nih',
  'dong',
  'sih',
  'ya',
  'min',
]);

/** Content words (inflection stripped) that two reports of the same incident would share. */
export function textSignature(tokens: readonly Token[], masked: ReadonlySet<number> = new Set()): string[] {
  const words = new Set<string>();
  tokens.forEach((t, i) => {
    if (masked.has(i) || t.text.length < 3 || STOPWORDS.has(t.text) || !/[a-z]/.test(t.text)) return;
    // The shortest plausible root, so that "nutup" and "ketutup", "numpuk" and "tumpukan" agree.
    const forms = inflectionForms(t.text);
    const base = forms[forms.length - 1] ?? t.text;
    const root = t.roots.reduce((a, b) => (b.length < a.length && b.length >= 4 ? b : a), base);
    words.add(root);
  });
  return [...words].sort();
}

/** Jaccard similarity of two signatures. */
export function signatureSimilarity(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const setB = new Set(b);
  let shared = 0;
  for (const w of new Set(a)) if (setB.has(w)) shared++;
  return shared / (new Set(a).size + setB.size - shared);
}
