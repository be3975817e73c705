import type { ComplaintDraft } from '@aduan/channel-sdk';
import { createAjv, describeAjvErrors, schemaParts, type ReporterContact } from '@aduan/contracts';

/** What an officer enters for a complaint that came by letter, in person, by phone or in the media. */
export const ENTRY_CHANNELS = ['letter', 'walk_in', 'phone', 'media'] as const;
/**
 * A LAPOR! item entered by hand is LAPOR!'s (channel-lapor posts its progress back), not this
 * adapter's: it is accepted here but not one of the channels this adapter answers on.
 */
export const HAND_ENTERED_CHANNELS = [...ENTRY_CHANNELS, 'lapor'] as const;
export type EntryChannel = (typeof HAND_ENTERED_CHANNELS)[number];

/** Photos on one entry: a letter's pages, or what the citizen showed at the counter. */
export const MAX_ENTRY_PHOTOS = 5;
/** A photo uploaded to POST /v1/officer/entries/photos, named by the SHA-256 that answer gave. */
const PHOTO_ID = /^[0-9a-f]{64}$/;

/** LAPOR!'s tracking number as channel-lapor reads it, so both make the same report of one item. */
const LAPOR_ID = /^[A-Za-z0-9-]{1,40}$/;

const schema = {
  type: 'object',
  required: ['channel', 'text'],
  properties: {
    channel: { enum: HAND_ENTERED_CHANNELS },
    text: { type: 'string', maxLength: 20000 },
    subject: { type: 'string', maxLength: 500 },
    category: { type: 'string', maxLength: 200 },
    /** Letter number, call log id, or the article's URL for a media item. */
    reference: { type: 'string', maxLength: 500 },
    receivedAt: { type: 'string', format: 'date-time' },
    location: schemaParts.location,
    /** Kelurahan or address as the citizen named it, when there is no point (or besides one). */
    place: { type: 'string', maxLength: 200 },
    photos: { type: 'array', maxItems: MAX_ENTRY_PHOTOS, items: { type: 'string', maxLength: 64 } },
    contact: {
      type: 'object',
      properties: {
        name: { type: 'string', maxLength: 200 },
        phone: { type: 'string', maxLength: 40 },
        email: { type: 'string', maxLength: 320 },
      },
    },
    anonymous: { type: 'boolean' },
    visibility: { enum: ['public', 'private'] },
    /** LAPOR! items only: LAPOR!'s own tracking number (required) and its `rahasia` flag. */
    laporId: { type: 'string', maxLength: 40 },
    confidential: { type: 'boolean' },
  },
} as const;
const validate = createAjv().compile(schema);

/** The report as the officer entered it; intake needs only its source id (LAPOR!'s for a LAPOR! item). */
export type EntryDraft = Omit<ComplaintDraft, 'sourceId'> & { channel: EntryChannel; laporId?: string };

type Raw = Pick<
  EntryDraft,
  'channel' | 'text' | 'subject' | 'category' | 'location' | 'visibility' | 'laporId' | 'confidential'
> & {
  reference?: string;
  receivedAt?: string;
  place?: string;
  photos?: string[];
  contact?: { name?: string; phone?: string; email?: string };
  anonymous?: boolean;
};

const EMAIL = /^[^\s@<>()[\],;:"]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;

/** Indonesian habits accepted: 0812…, 62812…, +62 812-…; stored as E.164. */
export function normalizePhone(input: string): string | null {
  const digits = input.replace(/[\s().-]/g, '');
  const e164 = digits.startsWith('+')
    ? digits
    : digits.startsWith('0')
      ? `+62${digits.slice(1)}`
      : `+${digits}`;
  return /^\+[1-9][0-9]{6,14}$/.test(e164) ? e164 : null;
}

export function parseEntry(
  body: unknown,
  categories: ReadonlySet<string>,
  now = new Date(),
): { ok: true; value: EntryDraft; photos: string[] } | { ok: false; problems: string[] } {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    return { ok: false, problems: ['request body must be a JSON object'] };
  if (!validate(body)) return { ok: false, problems: describeAjvErrors(validate.errors) };
  const raw = body as Raw;
  const problems: string[] = [];
  const text = raw.text.trim();
  if (!text) problems.push('text must not be empty');
  if (raw.category !== undefined && !categories.has(raw.category))
    problems.push(`category "${raw.category}" is not a known category`);
  const receivedAt = raw.receivedAt ? new Date(raw.receivedAt) : undefined;
  if (receivedAt && receivedAt.getTime() > now.getTime() + 5 * 60_000)
    problems.push('receivedAt must not be in the future');
  const reporter: ReporterContact = { anonymous: raw.anonymous ?? false };
  const [name, phone, email] = [raw.contact?.name, raw.contact?.phone, raw.contact?.email].map((v) =>
    v?.trim(),
  );
  if (name) reporter.name = name;
  const e164 = phone ? normalizePhone(phone) : null;
  if (e164) reporter.phone = e164;
  else if (phone) problems.push('contact.phone is not a phone number');
  if (email && EMAIL.test(email)) reporter.email = email;
  else if (email) problems.push('contact.email is not an e-mail address');
  const reference = raw.reference?.trim();
  const media = raw.channel === 'media';
  if (media && reference && !/^https?:\/\//.test(reference))
    problems.push("a media item's reference must be the article's URL");
  const lapor = raw.channel === 'lapor';
  const laporId = raw.laporId?.trim();
  if (lapor && !laporId) problems.push("laporId (LAPOR!'s tracking number) is required for a LAPOR! item");
  else if (lapor && !LAPOR_ID.test(laporId!)) problems.push('laporId is not a LAPOR! tracking number');
  if (!lapor && (raw.laporId !== undefined || raw.confidential !== undefined))
    problems.push('laporId and confidential are for LAPOR! items only');
  // An anonymous LAPOR! reporter's identity never enters the system (as channel-lapor reads them).
  if (lapor && raw.anonymous && raw.contact) problems.push('an anonymous LAPOR! item carries no contact');
  const photos = raw.photos ?? [];
  photos.forEach((id, i) => {
    if (!PHOTO_ID.test(id))
      problems.push(
        `photos[${i}] is not a photo id: send the "photo" POST /v1/officer/entries/photos answered`,
      );
  });
  if (new Set(photos).size < photos.length) problems.push('photos names the same photo twice');
  if (problems.length) return { ok: false, problems };
  const subject = raw.subject?.trim();
  const place = raw.place?.trim();
  // A letter's agenda number stays with the text; a media item's URL is its source. A place in
  // words goes into the text too: that is where the router looks for a kelurahan without a point.
  const notes = [reference && !media ? `[Ref: ${reference}]` : '', place ? `[Lokasi: ${place}]` : '']
    .filter(Boolean)
    .join('\n');
  return {
    ok: true,
    photos,
    value: {
      channel: raw.channel,
      text: notes ? `${text}\n${notes}` : text,
      reporter,
      visibility: raw.confidential ? 'private' : (raw.visibility ?? 'public'),
      ...(lapor ? { laporId, ...(raw.confidential ? { confidential: true } : {}) } : {}),
      ...(media && reference ? { sourceUrl: reference } : {}),
      ...(receivedAt ? { receivedAt } : {}),
      ...(subject ? { subject } : {}),
      ...(raw.category ? { category: raw.category } : {}),
      ...(raw.location ? { location: raw.location } : {}),
    },
  };
}
