import { jakartaDay, parseStatsQuery, StatsQueryError } from './stats-range';

const NOW = new Date('2026-11-30T18:30:00Z'); // 01:30 WIB on 1 December

function problems(query: Record<string, unknown>, allowed?: string[]): string[] {
  try {
    parseStatsQuery(query, NOW, allowed);
  } catch (err) {
    if (err instanceof StatsQueryError) return err.problems;
    throw err;
  }
  return [];
}

describe('parseStatsQuery', () => {
  it('counts days in Jakarta: after 17:00 UTC it is already tomorrow', () => {
    expect(jakartaDay(NOW)).toBe('2026-12-01');
    expect(parseStatsQuery({}, NOW)).toEqual({ from: '2026-11-02', to: '2026-12-01', by: 'day' });
  });

  it('takes 30 days up to a given end, and a full year at most, leap day included', () => {
    expect(parseStatsQuery({ to: '2024-03-01' }, NOW)).toMatchObject({ from: '2024-02-01' }); // 29 days of February and 1 March;
    expect(parseStatsQuery({ from: '2024-01-01', to: '2024-12-31' }, NOW)).toMatchObject({
      to: '2024-12-31',
    });
    expect(problems({ from: '2024-01-01', to: '2025-01-01' })).toEqual([
      'the range from 2024-01-01 to 2025-01-01 is 367 days; at most 366 days are served',
    ]);
  });

  it('names every problem at once', () => {
    expect(
      problems({ from: '2026-02-30', to: ['a', 'b'], by: 'reporter', name: 'x' }, ['from', 'to', 'by']),
    ).toEqual([
      'unknown parameter name; allowed: from, to, by',
      'to must be given once, as text',
      'from must be a date written as YYYY-MM-DD',
      'by must be one of day, channel, category, kota, kecamatan, kelurahan, unit',
    ]);
    expect(problems({ from: '2026-01-02', to: '2026-01-01' })).toEqual([
      'from (2026-01-02) must not be after to (2026-01-01)',
    ]);
  });
});
