import { mediaSettings } from '@aduan/channel-sdk';
import { defineConfig } from '@aduan/platform';

export const laporSettings = defineConfig({
  LAPOR_PORT: {
    kind: 'int',
    description: 'HTTP port of channel-lapor (health, metrics and GET /media/{sha256})',
    default: '3106',
    min: 0,
    max: 65535,
  },
  LAPOR_API_BASE_URL: {
    kind: 'url',
    description:
      "SP4N-LAPOR!'s integration API for this agency, as the LAPOR! team gives it with the token (docs/lapor-api.md); unset: no LAPOR! sync",
    example: 'https://api.lapor.go.id/integrasi/v1',
    optional: true,
  },
  LAPOR_API_TOKEN: {
    kind: 'string',
    description:
      "The agency's token for the LAPOR! integration API, sent as Authorization: Bearer; unset: no LAPOR! sync",
    secret: true,
    optional: true,
    offWhenUnset:
      'LAPOR! 1708 sync (reports disposed to the city are not read, status changes are not posted back)',
  },
  LAPOR_POLL_INTERVAL_SECONDS: {
    kind: 'int',
    description:
      'Pause between two reads of the reports LAPOR! disposed to the city, when nothing more is waiting',
    default: '60',
    min: 1,
  },
  LAPOR_PAGE_SIZE: {
    kind: 'int',
    description: 'Reports asked for in one page',
    default: '50',
    min: 1,
    max: 200,
  },
  LAPOR_RETRY_MAX_SECONDS: {
    kind: 'int',
    description: 'Longest wait between two attempts while LAPOR! is away or refuses the token',
    default: '300',
    min: 1,
  },
  LAPOR_AGENCY_ID: {
    kind: 'string',
    description:
      "The agency's id on LAPOR! (instansi.id of the reports disposed to it); when set, a listed report disposed elsewhere is never taken in",
    example: '1082',
    optional: true,
  },
  ...mediaSettings,
});
