import { mediaSettings } from '@aduan/channel-sdk';
import { defineConfig } from '@aduan/platform';

export const jakiSettings = defineConfig({
  JAKI_PORT: {
    kind: 'int',
    description: 'HTTP port of the JAKI app API',
    default: '3101',
    min: 0,
    max: 65535,
  },
  JAKI_API_KEYS: {
    kind: 'list',
    description:
      'Accepted API keys of the JAKI client apps, comma-separated, each "app:key" (names the app) or a bare key, sent as X-API-Key or Authorization: Bearer; unset disables intake',
    example: 'jaki-android:7f3c…,jaki-ios:91ab…',
    dev: 'dev-jaki-key',
    secret: true,
    optional: true,
    requiredInProduction: true,
    offWhenUnset: 'report intake (POST /v1/reports answers 503)',
  },
  JAKI_REQUESTS_PER_IP_PER_MINUTE: {
    kind: 'int',
    description:
      'Reports one client address may post per minute, counted across every instance (429 with Retry-After above it); checked before the API key, so guessing keys is slow too. Phones of a carrier share addresses: keep it generous. 0: no limit',
    default: '120',
    min: 0,
  },
  JAKI_REQUESTS_PER_KEY_PER_MINUTE: {
    kind: 'int',
    description:
      'Reports one client app (API key) may post per minute, counted across every instance; the key ships inside a public app, so this caps what a copied key can do. 0: no limit',
    default: '3000',
    min: 0,
  },
  JAKI_MAX_BODY: {
    kind: 'string',
    description: 'Largest JSON report body accepted (413 above it)',
    default: '256kb',
  },
  JAKI_PUBLIC_BASE_URL: {
    kind: 'url',
    description:
      'Public base URL of this API, used in the photo links put on reports (<this>/media/<sha256>); unset: MEDIA_PUBLIC_BASE_URL, else this service on 127.0.0.1',
    example: 'https://jaki-api.aduan.jakarta.example',
    optional: true,
  },
  JAKI_PHOTO_DIR: {
    kind: 'string',
    description:
      'Folder of the photos stored before the media store; their old links /v1/photos/<sha256>.<ext> keep working from it',
    default: '.data/jaki-photos',
  },
  JAKI_PHOTO_MAX_BYTES: {
    kind: 'int',
    description:
      'Largest photo kept; larger ones are dropped with a note (an upload over four times this is refused with 413)',
    default: '5242880',
    min: 1,
  },
  JAKI_PHOTO_MAX_COUNT: {
    kind: 'int',
    description: 'Most photos on one report',
    default: '5',
    min: 0,
    max: 20,
  },
  STATUS_BASE_URL: {
    kind: 'url',
    description: 'The status service, whose public API answers GET /v1/reports/{trackingCode}',
    default: 'http://127.0.0.1:3300',
  },
  JAKI_PUSH_WEBHOOK_URL: {
    kind: 'url',
    description: "The JAKI backend's webhook for state changes of reports made in the app; unset: no push",
    example: 'https://jaki.example/aduan/state-changes',
    optional: true,
  },
  JAKI_PUSH_SECRET: {
    kind: 'string',
    description: 'Key of the X-Aduan-Signature HMAC on push deliveries; unset: no push (never unsigned)',
    secret: true,
    optional: true,
    offWhenUnset: 'pushing state changes to the app',
  },
  MEDIA_PUBLIC_BASE_URL: mediaSettings.MEDIA_PUBLIC_BASE_URL,
  MEDIA_MAX_PIXELS: mediaSettings.MEDIA_MAX_PIXELS,
});
