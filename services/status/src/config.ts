import {
  officerSigningSettings,
  databaseSettings,
  defineConfig,
  kafkaSettings,
  logSettings,
} from '@aduan/platform';
import { kafkaClientSettings } from '@aduan/bus';
import { citizenSettings } from './citizen/citizen-settings';
import { statusLimitSettings } from './limit-settings';

export const statusSettings = defineConfig({
  STATUS_PORT: {
    kind: 'int',
    description: 'HTTP port of the status service (public and officer APIs)',
    default: '3300',
    min: 0,
    max: 65535,
  },
  ...officerSigningSettings,
  OFFICER_BOOTSTRAP_ADMIN: {
    kind: 'string',
    description:
      'username:password of the first admin, created only while no officer account exists (a production start with no account needs it)',
    example: 'admin:change-me-now',
    dev: 'admin:admin-dev-password',
    secret: true,
    optional: true,
  },
  REPORTER_DATA_KEY: {
    kind: 'string',
    description:
      'AES-256 key (32 bytes, base64) that encrypts reporter contact data (openssl rand -base64 32)',
    secret: true,
    optional: true,
    requiredInProduction: true,
  },
  CHANNEL_ENDPOINTS: {
    kind: 'list',
    description:
      "Where each channel's adapter answers the status service (channel=base URL, comma-separated): a reporter's contact is kept by their adapter and asked for there after two officers approved a reveal (ADR 0058)",
    example:
      'jaki=http://channel-jaki:3101,whatsapp=http://channel-whatsapp:3105,sms=http://channel-whatsapp:3105',
    dev: [
      'jaki=http://localhost:3101',
      'twitter=http://localhost:3102',
      'facebook=http://localhost:3103',
      'messenger=http://localhost:3103',
      'instagram=http://localhost:3103',
      'email=http://localhost:3104',
      'whatsapp=http://localhost:3105',
      'sms=http://localhost:3105',
      'lapor=http://localhost:3106',
      'media=http://localhost:3107',
      'letter=http://localhost:3108',
      'walk_in=http://localhost:3108',
      'phone=http://localhost:3108',
      'telegram=http://localhost:3109',
      'open311=http://localhost:3110',
    ].join(','),
    optional: true,
    offWhenUnset: 'revealing reporters of reports received since ADR 0058 (the reveal answers 503)',
  },
  NODE_ENV: {
    kind: 'string',
    description: 'Runtime environment; "production" refuses development defaults',
    default: 'development',
  },
  EVIDENCE_DIR: {
    kind: 'string',
    description: 'Folder where evidence photos are stored (local-disk storage)',
    default: '.data/evidence',
  },
  EVIDENCE_MAX_BYTES: {
    kind: 'int',
    description: 'Largest evidence photo accepted, in bytes',
    default: String(10 * 1024 * 1024),
    min: 1,
  },
  EVIDENCE_HASH_DISTANCE: {
    kind: 'int',
    description: 'Hamming distance (of 64 bits) under which two photos count as the same picture',
    default: '8',
    min: 0,
    max: 64,
  },
  EVIDENCE_MAX_DISTANCE_M: {
    kind: 'int',
    description: 'How far (metres) the EXIF position of a photo may be from the report before it is flagged',
    default: '500',
    min: 1,
  },
  SLA_HOLIDAYS_FILE: {
    kind: 'string',
    description:
      'JSON file of Indonesian public holidays (YYYY-MM-DD list) for LAPOR! working days; defaults to the calendar in the repo',
    optional: true,
  },
  SLA_CHECK_INTERVAL_MS: {
    kind: 'int',
    description: 'How often the SLA scheduler looks for overdue reports',
    default: '30000',
    min: 100,
  },
  ...citizenSettings,
  ...statusLimitSettings,
  PUBLIC_STREAMS_MAX: {
    kind: 'int',
    description:
      'Live tracking streams (GET /v1/public/reports/{code}/events) one instance keeps open in all; beyond it a new one gets 503 and the page polls instead',
    default: '2000',
    min: 1,
  },
  PUBLIC_STREAMS_PER_CLIENT: {
    kind: 'int',
    description: 'Live tracking streams one client address may hold open at once; beyond it 503',
    default: '6',
    min: 1,
  },
  PUBLIC_STREAM_HEARTBEAT_SECONDS: {
    kind: 'int',
    description:
      'How often an open live tracking stream gets a comment line, so that proxies and browsers keep it open',
    default: '15',
    min: 1,
    max: 300,
  },
  STATUS_TRUSTED_PROXIES: {
    kind: 'list',
    description:
      "Addresses whose X-Forwarded-For is believed when counting streams per client (Express 'trust proxy' values: loopback, uniquelocal, an address or a CIDR, comma-separated)",
    default: 'loopback,uniquelocal',
  },
  ...databaseSettings,
  ...kafkaSettings,
  ...kafkaClientSettings,
  ...logSettings,
});
