// Named one by one: these land in the SDK's root export next to everything else it offers.
export {
  AUDIO_TYPES,
  DOCUMENT_TYPES,
  IMAGE_TYPES,
  isImageType,
  MEDIA_EXTENSION,
  MEDIA_TYPES,
  sniffMediaType,
  VIDEO_TYPES,
  type ImageType,
  type MediaType,
} from './sniff';
export { MediaRefused, type MediaProblem } from './media-refused';
export {
  checkMedia,
  DEFAULT_MEDIA_LIMITS,
  DEFAULT_MEDIA_MAX_BYTES,
  DEFAULT_MEDIA_MAX_PIXELS,
  loadSharp,
  type CheckedMedia,
  type MediaLimits,
} from './checks';
export {
  MEDIA_ID,
  PgMediaStore,
  type MediaRef,
  type MediaStore,
  type MediaStoreOptions,
  type MediaVariant,
  type PutOptions,
  type StoredMedia,
} from './media-store';
export {
  DEFAULT_MEDIA_FETCH_TIMEOUT_MS,
  fetchMedia,
  MediaFetchError,
  type FetchedMedia,
  type FetchMediaOptions,
  type FetchProblem,
} from './fetch-media';
export { MEDIA_STORE, MediaController, MediaModule, mediaResponse, type MediaResponse } from './media-http';
export { mediaPublicBaseUrl, mediaSettings } from './media-settings';
