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
        "Deprecated and ignored (ADR 0055): the status service no longer sends it, and adapters answer only from their own record of the report's citizen, so a notification cannot choose its recipient",
      type: 'object',
      required: ['address'],
      properties: { address: nonEmptyString, thread: { type: 'string' }, name: { type: 'string' } },
    },
    locale: { type: 'string', enum: ['id', 'en'] },
    state: { type: 'string', enum: LIFECYCLE_STATES },
    message: { type: 'string', minLength: 1, maxLength: 4000 },
    expectsAnswer: {
      description:
        "True for an officer's question (ADR 0074): the citizen's next message on the channel answers it, so the adapter takes that message as a follow-up of this report even outside its conversation window",
      type: 'boolean',
    },
  },
} as const;
