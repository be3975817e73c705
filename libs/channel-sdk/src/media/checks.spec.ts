import { deflateSync } from 'node:zlib';
import exifr from 'exifr';
import sharp from 'sharp';
import { checkMedia, DEFAULT_MEDIA_LIMITS, type MediaLimits } from './checks';
import { MediaRefused } from './media-refused';

/** A phone photo taken at Monas: landscape pixels, stored sideways (EXIF orientation 6), GPS on. */
async function phonePhoto(): Promise<Buffer> {
  return sharp({ create: { width: 64, height: 32, channels: 3, background: '#c0392b' } })
    .jpeg()
    .withMetadata({ orientation: 6 })
    .withExif({
      IFD0: { Make: 'ExamplePhone', Model: 'X1', Software: 'serial 1234567' },
      IFD3: {
        GPSLatitudeRef: 'S',
        GPSLatitude: '6/1 10/1 31/1',
        GPSLongitudeRef: 'E',
        GPSLongitude: '106/1 49/1 38/1',
      },
    })
    .toBuffer();
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function pngChunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  let crc = 0xffffffff;
  for (const byte of body) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  const out = Buffer.alloc(body.length + 8);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE((crc ^ 0xffffffff) >>> 0, body.length + 4);
  return out;
}

/** A valid PNG header declaring 100 000 × 100 000 grey pixels (10 gigapixels) in under 100 bytes. */
function decompressionBomb(): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(100_000, 0);
  header.writeUInt32BE(100_000, 4);
  header[8] = 8; // bit depth; colour type 0 (grey), deflate, no filter, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(Buffer.alloc(4096))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

async function refusal(promise: Promise<unknown>): Promise<MediaRefused> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MediaRefused);
  return err as MediaRefused;
}

describe('checkMedia', () => {
  it('keeps the phone photo but publishes a copy without its EXIF, GPS or device, standing upright', async () => {
    const original = await phonePhoto();
    expect(await exifr.gps(original)).toMatchObject({ latitude: expect.closeTo(-6.175, 2) });

    const checked = await checkMedia(original, DEFAULT_MEDIA_LIMITS, { filename: 'IMG_0042.jpg' });

    expect(checked.contentType).toBe('image/jpeg');
    const copy = checked.publicCopy!;
    expect(copy.contentType).toBe('image/jpeg');
    expect(await exifr.parse(copy.bytes, { tiff: true, gps: true, xmp: true, iptc: true })).toBeUndefined();
    expect(copy.bytes.includes(Buffer.from('ExamplePhone'))).toBe(false);
    const meta = await sharp(copy.bytes).metadata();
    expect([meta.width, meta.height, meta.orientation]).toEqual([32, 64, undefined]);
    expect([checked.width, checked.height]).toEqual([32, 64]);
  });

  it('keeps PNG, WebP and animated GIF in their own format', async () => {
    const solid = (background: string) => sharp({ create: { width: 8, height: 8, channels: 3, background } });
    for (const [bytes, type] of [
      [await solid('#111').png().toBuffer(), 'image/png'],
      [await solid('#222').webp().toBuffer(), 'image/webp'],
    ] as const) {
      expect((await checkMedia(bytes, DEFAULT_MEDIA_LIMITS)).publicCopy!.contentType).toBe(type);
    }
    const frames = await Promise.all(['#f00', '#0f0', '#00f'].map((c) => solid(c).png().toBuffer()));
    const gif = await sharp(frames, { join: { animated: true } })
      .gif()
      .toBuffer();
    const checked = await checkMedia(gif, DEFAULT_MEDIA_LIMITS);
    expect(checked.publicCopy!.contentType).toBe('image/gif');
    expect((await sharp(checked.publicCopy!.bytes).metadata()).pages).toBe(3);
    expect(checked.pixels).toBe(8 * 8 * 3);
  });

  it('refuses a decompression bomb from its header, before decoding it', async () => {
    const bomb = decompressionBomb();
    expect(bomb.length).toBeLessThan(200);

    const started = Date.now();
    const err = await refusal(checkMedia(bomb, DEFAULT_MEDIA_LIMITS, { filename: 'banjir.png' }));

    expect(err.problem).toBe('too-many-pixels');
    expect(err.status).toBe(422);
    expect(err.message).toContain('"banjir.png" is 100000 × 100000 pixels');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('refuses a real photo over a lower pixel limit', async () => {
    const big = await sharp({ create: { width: 1200, height: 1000, channels: 3, background: '#777' } })
      .jpeg()
      .toBuffer();
    const limits: MediaLimits = { ...DEFAULT_MEDIA_LIMITS, maxPixels: 1_000_000 };
    expect((await refusal(checkMedia(big, limits))).message).toContain('over the limit of 1000000 pixels');
  });

  it('refuses text named foto.jpg, whatever type was declared', async () => {
    const fake = Buffer.from('Jalan berlubang di depan SD. Ini bukan foto.\n');
    const err = await refusal(
      checkMedia(fake, DEFAULT_MEDIA_LIMITS, { filename: 'foto.jpg', declaredType: 'image/jpeg' }),
    );
    expect(err.problem).toBe('unknown-type');
    expect(err.status).toBe(415);
    expect(err.message).toContain('"foto.jpg" (declared image/jpeg) is not a photo');
  });

  it('refuses a file that starts like a JPEG but is not one', async () => {
    const broken = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(300, 7)]);
    const err = await refusal(checkMedia(broken, DEFAULT_MEDIA_LIMITS));
    expect(err.problem).toBe('undecodable');
    expect(err.message).toContain('looks like image/jpeg but cannot be decoded');
  });

  it('refuses what is too large, empty, or of a type this adapter does not take', async () => {
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');
    const small: MediaLimits = { ...DEFAULT_MEDIA_LIMITS, maxBytes: 20 };
    expect(await refusal(checkMedia(pdf, small))).toMatchObject({ problem: 'too-large', status: 413 });
    expect(await refusal(checkMedia(Buffer.alloc(0), DEFAULT_MEDIA_LIMITS))).toMatchObject({
      problem: 'empty',
    });
    const photosOnly: MediaLimits = { ...DEFAULT_MEDIA_LIMITS, types: ['image/jpeg', 'image/png'] };
    const err = await refusal(checkMedia(pdf, photosOnly, { filename: 'surat.pdf' }));
    expect(err).toMatchObject({ problem: 'type-not-allowed', status: 415 });
    expect(err.message).toBe(
      '"surat.pdf" is application/pdf, which is not accepted here (accepted: image/jpeg, image/png)',
    );
  });

  it('keeps a PDF as it came: no public copy is made of what is not an image', async () => {
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');
    expect(await checkMedia(pdf, DEFAULT_MEDIA_LIMITS)).toEqual({
      contentType: 'application/pdf',
      publicCopy: null,
    });
  });
});
