import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { createHttpApp } from '@aduan/platform';
import { capturedLogger, createTestDatabase, type TestDatabase } from '@aduan/testing';
import exifr from 'exifr';
import sharp from 'sharp';
import { openChannelStore, type ChannelStore } from '../store/channel-store';
import { MediaModule } from './media-http';
import { MediaRefused } from './media-refused';
import { PgMediaStore } from './media-store';

const SECRET = 'test-secret';

async function phonePhoto(background = '#2e86c1'): Promise<Buffer> {
  return sharp({ create: { width: 48, height: 32, channels: 3, background } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'ExamplePhone' },
      IFD3: {
        GPSLatitudeRef: 'S',
        GPSLatitude: '6/1 10/1 31/1',
        GPSLongitudeRef: 'E',
        GPSLongitude: '106/1 49/1 38/1',
      },
    })
    .toBuffer();
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');

describe('PgMediaStore on a real PostgreSQL, shared by two adapter instances', () => {
  const { logger } = capturedLogger('media-test');
  let database: TestDatabase;
  let first: ChannelStore;
  let second: ChannelStore;
  let mediaA: PgMediaStore;
  let mediaB: PgMediaStore;
  let app: INestApplication;
  let baseUrl = '';

  async function rows(): Promise<number> {
    const [row] = (await first.db.query('SELECT count(*)::int AS n FROM channel_media')) as Array<{
      n: number;
    }>;
    return row!.n;
  }

  beforeAll(async () => {
    database = await createTestDatabase('channel_sdk_media');
    first = await openChannelStore({ url: database.url, secret: SECRET, logger });
    second = await openChannelStore({ url: database.url, secret: SECRET, logger });
    mediaA = new PgMediaStore(first.db, { publicBaseUrl: () => baseUrl });
    mediaB = new PgMediaStore(second.db, { publicBaseUrl: 'https://aduan.example/' });

    @Module({ imports: [MediaModule.serving(mediaA)] })
    class AdapterModule {}
    app = await createHttpApp(AdapterModule, { logger });
    await app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await app?.close();
    await first?.close();
    await second?.close();
    await database?.drop();
  });

  it('stores a photo under the SHA-256 of its bytes and gives an attachment for the event', async () => {
    const photo = await phonePhoto();
    const ref = await mediaA.put(photo, { declaredType: 'image/jpeg', filename: 'C:\\DCIM\\IMG_0042.jpg' });

    expect(ref.id).toBe(sha256(photo));
    expect(ref.url).toBe(`${baseUrl}/media/${ref.id}`);
    expect(ref.contentType).toBe('image/jpeg');
    expect(ref.name).toBe('IMG_0042.jpg');

    const original = await mediaA.get(ref.id, { variant: 'original' });
    expect(original!.bytes.equals(photo)).toBe(true);
    expect(await exifr.gps(original!.bytes)).toBeDefined();

    const shown = await mediaA.get(ref.id);
    expect(shown!.variant).toBe('public');
    expect(shown!.size).toBe(ref.size);
    expect(await exifr.parse(shown!.bytes, { tiff: true, gps: true })).toBeUndefined();
  });

  it('stores the same bytes once, and the other instance finds and serves them under its own base URL', async () => {
    const photo = await phonePhoto('#117a65');
    const before = await rows();

    const [fromA, fromB] = await Promise.all([mediaA.put(photo), mediaB.put(photo)]);
    const again = await mediaB.put(photo, { filename: 'same-photo-again.jpg' });

    expect(fromB.id).toBe(fromA.id);
    expect(again).toMatchObject({ id: fromA.id, size: fromA.size, name: 'same-photo-again.jpg' });
    expect(fromB.url).toBe(`https://aduan.example/media/${fromA.id}`);
    expect(await rows()).toBe(before + 1);
    expect((await mediaB.get(fromA.id))!.bytes.equals((await mediaA.get(fromA.id))!.bytes)).toBe(true);
    // Found by id alone, as an API that takes the upload first and the id later does.
    expect(await mediaB.find(fromA.id, 'photo-1')).toEqual({ ...fromB, name: 'photo-1' });
  });

  it('keeps a PDF as it came, and an instance that takes photos only refuses it even though it is stored', async () => {
    const ref = await mediaA.put(PDF, { filename: 'surat-pengaduan.pdf' });
    expect(ref).toMatchObject({ contentType: 'application/pdf', size: PDF.length });
    expect((await mediaB.get(ref.id))!.bytes.equals(PDF)).toBe(true);

    const photosOnly = new PgMediaStore(second.db, { publicBaseUrl: baseUrl, types: ['image/jpeg'] });
    await expect(photosOnly.put(PDF)).rejects.toMatchObject({ problem: 'type-not-allowed' });
  });

  it('takes a file just under the default 10 MB limit and gives it back whole', async () => {
    const scan = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(10 * 1024 * 1024 - 100, 0x41)]);
    const ref = await mediaA.put(scan);
    expect((await mediaB.get(ref.id, { variant: 'original' }))!.bytes.equals(scan)).toBe(true);
    await expect(mediaA.put(Buffer.concat([scan, Buffer.alloc(200)]))).rejects.toMatchObject({
      problem: 'too-large',
    });
  });

  it('writes nothing for a refused file', async () => {
    const before = await rows();
    const fake = Buffer.from('bukan foto, hanya teks');
    await expect(mediaA.put(fake, { filename: 'foto.jpg' })).rejects.toBeInstanceOf(MediaRefused);
    const tight = new PgMediaStore(first.db, { publicBaseUrl: baseUrl, maxBytes: 100 });
    await expect(tight.put(await phonePhoto('#000'))).rejects.toMatchObject({
      problem: 'too-large',
      status: 413,
    });
    expect(await rows()).toBe(before);
  });

  it('answers null for an id never stored or not an id at all', async () => {
    expect(await mediaA.get('0'.repeat(64))).toBeNull();
    expect(await mediaA.get('../../etc/passwd')).toBeNull();
    expect(await mediaA.find('0'.repeat(64))).toBeNull();
    expect(await mediaA.find('../../etc/passwd')).toBeNull();
  });

  describe('GET /media/{sha256}', () => {
    it('serves the public copy with its type, nosniff and a long private cache', async () => {
      const ref = await mediaA.put(await phonePhoto('#b03a2e'));
      const res = await fetch(ref.url);
      const body = Buffer.from(await res.arrayBuffer());

      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/jpeg');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
      expect(res.headers.get('content-disposition')).toBeNull();
      expect(body.length).toBe(ref.size);
      expect(await exifr.parse(body, { tiff: true, gps: true })).toBeUndefined();

      const revalidated = await fetch(ref.url, { headers: { 'if-none-match': res.headers.get('etag')! } });
      expect(revalidated.status).toBe(304);
    });

    it('has a PDF downloaded rather than opened', async () => {
      const ref = await mediaA.put(PDF);
      const res = await fetch(ref.url);
      expect(res.headers.get('content-type')).toBe('application/pdf');
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${ref.id}.pdf"`);
    });

    it('answers 404 for an unknown id and 400 for a malformed one', async () => {
      const unknown = await fetch(`${baseUrl}/media/${'a'.repeat(64)}`);
      expect(unknown.status).toBe(404);
      expect(await unknown.json()).toMatchObject({ message: 'no media with this id' });
      for (const bad of ['abc', `${'A'.repeat(64)}`, `${'a'.repeat(64)}.jpg`]) {
        const res = await fetch(`${baseUrl}/media/${bad}`);
        expect(res.status).toBe(400);
        expect(await res.json()).toMatchObject({ message: expect.stringContaining('SHA-256') });
      }
    });
  });
});
