import { normalizeTrackingCode } from '@aduan/channel-sdk';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { automatedReason } from './automated-mail';
import { trimQuotedReply } from './quoted-reply';

/**
 * One mail from the complaint mailbox, reduced to what intake needs. HTML is never kept:
 * mailparser turns it into plain text (scripts and styles dropped) when no text part exists.
 * Charsets (ISO-8859-1, Windows-1252, UTF-8…) and transfer encodings are decoded by mailparser.
 */
export interface IncomingMail {
  messageId: string | undefined;
  /** Message-IDs this mail answers, most specific first (In-Reply-To, then References newest first). */
  threadKeys: string[];
  /** The References chain to carry on in our reply. */
  references: string[];
  subject: string;
  fromAddress: string | undefined;
  fromName: string | undefined;
  /** What the sender wrote now: quoted history trimmed, control characters removed. */
  text: string;
  attachments: MailAttachment[];
  date: Date | undefined;
  /** Why no person wrote it (auto-reply, bounce, list…), or null. */
  automated: string | null;
  /** The values of its Authentication-Results headers, topmost first (see sender-authentication.ts). */
  authenticationResults: string[];
}

export interface MailAttachment {
  name: string | undefined;
  contentType: string;
  size: number;
  inline: boolean;
  content: Buffer;
}

export const MAX_TEXT = 100_000;
const CODE_IN_SUBJECT = /(?<![A-Z0-9])([2-9A-HJKMNP-TV-Z]{5})[-\s]?([2-9A-HJKMNP-TV-Z]{5})(?![A-Z0-9])/gi;

/** Tracking codes a citizen put (or kept, replying to us) in the subject. */
export const trackingCodesInSubject = (subject: string): string[] =>
  [...subject.matchAll(CODE_IN_SUBJECT)].flatMap((m) => normalizeTrackingCode(`${m[1]}${m[2]}`) ?? []);

export const ADDRESS = /^[^\s@<>()",;:]+@[^\s@<>()",;:]+\.[^\s@<>()",;:]+$/;

function firstAddress(from: AddressObject | AddressObject[] | undefined): {
  address?: string;
  name?: string;
} {
  const list = Array.isArray(from) ? from : from ? [from] : [];
  for (const group of list)
    for (const a of group.value)
      if (a.address && ADDRESS.test(a.address))
        return { address: a.address.toLowerCase(), name: a.name || undefined };
  return {};
}

function asList(value: string | string[] | undefined): string[] {
  if (!value) return [];
  return (Array.isArray(value) ? value : value.split(/\s+/))
    .map((s) => s.trim())
    .filter((s) => /^<[^<>\s]+>$/.test(s));
}

function headerText(mail: ParsedMail, name: string): string | undefined {
  // mailparser gathers List-Id, List-Unsubscribe… into one structured `list` header.
  if (name.startsWith('list-')) {
    const list = mail.headers.get('list') as Record<string, unknown> | undefined;
    return list && list[name.slice(5)] !== undefined ? 'present' : undefined;
  }
  const v = mail.headers.get(name);
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && 'value' in v && typeof v.value === 'string') return v.value;
  if (typeof v === 'object' && 'text' in v && typeof v.text === 'string') return v.text;
  return String(v);
}

/** Keeps newlines and tabs, drops other control characters and bidi overrides that can disguise text. */
function cleanText(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, '').trim();
}

/**
 * mailparser derives text from HTML for a single-part HTML mail but not for an HTML part inside
 * multipart/related; running that HTML through it as a single part reuses the same conversion
 * (scripts and styles dropped) without a second HTML library.
 */
async function htmlToText(html: string): Promise<string> {
  const single = await simpleParser(
    Buffer.from(`Content-Type: text/html; charset=utf-8\r\n\r\n${html}`, 'utf8'),
    { skipTextLinks: true },
  );
  return single.text ?? '';
}

export async function parseIncomingMail(source: Buffer): Promise<IncomingMail> {
  const mail = await simpleParser(source, { skipHtmlToText: false, skipTextLinks: true });
  const from = firstAddress(mail.from);
  const inReplyTo = asList(mail.inReplyTo);
  const references = asList(mail.references);
  const rawText = mail.text ?? (typeof mail.html === 'string' ? await htmlToText(mail.html) : '');
  const contentType = headerText(mail, 'content-type');
  return {
    messageId: asList(mail.messageId)[0],
    threadKeys: [...new Set([...inReplyTo, ...[...references].reverse()])],
    references,
    subject: cleanText(mail.subject ?? '').slice(0, 1000),
    fromAddress: from.address,
    fromName: from.name ? cleanText(from.name).slice(0, 200) : undefined,
    text: cleanText(trimQuotedReply(rawText)).slice(0, MAX_TEXT),
    attachments: mail.attachments.map((a) => ({
      name: a.filename ? cleanText(a.filename).slice(0, 200) : undefined,
      contentType: (a.contentType || 'application/octet-stream').toLowerCase(),
      size: a.size ?? a.content.length,
      inline: a.contentDisposition === 'inline' || Boolean(a.related),
      content: a.content,
    })),
    date: mail.date,
    automated: automatedReason((name) => headerText(mail, name), from.address, contentType, mail.subject),
    authenticationResults: mail.headerLines
      .filter((h) => h.key === 'authentication-results')
      .map((h) => h.line.slice(h.line.indexOf(':') + 1).trim()),
  };
}
