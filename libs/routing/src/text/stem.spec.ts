import { inflectionForms, rootCandidates } from './stem';

const has = (word: string, root: string): boolean => rootCandidates(word).includes(root);

describe('rootCandidates', () => {
  it('strips formal Indonesian affixes', () => {
    expect(has('ditambal', 'tambal')).toBe(true);
    expect(has('berlubang', 'lubang')).toBe(true);
    expect(has('tumpukan', 'tumpuk')).toBe(true);
    expect(has('menumpuk', 'tumpuk')).toBe(true);
    expect(has('pencemaran', 'cemar')).toBe(true);
    expect(has('pemadaman', 'padam')).toBe(true);
    expect(has('tersumbat', 'sumbat')).toBe(true);
    expect(has('diperbaiki', 'baik')).toBe(true);
    expect(has('genangan', 'genang')).toBe(true);
    expect(has('merokok', 'rokok')).toBe(true);
  });

  it('handles informal Jakarta nasal verbs', () => {
    expect(has('numpuk', 'tumpuk')).toBe(true);
    expect(has('ngalir', 'alir')).toBe(true);
    expect(has('nyangkut', 'sangkut')).toBe(true);
    expect(has('nutup', 'tutup')).toBe(true);
    expect(has('ngecek', 'cek')).toBe(true);
  });

  it('strips simple English endings', () => {
    expect(has('potholes', 'pothole')).toBe(true);
    expect(has('drilling', 'drill')).toBe(true);
    expect(has('flooded', 'flood')).toBe(true);
  });

  it('reads a sum of money as "nominal"', () => {
    for (const word of ['200rb', '2jt', 'rp50.000rb', '100k', 'sejuta', 'goceng'])
      expect(rootCandidates(word)).toContain('nominal');
    for (const word of ['2026', 'rt05', 'kamu']) expect(rootCandidates(word)).not.toContain('nominal');
  });

  it('keeps the word itself and short words untouched', () => {
    expect(rootCandidates('got')).toEqual(['got']);
    expect(rootCandidates('sampah')[0]).toBe('sampah');
  });

  it('inflectionForms removes particles and possessives only', () => {
    expect(inflectionForms('lubangnya')).toContain('lubang');
    expect(inflectionForms('kebakaran')).toEqual(['kebakaran']);
  });
});
