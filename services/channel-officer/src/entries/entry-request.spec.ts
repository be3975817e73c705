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

  it("refuses a LAPOR! item without LAPOR!'s id, naming it", () => {
    expect(parseEntry({ channel: 'lapor', text: 'Jalan rusak' }, new Set())).toEqual({
      ok: false,
      problems: ["laporId (LAPOR!'s tracking number) is required for a LAPOR! item"],
    });
  });
});
