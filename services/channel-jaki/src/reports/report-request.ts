import { BadRequestException } from '@nestjs/common';
import {
  createAjv,
  describeAjvErrors,
  schemaParts,
  type GeoPoint,
  type ReporterContact,
} from '@aduan/contracts';

/** The JSON body the JAKI app sends. Unknown fields are ignored so older servers accept newer apps. */
const reportRequestSchema = {
  type: 'object',
  required: ['text'],
  properties: {
    text: { type: 'string', maxLength: 5000 },
    category: { type: 'string', maxLength: 200 },
    location: schemaParts.location,
    reporter: {
      type: 'object',
      properties: {
        name: { type: 'string', maxLength: 200 },
        email: { type: 'string', maxLength: 320 },
        phone: { type: 'string', maxLength: 40 },
        userId: { type: 'string', maxLength: 200 },
      },
    },
    anonymous: { type: 'boolean' },
    visibility: { type: 'string', enum: ['public', 'private'] },
  },
} as const;

const validate = createAjv().compile(reportRequestSchema);

export interface ReportRequest {
  text: string;
  category?: string;
  location?: GeoPoint;
  reporter: ReporterContact;
  visibility: 'public' | 'private';
}

type RawRequest = Omit<ReportRequest, 'reporter' | 'visibility'> & {
  reporter?: { name?: string; email?: string; phone?: string; userId?: string };
  anonymous?: boolean;
  visibility?: 'public' | 'private';
};

/** PostgreSQL text cannot hold NUL: one left in would stop the report downstream, after the 202. */
function withoutNul(v: unknown): unknown {
  if (typeof v === 'string') return v.replaceAll('\u0000', '');
  if (Array.isArray(v)) return v.map(withoutNul);
  if (v && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, withoutNul(x)]));
  return v;
}

/** The report in a request body, or a 400 naming every problem. */
export function parseReportRequest(body: unknown, knownCategories: ReadonlySet<string>): ReportRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new BadRequestException('request body must be a JSON object with a "text" field');
  const clean = withoutNul(body);
  if (!validate(clean)) throw new BadRequestException(describeAjvErrors(validate.errors).join('; '));
  const raw = clean as RawRequest;
  const text = raw.text.trim();
  if (!text) throw new BadRequestException('text must not be empty');
  if (raw.category !== undefined && !knownCategories.has(raw.category))
    throw new BadRequestException(
      `category "${raw.category}" is not a known category (GET /v1/categories lists them)`,
    );
  const reporter: ReporterContact = { anonymous: raw.anonymous ?? false };
  if (raw.reporter?.name) reporter.name = raw.reporter.name;
  if (raw.reporter?.email) reporter.email = raw.reporter.email;
  if (raw.reporter?.phone) reporter.phone = raw.reporter.phone;
  if (raw.reporter?.userId) reporter.handle = raw.reporter.userId;
  const value: ReportRequest = { text, reporter, visibility: raw.visibility ?? 'public' };
  if (raw.category) value.category = raw.category;
  if (raw.location) value.location = raw.location;
  return value;
}
