import { channel, dateTime, nonEmptyString, uuid } from '../schema-parts';

/**
 * What became of one message to a citizen (acknowledgement, reply, notification), as its
 * adapter learnt it: sent, confirmed delivered or read by the provider's receipt, or failed
 * with the provider's reason. Officers see it on the report; it names no recipient.
 */
export const deliveryOutcomeSchema = {
  $id: 'https://aduan.jakarta.go.id/schemas/delivery.outcome.v1.json',
  title: 'What became of one message to a citizen',
  type: 'object',
  required: ['deliveryId', 'reportId', 'channel', 'kind', 'status', 'at'],
  properties: {
    deliveryId: nonEmptyString,
    reportId: uuid,
    channel,
    kind: { type: 'string', enum: ['acknowledgement', 'reply', 'notification'] },
    status: { type: 'string', enum: ['sent', 'delivered', 'read', 'failed'] },
    reason: { type: 'string', maxLength: 500 },
    at: dateTime,
  },
} as const;
