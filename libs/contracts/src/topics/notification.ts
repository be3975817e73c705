import { channel, nonEmptyString, trackingCode, uuid } from '../schema-parts';
import { LIFECYCLE_STATES } from '../vocabulary';

export const notificationSchema = {
  $id: 'https://aduan.jakarta.go.id/schemas/notification.v1.json',
  title: 'A message for one citizen, delivered once by the adapter of its channel',
  type: 'object',
  required: ['notificationId', 'reportId', 'trackingCode', 'channel', 'locale', 'state', 'message'],
  properties: {
    notificationId: uuid,
    reportId: uuid,
    trackingCode,
    channel,
    recipient: {
      description:
        'Optional: the adapter answers from its own record of the reporter. Named while adapters still read it; personal data, internal topic only',
      type: 'object',
      required: ['address'],
      properties: { address: nonEmptyString, thread: { type: 'string' }, name: { type: 'string' } },
    },
    locale: { type: 'string', enum: ['id', 'en'] },
    state: { type: 'string', enum: LIFECYCLE_STATES },
    message: { type: 'string', minLength: 1, maxLength: 4000 },
  },
} as const;
