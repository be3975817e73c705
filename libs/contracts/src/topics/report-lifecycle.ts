import { dateTime, nonEmptyString, trackingCode, unit, uuid } from '../schema-parts';
import { ACTOR_KINDS, LIFECYCLE_STATES } from '../vocabulary';

export const reportLifecycleSchema = {
  $id: 'https://aduan.jakarta.go.id/schemas/report.lifecycle.v1.json',
  title: 'One transition of a report, in the order it was recorded',
  type: 'object',
  required: ['reportId', 'trackingCode', 'sequence', 'from', 'to', 'at', 'actor', 'evidence'],
  properties: {
    reportId: uuid,
    trackingCode,
    sequence: { type: 'integer', minimum: 1 },
    from: { oneOf: [{ type: 'string', enum: LIFECYCLE_STATES }, { type: 'null' }] },
    to: { type: 'string', enum: LIFECYCLE_STATES },
    at: dateTime,
    actor: {
      type: 'object',
      required: ['kind'],
      properties: {
        kind: { type: 'string', enum: ACTOR_KINDS },
        id: { type: 'string' },
        unit: { type: 'string' },
      },
    },
    publicNote: { type: 'string', maxLength: 4000 },
    unit: { oneOf: [unit, { type: 'null' }] },
    units: {
      description:
        'The units working parts of the report in parallel (ADR 0073), on the transitions those parts caused',
      type: 'array',
      items: unit,
      maxItems: 20,
    },
    evidence: {
      type: 'array',
      items: {
        type: 'object',
        required: ['url', 'contentType'],
        properties: { url: nonEmptyString, contentType: nonEmptyString, sha256: { type: 'string' } },
      },
    },
  },
} as const;
