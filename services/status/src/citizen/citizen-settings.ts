import { defineConfig } from '@aduan/platform';

/** Settings of the citizen's review and of support (ADR 0048); spread into the status settings. */
export const citizenSettings = defineConfig({
  PUBLIC_TRACKING_URL: {
    kind: 'string',
    description:
      "Address of the public tracking page with {code} for the tracking code (http://<web host>/lacak/{code}); the completion message links to it with the reporter's review key",
    example: 'https://aduan.jakarta.go.id/lacak/{code}',
    dev: 'http://localhost:3000/lacak/{code}',
    optional: true,
    offWhenUnset: 'the review link in the completion message (replying "belum beres" still works)',
  },
  REVIEW_WINDOW_DAYS: {
    kind: 'int',
    description:
      'Days after Selesai during which the reporter may confirm or say "not fixed"; then the report is closed',
    default: '7',
    min: 1,
    max: 365,
  },
  REVIEW_CHECK_INTERVAL_MS: {
    kind: 'int',
    description: 'How often completed reports whose review window ended are closed',
    default: '60000',
    min: 100,
  },
  SUPPORT_KEY: {
    kind: 'string',
    description:
      "Secret that hashes a supporter's address and browser id, so one person supports a report once without being stored (openssl rand -base64 32)",
    dev: 'development-support-key-change-me',
    secret: true,
    optional: true,
    requiredInProduction: true,
    offWhenUnset: 'support (dukung) of public reports',
  },
  SUPPORT_RATE_LIMIT: {
    kind: 'int',
    description: 'Support requests accepted from one IP address per SUPPORT_RATE_WINDOW_SECONDS',
    default: '30',
    min: 1,
  },
  SUPPORT_RATE_WINDOW_SECONDS: {
    kind: 'int',
    description: 'Length of the support rate-limit window, in seconds',
    default: '3600',
    min: 1,
  },
});
