import { area, dateTime, nonEmptyString, trackingCode, unit, uuid } from '../schema-parts';
import { ROUTING_OUTCOMES } from '../vocabulary';

export const complaintRoutedSchema = {
  $id: 'https://aduan.jakarta.go.id/schemas/complaint.routed.v1.json',
  title: "The router's decision for one complaint: place, category, responsible unit, duplicates",
  type: 'object',
  required: [
    'reportId',
    'trackingCode',
    'outcome',
    'category',
    'categoryConfidence',
    'area',
    'placeConfidence',
    'unit',
    'duplicateOf',
    'reasons',
    'candidates',
    'rule',
    'routedAt',
  ],
  properties: {
    reportId: uuid,
    trackingCode,
    outcome: { type: 'string', enum: ROUTING_OUTCOMES },
    category: { type: ['string', 'null'] },
    categoryConfidence: { type: 'number', minimum: 0, maximum: 1 },
    area: { oneOf: [area, { type: 'null' }] },
    placeConfidence: { type: 'number', minimum: 0, maximum: 1 },
    unit: { oneOf: [unit, { type: 'null' }] },
    opd: { type: ['string', 'null'] },
    duplicateOf: { oneOf: [uuid, { type: 'null' }] },
    reasons: {
      type: 'array',
      items: {
        type: 'object',
        required: ['code'],
        properties: { code: nonEmptyString, detail: { type: 'string' } },
      },
    },
    candidates: {
      type: 'array',
      items: {
        type: 'object',
        required: ['score'],
        properties: {
          category: { type: 'string' },
          opd: { type: 'string' },
          kelurahanKode: { type: 'string' },
          score: { type: 'number' },
        },
      },
    },
    rule: {
      oneOf: [
        {
          type: 'object',
          required: ['id', 'version'],
          properties: { id: nonEmptyString, version: { type: 'integer', minimum: 0 } },
        },
        { type: 'null' },
      ],
    },
    routedAt: dateTime,
  },
} as const;
