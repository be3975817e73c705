import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runChannel, type RunningChannel } from '@aduan/channel-sdk';
import type { Attachment } from '@aduan/contracts';
import {
  capturedLogger,
  createTestDatabase,
  testEnv,
  uniqueTopicPrefix,
  type TestDatabase,
} from '@aduan/testing';
import exifr from 'exifr';
import sharp from 'sharp';
import { open311 } from '../src/app';

/**
 * A client's media_url on a real HTTPS server (a certificate made for the test) into the real
 * media store. The fetch runs in a process of its own (take-media-url.main.ts) that accepts the
 * test's certificate and lets this machine count as a public host.
 */
describe('a media_url photo fetched over https into the media store', () => {
  let db: TestDatabase;
  let running: RunningChannel;
  let server: Server;
  let origin: string;
  let certDir: string;
  const served = new Map<string, { type: string; body: Buffer }>();

  async function takeMediaUrl(link: string): Promise<{ attachment?: Attachment; note?: string }> {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        '-r',
        '@swc-node/register',
        join(__dirname, 'take-media-url.main.ts'),
        db.url,
        `http://127.0.0.1:${running.port}`,
        link,
      ],
      { env: { ...process.env, NODE_TLS_REJECT_UNAUTHORIZED: '0', NODE_NO_WARNINGS: '1' }, timeout: 60_000 },
    );
    return JSON.parse(stdout) as { attachment?: Attachment; note?: string };
  }

  beforeAll(async () => {
    certDir = mkdtempSync(join(tmpdir(), 'open311-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-keyout',
        join(certDir, 'key.pem'),
        '-out',
        join(certDir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    server = createServer(
      { key: readFileSync(join(certDir, 'key.pem')), cert: readFileSync(join(certDir, 'cert.pem')) },
      (req, res) => {
        const file = served.get(req.url ?? '');
        if (!file) return void res.writeHead(404).end();
        res.writeHead(200, { 'content-type': file.type }).end(file.body);
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

    db = await createTestDatabase('open311_media');
    running = await runChannel(
      open311,
      {
        OPEN311_PORT: '0',
        OPEN311_MEDIA_MAX_BYTES: '200000',
        DATABASE_URL: db.url,
        KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
        KAFKA_TOPIC_PREFIX: uniqueTopicPrefix(),
      },
      capturedLogger('channel-open311').logger,
    );
  }, 60_000);

  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await running?.stop();
    await db?.drop();
    rmSync(certDir, { recursive: true, force: true });
  });

  it('keeps a JPEG as an attachment whose public copy has lost the GPS position and the device', async () => {
    const jpeg = await sharp({
      create: { width: 64, height: 48, channels: 3, background: { r: 90, g: 90, b: 90 } },
    })
      .jpeg()
      .withExif({
        IFD0: { Make: 'PhoneMaker', Model: 'Serial-778899' },
        IFD3: {
          GPSLatitudeRef: 'S',
          GPSLatitude: '6/1 10/1 0/1',
          GPSLongitudeRef: 'E',
          GPSLongitude: '106/1 49/1 0/1',
        },
      })
      .toBuffer();
    expect((await exifr.gps(jpeg))?.latitude).toBeCloseTo(-6.1667, 3);
    served.set('/hole.jpg', { type: 'image/jpeg', body: jpeg });

    const { attachment, note } = await takeMediaUrl(`${origin}/hole.jpg`);
    expect(note).toBeUndefined();
    expect(attachment).toMatchObject({ contentType: 'image/jpeg', name: 'photo.jpg' });
    expect(attachment!.url).toMatch(
      new RegExp(`^http://127\\.0\\.0\\.1:${running.port}/media/[0-9a-f]{64}$`),
    );
    const res = await fetch(attachment!.url);
    expect(res.status).toBe(200);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(await exifr.gps(bytes).catch(() => undefined)).toBeUndefined();
    expect(bytes.includes(Buffer.from('Serial-778899'))).toBe(false);
  });

  it('leaves out what is not an image, what is too large, and what does not answer, with a note', async () => {
    served.set('/page.jpg', {
      type: 'image/jpeg',
      body: Buffer.from('<html><body>not a photo</body></html>'),
    });
    served.set('/huge.png', { type: 'image/png', body: Buffer.alloc(300_000, 1) });
    expect(await takeMediaUrl(`${origin}/page.jpg`)).toEqual({
      note: expect.stringMatching(/^media_url is not a photo kept here/),
    });
    expect(await takeMediaUrl(`${origin}/huge.png`)).toEqual({
      note: 'media_url could not be fetched (too-large)',
    });
    expect(await takeMediaUrl(`${origin}/gone.jpg`)).toEqual({
      note: 'media_url could not be fetched (http-status)',
    });
  });
});
