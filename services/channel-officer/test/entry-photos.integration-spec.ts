import { request } from 'node:http';
import { EventBus } from '@aduan/bus';
import type { ComplaintReceived } from '@aduan/contracts';
import { signOfficerToken } from '@aduan/platform';
import {
  capturedLogger,
  collectEvents,
  createTestDatabase,
  eventually,
  phonePhoto,
  PHONE_PHOTO_GPS,
  pngBomb,
  testEnv,
  uniqueTopicPrefix,
  type TestDatabase,
} from '@aduan/testing';
import type { RunningChannel } from '@aduan/channel-sdk';
import exifr from 'exifr';
import { startChannelOfficer } from '../src/officer';

const SECRET = 'test-officer-jwt-secret';
/** Small limits, so that a refusal costs the test a few hundred kilobytes, not tens of megabytes. */
const MAX_BYTES = 200_000;
const MAX_PIXELS = 4_000_000;

interface Refusal {
  statusCode: number;
  problem?: string;
  message: string;
}

describe('channel-officer: photos on entries, uploaded first and named by id, against a real broker and database', () => {
  const prefix = uniqueTopicPrefix();
  const { logger } = capturedLogger('channel-officer');
  let db: TestDatabase;
  let service: RunningChannel;
  let bus: EventBus;
  let received: ComplaintReceived[];
  let base: string;
  let token: string;

  beforeAll(async () => {
    db = await createTestDatabase('officer_photos');
    service = await startChannelOfficer(
      {
        OFFICER_PORT: '0',
        OFFICER_JWT_SECRET: SECRET,
        MEDIA_MAX_BYTES: String(MAX_BYTES),
        MEDIA_MAX_PIXELS: String(MAX_PIXELS),
        DATABASE_URL: db.url,
        KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
        KAFKA_TOPIC_PREFIX: prefix,
      },
      logger,
    );
    base = `http://127.0.0.1:${service.port}`;
    token = await signOfficerToken({ sub: 'officer-21', role: 'crm_officer', unit: 'CRM' }, SECRET);
    bus = new EventBus({
      brokers: testEnv.kafkaBrokers,
      clientId: 'officer-photos-test',
      source: '/test',
      logger,
      topicPrefix: prefix,
    });
    await bus.connect();
    received = await collectEvents(bus, 'aduan.complaint.received.v1');
  });

  afterAll(async () => {
    await service?.stop();
    await bus?.close();
    await db?.drop();
  });

  const upload = (body: Uint8Array | string, type = 'image/jpeg', bearer: string | null = token) =>
    fetch(`${base}/v1/officer/entries/photos`, {
      method: 'POST',
      headers: { 'content-type': type, ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
      body,
    });
  const enter = (body: unknown) =>
    fetch(`${base}/v1/officer/entries`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
  const eventOf = (reportId: string) =>
    eventually(() => {
      const e = received.find((r) => r.reportId === reportId);
      if (!e) throw new Error('not yet on the topic');
      return e;
    });

  const jpegWithGps = (shade = 40) => phonePhoto({ serial: 'Serial-778899', shade });

  it('keeps an uploaded photo, and an entry naming it carries the link to a copy without EXIF', async () => {
    const jpeg = await jpegWithGps();
    expect((await exifr.gps(jpeg))?.latitude).toBeCloseTo(PHONE_PHOTO_GPS.latitude, 3);
    const res = await upload(new Uint8Array(jpeg));
    expect(res.status).toBe(201);
    const kept = (await res.json()) as { photo: string; contentType: string; size: number };
    expect(kept).toMatchObject({ photo: expect.stringMatching(/^[0-9a-f]{64}$/), contentType: 'image/jpeg' });
    // The same photo sent again (a retried upload) is the same id.
    expect(((await (await upload(new Uint8Array(jpeg))).json()) as { photo: string }).photo).toBe(kept.photo);

    const entered = await enter({
      channel: 'walk_in',
      text: 'Trotoar amblas di depan kantor kelurahan',
      place: 'Kelurahan Kenari',
      photos: [kept.photo],
    });
    expect(entered.status).toBe(202);
    const { reportId } = (await entered.json()) as { reportId: string };
    const event = await eventOf(reportId);
    expect(event.text).toBe('Trotoar amblas di depan kantor kelurahan\n[Lokasi: Kelurahan Kenari]');
    expect(event.attachments).toEqual([
      {
        url: `${base}/media/${kept.photo}`,
        contentType: 'image/jpeg',
        size: kept.size,
        name: 'photo-1.jpg',
      },
    ]);
    const served = await fetch(event.attachments[0]!.url);
    expect(served.status).toBe(200);
    const bytes = Buffer.from(await served.arrayBuffer());
    expect(await exifr.gps(bytes).catch(() => undefined)).toBeUndefined();
    expect(bytes.includes(Buffer.from('Serial-778899'))).toBe(false);
  });

  it('refuses uploads from no officer or the wrong role', async () => {
    const jpeg = new Uint8Array(await jpegWithGps(41));
    expect((await upload(jpeg, 'image/jpeg', null)).status).toBe(401);
    const unit = await signOfficerToken({ sub: 'u-9', role: 'unit_officer', unit: 'DSDA' }, SECRET);
    const refused = await upload(jpeg, 'image/jpeg', unit);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as Refusal).message).toMatch(/may not enter reports/);
  });

  it.each<[string, () => Promise<Uint8Array | string>, string, number, RegExp]>([
    ['an empty body', async () => new Uint8Array(0), 'image/jpeg', 400, /is empty/],
    [
      'a script named a photo',
      async () => '#!/bin/sh\nrm -rf /\n',
      'image/jpeg',
      415,
      /\(declared image\/jpeg\) is not a photo, PDF, video or audio file/,
    ],
    [
      'a PDF',
      async () => '%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n',
      'application/pdf',
      415,
      /is application\/pdf, which is not accepted here \(accepted: image\/jpeg, image\/png, image\/webp\)/,
    ],
    [
      'a JPEG whose data is broken',
      async () => new Uint8Array([0xff, 0xd8, 0xff, 0xe0, ...Buffer.from('not really a jpeg at all')]),
      'image/jpeg',
      422,
      /looks like image\/jpeg but cannot be decoded/,
    ],
    [
      'a decompression bomb (20 kB, 100 megapixels)',
      async () => new Uint8Array(pngBomb(10_000)),
      'image/png',
      422,
      /is 10000 × 10000 pixels, over the limit of 4000000 pixels/,
    ],
    [
      'a photo over the size limit',
      async () => new Uint8Array(MAX_BYTES + 1).fill(0xff),
      'image/jpeg',
      413,
      new RegExp(`larger than the limit of ${MAX_BYTES} bytes`),
    ],
    [
      'a JSON body',
      async () => JSON.stringify({ photo: 'data:image/jpeg;base64,/9j/' }),
      'application/json',
      415,
      /not JSON/,
    ],
  ])('refuses %s with a 4xx naming the problem', async (_case, body, type, status, message) => {
    const res = await upload(await body(), type);
    expect(res.status).toBe(status);
    expect(((await res.json()) as Refusal).message).toMatch(message);
  });

  it('takes the bytes whatever type the client declared, as curl --data-binary sends them', async () => {
    const res = await upload(new Uint8Array(await jpegWithGps(43)), 'application/x-www-form-urlencoded');
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ contentType: 'image/jpeg' });
  });

  it('refuses a multipart form, which is not a photo but a wrapper around one', async () => {
    const form = new FormData();
    form.append('photo', new Blob([new Uint8Array(await jpegWithGps(42))], { type: 'image/jpeg' }), 'a.jpg');
    const res = await fetch(`${base}/v1/officer/entries/photos`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    expect(res.status).toBe(415);
    expect(((await res.json()) as Refusal).message).toMatch(/not a form/);
  });

  it('stops reading a chunked upload once it passes the limit', async () => {
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        `${base}/v1/officer/entries/photos`,
        {
          method: 'POST',
          headers: { 'content-type': 'image/jpeg', authorization: `Bearer ${token}` },
        },
        (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      // Without a length: chunked. The server answers before the client is done sending.
      req.on('error', reject);
      const chunk = Buffer.alloc(64 * 1024, 0xff);
      let sent = 0;
      const pump = () => {
        while (sent < 8 * MAX_BYTES) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    });
    expect(answer.status).toBe(413);
    expect(answer.body).toMatch(/larger than the limit/);
  });

  it('refuses, and publishes nothing for, an entry naming a photo never uploaded or not a photo id', async () => {
    const never = 'e'.repeat(64);
    const cases: Array<[unknown, RegExp]> = [
      [
        { channel: 'letter', text: 'Surat dengan foto yang tidak ada', photos: [never] },
        /photos\[0\] was never uploaded: POST it to \/v1\/officer\/entries\/photos first/,
      ],
      [
        { channel: 'letter', text: 'Surat dengan nama berkas', photos: ['../../etc/passwd'] },
        /photos\[0\] is not a photo id/,
      ],
      [{ channel: 'letter', text: 'Surat dengan foto bukan daftar', photos: 'abc' }, /photos must be array/],
    ];
    for (const [body, message] of cases) {
      const res = await enter(body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as Refusal).message).toMatch(message);
    }
    await new Promise((r) => setTimeout(r, 500));
    expect(received.filter((e) => e.text.startsWith('Surat dengan'))).toEqual([]);
  });
});
