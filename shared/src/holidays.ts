/** `holiday`: a public holiday itself; `compensatory`: nghỉ bù for one that fell on a weekend; `swap_off`: a weekday off in exchange for a make-up Saturday. */
export type HolidayKind = 'holiday' | 'compensatory' | 'swap_off';

export type HolidayDay = { date: string; name_vi: string; name_en: string; kind: HolidayKind };

/** A Saturday or Sunday that state offices work, to pay back a `swap_off` day. */
export type WorkingWeekend = { date: string; name: string };

/** One year of days off for state offices (Monday–Friday workers). Kept per year because the Prime Minister fixes Tết and the swaps each year. */
export type HolidayTable = {
  year: number;
  /**
   * `published`: the government's decision for the year, loaded and published by an administrator; due times
   * computed on it are firm. `projection`: our reading of the Labour Code before the decision, so due times that
   * reach into it are provisional. Absent means published.
   */
  status?: 'published' | 'projection';
  /** Where the dates come from; stored with each row so a dossier's deadline can be explained. */
  source: string;
  days: readonly HolidayDay[];
  workingWeekends: readonly WorkingWeekend[];
};

const LAW = 'Bộ luật Lao động 45/2019/QH14 Điều 111–112';

const newYear = (date: string): HolidayDay => ({
  date,
  name_vi: 'Tết Dương lịch',
  name_en: 'New Year’s Day',
  kind: 'holiday',
});
const tet = (date: string): HolidayDay => ({
  date,
  name_vi: 'Tết Nguyên đán',
  name_en: 'Lunar New Year (Tết)',
  kind: 'holiday',
});
const hungKings = (date: string, kind: HolidayKind = 'holiday'): HolidayDay => ({
  date,
  name_vi: kind === 'holiday' ? 'Giỗ Tổ Hùng Vương (10/3 âm lịch)' : 'Nghỉ bù Giỗ Tổ Hùng Vương',
  name_en: kind === 'holiday' ? 'Hùng Kings’ Commemoration' : 'Day off in lieu of Hùng Kings’ Commemoration',
  kind,
});
const reunification = (date: string): HolidayDay => ({
  date,
  name_vi: 'Ngày Chiến thắng (30/4)',
  name_en: 'Reunification Day',
  kind: 'holiday',
});
const labourDay = (date: string, kind: HolidayKind = 'holiday'): HolidayDay => ({
  date,
  name_vi: kind === 'holiday' ? 'Ngày Quốc tế lao động (1/5)' : 'Nghỉ bù Ngày Quốc tế lao động',
  name_en: kind === 'holiday' ? 'International Labour Day' : 'Day off in lieu of Labour Day',
  kind,
});
const nationalDay = (date: string): HolidayDay => ({
  date,
  name_vi: 'Quốc khánh',
  name_en: 'National Day',
  kind: 'holiday',
});

/**
 * Seeded years. Where the government's decision for a year is not in our brief, the dates follow the
 * Labour Code's rules and say so; replace them with the decided dates when they are published.
 */
