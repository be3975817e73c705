/**
 * One store for the photos and attachments of every channel (ADR 0014).
 *
 *   const media = new PgMediaStore(runtime.store.db, { publicBaseUrl: config.MEDIA_PUBLIC_BASE_URL ?? ownUrl });
 *   try {
 *     const ref = await media.put(bytes, { declaredType: 'image/jpeg', filename: 'IMG_0042.jpg' });
 *     attachments.push(ref);   // { url: '<base>/media/<sha256>', contentType, size, name }: an Attachment
 *   } catch (err) {
 *     if (err instanceof MediaRefused) notes.push(err.message);   // dropped with a note, or 4xx
 *     else throw err;                                             // the database: retry the message
 *   }
 *
 * Only the link travels on Kafka; the bytes stay in the channel store's database, where every
 * instance of every adapter finds them.
 */
import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { checkMedia, DEFAULT_MEDIA_LIMITS, type MediaLimits } from './checks';
import { MediaRefused } from './media-refused';
import { sniffMediaType } from './sniff';

export type MediaVariant = 'original' | 'public';

/** What `put` returns: the shape of a contracts `Attachment`, plus the id. */
export interface MediaRef {
  /** SHA-256 (hex) of the bytes as received. */
  id: string;
  /** `<publicBaseUrl>/media/<id>`: the public copy. */
  url: string;
  /** Type and size of what `url` serves (the public copy). */
  contentType: string;
  size: number;
  name?: string;
}

export interface StoredMedia {
  id: string;
  variant: MediaVariant;
  contentType: string;
  size: number;
  bytes: Buffer;
}

export interface PutOptions {
  /** The type the sender, mail or provider claimed; only quoted in refusals, never trusted. */
  declaredType?: string;
  /** The sender's file name: quoted in refusals and returned as the attachment's `name`. */
  filename?: string;
}

export interface MediaStore {
  /** Checks and keeps a file; throws `MediaRefused` for what must not be kept. */
  put(bytes: Buffer, opts?: PutOptions): Promise<MediaRef>;
  /** The public copy unless asked for the original; null for an id never stored. */
  get(id: string, opts?: { variant?: MediaVariant }): Promise<StoredMedia | null>;
  /** The link for an id, as put in events. */
  urlFor(id: string): string;
}

export interface MediaStoreOptions extends Partial<MediaLimits> {
  /**
   * Where `GET /media/{sha256}` is reachable from officers' browsers and the status service,
   * without a trailing `/media`. A function when the port is known only after listening.
   */
  publicBaseUrl: string | (() => string);
}

export const MEDIA_ID = /^[0-9a-f]{64}$/;

/** A sender's file name as a label: no folders, no control characters, not endless. */
function labelOf(filename: string | undefined): string | undefined {
  if (!filename) return undefined;
  const base = [...filename.split(/[\\/]/).pop()!]
    .filter((ch) => ch.charCodeAt(0) >= 0x20 && ch.charCodeAt(0) !== 0x7f)
    .join('')
    .trim();
  return base ? base.slice(0, 200) : undefined;
}

interface Row {
  content_type: string;
  size: number;
  bytes: Buffer;
}

/**
 * The default store: a table of the channel store's PostgreSQL database (bytea, at most
 * `maxBytes` per file), so it needs no other server and every instance shares it.
 */
export class PgMediaStore implements MediaStore {
  readonly limits: MediaLimits;
  private readonly baseUrl: () => string;

  constructor(
    private readonly db: DataSource,
    opts: MediaStoreOptions,
  ) {
    this.limits = {
      maxBytes: opts.maxBytes ?? DEFAULT_MEDIA_LIMITS.maxBytes,
      maxPixels: opts.maxPixels ?? DEFAULT_MEDIA_LIMITS.maxPixels,
      types: opts.types ?? DEFAULT_MEDIA_LIMITS.types,
    };
    const base = opts.publicBaseUrl;
    this.baseUrl = typeof base === 'function' ? base : () => base;
  }

  urlFor(id: string): string {
    return `${this.baseUrl().replace(/\/+$/, '')}/media/${id}`;
  }

