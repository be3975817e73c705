import { databaseSettings, defineConfig, kafkaSettings, logSettings } from '@aduan/platform';

export const statusSettings = defineConfig({
  STATUS_PORT: { kind: 'int', description: 'HTTP port of the status service (public and officer APIs)', default: '3300', min: 0, max: 65535 },
  ...databaseSettings,
  ...kafkaSettings,
  ...logSettings,
});
