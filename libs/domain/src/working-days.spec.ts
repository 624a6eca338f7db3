import { HolidayTable } from './holidays-vn';
import {
  addWorkingDays,
  holidayName,
  isCalendarDate,
  isWorkingDay,
  isYearCovered,
  toVietnamDate,
  workingDaysBetween,
} from './working-days';

describe('isWorkingDay — ngày làm việc', () => {
  it.each([
    ['2025-03-14', true, 'an ordinary Friday'],
    ['2025-03-15', false, 'Saturday'],
    ['2025-03-16', false, 'Sunday'],
    // Tết Quý Mão 2023: off Friday 20/1 – Thursday 26/1
    ['2023-01-19', true, 'the day before Tết 2023'],
    ['2023-01-20', false, '29 Tết 2023'],
    ['2023-01-23', false, 'mùng 2 Tết 2023'],
    ['2023-01-26', false, 'nghỉ bù Tết 2023'],
    ['2023-01-27', true, 'back to work after Tết 2023'],
    // Tết Ất Tỵ 2025: off Saturday 25/1 – Sunday 2/2
    ['2025-01-24', true, 'the Friday before Tết 2025'],
    ['2025-01-27', false, 'first weekday of Tết 2025'],
    ['2025-01-29', false, 'mùng 1 Tết 2025'],
    ['2025-01-31', false, 'last weekday of Tết 2025'],
    ['2025-02-03', true, 'back to work after Tết 2025'],
    // 30/4 – 1/5
    ['2025-04-30', false, 'Ngày Chiến thắng 2025'],
    ['2025-05-01', false, 'Quốc tế Lao động 2025'],
    ['2025-05-02', false, 'Friday 2/5/2025, swapped'],
    ['2025-04-26', true, 'Saturday 26/4/2025, worked in exchange (làm bù)'],
    ['2024-04-29', false, 'Monday 29/4/2024, swapped'],
    ['2024-05-04', true, 'Saturday 4/5/2024, worked in exchange (làm bù)'],
    ['2023-05-02', false, 'nghỉ bù Giỗ Tổ 2023 (Saturday 29/4)'],
    ['2023-05-03', false, 'nghỉ bù 30/4/2023 (Sunday)'],
    ['2023-05-04', true, 'back to work, May 2023'],
    ['2022-05-03', false, 'nghỉ bù 1/5/2022 (Sunday)'],
    ['2024-04-18', false, 'Giỗ Tổ Hùng Vương 2024'],
    ['2026-04-27', false, 'nghỉ bù Giỗ Tổ 2026 (Sunday 26/4)'],
    // 2/9
    ['2025-09-01', false, 'Quốc khánh 2025, first day'],
    ['2025-09-02', false, 'Quốc khánh 2025'],
    ['2025-09-03', true, 'after Quốc khánh 2025'],
    ['2023-09-04', false, 'nghỉ bù Quốc khánh 2023 (Saturday 2/9)'],
    ['2024-09-03', false, 'Quốc khánh 2024, second day'],
    // 1/1
    ['2026-01-01', false, 'Tết Dương lịch 2026'],
    ['2026-01-02', true, 'Friday 2/1/2026'],
    ['2022-01-03', false, 'nghỉ bù Tết Dương lịch 2022 (Saturday 1/1)'],
    ['2024-02-29', true, 'a leap day'],
  ])('%s → %s (%s)', (date, expected) => {
    expect(isWorkingDay(date)).toBe(expected);
  });

  const makeup: HolidayTable = { 2024: [{ date: '2024-05-04', name: 'Làm bù' }] };
  it.each<[string, HolidayTable | undefined, boolean, string]>([
    ['2025-01-29', undefined, true, 'mùng 1 Tết is a Wednesday like any other without a holiday table'],
    ['2024-05-04', undefined, false, 'a custom table brings no make-up Saturday of its own'],
    ['2024-05-04', makeup, true, 'unless make-up days are given'],
  ])('%s with an empty holiday table → %s (%s)', (date, makeupDays, expected) => {
    expect(isWorkingDay(date, {}, makeupDays)).toBe(expected);
  });
});

describe('addWorkingDays — hạn xử lý tính theo ngày làm việc', () => {
  it.each([
    ['2025-03-14', 1, '2025-03-17', 'Friday + 1 → Monday'],
    ['2025-03-17', 0, '2025-03-17', 'n = 0 on a working day is that day'],
    ['2025-03-15', 0, '2025-03-17', 'n = 0 on a Saturday is the next Monday'],
    ['2025-03-17', 5, '2025-03-24', 'one week'],
    ['2025-01-20', 10, '2025-02-10', '10 working days across Tết 2025 (Feb 3 without the holiday)'],
    ['2023-01-16', 10, '2023-02-06', '10 working days across Tết 2023'],
    ['2024-02-05', 10, '2024-02-26', '10 working days across Tết 2024'],
    ['2025-01-25', 0, '2025-02-03', 'n = 0 during Tết is the first day back'],
    ['2025-04-25', 1, '2025-04-26', 'the make-up Saturday counts'],
    ['2025-04-25', 4, '2025-05-05', 'across 30/4 – 1/5 and the swapped Friday'],
    ['2025-08-29', 1, '2025-09-03', 'across Quốc khánh 2025'],
    ['2025-12-30', 3, '2026-01-05', 'across the year boundary and Tết Dương lịch'],
    ['2022-12-30', 1, '2023-01-03', 'across 1/1/2023 (Sunday) and its nghỉ bù'],
    ['2024-02-28', 1, '2024-02-29', 'leap day'],
    ['2026-02-13', 5, '2026-02-27', 'across Tết 2026'],
  ])('%s + %i → %s (%s)', (from, n, expected) => {
    expect(addWorkingDays(from, n)).toBe(expected);
  });

  it('without holidays only weekends are skipped', () => {
    expect(addWorkingDays('2025-01-20', 10, {})).toBe('2025-02-03');
  });

  it.each([[-1], [1.5], [Number.NaN], [100_000]])('refuses %p working days', (n) => {
    expect(() => addWorkingDays('2025-03-14', n)).toThrow(/Working days must be an integer/);
  });
});

