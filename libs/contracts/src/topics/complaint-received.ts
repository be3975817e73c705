import {
  attachments,
  channel,
  dateTime,
  location,
  nonEmptyString,
  trackingCode,
  uuid,
} from '../schema-parts';
import { REPORTER_REF_PATTERN } from '../vocabulary';

/** Personal data, accepted only from producers older than ADR 0058; none sends it any more. */
const deprecatedContact = {
  type: 'string',
  description:
    'Deprecated (ADR 0058): contact data from producers before `ref`; no adapter sends it any more',
} as const;

export const complaintReceivedSchema = {
  $id: 'https://aduan.jakarta.go.id/schemas/complaint.received.v1.json',
  title: 'A complaint as a channel adapter received it, normalized',
  type: 'object',
  required: [
    'reportId',
    'trackingCode',
    'channel',
    'source',
    'reporter',
    'text',
    'attachments',
    'visibility',
    'receivedAt',
  ],
  properties: {
    reportId: uuid,
    trackingCode,
    channel,
    source: {
      type: 'object',
      required: ['id', 'receivedAt'],
      properties: {
        id: nonEmptyString,
        url: { type: 'string' },
        thread: { type: 'string' },
        receivedAt: dateTime,
      },
    },
    reporter: {
      type: 'object',
      required: ['anonymous'],
      properties: {
        ref: {
          type: 'string',
          pattern: REPORTER_REF_PATTERN,
          description:
            "The reporter's pseudonymous reference: the same for the same contact on the same channel, random for an anonymous or contact-less reporter. The contact itself stays sealed in the adapter's store (ADR 0058)",
        },
        answers: {
          type: 'boolean',
          description:
            'Whether the adapter can answer this reporter (it keeps where, the event does not say)',
        },
        anonymous: { type: 'boolean' },
        name: { ...deprecatedContact, maxLength: 200 },
        handle: { ...deprecatedContact, maxLength: 200 },
        email: { ...deprecatedContact, maxLength: 320 },
        phone: { ...deprecatedContact, maxLength: 40 },
        replyTo: {
          type: ['string', 'null'],
          maxLength: 320,
          description:
            'Deprecated (ADR 0058): where the adapter answered this reporter, from producers before `ref` and `answers`; no adapter sends it any more',
        },
      },
    },
    text: { type: 'string', minLength: 1, maxLength: 100_000 },
    publicText: {
      type: 'string',
      maxLength: 100_000,
      description:
        'The public description (ADR 0037), derived by the adapter, which alone knows the names to mask; absent for a private report or when nothing public is left',
    },
    subject: { type: 'string', maxLength: 1000 },
    category: nonEmptyString,
    location,
    attachments,
    visibility: { type: 'string', enum: ['public', 'private'] },
    confidential: {
      type: 'boolean',
      description:
        'Optional: true for a report its source marks confidential (LAPOR! rahasia); no public surface may show it, not even by its tracking code',
    },
    receivedAt: dateTime,
  },
} as const;
