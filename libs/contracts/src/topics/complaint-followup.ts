import {
  attachments,
  channel,
  dateTime,
  location,
  nonEmptyString,
  trackingCode,
  uuid,
} from '../schema-parts';

/**
 * More from the citizen about a report that already exists: a reply to our acknowledgement, a
 * message within the conversation window. It carries no reporter: the report already has one.
 */
export const complaintFollowUpSchema = {
  $id: 'https://aduan.jakarta.go.id/schemas/complaint.followup.v1.json',
  title: 'What a citizen added to an existing report, as the channel adapter received it',
  type: 'object',
  required: [
    'followUpId',
    'reportId',
    'trackingCode',
    'channel',
    'source',
    'text',
    'attachments',
    'receivedAt',
  ],
  properties: {
    followUpId: uuid,
    reportId: uuid,
    trackingCode,
    channel,
    source: {
      type: 'object',
      required: ['id', 'receivedAt'],
      properties: {
        id: nonEmptyString,
        thread: { type: 'string' },
        receivedAt: dateTime,
      },
    },
    text: { type: 'string', minLength: 1, maxLength: 100_000 },
    location,
    attachments,
    receivedAt: dateTime,
    /**
     * What the follow-up is: more from the citizen (`message`, the default when absent), or a
     * change to what they wrote before on a channel that reports it (Meta's edits and
     * deletions): `edit` carries the new text, `deletion` notes that it was taken down.
     */
    kind: { type: 'string', enum: ['message', 'edit', 'deletion'] },
  },
} as const;
