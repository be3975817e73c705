import { withoutNul } from './without-nul';

describe('withoutNul', () => {
  it('takes NUL out of every string of a parsed webhook item, however nested', () => {
    const item = {
      message: { text: { body: 'Jalan\u0000 rusak' }, from: '62812\u0000' },
      contacts: [{ profile: { name: '\u0000Siti' } }],
      tags: ['a\u0000b', 3, null, true],
    };
    expect(withoutNul(item)).toEqual({
      message: { text: { body: 'Jalan rusak' }, from: '62812' },
      contacts: [{ profile: { name: 'Siti' } }],
      tags: ['ab', 3, null, true],
    });
  });

  it('cleans a bare string and leaves dates, buffers and functions as they are', () => {
    expect(withoutNul('a\u0000b')).toBe('ab');
    const when = new Date('2026-11-30T00:00:00Z');
    const bytes = Buffer.from([0, 1, 0]);
    const media = () => 'x';
    const item = withoutNul({ when, bytes, media, text: '\u0000ok' });
    expect(item.when).toBe(when);
    expect(item.bytes).toEqual(Buffer.from([0, 1, 0]));
    expect(item.media).toBe(media);
    expect(item.text).toBe('ok');
  });

  it('walks a value nested far deeper than any payload without overflowing', () => {
    let deep: unknown = 'end\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(() => withoutNul(deep)).not.toThrow();
    const shallow = withoutNul([[['x\u0000']]]);
    expect(shallow).toEqual([[['x']]]);
  });
});
