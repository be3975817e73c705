/**
 * Personal data must never reach a log line. Redaction works on two levels: fields whose
 * name says they hold personal data or secrets are replaced whole, and any string is scanned
 * for e-mail addresses and phone numbers, because they also hide inside free text.
 */

const SENSITIVE_KEY =
  /^(reporter|recipient|contact|name|fullname|email|e-?mail|phone|msisdn|wa_?id|from|to|address|handle|password|passwd|token|secret|authorization|cookie|x-api-key|api_?key|bearer)$/i;

// An address starts where its characters start: without the lookbehind every position inside a
// long run of letters is tried again to its end, and 100 000 of them take seconds (ADR 0053).
const EMAIL = /(?<![A-Z0-9._%+-])[A-Z0-9._%+-]+@[A-Z0-9.-]+\.[A-Z]{2,}/gi;
// Indonesian and international numbers: +62 812-3456-7890, 0812 3456 7890, 0812.3456.7890,
// 6281234567890, (021) 1234 5678. Digits-only runs of 9+ after separators are removed.
// A number is not taken from inside a word or a dotted identifier, except right after the
// labels people glue to it: "HP.0812…", "HP0812…", "WA:0812…", "Telp.021…".
const PHONE =
  /(?:(?<![\w.-])|(?<=(?<![\p{L}\p{N}])(?:hp|hape|wa|telp?|tlp|telepon|phone|ph|mobile|no|nomor|kontak)\.?))(?:\+?\(?\d[\d\s().-]{7,18}\d)(?![\w-])/giu;

// Characters that print as nothing. Written between digits ("0812\u200b3456\u200b7890") they hide
// a number from the pattern above; anywhere else they carry nothing a reader sees. A zero-width
// joiner is kept only where it joins emoji (between symbols), not letters or digits.
const INVISIBLE =
  /[\u00ad\u061c\u180e\u200b\u200c\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]|\u200d(?=[\p{L}\p{N}\s.()+-])|(?<=[\p{L}\p{N}\s.()+-])\u200d/gu;

// A coordinate or an amount (106.8271528, 1.500000) is a number, not a phone.
const DECIMAL = /^\d{1,3}\.\d+$/;

export const REDACTED = '[redacted]';

/** Removes characters that print as nothing, so that what a pattern sees is what a reader sees. */
export function stripInvisible(text: string): string {
  return text.replace(INVISIBLE, '');
}

export function redactText(text: string): string {
  return stripInvisible(text)
    .replace(EMAIL, '[email]')
    .replace(PHONE, (m) => (m.replace(/\D/g, '').length >= 9 && !DECIMAL.test(m) ? '[phone]' : m));
}

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6) return '[…]';
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value instanceof Error) return { name: value.name, message: redactText(value.message) };
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = SENSITIVE_KEY.test(k) && v !== undefined && v !== null ? REDACTED : redact(v, depth + 1);
    }
    return out;
  }
  return value;
}
