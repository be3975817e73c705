/**
 * The complaint as the public may read it. Citizens write to the city the way they write to
 * anyone: with a greeting, their name, a signature with title, address and phone, a footer
 * from their phone, the message they are answering. Officers need all of that; the tracking
 * page, the public API and everything else anyone may read need only the complaint. This is the
 * one rule that turns the first into the second, whatever the channel.
 *
 * It errs towards hiding: what follows a sign-off is never public, even when a citizen wrote
 * more after it. Officers keep the full text.
 */
import { redactText, stripInvisible } from './redact';

/** What the channel told us about who wrote: the names the text may repeat. */
export interface KnownReporter {
  /** The e-mail From display name, the WhatsApp profile name, the name given in an app. */
  name?: string;
  /** An X, Facebook or Instagram handle, with or without its '@'. */
  handle?: string;
  email?: string;
}

export const NAME_MASK = '[name]';

export function publicDescription(text: string, reporter: KnownReporter = {}): string {
  const names = knownNames(reporter);
  const lines = stripInvisible(text.normalize('NFC')).replace(/\r\n?/g, '\n').split('\n');
  const complaint = withoutSignature(withoutQuotedHistory(lines), names);
  return tidy(maskNames(redactText(complaint.join('\n')), names));
}

// ---------------------------------------------------------------------------------------------
// Quoted history: what the citizen's mail program copied from the message they answered.

const ATTRIBUTION = [
  /^On\s.{1,300}\swrote:$/i, // Gmail, Apple Mail, Thunderbird
  /^Pada\s.{1,300}\smenulis:$/i, // the same clients in Bahasa Indonesia
  /^-{2,}\s*(Original Message|Pesan Asli|Pesan Terusan|Forwarded message|Pesan yang diteruskan)\s*-{2,}$/i,
  /^_{10,}$/, // Outlook's rule above "From: … Sent: …"
];
const HEADER = /^(From|Dari|Sent|Dikirim|Date|Tanggal|To|Kepada|Cc|Subject|Perihal|Subjek):\s/i;
const QUOTED = /^\s*>/;

function isAttribution(lines: readonly string[], i: number): boolean {
  const line = lines[i]!.trim();
  if (ATTRIBUTION.some((re) => re.test(line))) return true;
  // Gmail wraps a long attribution over two lines: "On Mon, …, Aduan <x@y>" / "wrote:".
  const next = lines[i + 1]?.trim() ?? '';
  if (/^(On|Pada)\s/i.test(line) && ATTRIBUTION.some((re) => re.test(`${line} ${next}`))) return true;
  // Outlook without its rule: a header block, "From:" followed by the other headers.
  return (
    /^(From|Dari):\s/i.test(line) &&
    lines.slice(i + 1, i + 4).some((l) => HEADER.test(l.trim()) && !/^(From|Dari):/i.test(l.trim()))
  );
}

function withoutQuotedHistory(lines: readonly string[]): string[] {
  const end = lines.findIndex((_, i) => isAttribution(lines, i));
  return (end === -1 ? lines : lines.slice(0, end)).filter((l) => !QUOTED.test(l));
}

// ---------------------------------------------------------------------------------------------
// Signatures: everything from the line where the citizen stops complaining and signs.

/** Closings that may carry a few more words: "Terima kasih atas perhatiannya, Andi". */
const SIGN_OFF = new RegExp(
  '^(?:' +
    [
      'te?rima\\s*kasih',
      'makasih?',
      'hormat\\s+(?:saya|kami)',
      'salam(?:\\s+(?:hormat|hangat|sejahtera|sehat|takzim))?',
      'was+alam\\w*',
      'atas\\s+perhatian\\w*',
      'demikian(?!\\s+(?:juga|pula|pun|halnya)\\b)',
      'matur\\s+nuwun',
      'hatur\\s+nuhun',
      'thanks?(?:\\s+you)?',
      'many\\s+thanks',
      '(?:best|kind|warm|warmest)\\s+(?:regards|wishes)',
      'regards',
      'sincerely',
      'yours\\s+(?:sincerely|faithfully|truly)',
      'respectfully',
    ].join('|') +
    ')\\b(.*)$',
  'iu',
);
/** Closings too short or too common to carry more: only the word itself, or with a name. */
const SHORT_SIGN_OFF = /^(?:best|cheers|br|rgds|tks|thx|trims|mksh|tabik|sekian|ttd)\b[\s.,!]*(.*)$/iu;
const SIGN_OFF_TAIL = 60;

const SIGNATURE_DELIMITER = /^--\s*$/; // RFC 3676 "-- ", often stripped of its space
const CLIENT_FOOTER = [
  /^(?:sent|dikirim|terkirim)\s+(?:from|with|via|using|dari|dengan|melalui|lewat|menggunakan)\s/i,
  /^(?:get|dapatkan|unduh|download)\s+(?:outlook|gmail|yahoo)/i,
];
// "Dikirim dari kantor kelurahan" is a complaint; "Dikirim dari iPhone saya" is a footer.
const DEVICE_OR_APP =
  /\b(?:iphone|ipad|android|ios|samsung|galaxy|huawei|xiaomi|redmi|oppo|vivo|realme|nokia|blackberry|mobile|ponsel|smartphone|phone|hp|tablet|mail|outlook|gmail|yahoo|proton)\b/i;

