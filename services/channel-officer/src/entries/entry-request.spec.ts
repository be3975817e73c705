import { normalizePhone, parseEntry } from './entry-request';

describe('officer entries', () => {
  it.each([
    ['0812-3456-7890', '+6281234567890'],
    ['62 812 3456 7890', '+6281234567890'],
    ['+62 (21) 500-001', '+6221500001'],
  ])('reads the phone number %s as %s', (input, expected) => {
    expect(normalizePhone(input)).toBe(expected);
  });

  it.each(['call me', '123', '+0 812 3456'])('refuses %s as a phone number', (input) => {
    expect(normalizePhone(input)).toBeNull();
  });

  it('collects every problem of an entry at once', () => {
    const result = parseEntry(
      { channel: 'letter', text: ' ', contact: { phone: 'x', email: 'y' } },
      new Set(),
    );
    expect(result).toEqual({
      ok: false,
      problems: [
        'text must not be empty',
        'contact.phone is not a phone number',
        'contact.email is not an e-mail address',
      ],
    });
  });

  it("takes a LAPOR! item under LAPOR!'s id, confidential when LAPOR! says rahasia", () => {
    const result = parseEntry(
      { channel: 'lapor', text: 'Jalan rusak', laporId: ' LPR-1 ', confidential: true, anonymous: true },
      new Set(),
    );
    expect(result).toEqual({
      ok: true,
      photos: [],
      value: {
        channel: 'lapor',
        text: 'Jalan rusak',
        reporter: { anonymous: true },
        visibility: 'private',
        laporId: 'LPR-1',
        confidential: true,
      },
    });
  });

  it('keeps a place named in words with the text, where the router reads it, and the photo ids apart', () => {
    const photo = 'ab'.repeat(32);
    const result = parseEntry(
      {
        channel: 'walk_in',
        text: 'Got mampet',
        reference: 'Buku tamu 14',
        place: ' Kel. Kenari ',
        photos: [photo],
      },
      new Set(),
    );
    expect(result).toMatchObject({
      ok: true,
      photos: [photo],
      value: { text: 'Got mampet\n[Ref: Buku tamu 14]\n[Lokasi: Kel. Kenari]' },
    });
  });

  it('refuses photos that are not ids of uploaded photos, or one photo twice', () => {
    const photo = 'cd'.repeat(32);
    expect(
      parseEntry({ channel: 'letter', text: 'x', photos: ['foto.jpg', photo, photo] }, new Set()),
    ).toEqual({
      ok: false,
      problems: [
        'photos[0] is not a photo id: send the "photo" POST /v1/officer/entries/photos answered',
        'photos names the same photo twice',
      ],
    });
    const many = Array.from({ length: 6 }, (_, i) => String(i).repeat(64));
    expect(parseEntry({ channel: 'letter', text: 'x', photos: many }, new Set())).toMatchObject({
      ok: false,
      problems: [expect.stringMatching(/photos must NOT have more than 5 items/)],
    });
  });

  it("refuses a LAPOR! item without LAPOR!'s id, naming it", () => {
    expect(parseEntry({ channel: 'lapor', text: 'Jalan rusak' }, new Set())).toEqual({
      ok: false,
      problems: ["laporId (LAPOR!'s tracking number) is required for a LAPOR! item"],
    });
  });
});
