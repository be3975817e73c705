import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Where attachment bytes go. The report carries only the returned URL, type and size; the
 * bytes never travel on Kafka. The local-disk store is the default; an object store would be a
 * second implementation of the same two-line contract.
 */
export interface AttachmentStorage {
  /** Stores the bytes and returns a URL that names them. Storing the same bytes again is harmless. */
  put(object: { reportId: string; contentType: string; name?: string; content: Buffer }): Promise<string>;
}

const SAFE_EXT = /^\.[a-z0-9]{1,8}$/;

/**
 * Files under `<dir>/<reportId>/<sha256><ext>`: content-addressed, so a re-read mail writes the
 * same file again, and no name chosen by the sender ever reaches the file system.
 */
export class LocalDiskStorage implements AttachmentStorage {
  private readonly root: string;

  constructor(dir: string) {
    this.root = resolve(dir);
  }

  async put(object: {
    reportId: string;
    contentType: string;
    name?: string;
    content: Buffer;
  }): Promise<string> {
    if (!/^[0-9a-f-]{36}$/.test(object.reportId)) throw new Error('report id is not a UUID');
    const digest = createHash('sha256').update(object.content).digest('hex');
    const ext = extname(object.name ?? '').toLowerCase();
    const folder = join(this.root, object.reportId);
    await mkdir(folder, { recursive: true });
    const path = join(folder, `${digest}${SAFE_EXT.test(ext) ? ext : ''}`);
    await writeFile(path, object.content);
    return pathToFileURL(path).toString();
  }
}