function isSignOff(line: string, names: KnownNames): boolean {
  const long = SIGN_OFF.exec(line);
  if (long) return long[1]!.replace(/^[\s,.!:;~-]+/, '').length <= SIGN_OFF_TAIL;
  const short = SHORT_SIGN_OFF.exec(line);
  return short !== null && (short[1] === '' || isNameLine(short[1]!, names));
}

function isFooter(line: string): boolean {
  return (
    SIGNATURE_DELIMITER.test(line) ||
    (line.length <= 120 && CLIENT_FOOTER.some((re) => re.test(line)) && DEVICE_OR_APP.test(line))
  );
}

function withoutSignature(lines: readonly string[], names: KnownNames): string[] {
  let seenComplaint = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (isFooter(line)) return lines.slice(0, i);
    // A sign-off or a bare name as the first words is a greeting or an introduction, not the end.
    if (seenComplaint && (isSignOff(line, names) || isNameLine(line, names))) return lines.slice(0, i);
    if (line) seenComplaint = true;
  }
  return [...lines];
}

// ---------------------------------------------------------------------------------------------
// The reporter's own names, wherever the text repeats them.

/** Words in names and profile names that are not the person: honorifics, titles, common words. */
const NOT_A_NAME = new Set(
  (
    'bapak pak bpk ibu bu mas mbak mba bang abang kak kakak adik dik om tante haji hajah hajjah hj ' +
    'dr drs dra ir prof ustadz ustad kyai sdr sdri saudara saudari tuan nyonya nona mr mrs ms miss sir ' +
    'the and dan yang bin binti van von der den abu ibn warga admin official resmi toko jalan gang ' +
    'kel kec kota rt rw jakarta jkt pusat utara selatan barat timur indah jaya baru raya lama rumah ' +
    'keluarga mama papa ayah bunda mami papi nenek kakek name email phone ketua sekretaris bendahara'
  ).split(' '),
);
/** Academic and professional titles written after a name: "Andi Wijaya, S.T., M.Sc." */
const TITLES = new Set(
  'st sh se sp spd ssi ssos sip skom sked sik sag ak amd mm mt msc ma mba phd mh mkn mpd msi mkom sarjana'.split(
    ' ',
  ),
);

interface KnownNames {
  /** Whole strings to mask: the full name, the handle, the e-mail's local part. Longest first. */
  phrases: string[];
  /** Single words of the name, each masked on its own: "Andi" of "Andi Wijaya". */
  words: Set<string>;
}

const WORD = /[\p{L}\p{M}]+(?:['’][\p{L}\p{M}]+)*/gu;

function knownNames(r: KnownReporter): KnownNames {
  // Some mail programs put the address where the display name belongs; its words are not a name.
  const name = r.name && !r.name.includes('@') ? stripInvisible(r.name.normalize('NFC')).trim() : '';
  const handle = r.handle ? r.handle.trim().replace(/^@+/, '') : '';
  const local = r.email?.split('@')[0]?.trim() ?? '';
  const words = new Set(
    (name.match(WORD) ?? [])
      .map((w) => w.toLowerCase())
      .filter((w) => [...w].length >= 3 && !NOT_A_NAME.has(w) && !TITLES.has(w)),
  );
  const phrases = [name, handle ? `@${handle}` : '', handle, local]
    .filter((p) => [...p].length >= 3)
    .sort((a, b) => b.length - a.length);
  return { phrases, words };
}

/** A line that is only the reporter's name, maybe with initials, titles and a dash: "- Budi", "Andi W., S.T." */
function isNameLine(line: string, names: KnownNames): boolean {
  if (!line || line.length > 80) return false;
  const stripped = line.replace(/[@\s.,:;!~*()'"–—-]+/g, ' ').trim();
  if (names.phrases.some((p) => p.toLowerCase() === stripped.toLowerCase())) return true;
  const words = line.match(WORD) ?? [];
  if (!words.some((w) => names.words.has(w.toLowerCase()))) return false;
  // Nothing but letters and the punctuation of names and titles: no digits, no sentence.
  if (/[\p{N}?]/u.test(line)) return false;
  return words.every((w) => {
    const lower = w.toLowerCase();
    return names.words.has(lower) || NOT_A_NAME.has(lower) || TITLES.has(lower) || [...w].length === 1;
  });
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function maskNames(text: string, names: KnownNames): string {
  const patterns = [
    ...names.phrases.map((p) => p.split(/\s+/).map(escapeRegExp).join('\\s+')),
    ...[...names.words].map(escapeRegExp),
  ];
  if (!patterns.length) return text;
  const any = new RegExp(`(?<![\\p{L}\\p{N}_@])(?:${patterns.join('|')})(?![\\p{L}\\p{N}_])`, 'giu');
  return text.replace(any, NAME_MASK).replace(/\[name\](?:[\s.,]*\[name\])+/g, NAME_MASK);
}

function tidy(text: string): string {
  return text
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