  async put(bytes: Buffer, opts: PutOptions = {}): Promise<MediaRef> {
    const name = labelOf(opts.filename);
    const about = { filename: name, declaredType: opts.declaredType };
    const id = createHash('sha256').update(bytes).digest('hex');
    const known = await this.known(id, bytes, about);
    if (known) return this.ref(id, known, name);

    const checked = await checkMedia(bytes, this.limits, about);
    const pub = checked.publicCopy;
    const inserted = (await this.db.query(
      `INSERT INTO channel_media (sha256, content_type, size, bytes, public_content_type, public_size, public_bytes, width, height, pixels)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (sha256) DO NOTHING
       RETURNING public_content_type, public_size`,
      [
        id,
        checked.contentType,
        bytes.length,
        bytes,
        pub?.contentType ?? checked.contentType,
        pub?.bytes.length ?? bytes.length,
        pub?.bytes ?? null,
        checked.width ?? null,
        checked.height ?? null,
        checked.pixels ?? null,
      ],
    )) as Array<{ public_content_type: string; public_size: number }>;
    // Another instance stored the same bytes meanwhile: its row wins, so every link agrees.
    const row = inserted[0] ?? (await this.summary(id));
    if (!row) throw new Error(`media ${id} was neither inserted nor found`);
    return this.ref(id, row, name);
  }

  /**
   * The link of a file stored earlier, without reading its bytes: for an API that takes the
   * upload first and the id later (officer entries). Null for an id never stored.
   */
  async find(id: string, name?: string): Promise<MediaRef | null> {
    if (!MEDIA_ID.test(id)) return null;
    const row = await this.summary(id);
    return row ? this.ref(id, row, name) : null;
  }

  async get(id: string, opts: { variant?: MediaVariant } = {}): Promise<StoredMedia | null> {
    if (!MEDIA_ID.test(id)) return null;
    const variant = opts.variant ?? 'public';
    const rows = (await this.db.query(
      variant === 'original'
        ? `SELECT content_type, size, bytes FROM channel_media WHERE sha256 = $1`
        : `SELECT public_content_type AS content_type, public_size AS size, coalesce(public_bytes, bytes) AS bytes
             FROM channel_media WHERE sha256 = $1`,
      [id],
    )) as Row[];
    const row = rows[0];
    return row ? { id, variant, contentType: row.content_type, size: row.size, bytes: row.bytes } : null;
  }

  /**
   * Bytes stored before (a message read again, a photo sent twice) are not decoded again, but
   * this instance's own limits still apply: adapters sharing the table may allow different types.
   */
  private async known(
    id: string,
    bytes: Buffer,
    about: { filename?: string; declaredType?: string },
  ): Promise<{ public_content_type: string; public_size: number } | null> {
    const type = sniffMediaType(bytes);
    if (
      bytes.length === 0 ||
      bytes.length > this.limits.maxBytes ||
      !type ||
      !this.limits.types.includes(type)
    )
      return null; // checkMedia says why
    const rows = (await this.db.query(
      `SELECT public_content_type, public_size, pixels FROM channel_media WHERE sha256 = $1`,
      [id],
    )) as Array<{ public_content_type: string; public_size: number; pixels: string | null }>;
    const row = rows[0];
    if (!row) return null;
    if (row.pixels !== null && Number(row.pixels) > this.limits.maxPixels)
      throw new MediaRefused(
        'too-many-pixels',
        `${about.filename ? `"${about.filename}"` : 'the file'} has ${row.pixels} pixels, over the limit of ${this.limits.maxPixels} pixels`,
      );
    return row;
  }

  private async summary(id: string): Promise<{ public_content_type: string; public_size: number } | null> {
    const rows = (await this.db.query(
      `SELECT public_content_type, public_size FROM channel_media WHERE sha256 = $1`,
      [id],
    )) as Array<{ public_content_type: string; public_size: number }>;
    return rows[0] ?? null;
  }

  private ref(
    id: string,
    row: { public_content_type: string; public_size: number },
    name?: string,
  ): MediaRef {
    return {
      id,
      url: this.urlFor(id),
      contentType: row.public_content_type,
      size: row.public_size,
      ...(name ? { name } : {}),
    };
  }
}