export const HOLIDAY_TABLES: readonly HolidayTable[] = [
  {
    year: 2025,
    source: `${LAW}; Tết 25/01–02/02/2025 and the 30/4 swap (work Sat 26/04, off Fri 02/05) as decided by the Prime Minister for civil servants`,
    days: [
      newYear('2025-01-01'),
      // The break ran Sat 25/1 – Sun 2/2; these five weekdays are the statutory Tết days.
      tet('2025-01-27'),
      tet('2025-01-28'),
      tet('2025-01-29'),
      tet('2025-01-30'),
      tet('2025-01-31'),
      hungKings('2025-04-07'),
      reunification('2025-04-30'),
      labourDay('2025-05-01'),
      {
        date: '2025-05-02',
        name_vi: 'Nghỉ hoán đổi dịp 30/4–1/5',
        name_en: 'Swapped day off (30 April – 1 May)',
        kind: 'swap_off',
      },
      nationalDay('2025-09-01'),
      nationalDay('2025-09-02'),
    ],
    workingWeekends: [{ date: '2025-04-26', name: 'Làm bù cho ngày nghỉ 02/05/2025' }],
  },
  {
    year: 2026,
    source: `${LAW}; New Year swap (off Fri 02/01, work Sat 10/01/2026) and Tết Bính Ngọ (17/02/2026): break Sat 14/02 – Sun 22/02/2026 as decided by the Prime Minister for civil servants; the day next to 2/9 is our choice (see comment)`,
    days: [
      newYear('2026-01-01'),
      {
        date: '2026-01-02',
        name_vi: 'Nghỉ hoán đổi dịp Tết Dương lịch',
        name_en: 'Swapped day off (New Year)',
        kind: 'swap_off',
      },
      tet('2026-02-16'),
      tet('2026-02-17'),
      tet('2026-02-18'),
      tet('2026-02-19'),
      tet('2026-02-20'),
      // 10/3 lunar falls on Sunday 26/4, so Monday 27/4 is off in lieu (Art. 111.3).
      hungKings('2026-04-26'),
      hungKings('2026-04-27', 'compensatory'),
      reunification('2026-04-30'),
      labourDay('2026-05-01'),
      // 2/9/2026 is a Wednesday, so neither neighbour makes a long weekend. We take the day before, as the
      // Prime Minister did in 2022, 2023 and 2025; replace it if the decision for 2026 says otherwise.
      nationalDay('2026-09-01'),
      nationalDay('2026-09-02'),
    ],
    workingWeekends: [{ date: '2026-01-10', name: 'Làm bù cho ngày nghỉ 02/01/2026' }],
  },
  {
    year: 2027,
    status: 'projection',
    source: `${LAW}; PROJECTION: Tết Đinh Mùi (06/02/2027) and the day next to 2/9 are not yet decided; dates follow the law's rules`,
    days: [
      newYear('2027-01-01'),
      // Projection: Tết day 1 is Saturday 6/2/2027; five weekdays around it, as in 2024 (Tết on Saturday 10/2).
      tet('2027-02-04'),
      tet('2027-02-05'),
      tet('2027-02-08'),
      tet('2027-02-09'),
      tet('2027-02-10'),
      hungKings('2027-04-16'),
      reunification('2027-04-30'),
      // 1/5/2027 is a Saturday, so Monday 3/5 is off in lieu (Art. 111.3).
      labourDay('2027-05-01'),
      labourDay('2027-05-03', 'compensatory'),
      // 2/9/2027 is a Thursday; the adjacent Friday makes the long weekend the Prime Minister usually picks.
      nationalDay('2027-09-02'),
      nationalDay('2027-09-03'),
    ],
    workingWeekends: [],
  },
];

/** The holidays whose date never moves (Labour Code Art. 112): 1 January, 30 April, 1 May, 2 September. */
const FIXED_DATE_HOLIDAYS = [
  { md: '01-01', make: newYear },
  { md: '04-30', make: reunification },
  { md: '05-01', make: (date: string) => labourDay(date) },
  { md: '09-02', make: nationalDay },
] as const;

const isWeekend = (date: string) => {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday === 0 || weekday === 6;
};
const nextDay = (date: string) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/**
 * What we can know of a year before the government decides it: weekends and the fixed-date holidays, each
 * one on a weekend giving the next working day off (Art. 111.3). Tết, the Hùng Kings' day (lunar dates), the
 * day next to 2/9 and the swaps are decided each year, so a due time computed on this is provisional.
 */
export const projectedHolidayTable = (year: number): HolidayTable => {
  const days: HolidayDay[] = FIXED_DATE_HOLIDAYS.map((h) => h.make(`${year}-${h.md}`));
  const taken = new Set(days.map((d) => d.date));
  for (const holiday of [...days]) {
    if (!isWeekend(holiday.date)) continue;
    let day = nextDay(holiday.date);
    while (isWeekend(day) || taken.has(day)) day = nextDay(day);
    taken.add(day);
    days.push({
      date: day,
      name_vi: `Nghỉ bù ${holiday.name_vi}`,
      name_en: `Day off in lieu of ${holiday.name_en}`,
      kind: 'compensatory',
    });
  }
  return {
    year,
    status: 'projection',
    source: `${LAW}; PROJECTION: weekends and fixed-date holidays only, until the year is published`,
    days: days.sort((a, b) => a.date.localeCompare(b.date)),
    workingWeekends: [],
  };
};
