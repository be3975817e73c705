/**
 * How a text fits into SMS. GSM 03.38's 7-bit alphabet gives 160 characters in one SMS and 153
 * per part of a longer one (the concatenation header takes the rest); a text with any other
 * character goes as UCS-2: 70, or 67 per part. Characters of the GSM extension table (€ [ ] { }
 * ~ ^ \ |) take two septets and are never split from their escape.
 */
const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM7_EXTENDED = '^{}\\[~]|€\f';

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SmsPlan {
  encoding: SmsEncoding;
  parts: string[];
}

const LIMITS = { 'GSM-7': { single: 160, part: 153 }, 'UCS-2': { single: 70, part: 67 } } as const;

function units(ch: string, encoding: SmsEncoding): number {
  if (encoding === 'UCS-2') return ch.length; // UTF-16 code units: an emoji takes two
  return GSM7_EXTENDED.includes(ch) ? 2 : 1;
}

export function smsEncodingOf(text: string): SmsEncoding {
  for (const ch of text) if (!GSM7_BASIC.includes(ch) && !GSM7_EXTENDED.includes(ch)) return 'UCS-2';
  return 'GSM-7';
}

/** Splits a text into the parts it is sent as, breaking after a space where one is near. */
export function planSms(text: string): SmsPlan {
  const encoding = smsEncodingOf(text);
  const chars = [...text]; // code points, so a surrogate pair is never cut in half
  const total = chars.reduce((n, ch) => n + units(ch, encoding), 0);
  const limit = LIMITS[encoding];
  if (total <= limit.single) return { encoding, parts: [text] };

  const parts: string[] = [];
  let start = 0;
  while (start < chars.length) {
    let used = 0;
    let end = start;
    while (end < chars.length && used + units(chars[end]!, encoding) <= limit.part)
      used += units(chars[end++]!, encoding);
    if (end < chars.length) {
      // Prefer a break after a space within the last quarter of the part over cutting a word.
      const floor = start + Math.floor((end - start) * 0.75);
      for (let i = end; i > floor; i--) {
        if (chars[i - 1] === ' ' || chars[i - 1] === '\n') {
          end = i;
          break;
        }
      }
    }
    parts.push(chars.slice(start, end).join(''));
    start = end;
  }
  return { encoding, parts };
}
