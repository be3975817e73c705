import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Jakarta keeps UTC+7 all year (no daylight saving), so working days are counted in that zone. */
const JAKARTA_OFFSET_MS = 7 * 3600_000;
const DAY_MS = 24 * 3600_000;

export const DEFAULT_HOLIDAYS_FILE = join(__dirname, '..', '..', 'data', 'holidays-id.json');

export class HolidayCalendar {
  private readonly holidays: Set<string>;

  constructor(dates: readonly string[]) {
    for (const d of dates)
      if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) throw new Error(`holiday "${d}" is not a YYYY-MM-DD date`);
    this.holidays = new Set(dates);
  }

  static fromFile(path: string = DEFAULT_HOLIDAYS_FILE): HolidayCalendar {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    const dates = Array.isArray(parsed) ? parsed : (parsed as { dates?: unknown }).dates;
    if (!Array.isArray(dates) || !dates.every((d): d is string => typeof d === 'string')) {
      throw new Error(`${path} must hold a list of dates, or an object with a "dates" list`);
    }
    return new HolidayCalendar(dates);
  }

  isWorkingDay(localMidnightMs: number): boolean {
    const day = new Date(localMidnightMs);
    const weekday = day.getUTCDay();
    return weekday !== 0 && weekday !== 6 && !this.holidays.has(day.toISOString().slice(0, 10));
  }

  /**
   * The same Jakarta clock time `days` working days later. A start on a weekend or holiday
   * counts from 00:00 of the next working day.
   */
  addWorkingDays(start: Date, days: number): Date {
    const local = start.getTime() + JAKARTA_OFFSET_MS;
    let midnight = Math.floor(local / DAY_MS) * DAY_MS;
    let timeOfDay = local - midnight;
    if (!this.isWorkingDay(midnight)) {
      timeOfDay = 0;
      do midnight += DAY_MS;
      while (!this.isWorkingDay(midnight));
    }
    let left = days;
    while (left > 0) {
      midnight += DAY_MS;
      if (this.isWorkingDay(midnight)) left--;
    }
    return new Date(midnight + timeOfDay - JAKARTA_OFFSET_MS);
  }
}
