/** What an officer may write to a citizen, and the frame it reaches them in (ADR 0074). */

export type OfficerMessageKind = 'question' | 'message';

export const OFFICER_MESSAGE_KINDS: readonly OfficerMessageKind[] = ['question', 'message'];

/**
 * Long enough for a question with its context; short enough to stay a few SMS segments, and for
 * the framed text to fit whole in the 900 characters of a WhatsApp template parameter, which
 * carries it once the citizen's 24-hour window has closed.
 */
export const OFFICER_TEXT_MAX = 600;
export const OFFICER_TEXT_MIN = 5;

/**
 * Characters that change how text looks rather than what it says: C0/C1 controls (a tab and a
 * line break are kept), bidirectional overrides that can make a link read as another, and
 * zero-width characters that hide words from a reader or a filter.
 */
const INVISIBLE =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/**
 * The officer's text as the citizen will read it: line breaks made plain, invisible and control
 * characters removed, at most two blank lines in a row, trimmed. Every channel carries plain text
 * (e-mail is sent as text/plain, Telegram without a parse mode, WhatsApp and SMS as text), so
 * markup an officer types arrives as the characters typed and is never rendered.
 */
export function plainOfficerText(raw: string): string {
  return raw
    .replace(/\r\n?/g, '\n')
    .replace(INVISIBLE, '')
    .replace(/\t/g, ' ')
    .replace(/[ \u00a0]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const FRAME = {
  question: {
    id: (code: string) =>
      `Pertanyaan dari petugas tentang laporan ${code}. Mohon jawab dengan membalas pesan ini.`,
    en: (code: string) =>
      `A question from the officer handling report ${code}. Please answer by replying to this message.`,
  },
  message: {
    id: (code: string) => `Pesan dari petugas tentang laporan ${code}:`,
    en: (code: string) => `A message from the officer handling report ${code}.`,
  },
} as const;

/**
 * The notification text: a fixed bilingual frame (Bahasa Indonesia first, as every message to
 * citizens, ADR 0033) around the officer's words, which are written once in the language the
 * officer chose. The frame names the report by its tracking code only.
 */
export function renderOfficerMessage(kind: OfficerMessageKind, trackingCode: string, text: string): string {
  const frame = FRAME[kind];
  return [frame.id(trackingCode), '', text, '', `— ${frame.en(trackingCode)}`].join('\n');
}
