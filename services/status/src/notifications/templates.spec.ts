import { renderBilingual, renderMessage } from './templates';

describe('the completion message', () => {
  const done = { trackingCode: 'ABCDE-FGHJK', state: 'COMPLETED' as const };

  it('asks the reporter to answer, with the review link when there is one', () => {
    const text = renderBilingual({
      ...done,
      askReview: true,
      reviewUrl: 'https://aduan.example/lacak/ABCDE-FGHJK?k=abc',
    });
    expect(text).toContain(
      'balas pesan ini dengan "belum beres" atau buka https://aduan.example/lacak/ABCDE-FGHJK?k=abc',
    );
    expect(text).toContain('reply "not fixed" or open https://aduan.example/lacak/ABCDE-FGHJK?k=abc');
    expect(renderMessage('id', { ...done, askReview: true })).toContain(
      'balas pesan ini dengan "belum beres";',
    );
  });

  it('keeps the request whole when a long note is shortened, within 4000 characters', () => {
    const long = renderBilingual({
      ...done,
      publicNote: 'x'.repeat(5000),
      askReview: true,
      reviewUrl: 'https://a.example/l?k=key',
    });
    expect(long.length).toBeLessThanOrEqual(4000);
    expect(long).toContain('https://a.example/l?k=key; jika sudah, balas "sudah beres".');
    expect(long.endsWith('if it is, reply "fixed".')).toBe(true);
  });

  it('asks nothing of followers of a merged report, nor on other changes', () => {
    expect(renderBilingual(done)).not.toContain('belum beres');
    expect(renderMessage('id', { ...done, publicNote: 'x'.repeat(5000) })).toHaveLength(4000);
  });
});

describe("a merged report's follower", () => {
  it("hears the incident's state under its own code, told that it was merged", () => {
    const text = renderBilingual({ trackingCode: 'HJKMN-34567', state: 'IN_PROGRESS', mergedFollower: true });
    expect(text).toContain('digabung dengan laporan lain');
    expect(text).toContain('merged with another report');
    expect(text.match(/HJKMN-34567/g)).toHaveLength(4);
  });
});
