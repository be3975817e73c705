import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash, createHmac } from 'node:crypto';
import { EventBus } from '@aduan/bus';
import type { ComplaintReceived, ReportLifecycle } from '@aduan/contracts';
import {
  capturedLogger,
  collectEvents,
  createTestDatabase,
  eventually,
  testEnv,
  uniqueTopicPrefix,
  type TestDatabase,
  startRecordingServer,
  type RecordingServer,
} from '@aduan/testing';
import exifr from 'exifr';
import sharp from 'sharp';
import { startChannelJaki } from '../src/app';

const PHOTO_LIMIT = 40_000;
const PIXEL_LIMIT = 1_000_000;

describe('channel-jaki: photos, JakRespon view and push, against a real broker and database', () => {
  const prefix = uniqueTopicPrefix();
  const { logger, lines } = capturedLogger('channel-jaki');
  let db: TestDatabase;
  let service: Awaited<ReturnType<typeof startChannelJaki>>;
  let bus: EventBus;
  let received: ComplaintReceived[];
  let base: string;
  let status: RecordingServer;
  let push: RecordingServer;
  let legacyDir: string;

  beforeAll(async () => {
    db = await createTestDatabase('jaki_app');
    // The status service's public API, answering as GET /v1/public/reports/{code} documents it.
    status = await startRecordingServer((hit) => {
      if (!hit.path.startsWith('/v1/public/reports/ABCDE-FGHJK'))
        return { status: 404, body: { statusCode: 404, message: 'no report' } };
      return {
        status: 200,
        body: {
          trackingCode: 'ABCDE-FGHJK',
          state: 'IN_PROGRESS',
          label: 'Proses',
          channel: 'jaki',
          category: 'Jalan',
          unit: { code: 'DBM', name: 'Dinas Bina Marga' },
          area: null,
          routing: 'ROUTED',
          mergedInto: null,
          description: 'Jalan berlubang',
          receivedAt: '2026-11-28T08:00:00.000Z',
          updatedAt: '2026-11-28T09:00:00.000Z',
          reporter: { phone: '+6281299990000' }, // must never pass through, even if the upstream leaked it
          timeline: [
            {
              state: 'RECEIVED',
              label: 'Menunggu',
              at: '2026-11-28T08:00:00.000Z',
              note: 'Laporan diterima.',
              unit: null,
              evidence: [],
            },
          ],
        },
      };
    });
    push = await startRecordingServer(() => ({ status: 204 }));
    push.failNext(1, 503); // the app's backend is down for the first delivery
    legacyDir = mkdtempSync(join(tmpdir(), 'jaki-photos-'));
    service = await startChannelJaki(
      {
        JAKI_PORT: '0',
        JAKI_API_KEYS: 'jaki-android:android-secret-key,jaki-ios:ios-secret-key',
        JAKI_PHOTO_DIR: legacyDir,
        MEDIA_MAX_PIXELS: String(PIXEL_LIMIT),
        JAKI_PHOTO_MAX_BYTES: String(PHOTO_LIMIT),
        JAKI_PHOTO_MAX_COUNT: '4',
        JAKI_PUBLIC_BASE_URL: 'http://127.0.0.1:1',
        STATUS_BASE_URL: status.url,
        JAKI_PUSH_WEBHOOK_URL: `${push.url}/aduan/state`,
        JAKI_PUSH_SECRET: 'push-secret',
        DATABASE_URL: db.url,
        KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
        KAFKA_TOPIC_PREFIX: prefix,
      },
      logger,
    );
    base = `http://127.0.0.1:${service.port}`;
    bus = new EventBus({
      brokers: testEnv.kafkaBrokers,
      clientId: 'jaki-app-test',
      source: '/test',
      logger,
      topicPrefix: prefix,
    });
    await bus.connect();
    await bus.ensureTopics(['aduan.report.lifecycle.v1']);
    received = await collectEvents(bus, 'aduan.complaint.received.v1');
  });

  afterAll(async () => {
    await service?.stop();
    await bus?.close();
    await Promise.all([status?.close(), push?.close()]);
    await db?.drop();
  });

  const jpegWithGps = () =>
    sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 80, b: 40 } } })
      .jpeg()
      .withExif({
        IFD0: { Make: 'PhoneMaker', Model: 'Serial-123456' },
        IFD3: {
          GPSLatitudeRef: 'S',
          GPSLatitude: '6/1 10/1 0/1',
          GPSLongitudeRef: 'E',
          GPSLongitude: '106/1 49/1 0/1',
        },
      })
      .toBuffer();
  const png = (size: number) =>
    sharp(Buffer.from(Array.from({ length: size * size * 3 }, (_, i) => (i * 7919) % 251)), {
      raw: { width: size, height: size, channels: 3 },
    })
      .png({ compressionLevel: 0 })
      .toBuffer();

  const multipart = (
    report: unknown,
    photos: Array<{ bytes: Buffer; type: string; name: string }>,
    key = 'android-secret-key',
  ) => {
    const form = new FormData();
    form.append('report', JSON.stringify(report));
    for (const p of photos)
      form.append('photos', new Blob([new Uint8Array(p.bytes)], { type: p.type }), p.name);
    return fetch(`${base}/v1/reports`, { method: 'POST', headers: { 'x-api-key': key }, body: form });
  };

  it('round-trips a report with photos and a category; photos are checked by content and stripped of EXIF', async () => {
    const jpeg = await jpegWithGps();
    expect((await exifr.gps(jpeg))?.latitude).toBeCloseTo(-6.1667, 3);
    const smallPng = await png(16);
    const bigPng = await png(150); // ~67 KB: over the photo limit, under the upload cap
    expect(bigPng.length).toBeGreaterThan(PHOTO_LIMIT);
    const res = await multipart(
      { text: 'Jalan berlubang di depan pasar', category: 'Jalan', visibility: 'private', anonymous: true },
      [
        { bytes: jpeg, type: 'image/jpeg', name: 'IMG_0001.jpg' },
        { bytes: Buffer.from('MZ this is not a photo at all'), type: 'image/jpeg', name: 'evil.jpg' },
        { bytes: smallPng, type: 'image/png', name: 'b.png' },
        { bytes: bigPng, type: 'image/png', name: 'huge.png' },
      ],
    );
    expect(res.status).toBe(202);
    const accepted = (await res.json()) as {
      reportId: string;
      trackingCode: string;
      droppedPhotos: Array<{ index: number; reason: string }>;
    };
    expect(accepted.droppedPhotos).toEqual([
      { index: 1, reason: 'photo 2 is not a JPEG, PNG or WebP image' },
      { index: 3, reason: `photo 4 is ${bigPng.length} bytes, over the limit of ${PHOTO_LIMIT}` },
    ]);
    const event = await eventually(() => {
      const e = received.find((r) => r.reportId === accepted.reportId);
      if (!e) throw new Error('not yet on the topic');
      return e;
    });
    expect(event).toMatchObject({
      channel: 'jaki',
      category: 'Jalan',
      visibility: 'private',
      reporter: { anonymous: true },
    });
    expect(event.text).toMatch(/^Jalan berlubang di depan pasar\n\[Foto tidak disertakan/);
    expect(event.attachments.map((a) => a.contentType)).toEqual(['image/jpeg', 'image/png']);

    for (const a of event.attachments) {
      expect(a.url).toMatch(/^http:\/\/127\.0\.0\.1:1\/media\/[0-9a-f]{64}$/); // JAKI_PUBLIC_BASE_URL
      expect(a.name).toMatch(/^photo-[13]\.(jpg|png)$/);
      const path = new URL(a.url).pathname;
      const photo = await fetch(`${base}${path}`);
      expect(photo.status).toBe(200);
      expect(photo.headers.get('content-type')).toBe(a.contentType);
      const bytes = Buffer.from(await photo.arrayBuffer());
      expect(bytes.length).toBe(a.size);
      expect(await exifr.gps(bytes).catch(() => undefined)).toBeUndefined();
      expect(bytes.includes(Buffer.from('Serial-123456'))).toBe(false);
    }
    expect((await fetch(`${base}/v1/photos/..%2F..%2Fetc%2Fpasswd`)).status).toBe(404);
    expect((await fetch(`${base}/media/..%2F..%2Fetc%2Fpasswd`)).status).toBe(400);
  });

  it('keeps serving the links of photos stored on disk before the media store', async () => {
    const photo = await png(12);
    const name = `${createHash('sha256').update(photo).digest('hex')}.png`;
    writeFileSync(join(legacyDir, name), photo);
    const res = await fetch(`${base}/v1/photos/${name}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await sharp(Buffer.from(await res.arrayBuffer())).metadata()).width).toBe(12);
    expect((await fetch(`${base}/v1/photos/${'0'.repeat(64)}.png`)).status).toBe(404);
  });

  it('refuses a decompression bomb with 422 before anything is published', async () => {
    // Compresses to almost nothing, declares 4 megapixels: over the limit, refused unread.
    const bomb = await sharp({ create: { width: 2000, height: 2000, channels: 3, background: '#000' } })
      .png({ compressionLevel: 9 })
      .toBuffer();
    expect(bomb.length).toBeLessThan(PHOTO_LIMIT);
    const res = await multipart({ text: 'Bom foto' }, [{ bytes: bomb, type: 'image/png', name: 'bomb.png' }]);
    expect(res.status).toBe(422);
    expect(((await res.json()) as { message: string }).message).toMatch(/over the limit of 1000000 pixels/);
    await new Promise((r) => setTimeout(r, 300));
    expect(received.filter((e) => e.text.startsWith('Bom foto'))).toHaveLength(0);
  });

  it('refuses more photos than allowed, an upload over the hard cap, and a report field that is not JSON', async () => {
    const one = { bytes: await png(8), type: 'image/png', name: 'a.png' };
    const tooMany = await multipart({ text: 'banjir' }, [one, one, one, one, one]);
    expect(tooMany.status).toBe(400);
    expect(((await tooMany.json()) as { message: string }).message).toMatch(/at most 4 files/);
    const huge = await multipart({ text: 'banjir' }, [
      { bytes: Buffer.alloc(PHOTO_LIMIT * 4 + 1, 1), type: 'image/png', name: 'x.png' },
    ]);
    expect(huge.status).toBe(413);
    const form = new FormData();
    form.append('report', '{not json');
    const bad = await fetch(`${base}/v1/reports`, {
      method: 'POST',
      headers: { 'x-api-key': 'ios-secret-key' },
      body: form,
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/"report" field is not valid JSON/);
    await new Promise((r) => setTimeout(r, 300));
    expect(received.filter((e) => e.text.startsWith('banjir'))).toHaveLength(0);
  });

  it('shows the JakRespon view from the status service, with nothing about the reporter', async () => {
    const res = await fetch(`${base}/v1/reports/abcde-fghjk`, {
      headers: { authorization: 'Bearer ios-secret-key' },
    });
    expect(res.status).toBe(200);
    const view = (await res.json()) as Record<string, unknown>;
    expect(view).toMatchObject({
      trackingCode: 'ABCDE-FGHJK',
      state: 'IN_PROGRESS',
      label: 'Proses',
      unit: { code: 'DBM', name: 'Dinas Bina Marga' },
    });
    expect(JSON.stringify(view)).not.toContain('6281299990000');
    expect(view).not.toHaveProperty('reporter');
    expect(
      (await fetch(`${base}/v1/reports/ZZZZZ-ZZZZZ`, { headers: { 'x-api-key': 'ios-secret-key' } })).status,
    ).toBe(404);
    expect(
      (await fetch(`${base}/v1/reports/not-a-code`, { headers: { 'x-api-key': 'ios-secret-key' } })).status,
    ).toBe(404);
    expect((await fetch(`${base}/v1/reports/ABCDE-FGHJK`)).status).toBe(401);
  });

  it('pushes each state change of its own reports once, signed, retrying while the app is down', async () => {
    const res = await fetch(`${base}/v1/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'ios-secret-key' },
      body: JSON.stringify({ text: 'Pohon tumbang', reporter: { name: 'Rina Wati', phone: '081377776666' } }),
    });
    const { reportId, trackingCode } = (await res.json()) as { reportId: string; trackingCode: string };
    const change = (sequence: number, to: ReportLifecycle['to'], id = reportId): ReportLifecycle => ({
      reportId: id,
      trackingCode,
      sequence,
      from: sequence === 1 ? null : 'RECEIVED',
      to,
      at: new Date(Date.UTC(2026, 10, 28, 9, sequence)).toISOString(),
      actor: { kind: 'system', id: 'router' },
      publicNote: sequence === 2 ? 'Diteruskan ke Dinas Pertamanan dan Hutan Kota.' : undefined,
      evidence: [],
    });
    await bus.publish('aduan.report.lifecycle.v1', change(1, 'RECEIVED'));
    await bus.publish('aduan.report.lifecycle.v1', change(2, 'IN_PROGRESS'));
    await bus.publish('aduan.report.lifecycle.v1', change(2, 'IN_PROGRESS')); // redelivered
    await bus.publish(
      'aduan.report.lifecycle.v1',
      change(1, 'RECEIVED', '11111111-2222-5333-8444-555555555555'),
    ); // another channel's report
    await eventually(() => expect(push.requests).toHaveLength(2), { timeoutMs: 30_000 });
    await new Promise((r) => setTimeout(r, 1000));
    expect(push.requests).toHaveLength(2);
    const bodies = push.requests.map(
      (h) =>
        h.body as {
          app: string;
          sequence: number;
          to: string;
          label: string;
          trackingCode: string;
        },
    );
    expect(bodies.map((b) => [b.app, b.sequence, b.to, b.label])).toEqual([
      ['jaki-ios', 1, 'RECEIVED', 'Menunggu'],
      ['jaki-ios', 2, 'IN_PROGRESS', 'Proses'],
    ]);
    for (const h of push.requests) {
      expect(h.path).toBe('/aduan/state');
      expect(h.headers['x-aduan-signature']).toBe(
        `sha256=${createHmac('sha256', 'push-secret').update(h.rawBody).digest('hex')}`,
      );
      expect(h.rawBody).not.toContain('Rina');
      expect(h.rawBody).not.toContain('081377776666');
    }
  });

  it('never writes contact data or API keys to its log', () => {
    const log = lines.join('\n');
    expect(log).toContain('report accepted');
    for (const secret of [
      'Rina',
      '081377776666',
      '6281299990000',
      'android-secret-key',
      'ios-secret-key',
      'push-secret',
    ])
      expect(log).not.toContain(secret);
  });
});
