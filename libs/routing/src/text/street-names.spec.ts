import { normalizeText } from './normalize';
import { streetNameTokens } from './street-names';

const masked = (text: string): string[] => {
  const tokens = normalizeText(text).tokens;
  return [...streetNameTokens(tokens)].map((i) => tokens[i]?.text ?? '');
};

describe('streetNameTokens', () => {
  it('masks the capitalised name after Jl./Jln', () => {
    expect(masked('di Jl. Pemuda Rawamangun depan kampus')).toEqual(['pemuda', 'rawamangun']);
    expect(masked('jln Tanjung Duren Raya arah Latumenten')).toEqual(['tanjung', 'duren', 'raya']);
  });

  it('leaves lower-case complaints and the plain word "jalan" alone', () => {
    expect(masked('jln rusak parah')).toEqual([]);
    expect(masked('Jalan Rusak di depan sekolah')).toEqual([]);
  });
});
