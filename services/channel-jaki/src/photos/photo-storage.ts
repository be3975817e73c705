import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { EXTENSION, type PhotoType } from './sniff';

export interface StoredPhoto {
  /** Content-addressed: `<sha256>.<ext>`. */
  name: string;
  url: string;
  contentType: PhotoType;
  size: number;
}

/**
 * Where report photos live. The local-disk default suits one instance; an object store
 * (S3, MinIO) implements the same two calls.
 */
export interface PhotoStorage {
  save(bytes: Buffer, contentType: PhotoType): Promise<StoredPhoto>;
  /** null when no photo has that name. */
  open(name: string): Promise<{ bytes: Buffer; contentType: PhotoType } | null>;
}

export const PHOTO_NAME = /^([0-9a-f]{64})\.(jpg|png|webp)$/;
const TYPE_OF: Record<string, PhotoType> = { jpg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };

/**
 * Photos as files named by their SHA-256: the same photo uploaded twice is stored once, and a
 * name cannot be guessed from a report or walked.
 */
export class LocalDiskPhotoStorage implements PhotoStorage {
  private readonly dir: string;

  constructor(
    dir: string,
    /** Public base of the photo URLs, e.g. http://127.0.0.1:3101/v1/photos */
    private readonly baseUrl: string,
  ) {
    this.dir = resolve(dir);
  }

  async save(bytes: Buffer, contentType: PhotoType): Promise<StoredPhoto> {
    const name = `${createHash('sha256').update(bytes).digest('hex')}.${EXTENSION[contentType]}`;
    await mkdir(this.dir, { recursive: true });
    // Written aside and renamed, so a reader never sees half a photo.
    const temp = join(this.dir, `.${name}.${process.pid}.tmp`);
    await writeFile(temp, bytes, { mode: 0o640 });
    await rename(temp, join(this.dir, name));
    return { name, url: `${this.baseUrl.replace(/\/$/, '')}/${name}`, contentType, size: bytes.length };
  }

  async open(name: string): Promise<{ bytes: Buffer; contentType: PhotoType } | null> {
    const m = PHOTO_NAME.exec(name);
    if (!m) return null;
    try {
      return { bytes: await readFile(join(this.dir, name)), contentType: TYPE_OF[m[2]!]! };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }
}
