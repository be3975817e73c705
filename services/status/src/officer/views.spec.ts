import { ApiError } from './api-error';
import { readFilters, readName } from './views';

const OFFICER = '6f1c0d0e-8a4b-4c2e-9f5a-1b2c3d4e5f60';

function problems(run: () => unknown): string[] {
  try {
    run();
  } catch (err) {
    if (err instanceof ApiError) return (err.getResponse() as { problems: string[] }).problems;
    throw err;
  }
  throw new Error('accepted');
}

describe('saved view input', () => {
  it('keeps every filter, the empty ones as "any", and an explicit empty state', () => {
    expect(readFilters({ q: ' banjir ', state: '', category: 'Jalan', mine: true }, OFFICER)).toEqual({
      q: 'banjir',
      state: '',
      unit: '',
      category: 'Jalan',
      channel: '',
      from: '',
      to: '',
      overdue: '',
      mine: true,
    });
  });

  it('refuses what a search would refuse, naming each filter', () => {
    expect(
      problems(() =>
        readFilters(
          { state: 'NOPE', channel: 'no such channel!', from: '2026-02-30', overdue: 'maybe' },
          OFFICER,
        ),
      ),
    ).toEqual(['filters.state', 'filters.channel', 'filters.from', 'filters.overdue']);
    expect(problems(() => readFilters({ category: 'Not a category' }, OFFICER))).toEqual([
      'filters.category',
    ]);
  });

  it('refuses unknown filters, wrong types and a body that is no object', () => {
    expect(problems(() => readFilters({ cursor: 'x' }, OFFICER))).toEqual(['filters.cursor']);
    expect(problems(() => readFilters({ q: 5 }, OFFICER))).toEqual(['filters.q']);
    expect(problems(() => readFilters({ mine: 'yes' }, OFFICER))).toEqual(['filters.mine']);
    expect(problems(() => readFilters(['q'], OFFICER))).toEqual(['filters']);
    expect(problems(() => readFilters(null, OFFICER))).toEqual(['filters']);
  });

  it('takes a plain, bounded name with its spaces run together', () => {
    expect(readName('  Banjir   pagi ')).toBe('Banjir pagi');
    expect(problems(() => readName(''))).toEqual(['name']);
    expect(problems(() => readName(42))).toEqual(['name']);
    expect(problems(() => readName('x'.repeat(61)))).toEqual(['name']);
    expect(problems(() => readName('Banjir\u202Eipag'))).toEqual(['name']);
  });
});
