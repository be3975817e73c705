import {
  normalizeTrackingCode,
  reportIdFor,
  TRACKING_ALPHABET,
  trackingCodeFor,
  uuidV5,
} from './report-identity';

describe('report identity', () => {
  it('derives RFC 9562 version-5 UUIDs (checked against a published vector)', () => {
    // Python: uuid.uuid5(uuid.NAMESPACE_DNS, 'python.org')
    expect(uuidV5('python.org', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '886313e1-3b8a-5372-9b90-0c9aee199e5d',
    );
  });

  it('gives a re-read source message the same report id, and another channel a different one', () => {
    expect(reportIdFor('twitter', '1460323737035677698')).toBe(reportIdFor('twitter', '1460323737035677698'));
    expect(reportIdFor('twitter', '1')).not.toBe(reportIdFor('email', '1'));
  });

  it('makes short codes from unambiguous characters that depend on the secret', () => {
    const id = reportIdFor('jaki', 'abc');
    const code = trackingCodeFor(id, 'secret-a');
    expect(code).toMatch(/^[2-9A-HJKMNP-TV-Z]{5}-[2-9A-HJKMNP-TV-Z]{5}$/);
    expect(code).toBe(trackingCodeFor(id, 'secret-a'));
    expect(code).not.toBe(trackingCodeFor(id, 'secret-b'));
    expect(TRACKING_ALPHABET).not.toMatch(/[01ILOU]/);
  });

  it('spreads codes evenly: 20 000 reports, no collision', () => {
    const codes = new Set<string>();
    for (let i = 0; i < 20_000; i++) codes.add(trackingCodeFor(reportIdFor('sms', String(i)), 's'));
    expect(codes.size).toBe(20_000);
  });

  it('reads codes the way citizens type them', () => {
    expect(normalizeTrackingCode(' abcde fghjk ')).toBe('ABCDE-FGHJK');
    expect(normalizeTrackingCode('abcdu-fghjk')).toBe('ABCDV-FGHJK');
    expect(normalizeTrackingCode('ABCDE-FGHJ')).toBeNull();
    expect(normalizeTrackingCode('ABCD0-FGHJK')).toBeNull();
  });
});
