import { HOLIDAY_TABLES, projectedHolidayTable } from '@postdesk/shared';
import { describe, expect, it } from 'vitest';

const weekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();
const isWeekend = (date: string) => weekday(date) === 0 || weekday(date) === 6;
const table = (year: number) => HOLIDAY_TABLES.find((t) => t.year === year)!;
const datesOf = (year: number, name: RegExp) =>
  table(year)
    .days.filter((d) => name.test(d.name_vi))
    .map((d) => d.date);

describe('the seeded holiday tables', () => {
  it('cover 2025, 2026 and 2027, once each, each with its source', () => {
    expect(HOLIDAY_TABLES.map((t) => t.year)).toEqual([2025, 2026, 2027]);
    for (const t of HOLIDAY_TABLES) expect(t.source).toMatch(/Bộ luật Lao động 45\/2019/);
    expect(table(2027).source).toMatch(/PROJECTION/);
  });

  it('keep every date inside its own year, without duplicates', () => {
    for (const t of HOLIDAY_TABLES) {
      const all = [...t.days.map((d) => d.date), ...t.workingWeekends.map((d) => d.date)];
      expect(new Set(all).size).toBe(all.length);
      for (const date of all) expect(date.startsWith(`${t.year}-`)).toBe(true);
    }
  });

  it('name every day in Vietnamese and English', () => {
    for (const t of HOLIDAY_TABLES) {
      for (const d of t.days) {
        expect(d.name_vi.length).toBeGreaterThan(0);
        expect(d.name_en.length).toBeGreaterThan(0);
      }
    }
  });

  it('give five weekdays of Tết each year', () => {
    expect(datesOf(2025, /Tết Nguyên đán/)).toEqual([
      '2025-01-27',
      '2025-01-28',
      '2025-01-29',
      '2025-01-30',
      '2025-01-31',
    ]);
    expect(datesOf(2026, /Tết Nguyên đán/)).toEqual([
      '2026-02-16',
      '2026-02-17',
      '2026-02-18',
      '2026-02-19',
      '2026-02-20',
    ]);
    expect(datesOf(2027, /Tết Nguyên đán/)).toEqual([
      '2027-02-04',
      '2027-02-05',
      '2027-02-08',
      '2027-02-09',
      '2027-02-10',
    ]);
    for (const year of [2025, 2026, 2027])
      for (const d of datesOf(year, /Tết Nguyên đán/)) expect(isWeekend(d)).toBe(false);
  });

  it('hold 1/1, 30/4, 1/5 and two days of National Day every year', () => {
    for (const year of [2025, 2026, 2027]) {
      const dates = table(year).days.map((d) => d.date);
      for (const md of ['01-01', '04-30', '05-01', '09-02']) expect(dates).toContain(`${year}-${md}`);
      expect(datesOf(year, /Quốc khánh/)).toHaveLength(2);
    }
    expect(datesOf(2025, /Quốc khánh/)).toEqual(['2025-09-01', '2025-09-02']);
  });

  it('hold Hùng Kings on 10/3 lunar, with Monday in lieu in 2026', () => {
    expect(datesOf(2025, /Hùng Vương/)).toEqual(['2025-04-07']);
    expect(datesOf(2026, /Hùng Vương/)).toEqual(['2026-04-26', '2026-04-27']);
    expect(datesOf(2027, /Hùng Vương/)).toEqual(['2027-04-16']);
  });

  it('give a day in lieu for each holiday on a weekend, on the next weekday', () => {
    for (const t of HOLIDAY_TABLES) {
      const compensatory = t.days.filter((d) => d.kind === 'compensatory').map((d) => d.date);
      const onWeekend = t.days.filter((d) => d.kind === 'holiday' && isWeekend(d.date));
      expect(compensatory).toHaveLength(onWeekend.length);
      for (const d of compensatory) expect(weekday(d)).toBe(1);
    }
  });

  it('pair every swapped day off with a make-up weekend day', () => {
    for (const t of HOLIDAY_TABLES) {
      expect(t.days.filter((d) => d.kind === 'swap_off')).toHaveLength(t.workingWeekends.length);
      for (const w of t.workingWeekends) expect(isWeekend(w.date)).toBe(true);
    }
    expect(table(2025).workingWeekends.map((w) => w.date)).toEqual(['2025-04-26']);
  });
});

describe('the projection of a year not yet published', () => {
  it('holds the fixed-date holidays and a day in lieu for each on a weekend, and nothing decided yearly', () => {
    const t = projectedHolidayTable(2028);
    expect(t.status).toBe('projection');
    // 1/1 is a Saturday → Monday 3/1; 30/4 is a Sunday and Monday 1/5 is itself a holiday → Tuesday 2/5;
    // 2/9 is a Saturday → Monday 4/9. No Tết, no Hùng Kings, no swaps: those are decided each year.
    expect(t.days.map((d) => [d.date, d.kind])).toEqual([
      ['2028-01-01', 'holiday'],
      ['2028-01-03', 'compensatory'],
      ['2028-04-30', 'holiday'],
      ['2028-05-01', 'holiday'],
      ['2028-05-02', 'compensatory'],
      ['2028-09-02', 'holiday'],
      ['2028-09-04', 'compensatory'],
    ]);
    expect(t.workingWeekends).toEqual([]);
  });

  it('marks 2027 as a projection and holds the 2026 New Year swap as published', () => {
    expect(table(2027).status).toBe('projection');
    expect(table(2026).status).toBeUndefined();
    expect(table(2026).days.find((d) => d.date === '2026-01-02')?.kind).toBe('swap_off');
    expect(table(2026).workingWeekends.map((w) => w.date)).toEqual(['2026-01-10']);
  });
});
