import { MessageTypes, type Location, type MessageMedia } from 'whatsapp-web.js';
import { normalizeWebMessage, webSourceId, type WebMessageLike } from './web-message';
import { standInMessage } from '../../test/whatsapp-web-stand-in';

const message = (over: Partial<WebMessageLike>): WebMessageLike => ({
  ...standInMessage('6281234567890@c.us', 'Pohon tumbang menutup jalan', {
    timestamp: 1697043223,
    _data: { notifyName: 'Siti' },
  }),
  id: {
    fromMe: false,
    remote: '6281234567890@c.us',
    id: '3EB0C767D26A1D7A1B42',
    _serialized: 'false_6281234567890@c.us_3EB0C767D26A1D7A1B42',
  },
  ...over,
});
const place = (l: Partial<Location>) => l as Location;
const media = (m: Partial<MessageMedia>) => async () => m as MessageMedia;
const OPTS = { maxMediaBytes: 1000, secret: 'test-tracking-code-secret' };

describe('whatsapp-web.js messages', () => {
  it('turns a chat message into an inbound complaint with the sender as +number', async () => {
    expect(await normalizeWebMessage(message({}), OPTS)).toEqual({
      kind: 'message',
      message: {
        channel: 'whatsapp',
        sourceId: webSourceId('false_6281234567890@c.us_3EB0C767D26A1D7A1B42', OPTS.secret),
        from: '+6281234567890',
        name: 'Siti',
        receivedAt: new Date(1697043223_000),
        text: 'Pohon tumbang menutup jalan',
        media: [],
        notes: [],
      },
    });
  });

  it('gives the message an id that is stable and does not carry the phone number', async () => {
    const out = await normalizeWebMessage(message({}), OPTS);
    const id = out.kind === 'message' ? out.message.sourceId : '';
    expect(id).toMatch(/^web:[0-9a-f]{32}$/);
    expect(id).not.toContain('6281234567890');
    const again = await normalizeWebMessage(message({}), OPTS);
    expect(again.kind === 'message' && again.message.sourceId).toBe(id);
  });

  it('keeps a shared place with its name and address', async () => {
    const out = await normalizeWebMessage(
      message({
        type: MessageTypes.LOCATION,
        body: '',
        location: place({ latitude: '-6.1754', longitude: '106.8272', name: 'Monas', address: 'Gambir' }),
      }),
      OPTS,
    );
    expect(out.kind === 'message' && out.message.location).toEqual({
      lat: -6.1754,
      lon: 106.8272,
      address: 'Monas, Gambir',
    });
  });

  it('keeps a photo within the limit and notes one over it', async () => {
    const data = Buffer.alloc(600).toString('base64');
    const small = await normalizeWebMessage(
      message({
        type: MessageTypes.IMAGE,
        body: 'lihat',
        hasMedia: true,
        downloadMedia: media({ mimetype: 'image/jpeg', data }),
      }),
      OPTS,
    );
    if (small.kind !== 'message') throw new Error('not taken');
    expect(small.message.notes).toEqual([]);
    expect(await Promise.all(small.message.media.map((source) => source()))).toEqual([
      { bytes: Buffer.alloc(600), type: 'image/jpeg', name: 'whatsapp-photo' },
    ]);
    const big = await normalizeWebMessage(
      message({
        type: MessageTypes.IMAGE,
        body: '',
        hasMedia: true,
        downloadMedia: media({ mimetype: 'image/jpeg', data, filesize: 5000 }),
      }),
      OPTS,
    );
    expect(big.kind === 'message' && big.message.media).toEqual([]);
    expect(big.kind === 'message' && big.message.notes[0]).toMatch(/melebihi batas/);
  });

  it.each([
    ['our own messages', { fromMe: true }],
    ['group messages', { from: '120363025246125888@g.us' }],
    ['status updates', { from: 'status@broadcast', isStatus: true }],
    ['stickers', { type: MessageTypes.STICKER }],
    [
      'impossible coordinates',
      { type: MessageTypes.LOCATION, location: place({ latitude: '123', longitude: '0' }) },
    ],
  ])('ignores %s', async (_case, over) => {
    expect((await normalizeWebMessage(message(over as Partial<WebMessageLike>), OPTS)).kind).toBe('ignored');
  });
});
