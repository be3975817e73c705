import { normalizeWebMessage, type WebMessageLike } from './web-message';

const message = (over: Partial<WebMessageLike>): WebMessageLike => ({
  id: { _serialized: 'false_6281234567890@c.us_3EB0C767D26A1D7A1B42' },
  from: '6281234567890@c.us',
  fromMe: false,
  type: 'chat',
  body: 'Pohon tumbang menutup jalan',
  timestamp: 1697043223,
  hasMedia: false,
  _data: { notifyName: 'Siti' },
  ...over,
});

describe('whatsapp-web.js messages', () => {
  it('turns a chat message into an inbound complaint with the sender as +number', async () => {
    expect(await normalizeWebMessage(message({}), 1000)).toEqual({
      kind: 'message',
      message: {
        channel: 'whatsapp',
        sourceId: 'false_6281234567890@c.us_3EB0C767D26A1D7A1B42',
        from: '+6281234567890',
        name: 'Siti',
        receivedAt: new Date(1697043223_000),
        text: 'Pohon tumbang menutup jalan',
        media: [],
        notes: [],
      },
    });
  });

  it('keeps a shared place with its name and address', async () => {
    const out = await normalizeWebMessage(
      message({
        type: 'location',
        body: '',
        location: { latitude: '-6.1754', longitude: '106.8272', name: 'Monas', address: 'Gambir' },
      }),
      1000,
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
        type: 'image',
        body: 'lihat',
        hasMedia: true,
        downloadMedia: async () => ({ mimetype: 'image/jpeg', data }),
      }),
      1000,
    );
    if (small.kind !== 'message') throw new Error('not taken');
    expect(small.message.notes).toEqual([]);
    expect(await Promise.all(small.message.media.map((source) => source()))).toEqual([
      { bytes: Buffer.alloc(600), type: 'image/jpeg', name: 'whatsapp-photo' },
    ]);
    const big = await normalizeWebMessage(
      message({
        type: 'image',
        body: '',
        hasMedia: true,
        downloadMedia: async () => ({ mimetype: 'image/jpeg', data, filesize: 5000 }),
      }),
      1000,
    );
    expect(big.kind === 'message' && big.message.media).toEqual([]);
    expect(big.kind === 'message' && big.message.notes[0]).toMatch(/melebihi batas/);
  });

  it.each([
    ['our own messages', { fromMe: true }],
    ['group messages', { from: '120363025246125888@g.us' }],
    ['status updates', { from: 'status@broadcast', isStatus: true }],
    ['stickers', { type: 'sticker' }],
    ['impossible coordinates', { type: 'location', location: { latitude: 123, longitude: 0 } }],
  ])('ignores %s', async (_case, over) => {
    expect((await normalizeWebMessage(message(over as Partial<WebMessageLike>), 1000)).kind).toBe('ignored');
  });
});
