import { planSms, smsEncodingOf } from './sms-segments';

describe('SMS segmentation', () => {
  it('sends 160 GSM-7 characters as one SMS and 161 as two parts of at most 153', () => {
    expect(planSms('a'.repeat(160)).parts).toHaveLength(1);
    const plan = planSms('a'.repeat(161));
    expect(plan.encoding).toBe('GSM-7');
    expect(plan.parts.map((p) => p.length)).toEqual([153, 8]);
  });

  it('counts extension characters as two septets', () => {
    expect(planSms('€'.repeat(80)).parts).toHaveLength(1);
    expect(planSms('€'.repeat(81)).parts).toHaveLength(2);
  });

  it('switches to UCS-2 for other characters: 70 in one, 67 per part', () => {
    expect(smsEncodingOf('Laporan diterima ✓')).toBe('UCS-2');
    expect(planSms('✓'.repeat(70)).parts).toHaveLength(1);
    expect(planSms('✓'.repeat(71)).parts.map((p) => p.length)).toEqual([67, 4]);
  });

  it('never cuts an emoji in half', () => {
    const parts = planSms('😀'.repeat(40)).parts;
    expect(parts.join('')).toBe('😀'.repeat(40));
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(67);
    for (const p of parts) expect(p).not.toMatch(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/);
  });

  it('breaks long Indonesian text between words and loses nothing', () => {
    const text = 'Laporan Anda sudah kami terima dengan nomor ABCDE-FGHJK. '.repeat(6).trim();
    const { parts } = planSms(text);
    expect(parts.join('')).toBe(text);
    for (const p of parts.slice(0, -1)) expect(p.endsWith(' ')).toBe(true);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(153);
  });
});
