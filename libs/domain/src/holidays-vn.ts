/**
 * Vietnamese public holidays as days off for cán bộ, công chức, viên chức (DOMAIN.md, "working
 * days": deadlines skip weekends and public holidays, Tết is lunar, from a table per year).
 *
 * Legal basis: Labour Code 45/2019/QH14 art. 112 gives 11 holiday days a year: Tết Dương lịch
 * (1/1), Tết Nguyên đán (5 days, the Government picks them), Giỗ Tổ Hùng Vương (10/3 lunar),
 * Ngày Chiến thắng (30/4), Quốc tế Lao động (1/5), Quốc khánh (2/9 plus the day before or after).
 * Art. 111(3): a holiday falling on the weekly rest day is compensated on the next working day
 * (nghỉ bù). Each year the Government also announces how public servants take Tết and may swap a
 * bridge day for a Saturday (hoán đổi ngày làm việc, làm bù).
 *
 * What the table holds, per year:
 *  - every day off that falls Monday–Friday (Tết days, nghỉ bù, swapped days) — the ones that move
 *    deadlines; the Saturdays and Sundays inside a long break are not repeated;
 *  - the fixed holidays on their own date even when that is a weekend (1/1, mùng 1 Tết, 10/3 lunar,
 *    30/4, 1/5, 2/9), so the list reads like the official calendar.
 * Invariant checked by the spec: weekday days off − make-up Saturdays = 11 every year.
 *
 * SOURCES AND UNCERTAINTY (verify against the Government's notice each year and edit this data —
 * it is configuration, not code):
 *  - 2022–2024: as announced (Ministry of Labour notices for public servants); cross-checked with
 *    the python-holidays project (vacanza/holidays, Vietnam), which records the 2024 swap
 *    (Công văn 2450/VPCP-KGVX: 29/4/2024 off, Saturday 4/5/2024 worked).
 *  - 2025: Tết 25/1–2/2 (9 days), swap of Friday 2/5 for Saturday 26/4, Quốc khánh 30/8–2/9:
 *    from memory of the announcements, not re-checked against the text.
 *  - 2026: Tết 14/2–22/2 as reported; Quốc khánh's second day (1/9 or 3/9) and any New Year swap
 *    were not confirmed — 1/9 is assumed (the day before, as the Government chose in 2022–2023).
 *    A 24/11 "Ngày Văn hóa Việt Nam" day off was proposed in 2025–2026; not included until enacted.
 *  - 2027: ESTIMATED from the Labour Code rules (Tết: 30 Chạp + mùng 1–4, weekend days compensated
 *    on 29 Chạp and mùng 5; Quốc khánh 2/9–3/9). Replace with the official notice when published.
 * Lunar dates: Tết (mùng 1) 2022-02-01, 2023-01-22, 2024-02-10, 2025-01-29, 2026-02-17,
 * 2027-02-06; Hùng Kings (10/3 lunar) 2022-04-10, 2023-04-29, 2024-04-18, 2025-04-07,
 * 2026-04-26, 2027-04-16.
 */

export interface CalendarEntry {
  /** 'YYYY-MM-DD', a calendar date in Vietnam. */
  date: string;
  name: string;
}

/** Days off per calendar year. */
export type HolidayTable = Record<number, CalendarEntry[]>;

const TDL = 'Tết Dương lịch';
const TET = 'Tết Nguyên đán';
const HUNG = 'Giỗ Tổ Hùng Vương';
const CT = 'Ngày Chiến thắng';
const LD = 'Quốc tế Lao động';
const QK = 'Quốc khánh';
const bu = (name: string): string => `${name} (nghỉ bù)`;

