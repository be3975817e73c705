import { area, dateTime, trackingCode, unit, uuid } from '../schema-parts';
import { LIFECYCLE_STATES } from '../vocabulary';

export const reportStateSchema = {
  $id: 'https://aduan.jakarta.go.id/schemas/report.state.v1.json',
  title: 'The latest state of a report (log-compacted: the last record per key wins)',
  type: 'object',
  required: [
    'reportId',
    'trackingCode',
    'state',
    'label',
    'category',
    'unit',
    'area',
    'mergedInto',
    'updatedAt',
    'version',
  ],
  properties: {
    reportId: uuid,
    trackingCode,
    state: { type: 'string', enum: LIFECYCLE_STATES },
    label: { type: 'string' },
    category: { type: ['string', 'null'] },
    unit: { oneOf: [unit, { type: 'null' }] },
    area: { oneOf: [area, { type: 'null' }] },
    mergedInto: { oneOf: [uuid, { type: 'null' }] },
    updatedAt: dateTime,
    version: { type: 'integer', minimum: 1 },
  },
} as const;
