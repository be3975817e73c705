import { channel, dateTime, uuid } from '../schema-parts';
import { REPORTER_REF_PATTERN } from '../vocabulary';

/**
 * A reporter was erased (ADR 0055, 0058): the adapter that owns the report's channel deletes the
 * data key of the reference (crypto-shredding), the reply book entry and the conversation's
 * address, so the erasure reaches the adapter's store too. Names nobody.
 */
export const reporterErasedSchema = {
  $id: 'https://aduan.jakarta.go.id/schemas/reporter.erased.v1.json',
  title: 'A reporter was erased at their request',
  type: 'object',
  required: ['reportId', 'channel', 'erasedAt'],
  properties: {
    reportId: uuid,
    channel,
    ref: {
      type: 'string',
      pattern: REPORTER_REF_PATTERN,
      description: "The reporter's reference; absent for a report received before references (ADR 0058)",
    },
    erasedAt: dateTime,
  },
} as const;
