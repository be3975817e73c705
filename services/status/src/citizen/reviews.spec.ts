import { verdictOfReply } from './reviews';

describe('verdictOfReply', () => {
  it('reads the answers the completion message asks for, in either language and any case', () => {
    expect(verdictOfReply('Belum beres')).toBe('not_fixed');
    expect(verdictOfReply('BELUM BERES!! air masih menggenang')).toBe('not_fixed');
    expect(verdictOfReply('belum selesai, pak')).toBe('not_fixed');
    expect(verdictOfReply('Not fixed.')).toBe('not_fixed');
    expect(verdictOfReply('Sudah beres, terima kasih')).toBe('confirmed');
    expect(verdictOfReply('fixed')).toBe('confirmed');
  });

  it('looks at the first written line only, not at quoted text', () => {
    expect(verdictOfReply('\n\n> Belum beres\nTerima kasih')).toBeNull();
    expect(verdictOfReply('Terima kasih\nbelum beres')).toBeNull();
    expect(verdictOfReply('\r\n  belum beres\r\n> Laporan ABCDE-FGHJK telah selesai')).toBe('not_fixed');
  });

  it('leaves other messages as follow-ups', () => {
    expect(verdictOfReply('Belum ada petugas yang datang')).toBeNull();
    expect(verdictOfReply('Kapan diperbaiki?')).toBeNull();
    expect(verdictOfReply('beresin dong')).toBeNull();
    expect(verdictOfReply('')).toBeNull();
  });
});
