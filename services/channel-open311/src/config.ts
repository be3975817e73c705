import { mediaSettings } from '@aduan/channel-sdk';
import { defineConfig } from '@aduan/platform';

export const open311Settings = defineConfig({
  OPEN311_PORT: {
    kind: 'int',
    description: 'HTTP port of the Open311 GeoReport v2 API (/open311/v2/)',
    default: '3110',
    min: 0,
    max: 65535,
  },
  OPEN311_API_KEYS: {
    kind: 'list',
    description:
      'API keys of the Open311 client apps allowed to POST requests, comma-separated, each "app:key" (names the app) or a bare key, sent as the api_key field or X-API-Key; unset disables POST requests',
    example: 'fixmystreet:5d1e…,warga-app:c0a9…',
    dev: 'dev-open311-key',
    secret: true,
    optional: true,
    requiredInProduction: true,
    offWhenUnset: 'Open311 report intake (POST requests answers 503)',
  },
  OPEN311_JURISDICTION_ID: {
    kind: 'string',
    description:
      'The jurisdiction_id clients may send; another value is answered 404 as the GeoReport v2 spec asks',
    default: 'jakarta.go.id',
  },
  OPEN311_CONTACT: {
    kind: 'string',
    description: 'The contact line of the discovery document (who runs the API and how to reach them)',
    default: 'Pemerintah Provinsi DKI Jakarta, Pusat Aduan Warga',
  },
  OPEN311_PUBLIC_BASE_URL: {
    kind: 'url',
    description:
      'Public base URL of this API, named in the discovery document and in the links of photos fetched from media_url (<this>/media/<sha256>); unset: MEDIA_PUBLIC_BASE_URL, else this service on 127.0.0.1',
    example: 'https://open311.aduan.jakarta.example',
    optional: true,
  },
  OPEN311_LOOKUPS_PER_MINUTE: {
    kind: 'int',
    description:
      'Requests one client address may look up by id per minute (requests/{id}, service_request_id lists, tokens/{token}); more are answered 429',
    default: '120',
    min: 1,
  },
  OPEN311_REQUESTS_PER_KEY_PER_MINUTE: {
    kind: 'int',
    description:
      'Requests one client app (API key) may post per minute, counted across every instance; more are answered 429 with Retry-After. 0: no limit',
    default: '300',
    min: 0,
  },
  OPEN311_REQUESTS_PER_IP_PER_MINUTE: {
    kind: 'int',
    description:
      'Requests one client address may post per minute, counted across every instance; more are answered 429 with Retry-After. 0: no limit',
    default: '60',
    min: 0,
  },
  OPEN311_MEDIA_MAX_BYTES: {
    kind: 'int',
    description: 'Largest photo fetched from a request’s media_url; a larger one is left out with a note',
    default: '5242880',
    min: 1,
  },
  STATUS_BASE_URL: {
    kind: 'url',
    description:
      'The status service, whose public API answers GET requests, requests/{id} and servicerequestupdates; unset: those answer 503',
    example: 'http://status:3300',
    dev: 'http://127.0.0.1:3300',
    optional: true,
    requiredInProduction: true,
    offWhenUnset:
      'listing Open311 requests (GET requests, requests/{id} and servicerequestupdates answer 503)',
  },
  MEDIA_PUBLIC_BASE_URL: mediaSettings.MEDIA_PUBLIC_BASE_URL,
  MEDIA_MAX_PIXELS: mediaSettings.MEDIA_MAX_PIXELS,
});