describe('workingDaysBetween', () => {
  it.each([
    ['2025-01-20', '2025-02-10', 10, 'the 10-day deadline across Tết 2025'],
    ['2025-02-10', '2025-01-20', -10, 'reversed'],
    ['2025-03-17', '2025-03-17', 0, 'same day'],
    ['2025-03-14', '2025-03-16', 0, 'Friday to Sunday'],
    ['2025-03-14', '2025-03-17', 1, 'Friday to Monday'],
    ['2025-03-15', '2025-03-17', 1, 'Saturday to Monday'],
    ['2025-12-31', '2026-01-02', 1, 'across Tết Dương lịch'],
    ['2022-01-01', '2022-12-31', 249, 'working days of 2022: 260 weekdays − 11 holidays'],
    ['2024-01-01', '2024-12-31', 251, '2024: 262 weekdays − 12 days off + 1 make-up Saturday, from 1/1'],
  ])('%s → %s = %i (%s)', (from, to, expected) => {
    expect(workingDaysBetween(from, to)).toBe(expected);
  });

  it('is the inverse of addWorkingDays for every start day in 2022–2027', () => {
    for (let day = 0; day < 6 * 365; day += 3) {
      const from = isoPlus('2022-01-01', day);
      for (const n of [1, 2, 5, 10, 20]) expect(workingDaysBetween(from, addWorkingDays(from, n))).toBe(n);
    }
  });
});

/** Calendar date plus days, computed independently with Date.UTC (test helper only). */
function isoPlus(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

describe('toVietnamDate — ngày theo giờ Việt Nam (UTC+7)', () => {
  it.each([
    ['2025-01-28T16:59:59.999Z', '2025-01-28', 'the last millisecond of 29 Tết'],
    ['2025-01-28T17:00:00.000Z', '2025-01-29', 'midnight of mùng 1 Tết in Hanoi'],
    ['2024-12-31T17:00:00Z', '2025-01-01', 'new year in Vietnam, still 31/12 in UTC'],
    ['2024-02-28T20:00:00Z', '2024-02-29', 'leap day'],
    ['2025-06-15T05:00:00+07:00', '2025-06-15', 'an instant written in Vietnam time'],
    ['1969-12-31T16:59:59Z', '1969-12-31', 'before the epoch'],
    ['1969-12-31T17:00:00Z', '1970-01-01', 'the epoch in Vietnam'],
  ])('%s → %s (%s)', (instant, expected) => {
    expect(toVietnamDate(new Date(instant))).toBe(expected);
  });

  it('agrees with the calendar for every hour of 2025', () => {
    for (let h = 0; h < 365 * 24; h++) {
      const ms = Date.UTC(2025, 0, 1) + h * 3_600_000;
      expect(toVietnamDate(new Date(ms))).toBe(new Date(ms + 7 * 3_600_000).toISOString().slice(0, 10));
    }
  });

  it('refuses an invalid Date', () => {
    expect(() => toVietnamDate(new Date('not a date'))).toThrow(/valid Date/);
  });
});

describe('malformed dates', () => {
  it.each(['2025-1-5', '2025-02-30', '2023-02-29', '2025-13-01', '2025-00-10', '', '2025/01/05', '2025-01-05T00:00:00Z', ' 2025-01-05'])(
    '%p is refused with a clear error',
    (bad) => {
      expect(isCalendarDate(bad)).toBe(false);
      expect(() => isWorkingDay(bad)).toThrow(`Malformed date ${JSON.stringify(bad)}: expected a calendar date YYYY-MM-DD`);
      expect(() => addWorkingDays(bad, 1)).toThrow(/Malformed date/);
      expect(() => workingDaysBetween('2025-01-01', bad)).toThrow(/Malformed date/);
      expect(() => holidayName(bad)).toThrow(/Malformed date/);
    },
  );

  it.each(['2024-02-29', '2000-02-29', '2025-12-31', '2025-01-01'])('%p is a calendar date', (good) => {
    expect(isCalendarDate(good)).toBe(true);
  });
});

describe('holidayName and isYearCovered', () => {
  it.each([
    ['2025-01-29', 'Tết Nguyên đán'],
    ['2026-04-27', 'Giỗ Tổ Hùng Vương (nghỉ bù)'],
    ['2025-09-02', 'Quốc khánh'],
    ['2025-03-14', undefined],
  ])('%s → %p', (date, name) => {
    expect(holidayName(date)).toBe(name);
  });

  it('knows which years the table covers; outside them only weekends are skipped', () => {
    expect([2021, 2022, 2025, 2027, 2028].map((y) => isYearCovered(y))).toEqual([false, true, true, true, false]);
    expect(isWorkingDay('2028-01-26')).toBe(true); // Tết 2028 is not in the table yet
  });
});
