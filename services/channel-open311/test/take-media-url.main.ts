/**
 * Runs takeMediaUrl in a process of its own and prints its outcome as JSON:
 *   node -r @swc-node/register take-media-url.main.ts <DATABASE_URL> <public base URL> <media_url>
 * The media_url test starts it with NODE_TLS_REJECT_UNAUTHORIZED=0 so the fetch accepts the
 * test's own certificate, which the test process itself can never be told to do.
 */
import { PgMediaStore } from '@aduan/channel-sdk';
import { DataSource } from 'typeorm';
import { PHOTO_TYPES, takeMediaUrl } from '../src/georeport/media-url';

async function main(): Promise<void> {
  const [url, publicBaseUrl, link] = process.argv.slice(2);
  const db = await new DataSource({ type: 'postgres', url: url! }).initialize();
  try {
    const media = new PgMediaStore(db, {
      publicBaseUrl: publicBaseUrl!,
      maxBytes: 200_000,
      types: PHOTO_TYPES,
    });
    // The server is on this machine, which the adapter never fetches from; here no host is internal.
    const outcome = await takeMediaUrl(link!, media, { isInternal: () => false });
    process.stdout.write(JSON.stringify(outcome));
  } finally {
    await db.destroy();
  }
}

void main().catch((err: unknown) => {
  process.stderr.write(String(err));
  process.exitCode = 1;
});
