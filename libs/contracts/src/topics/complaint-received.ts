import { attachments, dateTime, location, nonEmptyString, trackingCode, uuid } from '../schema-parts';
import { CHANNELS } from '../vocabulary';

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
    channel: { type: 'string', enum: CHANNELS },
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
      },
    },
    text: { type: 'string', minLength: 1, maxLength: 100_000 },
    subject: { type: 'string', maxLength: 1000 },
    category: nonEmptyString,
    location,
    attachments,
    visibility: { type: 'string', enum: ['public', 'private'] },
    receivedAt: dateTime,
  },
} as const;
