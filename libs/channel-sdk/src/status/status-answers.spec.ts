import type { PublicReportView } from './public-report';
import { reportStatusMessage, unknownReportMessage } from './status-answers';

const unit = { code: 'SDBM-JS', name: 'Suku Dinas Bina Marga Jakarta Selatan' };
const view: PublicReportView = {
  trackingCode: 'ABCDE-FGHJK',
  state: 'IN_PROGRESS',
  label: 'Proses',
  category: 'jalan-rusak',
  unit,
  area: null,
  description: 'Jalan berlubang',
  receivedAt: '2026-11-28T02:00:00.000Z',
  updatedAt: '2026-11-29T05:00:00.000Z',
  timeline: [
    {
      state: 'DISPOSITION',
      label: 'Disposisi',
      at: '2026-11-28T03:00:00Z',
      note: 'Diteruskan',
      evidence: [],
    },
    {
      state: 'IN_PROGRESS',
      label: 'Proses',
      at: '2026-11-29T05:00:00Z',
      note: 'Tim menambal besok pagi',
      evidence: [],
    },
    { state: 'IN_PROGRESS', label: 'Proses', at: '2026-11-29T06:00:00Z', note: null, evidence: [] },
  ],
};
const url = 'https://aduan.example/lacak/ABCDE-FGHJK';

describe('reportStatusMessage', () => {
  it.each(['long', 'short'] as const)(
    'gives the state, the unit, the newest note and the link (%s)',
    (style) => {
      const { subject, text } = reportStatusMessage(view, url, style);
      expect(subject).toContain('ABCDE-FGHJK');
      for (const part of ['ABCDE-FGHJK', 'Proses', 'In progress', unit.name, 'Tim menambal besok pagi', url])
        expect(text).toContain(part);
      expect(text).not.toContain('Diteruskan');
      expect(text).not.toContain('Jalan berlubang'); // the description is the page's, not the answer's
    },
  );

  it('says only the state of a report shown by its state alone', () => {
    const { text } = reportStatusMessage(
      {
        ...view,
        state: 'COMPLETED',
        label: 'Selesai',
        unit: null,
        category: null,
        description: null,
        timeline: [],
      },
      url,
    );
    expect(text).toContain('Selesai');
    expect(text).toContain('Completed');
    expect(text).not.toMatch(/Ditangani|Handled|Catatan|note/);
  });

  it('keeps an SMS answer short', () => {
    const long = { ...view, timeline: [{ ...view.timeline[1]!, note: 'kata '.repeat(200) }] };
    expect(reportStatusMessage(long, url, 'short').text.length).toBeLessThan(320);
  });
});

describe('unknownReportMessage', () => {
  it('is one sentence per language that names no code', () => {
    const { text } = unknownReportMessage();
    expect(text.split(' / ')).toHaveLength(2);
    expect(text).not.toMatch(/[2-9A-HJKMNP-TV-Z]{5}-[2-9A-HJKMNP-TV-Z]{5}/);
  });
});
