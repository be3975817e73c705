/** JSON Schema fragments reused by several event schemas. Draft-07, checked by Ajv. */

import { CHANNEL_NAME_PATTERN } from './vocabulary';

export const uuid = { type: 'string', format: 'uuid' } as const;
export const dateTime = { type: 'string', format: 'date-time' } as const;
export const trackingCode = {
  type: 'string',
  pattern: '^[2-9A-HJKMNP-TV-Z]{5}-[2-9A-HJKMNP-TV-Z]{5}$',
} as const;
export const nonEmptyString = { type: 'string', minLength: 1 } as const;

/** A registered channel name: a pattern, never an enum, so that a new channel is not dead-lettered. */
export const channel = {
  type: 'string',
  pattern: CHANNEL_NAME_PATTERN,
  description: 'Registered channel name, e.g. whatsapp; consumers accept names they do not know',
} as const;

export const codeName = {
  type: 'object',
  required: ['kode', 'nama'],
  properties: { kode: nonEmptyString, nama: nonEmptyString },
} as const;

export const area = {
  type: 'object',
  required: ['kelurahan', 'kecamatan', 'kota'],
  properties: { kelurahan: codeName, kecamatan: codeName, kota: codeName },
} as const;

export const unit = {
  type: 'object',
  required: ['code', 'name'],
  properties: { code: nonEmptyString, name: nonEmptyString },
} as const;

export const location = {
  type: 'object',
  required: ['lat', 'lon'],
  properties: {
    lat: { type: 'number', minimum: -90, maximum: 90 },
    lon: { type: 'number', minimum: -180, maximum: 180 },
    accuracy: { type: 'number', minimum: 0 },
    address: { type: 'string', maxLength: 500 },
  },
} as const;

export const attachments = {
  type: 'array',
  maxItems: 20,
  items: {
    type: 'object',
    required: ['url', 'contentType'],
    properties: {
      url: nonEmptyString,
      contentType: nonEmptyString,
      size: { type: 'integer', minimum: 0 },
      name: { type: 'string' },
    },
  },
} as const;
