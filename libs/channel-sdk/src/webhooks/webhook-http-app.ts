/** The raw bytes a webhook route received (see `rawBodyPaths` of createHttpApp), or an empty buffer. */
export function rawBodyOf(body: unknown): Buffer {
  return Buffer.isBuffer(body) ? body : Buffer.alloc(0);
}
