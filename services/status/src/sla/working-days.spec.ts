import { HolidayCalendar } from './working-days';

describe('LAPOR! working days', () => {
  const calendar = HolidayCalendar.fromFile();

  it('skips weekends', () => {
    // Thursday 2026-01-08 10:00 WIB + 3 working days = Tuesday 2026-01-13 10:00 WIB
    expect(calendar.addWorkingDays(new Date('2026-01-08T03:00:00Z'), 3).toISOString()).toBe(
      '2026-01-13T03:00:00.000Z',
    );
  });

  it('skips the public holidays of the calendar in the repo', () => {
    // Monday 2026-08-17 is Independence Day: a report on Friday 14 Aug gets Tue, Wed, Thu
    expect(calendar.addWorkingDays(new Date('2026-08-14T02:00:00Z'), 3).toISOString()).toBe(
      '2026-08-20T02:00:00.000Z',
    );
  });

  it('counts a report made on a holiday from the next working day', () => {
    const custom = new HolidayCalendar(['2026-01-12']);
    // Sunday 11 Jan 20:00 WIB, Monday a holiday → from Tuesday 13 Jan 00:00 WIB, 3 working days → Friday 16 Jan 00:00 WIB
    expect(custom.addWorkingDays(new Date('2026-01-11T13:00:00Z'), 3).toISOString()).toBe(
      '2026-01-15T17:00:00.000Z',
    );
  });

  it('refuses a malformed calendar', () => {
    expect(() => new HolidayCalendar(['17-08-2026'])).toThrow(/YYYY-MM-DD/);
  });
});
