import { loadRoutingKnowledge } from '../knowledge';
import { normalizeText } from '../text/normalize';

describe('Screener', () => {
  const { classifier, screener } = loadRoutingKnowledge();
  const screen = (text: string, opts: { hint?: boolean; location?: boolean } = {}) => {
    const n = normalizeText(text);
    const complaintScore = classifier.classify(n.tokens, new Set()).textTop;
    return screener.screen({
      text: n,
      complaintScore,
      hasHint: opts.hint ?? false,
      hasLocation: opts.location ?? false,
    });
  };

  it.each([
    [
      'Butuh dana cepat? Pinjaman online cair 5 menit tanpa jaminan, hubungi WA 0812-xxxx-xxxx',
      'spam_or_advertising',
    ],
    ['Slot gacor hari ini maxwin!! Daftar sekarang, link di bio', 'spam_or_advertising'],
    ['Selamat! No Anda mendapat hadiah Rp25jt. Klik bit.ly/hadiah-dki utk klaim', 'phishing'],
    ['woy admin bodo, bales dong', 'abuse_without_complaint'],
    ['kerja lo pada ngapain aja sih anj*ng', 'abuse_without_complaint'],
    ['kak mau nanya, jadwal ganjil genap hari ini berlaku gk ya?', 'information_question'],
    ['internet IndiHome di rumah mati udh 4 hari, CS nya muter2', 'private_commercial_matter'],
    ['paket sy dr shopee blm sampe, kurirnya gk bisa dihubungi', 'private_commercial_matter'],
    ['test', 'test_message'],
    ['min apa kabar? semangat kerjanya ya', 'irrelevant'],
  ])('rejects "%s" as %s', (text, code) => {
    expect(screen(text).reject?.code).toBe(code);
  });

  it('keeps a rude message that carries a real complaint', () => {
    expect(
      screen('Sampah di pinggir jalan ini gk pernah diangkut2, bangs*t lah baunya').reject,
    ).toBeUndefined();
  });

  it('keeps a question that describes a problem', () => {
    expect(
      screen('how do I report noisy construction at night? still drilling, cannot sleep').reject,
    ).toBeUndefined();
  });

  it('does not reject a plea for action with no recognisable problem (that is TRIAGE)', () => {
    expect(
      screen('pak tolong ditindak, udh keterlaluan bgt ini. warga udah capek ngadu').reject,
    ).toBeUndefined();
  });

  it('flags matters outside Pemprov authority', () => {
    expect(screen('Jalan tol JORR lajur 2 banyak lubang').outOfAuthority?.code).toBe('toll_road');
    expect(screen('listrik di rumah mati dari semalam, PLN gak bisa dihubungi').outOfAuthority?.code).toBe(
      'household_electricity',
    );
    expect(screen('lampu jalan mati, gelap').outOfAuthority).toBeUndefined();
  });
});
