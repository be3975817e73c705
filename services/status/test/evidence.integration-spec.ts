import sharp from 'sharp';
import { capturedLogger, eventually, pngBomb } from '@aduan/testing';
import type { StatusService } from '../src/app';
import {
  ADMIN,
  createStack,
  OfficerClient,
  photo,
  receivedEvent,
  routedEvent,
  start,
  TestClock,
  type Stack,
} from './harness';

describe('evidence photos: stored, fingerprinted and checked for the validator', () => {
  const { logger } = capturedLogger('status');
  const clock = new TestClock(new Date('2026-01-05T04:00:00Z'));
  let stack: Stack;
  let service: StatusService & { base: string };
  let officer: OfficerClient;
  let validator: OfficerClient;

  beforeAll(async () => {
    stack = await createStack('status_evidence', logger);
    service = await start(stack, logger, clock);
    const admin = await OfficerClient.signIn(service.base, ADMIN.username, ADMIN.password);
    officer = await admin.createOfficer('dsda1', 'unit_officer', 'DSDA');
    validator = await admin.createOfficer('validator1', 'validator');
  });
  afterAll(async () => {
    await service?.stop();
    await stack?.close();
  });

  async function report() {
    const received = receivedEvent();
    await stack.bus.publish('aduan.complaint.received.v1', received);
    await stack.bus.publish('aduan.complaint.routed.v1', routedEvent(received));
    await eventually(async () => {
      const rows = (await service.db.query(
        'SELECT 1 FROM report WHERE id = $1 AND channel IS NOT NULL AND routing IS NOT NULL',
        [received.reportId],
      )) as unknown[];
      expect(rows).toHaveLength(1);
    });
    return received;
  }

  it('flags a photo already used as evidence for another report, even re-encoded and resized', async () => {
    const a = await report();
    const b = await report();
    const original = await photo(7);
    expect((await officer.upload(a.reportId, original)).body.flags).toEqual([]);
    const reused = await sharp(original).resize(480, 480).jpeg({ quality: 60 }).toBuffer();
    const res = await officer.upload(b.reportId, reused);
    expect(res.status).toBe(201);
    expect(res.body.flags).toEqual([
      { code: 'REUSED_PHOTO', detail: expect.stringContaining(a.trackingCode) },
    ]);
    // a different picture is not flagged
    expect((await officer.upload(b.reportId, await photo(8))).body.flags).toEqual([]);
    // and the validator sees the flag on the report
    const detail = await validator.get<{ evidence: Array<{ flags: Array<{ code: string }> }> }>(
      `/v1/officer/reports/${b.reportId}`,
    );
    expect(detail.body.evidence.map((e) => e.flags.map((f) => f.code))).toEqual([['REUSED_PHOTO'], []]);
  });

  it('flags a photo taken far from the report, or before it was made', async () => {
    const r = await report(); // at Jl. Kramat Raya, received 2026-01-05 10:22 WIB
    const farAndEarly = await photo(21, {
      IFD2: { DateTimeOriginal: '2025:12:01 10:00:00' },
      IFD3: {
        GPSLatitudeRef: 'S',
        GPSLatitude: '6/1 21/1 0/1',
        GPSLongitudeRef: 'E',
        GPSLongitude: '106/1 49/1 0/1',
      },
    });
    const res = await officer.upload(r.reportId, farAndEarly);
    expect(res.body.flags.map((f) => f.code).sort()).toEqual(['FAR_FROM_REPORT', 'TAKEN_BEFORE_REPORT']);
    expect(res.body.flags.find((f) => f.code === 'FAR_FROM_REPORT')!.detail).toMatch(/taken \d+ m from/);

    const onSite = await photo(22, {
      IFD2: { DateTimeOriginal: '2026:01:05 15:00:00' },
      IFD3: {
        GPSLatitudeRef: 'S',
        GPSLatitude: '6/1 11/1 1030/100',
        GPSLongitudeRef: 'E',
        GPSLongitude: '106/1 50/1 4092/100',
      },
    });
    expect((await officer.upload(r.reportId, onSite)).body.flags).toEqual([]);
  });

  it('refuses a decompression bomb with 422 before decoding it, and keeps serving', async () => {
    const r = await report();
    const bomb = await officer.upload(r.reportId, pngBomb(10_000), 'bomb.png', 'image/png');
    expect(bomb.status).toBe(422);
    expect(bomb.body).toMatchObject({ code: 'TOO_MANY_PIXELS' });
    expect((await officer.upload(r.reportId, await photo(30))).status).toBe(201);
  });

  it('refuses what is not an image (whatever it claims to be) with 400, and a file over the limit with 413', async () => {
    const r = await report();
    const fake = await officer.upload(
      r.reportId,
      Buffer.from('%PDF-1.7\n this is not a photo at all'),
      'photo.jpg',
      'image/jpeg',
    );
    expect(fake.status).toBe(400);
    expect(fake.body).toMatchObject({ code: 'NOT_AN_IMAGE' });
    const truncated = await officer.upload(r.reportId, (await photo(30)).subarray(0, 200));
    expect(truncated.status).toBe(400);
    const big = await sharp({
      create: {
        width: 2000,
        height: 2000,
        channels: 3,
        background: '#808080',
        noise: { type: 'gaussian', mean: 128, sigma: 60 },
      },
    })
      .png()
      .toBuffer();
    const tooLarge = await officer.upload(r.reportId, big, 'big.png', 'image/png');
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    const none = await fetch(`${service.base}/v1/officer/reports/${r.reportId}/evidence`, {
      method: 'POST',
      headers: { authorization: `Bearer ${officer.token}` },
      body: new FormData(),
    });
    expect(none.status).toBe(400);
    const rows = (await service.db.query('SELECT count(*)::int AS n FROM evidence WHERE report_id = $1', [
      r.reportId,
    ])) as Array<{ n: number }>;
    expect(rows[0]!.n).toBe(0);
  });

  it('refuses a follow-up without evidence of its own report', async () => {
    const r = await report();
    const other = await report();
    const detail = await officer.get<{ version: number }>(`/v1/officer/reports/${r.reportId}`);
    const started = await officer.post<{ version: number }>(`/v1/officer/reports/${r.reportId}/start`, {
      version: detail.body.version,
    });
    const none = await officer.post(`/v1/officer/reports/${r.reportId}/follow-up`, {
      version: started.body.version,
      note: 'selesai',
    });
    expect(none.status).toBe(400);
    expect(none.body).toMatchObject({ code: 'EVIDENCE_REQUIRED' });
    const foreign = await officer.upload(other.reportId, await photo(40));
    const wrong = await officer.post(`/v1/officer/reports/${r.reportId}/follow-up`, {
      version: started.body.version,
      note: 'selesai',
      evidence: [foreign.body.id],
    });
    expect(wrong.status).toBe(400);
  });
});
