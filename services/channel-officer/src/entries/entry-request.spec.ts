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
});
