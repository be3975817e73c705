import { createAjv, describeAjvErrors, schemaParts, type GeoPoint } from '@aduan/contracts';

/** What an officer enters for a complaint that came by letter, in person, by phone or in the media. */
export const ENTRY_CHANNELS = ['letter', 'walk_in', 'phone', 'media'] as const;
export type EntryChannel = (typeof ENTRY_CHANNELS)[number];

const schema = {
  type: 'object',
  required: ['channel', 'text'],
  properties: {
    channel: { enum: ENTRY_CHANNELS },
    text: { type: 'string', maxLength: 20000 },
    subject: { type: 'string', maxLength: 500 },
    category: { type: 'string', maxLength: 200 },
    /** Letter number, call log id, or the article's URL for a media item. */
    reference: { type: 'string', maxLength: 500 },
    receivedAt: { type: 'string', format: 'date-time' },
    location: schemaParts.location,
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
  },
} as const;
const validate = createAjv().compile(schema);

export interface Contact {
  name?: string;
  /** E.164, e.g. +6281234567890. */
  phone?: string;
  email?: string;
}

export interface EntryRequest {
  channel: EntryChannel;
  text: string;
  subject?: string;
  category?: string;
  reference?: string;
  receivedAt?: Date;
  location?: GeoPoint;
  contact: Contact;
  anonymous: boolean;
  visibility: 'public' | 'private';
}

interface Raw {
  channel: EntryChannel;
  text: string;
  subject?: string;
  category?: string;
  reference?: string;
  receivedAt?: string;
  location?: GeoPoint;
  contact?: { name?: string; phone?: string; email?: string };
  anonymous?: boolean;
  visibility?: 'public' | 'private';
}

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
): { ok: true; value: EntryRequest } | { ok: false; problems: string[] } {
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
  const contact: Contact = {};
  if (raw.contact?.name?.trim()) contact.name = raw.contact.name.trim();
  if (raw.contact?.phone?.trim()) {
    const phone = normalizePhone(raw.contact.phone);
    if (phone) contact.phone = phone;
    else problems.push('contact.phone is not a phone number');
  }
  if (raw.contact?.email?.trim()) {
    if (EMAIL.test(raw.contact.email.trim())) contact.email = raw.contact.email.trim();
    else problems.push('contact.email is not an e-mail address');
  }
  if (raw.channel === 'media' && raw.reference && !/^https?:\/\//.test(raw.reference))
    problems.push("a media item's reference must be the article's URL");
  if (problems.length) return { ok: false, problems };
  const value: EntryRequest = {
    channel: raw.channel,
    text,
    contact,
    anonymous: raw.anonymous ?? false,
    visibility: raw.visibility ?? 'public',
  };
  if (raw.subject?.trim()) value.subject = raw.subject.trim();
  if (raw.category) value.category = raw.category;
  if (raw.reference?.trim()) value.reference = raw.reference.trim();
  if (receivedAt) value.receivedAt = receivedAt;
  if (raw.location) value.location = raw.location;
  return { ok: true, value };
}
