import type { PgMediaStore } from '@aduan/channel-sdk';
import { internalHost, takeMediaUrl } from './media-url';

describe('a request’s media_url', () => {
  it('is never fetched from this machine or a private network', () => {
    for (const host of [
      'localhost',
      '127.0.0.1',
      '10.1.2.3',
      '172.20.0.5',
      '192.168.1.1',
      '169.254.169.254',
      '[::1]',
      'status.internal',
    ])
      expect([host, internalHost(host)]).toEqual([host, true]);
    for (const host of ['images.example.org', '8.8.8.8', '172.32.0.1'])
      expect([host, internalHost(host)]).toEqual([host, false]);
  });

  it('is left out with a note, without fetching, when it is not an https link to a public host', async () => {
    // Never reached: each of these is decided before any download.
    const media = {} as PgMediaStore;
    await expect(takeMediaUrl('http://images.example.org/a.jpg', media)).resolves.toEqual({
      note: 'media_url is not an https link',
    });
    await expect(takeMediaUrl('https://127.0.0.1/a.jpg', media)).resolves.toEqual({
      note: 'media_url does not point to a public host',
    });
    await expect(takeMediaUrl('not a url', media)).resolves.toEqual({ note: 'media_url is not a URL' });
  });
});
