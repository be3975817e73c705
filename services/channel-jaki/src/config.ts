import { channelSettings } from '@aduan/channel-sdk';
import { defineConfig, kafkaSettings, logSettings } from '@aduan/platform';

export const jakiSettings = defineConfig({
  JAKI_PORT: { kind: 'int', description: 'HTTP port of the JAKI app API', default: '3101', min: 0, max: 65535 },
  JAKI_API_KEYS: {
    kind: 'list',
    description:
      'Accepted API keys of the JAKI client apps, comma-separated, sent as X-API-Key or Authorization: Bearer; unset disables intake',
    example: 'jaki-android-7f3c,jaki-ios-91ab',
    dev: 'dev-jaki-key',
    secret: true,
    optional: true,
  },
  JAKI_MAX_BODY: { kind: 'string', description: 'Largest JSON report body accepted (413 above it)', default: '256kb' },
  ...channelSettings,
  ...kafkaSettings,
  ...logSettings,
});
