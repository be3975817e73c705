import { channelSettings } from '@aduan/channel-sdk';
import { databaseSettings, defineConfig, kafkaSettings, logSettings } from '@aduan/platform';

export const emailSettings = defineConfig({
  EMAIL_PORT: {
    kind: 'int',
    description: 'HTTP port of channel-email (health and metrics only)',
    default: '3104',
    min: 0,
    max: 65535,
  },
  IMAP_URL: {
    kind: 'url',
    description:
      'Complaint mailbox, imap://user:password@host:port/INBOX (imaps:// for TLS); unset disables e-mail intake',
    example: 'imaps://pengaduan%40jakarta.go.id:password@imap.jakarta.go.id:993/INBOX',
    secret: true,
    optional: true,
  },
  SMTP_URL: {
    kind: 'url',
    description:
      'Outgoing mail server, smtp://user:password@host:port (smtps:// for TLS); unset disables replies and notifications',
    example: 'smtps://pengaduan%40jakarta.go.id:password@smtp.jakarta.go.id:465',
    secret: true,
    optional: true,
  },
  EMAIL_FROM: {
    kind: 'string',
    description: 'From address of acknowledgements and notifications; its domain also names our Message-IDs',
    default: 'Aduan Jakarta <pengaduan@aduan.localhost>',
  },
  EMAIL_ATTACHMENT_DIR: {
    kind: 'string',
    description: 'Folder where attachments of incoming mail are stored (created if missing)',
    default: '.cache/email-attachments',
  },
  EMAIL_MAX_ATTACHMENT_BYTES: {
    kind: 'int',
    description: 'Largest attachment kept; larger ones are dropped with a note on the report',
    default: '10485760',
    min: 1,
  },
  EMAIL_ATTACHMENT_TYPES: {
    kind: 'list',
    description:
      'Attachment content types kept (type/* allowed); others are dropped with a note on the report',
    default: 'image/*,application/pdf,video/mp4,video/quicktime,audio/mpeg,audio/mp4,audio/ogg',
  },
  EMAIL_RECONNECT_MAX_MS: {
    kind: 'int',
    description: 'Longest wait between attempts to reconnect to the IMAP server',
    default: '60000',
    min: 100,
  },
  EMAIL_RETRY_BASE_MS: {
    kind: 'int',
    description:
      'First wait before a notification the SMTP server did not take is tried again (doubling, then dead-lettered)',
    default: '500',
    min: 1,
  },
  ...channelSettings,
  ...kafkaSettings,
  ...databaseSettings,
  ...logSettings,
});
