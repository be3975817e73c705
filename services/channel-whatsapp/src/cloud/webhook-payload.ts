import { createAjv, describeAjvErrors } from '@aduan/contracts';

/**
 * The parts of a Cloud API `messages` webhook this adapter reads
 * (https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components). Unknown
 * fields are ignored, so new fields from Meta never break intake.
 */
export interface CloudWebhook {
  object: 'whatsapp_business_account';
  entry: Array<{ id: string; changes: CloudChange[] }>;
}

export interface CloudChange {
  field: string;
  value: {
    messaging_product?: string;
    metadata?: { display_phone_number?: string; phone_number_id: string };
    contacts?: Array<{ wa_id?: string; user_id?: string; profile?: { name?: string } }>;
    messages?: CloudMessage[];
    statuses?: unknown[];
  };
}

export interface CloudMedia {
  id: string;
  mime_type?: string;
  sha256?: string;
  caption?: string;
  url?: string;
}

export interface CloudMessage {
  from: string;
  id: string;
  timestamp: string;
  type: string;
  text?: { body: string };
  image?: CloudMedia;
  location?: { latitude: number; longitude: number; name?: string; address?: string; url?: string };
  context?: { forwarded?: boolean; id?: string; from?: string };
}

const media = {
  type: 'object',
  required: ['id'],
  properties: {
    id: { type: 'string', minLength: 1 },
    mime_type: { type: 'string' },
    caption: { type: 'string' },
    url: { type: 'string' },
  },
};

const schema = {
  type: 'object',
  required: ['object', 'entry'],
  properties: {
    object: { const: 'whatsapp_business_account' },
    entry: {
      type: 'array',
      maxItems: 100,
      items: {
        type: 'object',
        required: ['changes'],
        properties: {
          changes: {
            type: 'array',
            maxItems: 100,
            items: {
              type: 'object',
              required: ['field', 'value'],
              properties: {
                field: { type: 'string' },
                value: {
                  type: 'object',
                  properties: {
                    metadata: {
                      type: 'object',
                      required: ['phone_number_id'],
                      properties: { phone_number_id: { type: 'string', minLength: 1 } },
                    },
                    contacts: { type: 'array' },
                    statuses: { type: 'array' },
                    messages: {
                      type: 'array',
                      maxItems: 100,
                      items: {
                        type: 'object',
                        required: ['from', 'id', 'timestamp', 'type'],
                        properties: {
                          from: { type: 'string', pattern: '^\\+?[0-9]{5,20}$' },
                          id: { type: 'string', minLength: 1, maxLength: 300 },
                          timestamp: { type: 'string', pattern: '^[0-9]{1,12}$' },
                          type: { type: 'string' },
                          text: {
                            type: 'object',
                            required: ['body'],
                            properties: { body: { type: 'string', maxLength: 10000 } },
                          },
                          image: media,
                          location: {
                            type: 'object',
                            required: ['latitude', 'longitude'],
                            properties: {
                              latitude: { type: 'number', minimum: -90, maximum: 90 },
                              longitude: { type: 'number', minimum: -180, maximum: 180 },
                              name: { type: 'string', maxLength: 1000 },
                              address: { type: 'string', maxLength: 1000 },
                            },
                          },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
} as const;

const validate = createAjv().compile(schema);

export type ParsedWebhook = { ok: true; value: CloudWebhook } | { ok: false; problem: string };

export function parseCloudWebhook(raw: Buffer): ParsedWebhook {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch (err) {
    return {
      ok: false,
      problem: `body is not valid JSON: ${err instanceof Error ? err.message : String(err)}`,
    };
  }
  if (!validate(body)) return { ok: false, problem: describeAjvErrors(validate.errors).join('; ') };
  return { ok: true, value: body as CloudWebhook };
}
