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
      'Complaint mailbox, imap://user:password@host:port/INBOX (imaps:// for TLS); with EMAIL_OAUTH2_PROVIDER the user only, imaps://user@host:993/INBOX; unset disables e-mail intake',
    example: 'imaps://pengaduan%40jakarta.go.id:password@imap.jakarta.go.id:993/INBOX',
    secret: true,
    optional: true,
    offWhenUnset: 'e-mail intake',
  },
  SMTP_URL: {
    kind: 'url',
    description:
      'Outgoing mail server, smtp://user:password@host:port (smtps:// for TLS); with EMAIL_OAUTH2_PROVIDER the user only, smtps://user@host:465; unset disables replies and notifications',
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
  EMAIL_OAUTH2_PROVIDER: {
    kind: 'enum',
    values: ['google', 'microsoft', 'custom'],
    description:
      'Sign in to IMAP_URL and SMTP_URL with OAuth2 (XOAUTH2) instead of a password: google (Workspace), microsoft (Microsoft 365) or custom (EMAIL_OAUTH2_TOKEN_URL)',
    example: 'google',
    optional: true,
    offWhenUnset: 'OAuth2 (XOAUTH2) sign-in to the mail servers',
  },
  EMAIL_OAUTH2_CLIENT_ID: {
    kind: 'string',
    description: 'OAuth2 client id of the app the mailbox owner consented to (with EMAIL_OAUTH2_PROVIDER)',
    example: '1234567890-abc.apps.googleusercontent.com',
    optional: true,
  },
  EMAIL_OAUTH2_CLIENT_SECRET: {
    kind: 'string',
    description:
      'OAuth2 client secret of that app; required for google, optional for a Microsoft public client',
    secret: true,
    optional: true,
  },
  EMAIL_OAUTH2_REFRESH_TOKEN: {
    kind: 'string',
    description:
      'OAuth2 refresh token of the mailbox user, from the consent (scope https://mail.google.com/, or IMAP.AccessAsUser.All, SMTP.Send and offline_access on Microsoft 365)',
    secret: true,
    optional: true,
  },
  EMAIL_OAUTH2_TENANT: {
    kind: 'string',
    description:
      "Microsoft Entra tenant of the mailbox: its directory id or domain, or 'organizations' for a multi-tenant app (microsoft only)",
    example: 'jakarta.go.id',
    optional: true,
  },
  EMAIL_OAUTH2_TOKEN_URL: {
    kind: 'url',
    description:
      "Token endpoint that renews the access token; default Google's or Microsoft's by EMAIL_OAUTH2_PROVIDER, required for custom",
    example: 'https://oauth2.googleapis.com/token',
    optional: true,
  },
  EMAIL_OAUTH2_SCOPE: {
    kind: 'string',
    description:
      "Scope asked for at each renewal; default none for google, Outlook's IMAP and SMTP scopes for microsoft",
    optional: true,
  },
  EMAIL_AUTHSERV_ID: {
    kind: 'string',
    description:
      "authserv-id our receiving mail server writes in the Authentication-Results header it adds (RFC 8601); only that header is believed. Set: only senders it authenticated (DKIM aligned with From, and SPF) or a report's own reporter are answered, and mail it found forged continues no report",
    example: 'mx.jakarta.go.id',
    optional: true,
    offWhenUnset: 'sender authentication (every From is believed as written and answered)',
  },
  EMAIL_SENDER_MAILS_PER_HOUR: {
    kind: 'int',
    description:
      'Mails taken from one sender address per hour; more are quarantined (kept in the mailbox and listed for officers), not dropped. 0: no limit',
    default: '30',
    min: 0,
  },
  EMAIL_REPLIES_PER_SENDER_PER_DAY: {
    kind: 'int',
    description:
      'Acknowledgements and replies sent to one address per day; more are not sent (cuts loops with responders that ignore Auto-Submitted). 0: no limit',
    default: '20',
    min: 0,
  },
  ...mediaSettings,
});
