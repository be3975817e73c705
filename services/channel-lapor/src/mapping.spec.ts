import { PermanentError } from '@aduan/channel-sdk';
import { LIFECYCLE_STATES } from '@aduan/contracts';
import { attachmentsOf, LAPOR_STATUS_OF, LAPOR_STATUSES, toDraft, type LaporReport } from './mapping';

const TOPIC = { id: '13', parent: '3', topic_name: 'Teknologi Informasi dan Komunikasi' };
const CATEGORIES = new Set(['Jalan', 'Sampah']);

function report(extra: Partial<LaporReport> = {}): LaporReport {
  return {
    id: '5123456',
    judul: 'Jalan berlubang',
    isi: 'Jalan di depan pasar berlubang besar.',
    tanggal_laporan: '2026-11-20T02:15:00Z',
    tanggal_disposisi: '2026-11-23T03:00:00Z',
    anonim: false,
    rahasia: false,
    pelapor: { nama: 'Budi Santoso', email: 'budi@warga.example', telepon: '081298765432' },
    lokasi: { lat: -6.2, lng: 106.8 },
    lampiran: [],
    kategori: TOPIC,
    ...extra,
  };
}

describe('a LAPOR! report as a complaint draft', () => {
  it("carries LAPOR!'s id, its reporter, its place, and its two times", () => {
    expect(toDraft(report(), CATEGORIES)).toEqual({
      channel: 'lapor',
      sourceId: '5123456',
      receivedAt: new Date('2026-11-20T02:15:00Z'),
      disposedAt: new Date('2026-11-23T03:00:00Z'),
      reporter: {
        anonymous: false,
        name: 'Budi Santoso',
        email: 'budi@warga.example',
        phone: '081298765432',
        replyTo: '5123456',
      },
      text: 'Jalan di depan pasar berlubang besar.',
      subject: '[LAPOR! Teknologi Informasi dan Komunikasi] Jalan berlubang',
      visibility: 'public',
      confidential: false,
      location: { lat: -6.2, lon: 106.8 },
    });
  });

  it('anonim keeps nothing of the reporter, whatever LAPOR! sent', () => {
    expect(toDraft(report({ anonim: true }), CATEGORIES).reporter).toEqual({
      anonymous: true,
      replyTo: '5123456',
    });
  });

  it('rahasia makes the report private and confidential', () => {
    expect(toDraft(report({ rahasia: true }), CATEGORIES)).toMatchObject({
      visibility: 'private',
      confidential: true,
    });
  });

  it("takes a LAPOR! topic as the category only when it is one of the city's", () => {
    expect(toDraft(report(), CATEGORIES).category).toBeUndefined();
    const road = toDraft(report({ kategori: { id: '7', parent: '1', topic_name: 'Jalan' } }), CATEGORIES);
    expect(road.category).toBe('Jalan');
  });

  it('a report without a place or a title still reads', () => {
    const d = toDraft(report({ lokasi: null, judul: undefined, kategori: null }), CATEGORIES);
    expect(d.location).toBeUndefined();
    expect(d.subject).toBeUndefined();
  });

  it.each([
    ['no id', { id: '' }, /id is missing/],
    ['an id that is not a tracking number', { id: '../../x' }, /id is missing/],
    ['empty text', { isi: '  ' }, /isi/],
    ['no anonim flag', { anonim: undefined as unknown as boolean }, /anonim and rahasia/],
    ['a disposition that is not a date', { tanggal_disposisi: 'kemarin' }, /tanggal_disposisi/],
  ])('%s can never be read (PermanentError)', (_what, extra, reason) => {
    expect(() => toDraft(report(extra), CATEGORIES)).toThrow(PermanentError);
    expect(() => toDraft(report(extra), CATEGORIES)).toThrow(reason);
  });

  it('keeps only attachments with an http(s) link, with names and types as text', () => {
    const lampiran = [
      { nama: 'a.jpg', url: 'https://lapor.example/berkas/a.jpg' },
      { nama: 'b.jpg', url: 'file:///etc/passwd' },
      { nama: 'c.jpg' },
      { nama: 'd.jpg', url: 'http://[not a host' },
      { nama: 42, url: 'https://lapor.example/berkas/e', tipe: ['image/png'] },
      'https://lapor.example/berkas/f',
    ] as never;
    expect(attachmentsOf(report({ lampiran }))).toEqual([
      { nama: 'a.jpg', url: 'https://lapor.example/berkas/a.jpg' },
      { nama: 'lampiran', url: 'https://lapor.example/berkas/e' },
    ]);
  });

  it('reads a report whose optional parts have the wrong types, instead of failing on them', () => {
    const odd = report({ judul: 7, kategori: { id: 1, parent: 2, topic_name: 3 }, pelapor: 'Budi' } as never);
    const d = toDraft(odd, CATEGORIES);
    expect(d.subject).toBeUndefined();
    expect(d.reporter).toEqual({ anonymous: false, replyTo: '5123456' });
  });
});

describe('city states as LAPOR! statuses', () => {
  it('maps every city state to a status LAPOR! knows', () => {
    for (const state of LIFECYCLE_STATES) expect(LAPOR_STATUSES).toContain(LAPOR_STATUS_OF[state]);
  });

  it('says done only when the city is done, and gives back what is not the city’s', () => {
    const done = LIFECYCLE_STATES.filter((s) => LAPOR_STATUS_OF[s] === 'selesai');
    expect(done).toEqual(['COMPLETED']);
    expect(LAPOR_STATUS_OF.REJECTED).toBe('dikembalikan');
  });
});
