import { MAX_ANALYSED_CHARS, normalizeText } from './normalize';

const words = (text: string): string[] => normalizeText(text).tokens.map((t) => t.text);

describe('normalizeText', () => {
  it('reads "kali" after a count as "times", not as a river', () => {
    expect(words('udh ke-3 kalinya nih')).toEqual(['sudah', 'ke', '3', 'kalix', 'nih']);
    expect(words('berkali-kali banjir')).toEqual(['berkali', 'kalix', 'banjir']);
    expect(words('sampah dibuang ke kali')).toContain('kali');
    expect(words('Kali Ciliwung meluap')).toContain('kali');
  });

  it('expands informal abbreviations and reduplication', () => {
    expect(words('jln rusak gk diperbaiki2, udh bbrp bln yg lalu dll')).toEqual([
      'jalan',
      'rusak',
      'tidak',
      'diperbaiki',
      'diperbaiki',
      'sudah',
      'beberapa',
      'bulan',
      'yang',
      'lalu',
      'dan',
      'lain',
      'lain',
    ]);
    // "2" doubles the word, as the reduplication it stands for.
    expect(words('bolong2 parah bangettt')).toEqual(['bolong', 'bolong', 'parah', 'banget']);
    expect(words('mabuk2an tiap malam')).toEqual(['mabuk', 'mabukan', 'tiap', 'malam']);
    expect(words('lobangnya gede')).toEqual(['lubang', 'besar']);
  });

  it('keeps kel./kec. markers without breaking the name that follows', () => {
    const tokens = normalizeText('RW 05 Kel. Kampung Bali, Tanah Abang').tokens;
    expect(tokens.map((t) => t.text)).toEqual(['rw', '05', 'kel', 'kampung', 'bali', 'tanah', 'abang']);
    expect(tokens[4]?.breakBefore).toBe(false);
    expect(tokens[5]?.breakBefore).toBe(true);
  });

  it('counts spam and abuse signals and strips mentions, links and phone numbers', () => {
    const n = normalizeText('@DKIJakarta klik bit.ly/hadiah-dki hub 0812-xxxx-xxxx anj*ng?? 🔥🔥 #danacepat');
    expect(n.signals).toMatchObject({
      mentions: 1,
      urls: 1,
      phones: 1,
      censored: 1,
      emojis: 2,
      questionMarks: 2,
    });
    expect(n.signals.hashtags).toEqual(['danacepat']);
    expect(n.tokens.map((t) => t.text)).toContain('urltoken');
    expect(n.tokens.map((t) => t.text)).not.toContain('dkijakarta');
  });

  it('counts links outside go.id that carry a city programme in their address', () => {
    const signals = (t: string) => normalizeText(t).signals;
    expect(signals('daftar di kjp-daftar.online sekarang').lookalikeUrls).toBe(1);
    expect(signals('bayar via pbb-dki.pay-online.id').lookalikeUrls).toBe(1);
    expect(signals('info di https://jakarta.go.id/kjp').lookalikeUrls).toBe(0);
    expect(signals('promo di tokoku.shop').lookalikeUrls).toBe(0);
  });

  it('bounds the analysed text', () => {
    const n = normalizeText('sampah '.repeat(20_000));
    expect(n.signals.truncated).toBe(true);
    expect(n.tokens.length).toBeLessThanOrEqual(MAX_ANALYSED_CHARS / 7 + 1);
  });

  it('gives nothing for empty or emoji-only text', () => {
    expect(normalizeText('').tokens).toHaveLength(0);
    expect(normalizeText('🙏🙏😡').tokens).toHaveLength(0);
  });
});
