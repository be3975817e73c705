import { statusCheckRequest } from './status-check-request';

describe('statusCheckRequest', () => {
  it.each([
    ['cek ABCDE-FGHJK', 'ABCDE-FGHJK'],
    ['CEK ABCDE-FGHJK', 'ABCDE-FGHJK'],
    ['Status abcde-fghjk', 'ABCDE-FGHJK'],
    ['status abcdefghjk', 'ABCDE-FGHJK'],
    ['cek ABCDE FGHJK', 'ABCDE-FGHJK'],
    ['  cek   ABCDE - FGHJK  ', 'ABCDE-FGHJK'],
    ['check ABCDE-FGHJK?', 'ABCDE-FGHJK'],
    ['cek laporan ABCDE-FGHJK', 'ABCDE-FGHJK'],
    ['status: #ABCDE-FGHJK.', 'ABCDE-FGHJK'],
    // U is read as V, as on the tracking page.
    ['cek ABCDE-FGHJU', 'ABCDE-FGHJV'],
  ])('reads %j as a check of %s', (text, code) => {
    expect(statusCheckRequest(text)).toEqual({ trackingCode: code });
  });

  it.each(['cek ABCDE-FGHJ0', 'status 0OIL1-ABCDE', 'cek ABCDEFGHJ1'])(
    'reads %j, a code-shaped mistake, as a check of no code',
    (text) => {
      expect(statusCheckRequest(text)).toEqual({ trackingCode: null });
    },
  );

  it.each([
    'cek jalan rusak',
    'Status banjir di Kemang sudah tiga hari, mohon dicek',
    'cek ABCDE-FGHJK jalan di depan rumah masih rusak',
    'Jalan rusak, cek ABCDE-FGHJK',
    'ABCDE-FGHJK',
    'cekABCDE-FGHJK',
    '',
    undefined,
  ])('leaves %j to the complaint rules', (text) => {
    expect(statusCheckRequest(text)).toBeNull();
  });
});
