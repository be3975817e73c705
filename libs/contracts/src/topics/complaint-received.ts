import {
  attachments,
  channel,
  dateTime,
  location,
  nonEmptyString,
  trackingCode,
  uuid,
} from '../schema-parts';

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
        name: { type: 'string', maxLength: 200 },
        handle: { type: 'string', maxLength: 200 },
        email: { type: 'string', maxLength: 320 },
        phone: { type: 'string', maxLength: 40 },
        anonymous: { type: 'boolean' },
        replyTo: {
          type: ['string', 'null'],
          maxLength: 320,
          description:
            'Where the adapter answers this reporter (a number, an address, an account or thread id); null when it does not answer. Absent: the first of handle, phone, email.',
        },
      },
    },
    text: { type: 'string', minLength: 1, maxLength: 100_000 },
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
