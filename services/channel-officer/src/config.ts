import { mediaSettings, smsGatewaySettings } from '@aduan/channel-sdk';
import { defineConfig, officerTokenSettings } from '@aduan/platform';

export const officerSettings = defineConfig({
  OFFICER_PORT: {
    kind: 'int',
    description: 'HTTP port of the officer entry API',
    default: '3108',
    min: 0,
    max: 65535,
  },
  OFFICER_JWKS_URL: {
    ...officerTokenSettings.OFFICER_JWKS_URL,
    offWhenUnset: 'officer entry (POST /v1/officer/entries answers 503)',
  },
  OFFICER_JWT_SECRET: officerTokenSettings.OFFICER_JWT_SECRET,
  ...smsGatewaySettings,
  SMS_GATEWAY_URL: { ...smsGatewaySettings.SMS_GATEWAY_URL, offWhenUnset: 'answering citizens by SMS' },
  SMTP_URL: {
    kind: 'url',
    description:
      'SMTP server for acknowledgements to an e-mail contact (smtp://user:password@host:port, smtps:// for TLS); unset: no e-mail',
    example: 'smtp://aduan:secret@127.0.0.1:587',
    optional: true,
    offWhenUnset: 'answering citizens by e-mail',
  },
  EMAIL_FROM: {
    kind: 'string',
    description: 'From address of acknowledgement e-mails',
    default: 'Aduan Jakarta <aduan@jakarta.go.id>',
  },
  // Entry photos are kept in the channel kit's media store, as every channel's (ADR 0014, 0076).
  ...mediaSettings,
});
