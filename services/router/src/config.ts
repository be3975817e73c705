import {
  officerTokenSettings,
  databaseSettings,
  defineConfig,
  kafkaSettings,
  logSettings,
} from '@aduan/platform';
import { kafkaClientSettings } from '@aduan/bus';

export const routerSettings = defineConfig({
  ROUTER_PORT: {
    kind: 'int',
    description: 'HTTP port of the router (health, metrics, rules admin)',
    default: '3200',
    min: 0,
    max: 65535,
  },
  ...officerTokenSettings,
  ROUTER_CATEGORY_THRESHOLD: {
    kind: 'number',
    description: 'Category confidence (0–1) below which a report goes to TRIAGE',
    default: '0.4',
    min: 0,
    max: 1,
  },
  ROUTER_PLACE_THRESHOLD: {
    kind: 'number',
    description: 'Place confidence (0–1) below which a report goes to TRIAGE',
    default: '0.6',
    min: 0,
    max: 1,
  },
  ROUTER_DUPLICATE_RADIUS_METERS: {
    kind: 'int',
    description: 'Reports of one category closer than this are candidates for one incident',
    default: '150',
    min: 1,
  },
  ROUTER_DUPLICATE_WINDOW_HOURS: {
    kind: 'int',
    description: '…when received within this many hours of an open report',
    default: '48',
    min: 1,
  },
  ROUTER_DUPLICATE_TEXT_SIMILARITY: {
    kind: 'number',
    description: 'For reports without a point: text similarity (0–1) needed, in the same kelurahan',
    default: '0.5',
    min: 0,
    max: 1,
  },
  ...databaseSettings,
  ...kafkaSettings,
  ...kafkaClientSettings,
  ...logSettings,
});
