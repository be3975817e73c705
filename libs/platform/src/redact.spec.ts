import { redact, redactText, REDACTED } from './redact';

describe('redaction of personal data', () => {
  it('masks e-mail addresses and phone numbers inside free text', () => {
    expect(
      redactText('hubungi saya di siti.rahma@example.co.id atau 0812-3456-7890 / +62 812 3456 7890'),
    ).toBe('hubungi saya di [email] atau [phone] / [phone]');
    expect(redactText('wa 0812.3456.7890, kantor (021) 3456 7890.')).toBe('wa [phone], kantor [phone].');
  });

  it('leaves ordinary numbers alone: RT/RW, house numbers, years, coordinates', () => {
    const text = 'RT 05/RW 03 no. 12, sejak 2024, titik -6.1753924 106.8271528';
    expect(redactText(text)).toBe(text);
  });

  it('replaces fields that hold contact data or secrets whole, at any depth', () => {
    const out = redact({
      reportId: 'r1',
      reporter: { name: 'Siti' },
      headers: { authorization: 'Bearer x' },
      phone: '0812',
    });
    expect(out).toEqual({
      reportId: 'r1',
      reporter: REDACTED,
      headers: { authorization: REDACTED },
      phone: REDACTED,
    });
  });
});
