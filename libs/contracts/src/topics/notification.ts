import { nonEmptyString, trackingCode, uuid } from '../schema-parts';
import { CHANNELS, LIFECYCLE_STATES } from '../vocabulary';

export const notificationSchema = {
  $id: 'https://aduan.jakarta.go.id/schemas/notification.v1.json',
  title: 'A message for one citizen, delivered once by the adapter of its channel',
  type: 'object',
  required: [
    'notificationId',
    'reportId',
    'trackingCode',
    'channel',
    'recipient',
    'locale',
    'state',
    'message',
  ],
  properties: {
    notificationId: uuid,
    reportId: uuid,
    trackingCode,
    channel: { type: 'string', enum: CHANNELS },
    recipient: {
      type: 'object',
      required: ['address'],
      properties: { address: nonEmptyString, thread: { type: 'string' }, name: { type: 'string' } },
    },
    locale: { type: 'string', enum: ['id', 'en'] },
    state: { type: 'string', enum: LIFECYCLE_STATES },
    message: { type: 'string', minLength: 1, maxLength: 4000 },
  },
} as const;