export const VN_PUBLIC_HOLIDAYS: HolidayTable = {
  2022: [
    { date: '2022-01-01', name: TDL }, // Saturday
    { date: '2022-01-03', name: bu(TDL) },
    // Tết Nhâm Dần: off 29/1–6/2 with the weekends
    { date: '2022-01-31', name: TET },
    { date: '2022-02-01', name: TET },
    { date: '2022-02-02', name: TET },
    { date: '2022-02-03', name: TET },
    { date: '2022-02-04', name: TET },
    { date: '2022-04-10', name: HUNG }, // Sunday
    { date: '2022-04-11', name: bu(HUNG) },
    { date: '2022-04-30', name: CT }, // Saturday
    { date: '2022-05-01', name: LD }, // Sunday
    { date: '2022-05-02', name: bu(CT) },
    { date: '2022-05-03', name: bu(LD) },
    { date: '2022-09-01', name: QK },
    { date: '2022-09-02', name: QK },
  ],
  2023: [
    { date: '2023-01-01', name: TDL }, // Sunday
    { date: '2023-01-02', name: bu(TDL) },
    // Tết Quý Mão: off Friday 20/1 – Thursday 26/1
    { date: '2023-01-20', name: TET },
    { date: '2023-01-22', name: TET }, // mùng 1, Sunday
    { date: '2023-01-23', name: TET },
    { date: '2023-01-24', name: TET },
    { date: '2023-01-25', name: bu(TET) },
    { date: '2023-01-26', name: bu(TET) },
    { date: '2023-04-29', name: HUNG }, // Saturday
    { date: '2023-04-30', name: CT }, // Sunday
    { date: '2023-05-01', name: LD },
    { date: '2023-05-02', name: bu(HUNG) },
    { date: '2023-05-03', name: bu(CT) },
    { date: '2023-09-01', name: QK },
    { date: '2023-09-02', name: QK }, // Saturday
    { date: '2023-09-04', name: bu(QK) },
  ],
  2024: [
    { date: '2024-01-01', name: TDL },
    // Tết Giáp Thìn: off Thursday 8/2 – Wednesday 14/2
    { date: '2024-02-08', name: bu(TET) },
    { date: '2024-02-09', name: TET },
    { date: '2024-02-10', name: TET }, // mùng 1, Saturday
    { date: '2024-02-12', name: TET },
    { date: '2024-02-13', name: TET },
    { date: '2024-02-14', name: bu(TET) },
    { date: '2024-04-18', name: HUNG },
    { date: '2024-04-29', name: 'Nghỉ hoán đổi (làm bù thứ Bảy 04/5/2024)' },
    { date: '2024-04-30', name: CT },
    { date: '2024-05-01', name: LD },
    { date: '2024-09-02', name: QK },
    { date: '2024-09-03', name: QK },
  ],
  2025: [
    { date: '2025-01-01', name: TDL },
    // Tết Ất Tỵ: off Saturday 25/1 – Sunday 2/2
    { date: '2025-01-27', name: bu(TET) },
    { date: '2025-01-28', name: TET },
    { date: '2025-01-29', name: TET }, // mùng 1
    { date: '2025-01-30', name: TET },
    { date: '2025-01-31', name: TET },
    { date: '2025-04-07', name: HUNG },
    { date: '2025-04-30', name: CT },
    { date: '2025-05-01', name: LD },
    { date: '2025-05-02', name: 'Nghỉ hoán đổi (làm bù thứ Bảy 26/4/2025)' },
    { date: '2025-09-01', name: QK },
    { date: '2025-09-02', name: QK },
  ],
  2026: [
    { date: '2026-01-01', name: TDL },
    // Tết Bính Ngọ: off Saturday 14/2 – Sunday 22/2
    { date: '2026-02-16', name: TET },
    { date: '2026-02-17', name: TET }, // mùng 1
    { date: '2026-02-18', name: TET },
    { date: '2026-02-19', name: TET },
    { date: '2026-02-20', name: TET },
    { date: '2026-04-26', name: HUNG }, // Sunday
    { date: '2026-04-27', name: bu(HUNG) },
    { date: '2026-04-30', name: CT },
    { date: '2026-05-01', name: LD },
    { date: '2026-09-01', name: QK }, // assumed, see above
    { date: '2026-09-02', name: QK },
  ],
  2027: [
    // ESTIMATED, see above
    { date: '2027-01-01', name: TDL },
    { date: '2027-02-04', name: bu(TET) },
    { date: '2027-02-05', name: TET },
    { date: '2027-02-06', name: TET }, // mùng 1, Saturday
    { date: '2027-02-08', name: TET },
    { date: '2027-02-09', name: TET },
    { date: '2027-02-10', name: bu(TET) },
    { date: '2027-04-16', name: HUNG },
    { date: '2027-04-30', name: CT },
    { date: '2027-05-01', name: LD }, // Saturday
    { date: '2027-05-03', name: bu(LD) },
    { date: '2027-09-02', name: QK },
    { date: '2027-09-03', name: QK },
  ],
};

/**
 * Weekend days that are working days because the Government swapped them for a bridge day
 * (làm bù). Used together with VN_PUBLIC_HOLIDAYS by default.
 */
export const VN_MAKEUP_WORKING_DAYS: HolidayTable = {
  2024: [{ date: '2024-05-04', name: 'Làm bù cho ngày nghỉ 29/4/2024' }],
  2025: [{ date: '2025-04-26', name: 'Làm bù cho ngày nghỉ 02/5/2025' }],
};
