/**
 * Working days (ngày làm việc). DOMAIN.md, "working days": deadlines count working days —
 * weekends and Vietnamese public holidays are skipped, from a holiday table per year
 * (holidays-vn.ts). Appraisal limits (10/20 working days), the amendment deadline and the public
 * comment period are all counted with these functions.
 *
 * Dates are plain calendar dates 'YYYY-MM-DD' in Vietnam. All arithmetic is on day numbers, so
 * there is no time zone and no clock: safe inside deterministic Temporal workflows.
 *
 * Years missing from the holiday table only skip weekends; check `isYearCovered` when a deadline
 * may fall outside the table.
 */
import { HolidayTable, VN_MAKEUP_WORKING_DAYS, VN_PUBLIC_HOLIDAYS } from './holidays-vn';

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;
/** Asia/Ho_Chi_Minh is UTC+7 all year (no daylight saving since 1975). */
const VIETNAM_OFFSET_MS = 7 * 3_600_000;
/** Guard against runaway loops from a bad argument (about 40 years of working days). */
const MAX_WORKING_DAYS = 10_000;

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  return [31, isLeapYear(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
}

/** Is `s` a real calendar date written 'YYYY-MM-DD'? */
export function isCalendarDate(s: string): boolean {
  const m = typeof s === 'string' ? DATE_PATTERN.exec(s) : null;
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return y >= 1 && mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

function parse(s: string): { y: number; m: number; d: number } {
  if (!isCalendarDate(s)) throw new Error(`Malformed date ${JSON.stringify(s)}: expected a calendar date YYYY-MM-DD`);
  return { y: Number(s.slice(0, 4)), m: Number(s.slice(5, 7)), d: Number(s.slice(8, 10)) };
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function toDayNumber(s: string): number {
  const { y: year, m, d } = parse(s);
  const y = m <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Inverse of toDayNumber (civil_from_days). */
function fromDayNumber(n: number): string {
  const z = n + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** 0 = Sunday … 6 = Saturday. 1970-01-01 was a Thursday. */
function weekdayOf(dayNumber: number): number {
  return (((dayNumber + 4) % 7) + 7) % 7;
}

const NO_DAYS: HolidayTable = {};
const dayNumberSets = new WeakMap<HolidayTable, Set<number>>();

/**
 * The dates of a table as day numbers, built once per table: every deadline and reminder asks,
 * and rebuilding the sets each time was most of the cost of a call. Tables are constants (a table
 * changed after its first use is not seen). An entry that is not a calendar date matches no day.
 */
function dayNumbersOf(table: HolidayTable): Set<number> {
  let days = dayNumberSets.get(table);
  if (!days) {
    days = new Set(Object.values(table).flatMap((entries) => entries.filter((e) => isCalendarDate(e.date)).map((e) => toDayNumber(e.date))));
    dayNumberSets.set(table, days);
  }
  return days;
}

/** Days off and make-up working days as sets. A custom holiday table has no make-up days unless given. */
function calendar(holidays: HolidayTable, makeupDays: HolidayTable | undefined) {
  const off = dayNumbersOf(holidays);
  const worked = dayNumbersOf(makeupDays ?? (holidays === VN_PUBLIC_HOLIDAYS ? VN_MAKEUP_WORKING_DAYS : NO_DAYS));
  return (dayNumber: number): boolean => {
    if (worked.has(dayNumber)) return true;
    const wd = weekdayOf(dayNumber);
    return wd !== 0 && wd !== 6 && !off.has(dayNumber);
  };
}

/**
 * Is `date` a working day: Monday–Friday, not a public holiday or official day off, or a weekend
 * day the Government made a working day (làm bù)?
 * `makeupDays` defaults to VN_MAKEUP_WORKING_DAYS with the default table, to none otherwise.
 */
export function isWorkingDay(date: string, holidays: HolidayTable = VN_PUBLIC_HOLIDAYS, makeupDays?: HolidayTable): boolean {
  return calendar(holidays, makeupDays)(toDayNumber(date));
}

/**
 * The n-th working day after `date` — the deadline of "n working days from `date`".
 * n = 0 returns `date` itself when it is a working day, else the next working day.
 */
export function addWorkingDays(date: string, n: number, holidays: HolidayTable = VN_PUBLIC_HOLIDAYS, makeupDays?: HolidayTable): string {
  if (!Number.isInteger(n) || n < 0 || n > MAX_WORKING_DAYS) {
    throw new Error(`Working days must be an integer from 0 to ${MAX_WORKING_DAYS}, got ${n}`);
  }
  const working = calendar(holidays, makeupDays);
  let day = toDayNumber(date);
  if (n === 0) {
    while (!working(day)) day++;
    return fromDayNumber(day);
  }
  for (let counted = 0; counted < n;) {
    day++;
    if (working(day)) counted++;
  }
  return fromDayNumber(day);
}

/** The n-th working day before `date` ("n working days before the deadline"); n ≥ 1. */
export function subtractWorkingDays(date: string, n: number, holidays: HolidayTable = VN_PUBLIC_HOLIDAYS, makeupDays?: HolidayTable): string {
  if (!Number.isInteger(n) || n < 1 || n > MAX_WORKING_DAYS) {
    throw new Error(`Working days must be an integer from 1 to ${MAX_WORKING_DAYS}, got ${n}`);
  }
  const working = calendar(holidays, makeupDays);
  let day = toDayNumber(date);
  for (let counted = 0; counted < n;) {
    day--;
    if (working(day)) counted++;
  }
  return fromDayNumber(day);
}

/**
 * Working days after `from` up to and including `to` (so addWorkingDays(d, n) is n days after d);
 * negative when `to` is before `from`; 0 when equal.
 */
export function workingDaysBetween(
  from: string,
  to: string,
  holidays: HolidayTable = VN_PUBLIC_HOLIDAYS,
  makeupDays?: HolidayTable,
): number {
  const working = calendar(holidays, makeupDays);
  const a = toDayNumber(from);
  const b = toDayNumber(to);
  const [lo, hi, sign] = a <= b ? [a, b, 1] : [b, a, -1];
  let count = 0;
  for (let day = lo + 1; day <= hi; day++) if (working(day)) count++;
  return sign * count;
}

/** The calendar date in Vietnam (Asia/Ho_Chi_Minh, UTC+7, no DST) of an instant. */
export function toVietnamDate(instant: Date): string {
  const ms = instant instanceof Date ? instant.getTime() : NaN;
  if (!Number.isFinite(ms)) throw new Error('toVietnamDate needs a valid Date');
  return fromDayNumber(Math.floor((ms + VIETNAM_OFFSET_MS) / MS_PER_DAY));
}

/** The name of the holiday or day off on `date`, if any (for messages such as "hạn chót lùi vì nghỉ Tết"). */
export function holidayName(date: string, holidays: HolidayTable = VN_PUBLIC_HOLIDAYS): string | undefined {
  const { y } = parse(date);
  return holidays[y]?.find((e) => e.date === date)?.name;
}

/** Does the table list the days off of `year`? Outside it, only weekends are skipped. */
export function isYearCovered(year: number, holidays: HolidayTable = VN_PUBLIC_HOLIDAYS): boolean {
  return (holidays[year]?.length ?? 0) > 0;
}
