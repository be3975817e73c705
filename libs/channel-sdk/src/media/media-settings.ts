import { defineConfig } from '@aduan/platform';
import { DEFAULT_MEDIA_MAX_BYTES, DEFAULT_MEDIA_MAX_PIXELS } from './checks';

/**
 * Settings of the media store, for the adapters that keep photos and attachments. Apart from
 * `channelSettings` so that an adapter takes them (and `.env.example` lists them) once it moves
 * onto the store.
 */
export const mediaSettings = defineConfig({
  MEDIA_PUBLIC_BASE_URL: {
    kind: 'url',
    description:
      'Public address under which GET /media/{sha256} of the adapters is reachable; attachment links are <this>/media/<sha256>. Any adapter serves any stored file, so one value fits all of them. Unset: this adapter on 127.0.0.1 and its own port',
    example: 'https://aduan.jakarta.example',
    optional: true,
  },
  MEDIA_MAX_BYTES: {
    kind: 'int',
    description:
      'Largest photo or attachment kept, in bytes; a larger one is dropped with a note on the report',
    default: String(DEFAULT_MEDIA_MAX_BYTES),
    min: 1,
    // bytea rows stay well under PostgreSQL's 1 GB field limit and the memory of one request.
    max: 100 * 1024 * 1024,
  },
  MEDIA_MAX_PIXELS: {
    kind: 'int',
    description:
      'Largest image kept, in pixels (width × height × frames); protects against decompression bombs',
    default: String(DEFAULT_MEDIA_MAX_PIXELS),
    min: 1,
  },
});

/** The base for attachment links: the setting, or the adapter's own address on this machine. */
export function mediaPublicBaseUrl(setting: string | undefined, port: number): string {
  return (setting ?? `http://127.0.0.1:${port}`).replace(/\/+$/, '');
}
