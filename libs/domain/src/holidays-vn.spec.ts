import { VN_MAKEUP_WORKING_DAYS, VN_PUBLIC_HOLIDAYS } from './holidays-vn';
import { isCalendarDate } from './working-days';

const YEARS = [2022, 2023, 2024, 2025, 2026, 2027];
const weekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 Sunday … 6 Saturday
const isWeekend = (date: string) => weekday(date) === 0 || weekday(date) === 6;
const on = (year: number, date: string) => VN_PUBLIC_HOLIDAYS[year].find((h) => h.date === date)?.name;

describe('VN_PUBLIC_HOLIDAYS — bảng ngày nghỉ lễ, Tết 2022–2027', () => {
  it('covers 2022 to 2027', () => {
    expect(Object.keys(VN_PUBLIC_HOLIDAYS).map(Number)).toEqual(YEARS);
  });

  it.each(YEARS)('%i: well-formed, in its own year, sorted, no duplicates', (year) => {
    const dates = VN_PUBLIC_HOLIDAYS[year].map((h) => h.date);
    for (const d of dates) {
      expect(isCalendarDate(d)).toBe(true);
      expect(d.startsWith(`${year}-`)).toBe(true);
    }
    expect([...dates].sort()).toEqual(dates);
    expect(new Set(dates).size).toBe(dates.length);
  });

  it.each(YEARS)('%i: 11 days off on weekdays, as in Labour Code art. 112 (a swapped day is offset by its make-up Saturday)', (year) => {
    const weekdaysOff = VN_PUBLIC_HOLIDAYS[year].filter((h) => !isWeekend(h.date)).length;
    expect(weekdaysOff - (VN_MAKEUP_WORKING_DAYS[year]?.length ?? 0)).toBe(11);
  });

  it.each(YEARS)('%i: the fixed holidays are listed on their date', (year) => {
    expect(on(year, `${year}-01-01`)).toBe('Tết Dương lịch');
    expect(on(year, `${year}-04-30`)).toBe('Ngày Chiến thắng');
    expect(on(year, `${year}-05-01`)).toBe('Quốc tế Lao động');
    expect(on(year, `${year}-09-02`)).toBe('Quốc khánh');
    expect(VN_PUBLIC_HOLIDAYS[year].filter((h) => h.name === 'Quốc khánh')).toHaveLength(2);
  });

  it.each([
    [2022, '2022-02-01', '2022-04-10'],
    [2023, '2023-01-22', '2023-04-29'],
    [2024, '2024-02-10', '2024-04-18'],
    [2025, '2025-01-29', '2025-04-07'],
    [2026, '2026-02-17', '2026-04-26'],
    [2027, '2027-02-06', '2027-04-16'],
  ])('%i: lunar holidays — mùng 1 Tết %s, Giỗ Tổ (10/3 âm lịch) %s', (year, tet, hung) => {
    expect(on(year, tet)).toBe('Tết Nguyên đán');
    expect(on(year, hung)).toBe('Giỗ Tổ Hùng Vương');
    // Tết: 5 days off on weekdays, within a week around mùng 1
    const tetDays = VN_PUBLIC_HOLIDAYS[year].filter((h) => h.name.startsWith('Tết Nguyên đán') && !isWeekend(h.date));
    expect(tetDays).toHaveLength(5);
    const spread = tetDays.map((h) => (Date.parse(h.date) - Date.parse(tet)) / 86_400_000);
    expect(Math.min(...spread)).toBeGreaterThanOrEqual(-3);
    expect(Math.max(...spread)).toBeLessThanOrEqual(4);
  });

  it('make-up working days are weekend days that are not days off', () => {
    for (const [year, days] of Object.entries(VN_MAKEUP_WORKING_DAYS)) {
      for (const d of days) {
        expect(d.date.startsWith(`${year}-`)).toBe(true);
        expect(isWeekend(d.date)).toBe(true);
        expect(on(Number(year), d.date)).toBeUndefined();
      }
    }
  });
});
