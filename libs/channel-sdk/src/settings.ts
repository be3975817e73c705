import { defineConfig } from '@aduan/platform';

/** Settings every channel adapter reads, on top of its own. */
export const channelSettings = defineConfig({
  TRACKING_CODE_SECRET: {
    kind: 'string',
    description:
      'Secret that makes tracking codes unguessable; the same value on every adapter, never changed once live',
    default: 'dev-only-tracking-secret-change-me',
    secret: true,
  },
  PUBLIC_TRACKING_URL: {
    kind: 'string',
    description: 'Link sent to citizens with their code; {code} is replaced by the tracking code',
    default: 'http://127.0.0.1:3000/lacak/{code}',
  },
  CHANNEL_INTAKE_MAX_IN_FLIGHT: {
    kind: 'int',
    description:
      'Complaints one adapter instance holds on their way to Kafka at once; under a burst beyond that, more are answered 503 with Retry-After (webhook providers and API clients send again) instead of queueing in memory. 0: no limit',
    default: '256',
    min: 0,
  },
  CHANNEL_WRITE_LINGER_MS: {
    kind: 'int',
    description:
      "While requests come concurrently, milliseconds a write on the intake's path (rate-limit counters, idempotency keys, conversations, the reply and reporter books) waits for others to share its statement; a lone write leaves at once, and writes made while one is running always share the next. Each is stored before the request is answered",
    default: '2',
    min: 0,
    max: 1000,
  },
  CHANNEL_SENDER_MESSAGES_PER_HOUR: {
    kind: 'int',
    description:
      'Messages taken from one sender (phone number, handle, e-mail address) per hour, shared by every instance; more are quarantined (the provider still gets 200). 0: no limit',
    default: '60',
    min: 0,
  },
  STATUS_JWKS_URL: {
    kind: 'url',
    description:
      "The status service's public signing keys (its /.well-known/jwks.json): they check the status service's calls for a reporter's contact after two officers approved a reveal (ADR 0058); unset, this adapter reveals nobody",
    example: 'http://status:3300/.well-known/jwks.json',
    dev: 'http://localhost:3300/.well-known/jwks.json',
    optional: true,
    offWhenUnset: "revealing this adapter's reporters to officers (the status service's reveal answers 503)",
  },
});

export const DEV_TRACKING_SECRET = channelSettings.TRACKING_CODE_SECRET.default!;

/** The outgoing SMS gateway (see `SmsGateway`), for every adapter that answers by SMS. */
export const smsGatewaySettings = defineConfig({
  SMS_GATEWAY_URL: {
    kind: 'url',
    description:
      'Outgoing SMS: the HTTP gateway endpoint (JSON {to, from, text, reference}); unset: no SMS is sent',
    example: 'https://sms-gateway.example/v1/messages',
    optional: true,
  },
  SMS_GATEWAY_TOKEN: {
    kind: 'string',
    description: 'Bearer token for the outgoing SMS gateway',
    secret: true,
    optional: true,
  },
  SMS_SENDER_ID: {
    kind: 'string',
    description: 'Sender number or alphanumeric id for outgoing SMS',
    optional: true,
  },
});
