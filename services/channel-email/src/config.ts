import { mediaSettings } from '@aduan/channel-sdk';
import { defineConfig } from '@aduan/platform';

export const emailSettings = defineConfig({
  EMAIL_PORT: {
    kind: 'int',
    description: 'HTTP port of channel-email (health, metrics and GET /media/{sha256})',
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
    offWhenUnset: 'e-mail intake',
  },
  SMTP_URL: {
    kind: 'url',
    description:
      'Outgoing mail server, smtp://user:password@host:port (smtps:// for TLS); unset disables replies and notifications',
    example: 'smtps://pengaduan%40jakarta.go.id:password@smtp.jakarta.go.id:465',
    secret: true,
    optional: true,
    offWhenUnset: 'answering citizens by e-mail',
  },
  EMAIL_FROM: {
    kind: 'string',
    description: 'From address of acknowledgements and notifications; its domain also names our Message-IDs',
    default: 'Aduan Jakarta <pengaduan@aduan.localhost>',
  },
  EMAIL_ATTACHMENT_TYPES: {
    kind: 'list',
    description:
      'Attachment types kept, as read from their bytes (type/* allowed); others are dropped with a note on the report',
    default: 'image/*,application/pdf,video/mp4,video/quicktime,audio/mpeg,audio/mp4,audio/ogg',
  },
  EMAIL_RECONNECT_MAX_MS: {
    kind: 'int',
    description: 'Longest wait between attempts to reach the IMAP server again',
    default: '60000',
    min: 100,
  },
  ...mediaSettings,
});
