import { openChannelStore, PgMediaStore, type ChannelStore } from '@aduan/channel-sdk';
import { capturedLogger, eventually } from '@aduan/testing';
import sharp from 'sharp';
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

describe("status: citizens' photos from the channel kit's media store, behind the officer token", () => {
  const { logger } = capturedLogger('status');
  let stack: Stack;
  let service: Awaited<ReturnType<typeof start>>;
  let channelStore: ChannelStore;
  let media: PgMediaStore;
  let admin: OfficerClient;

  beforeAll(async () => {
    stack = await createStack('status_media', logger);
    service = await start(stack, logger, new TestClock(new Date('2026-01-05T03:30:00Z')));
    // An adapter on the same database, as docker-compose and npm start run them.
    channelStore = await openChannelStore({
      url: stack.database.url,
      secret: 'test-tracking-secret',
      logger,
    });
    media = new PgMediaStore(channelStore.db, { publicBaseUrl: 'http://adapter.example:3105' });
    admin = await OfficerClient.signIn(service.base, ADMIN.username, ADMIN.password);
  });
  afterAll(async () => {
    await channelStore.close();
    await service.stop();
    await stack.close();
  });

  it('serves a report photo without its EXIF to officers of the unit, and to no one else', async () => {
    const withGps = await photo(11, { IFD3: { GPSLatitudeRef: 'S', GPSLatitude: '6/1 10/1 0/1' } });
    const ref = await media.put(withGps, { declaredType: 'image/jpeg', filename: 'banjir.jpg' });
    const received = receivedEvent({ attachments: [{ url: ref.url, contentType: ref.contentType }] });
    await stack.bus.publish('aduan.complaint.received.v1', received);
    await stack.bus.publish('aduan.complaint.routed.v1', routedEvent(received));
    await eventually(async () =>
      expect((await admin.get(`/v1/officer/reports/${received.reportId}`)).status).toBe(200),
    );

    const res = await fetch(`${service.base}/v1/officer/media/${ref.id}`, {
      headers: { authorization: `Bearer ${admin.token}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    const served = Buffer.from(await res.arrayBuffer());
    expect((await sharp(served).metadata()).exif).toBeUndefined();

    const other = await admin.createOfficer('dbm-officer', 'unit_officer', 'DBM');
    const refused = await fetch(`${service.base}/v1/officer/media/${ref.id}`, {
      headers: { authorization: `Bearer ${other.token}` },
    });
    expect(refused.status).toBe(403);
    expect((await fetch(`${service.base}/v1/officer/media/${ref.id}`)).status).toBe(401);
    const unknown = await fetch(`${service.base}/v1/officer/media/${'0'.repeat(64)}`, {
      headers: { authorization: `Bearer ${admin.token}` },
    });
    expect(unknown.status).toBe(404);
  });
});
