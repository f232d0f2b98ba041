import {
  appError,
  CALENDAR_WARNING_DAYS,
  calendarRunway,
  DEFAULT_OFFICE_HOURS,
  dueAt,
  HOLIDAY_TABLES,
  isProvisionalSpan,
  type OfficeHours,
  projectedHolidayTable,
  vietnamDate,
} from '@postdesk/shared';
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { type Db, rows } from '../db/client';
import {
  auditLog,
  type CalendarDayRow,
  holidayCalendarVersions,
  holidays,
  provisionalDueTimes,
} from '../db/schema';
import { loadHolidayTables } from '../intake/holidays';

type Actor = { userId: string; requestId: string };

const weekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();
const isWeekend = (date: string) => weekday(date) === 0 || weekday(date) === 6;

/**
 * A day fits its year's calendar: inside the year; a make-up working day on a Saturday or Sunday; a day in lieu
 * or a swapped day off on a weekday (a public holiday itself may fall on a weekend, its day in lieu follows).
 */
const checkDay = (year: number, d: CalendarDayRow) => {
  const real = new Date(`${d.date}T00:00:00Z`);
  const ok =
    /^\d{4}-\d{2}-\d{2}$/.test(d.date) &&
    !Number.isNaN(real.getTime()) &&
    real.toISOString().slice(0, 10) === d.date &&
    Number(d.date.slice(0, 4)) === year &&
    (d.kind === 'working_weekend' ? isWeekend(d.date) : d.kind === 'holiday' || !isWeekend(d.date));
  if (!ok) throw appError('HOLIDAY_CALENDAR_DAY_INVALID', { date: d.date, kind: d.kind });
};

const sorted = (days: CalendarDayRow[]) => [...days].sort((a, b) => a.date.localeCompare(b.date));

/** What changed between two versions of a year, day by day: what the audit row and the page show. */
export const calendarDiff = (before: CalendarDayRow[], after: CalendarDayRow[]) => {
  const old = new Map(before.map((d) => [d.date, d]));
  const now = new Map(after.map((d) => [d.date, d]));
  return {
    added: after.filter((d) => !old.has(d.date)),
    removed: before.filter((d) => !now.has(d.date)),
    changed: after.flatMap((d) => {
      const was = old.get(d.date);
      return was && JSON.stringify(was) !== JSON.stringify(d) ? [{ from: was, to: d }] : [];
    }),
  };
};

/** Every stored year with its published version, its draft and its history, and the runway warning. */
export const findCalendars = async (db: Db, opts: { today: Date }) => {
  const versions = await db
    .select()
    .from(holidayCalendarVersions)
    .orderBy(asc(holidayCalendarVersions.year), desc(holidayCalendarVersions.version));
  const runway = calendarRunway(await loadHolidayTables(db), opts.today);
  const [provisional] = await rows<{ n: number }>(
    db,
    sql`select count(*)::int as n from provisional_due_times`,
  );
  const years = [...new Set(versions.map((v) => v.year))];
  return {
    runway: { ...runway, warn: runway.daysLeft <= CALENDAR_WARNING_DAYS, warningDays: CALENDAR_WARNING_DAYS },
    provisionalDueTimes: provisional?.n ?? 0,
    years: years.map((year) => {
      const mine = versions.filter((v) => v.year === year);
      const summary = (v: (typeof mine)[number]) => ({
        version: v.version,
        state: v.state,
        source: v.source,
        createdBy: v.createdBy,
        createdAt: v.createdAt,
        publishedBy: v.publishedBy,
        publishedAt: v.publishedAt,
      });
      const published = mine.find((v) => v.state === 'published') ?? null;
      const draft = mine.find((v) => v.state === 'draft') ?? null;
      return {
        year,
        published: published ? { ...summary(published), days: published.days } : null,
        draft: draft
          ? {
              ...summary(draft),
              days: draft.days,
              changes: calendarDiff(published?.days ?? [], draft.days),
            }
          : null,
        history: mine.map(summary),
      };
    }),
  };
};

const draftOf = async (db: Db, year: number) => {
  const [draft] = await db
    .select()
    .from(holidayCalendarVersions)
    .where(and(eq(holidayCalendarVersions.year, year), eq(holidayCalendarVersions.state, 'draft')))
    .for('update');
  return draft ?? null;
};

/**
 * Loads a year for correction: a draft holding `days` when given (an import of the government's decision),
 * else a copy of the published version, else the seeded projection or the fixed-date projection. An existing
 * draft is replaced only when days are given. Audited with what the draft holds against what is in force.
 */
export const openCalendarYear = async (
  db: Db,
  opts: { year: number; source?: string; days?: CalendarDayRow[]; actor: Actor },
) =>
  db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    for (const d of opts.days ?? []) checkDay(opts.year, d);
    if (opts.days && new Set(opts.days.map((d) => d.date)).size !== opts.days.length)
      throw appError('HOLIDAY_CALENDAR_DAY_INVALID', { reason: 'duplicate_date' });
    const versions = await t
      .select()
      .from(holidayCalendarVersions)
      .where(eq(holidayCalendarVersions.year, opts.year))
      .orderBy(desc(holidayCalendarVersions.version))
      .for('update');
    const published = versions.find((v) => v.state === 'published') ?? null;
    const draft = versions.find((v) => v.state === 'draft') ?? null;
    if (draft && !opts.days) return { year: opts.year, version: draft.version, created: false };
    const seeded = HOLIDAY_TABLES.find((x) => x.year === opts.year) ?? projectedHolidayTable(opts.year);
    const start: CalendarDayRow[] = opts.days ??
      published?.days ?? [
        ...seeded.days.map((d) => ({ date: d.date, kind: d.kind, nameVi: d.name_vi, nameEn: d.name_en })),
        ...seeded.workingWeekends.map((d) => ({
          date: d.date,
          kind: 'working_weekend' as const,
          nameVi: d.name,
          nameEn: d.name,
        })),
      ];
    const days = sorted(start);
    const source = opts.source ?? draft?.source ?? published?.source ?? seeded.source;
    const version = draft?.version ?? (versions[0]?.version ?? 0) + 1;
    if (draft) {
      await t
        .update(holidayCalendarVersions)
        .set({ days, source })
        .where(
          and(eq(holidayCalendarVersions.year, opts.year), eq(holidayCalendarVersions.version, version)),
        );
    } else {
      await t
        .insert(holidayCalendarVersions)
        .values({ year: opts.year, version, state: 'draft', source, days, createdBy: opts.actor.userId });
    }
    await t.insert(auditLog).values({
      userId: opts.actor.userId,
      action: 'holiday_calendar.loaded',
      target: String(opts.year),
      requestId: opts.actor.requestId,
      details: { year: opts.year, version, source, changes: calendarDiff(published?.days ?? [], days) },
    });
    return { year: opts.year, version, created: !draft };
  });

/** Adds, changes (`day` given) or removes (`day` null) one date of a year's draft; audited with before and after. */
export const setCalendarDay = async (
  db: Db,
  opts: { year: number; date: string; day: Omit<CalendarDayRow, 'date'> | null; actor: Actor },
) =>
  db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    const draft = await draftOf(t, opts.year);
    if (!draft) throw appError('HOLIDAY_CALENDAR_NO_DRAFT', { year: opts.year });
    const after = opts.day ? { date: opts.date, ...opts.day } : null;
    if (after) checkDay(opts.year, after);
    else if (Number(opts.date.slice(0, 4)) !== opts.year)
      throw appError('HOLIDAY_CALENDAR_DAY_INVALID', { date: opts.date });
    const before = draft.days.find((d) => d.date === opts.date) ?? null;
    if (JSON.stringify(before) === JSON.stringify(after)) return { version: draft.version, changed: false };
    const days = sorted([...draft.days.filter((d) => d.date !== opts.date), ...(after ? [after] : [])]);
    await t
      .update(holidayCalendarVersions)
      .set({ days })
      .where(
        and(eq(holidayCalendarVersions.year, opts.year), eq(holidayCalendarVersions.version, draft.version)),
      );
    await t.insert(auditLog).values({
      userId: opts.actor.userId,
      action: 'holiday_calendar.day_set',
      target: String(opts.year),
      requestId: opts.actor.requestId,
      details: { year: opts.year, version: draft.version, date: opts.date, from: before, to: after },
    });
    return { version: draft.version, changed: true };
  });

/**
 * Recomputes every provisional legal due time on the calendars now in force. A due time someone has since
 * replaced (a restart after a supplement, an apology) is no longer ours to move: its record is dropped. One
 * that still reaches into an unpublished year stays provisional with its new date.
 */
export const recomputeProvisionalDueTimes = async (
  db: Db,
  opts: { actor: Actor | null; reason: Record<string, unknown> },
) => {
  const tables = await loadHolidayTables(db);
  const pending = await rows<{
    dossier_id: string;
    due_at: string;
    counted_from: string;
    working_hours: number;
    current_due: string | null;
    office_id: string;
    office_hours: OfficeHours | null;
  }>(
    db,
    sql`select p.dossier_id, p.due_at::text as due_at, p.counted_from::text as counted_from, p.working_hours,
          d.due_at::text as current_due, d.receiving_office_id as office_id, o.office_hours
        from provisional_due_times p
        join dossiers d on d.id = p.dossier_id
        join offices o on o.id = d.receiving_office_id
        order by p.dossier_id
        for update of p`,
  );
  let recomputed = 0;
  let stillProvisional = 0;
  let dropped = 0;
  for (const p of pending) {
    const issued = new Date(p.due_at);
    if (!p.current_due || new Date(p.current_due).getTime() !== issued.getTime()) {
      await db.delete(provisionalDueTimes).where(eq(provisionalDueTimes.dossierId, p.dossier_id));
      dropped++;
      continue;
    }
    const countedFrom = new Date(p.counted_from);
    const calendar = { holidays: tables, hours: p.office_hours ?? DEFAULT_OFFICE_HOURS };
    const next = dueAt(countedFrom, Number(p.working_hours), calendar);
    const provisional = isProvisionalSpan(countedFrom, next, tables);
    if (next.getTime() !== issued.getTime()) {
      await db.execute(
        sql`update dossiers set due_at = ${next.toISOString()}::timestamptz
            where id = ${p.dossier_id}::uuid and due_at = ${issued.toISOString()}::timestamptz`,
      );
      await db.execute(
        sql`update dossier_facts set due_at = ${next.toISOString()}::timestamptz
            where dossier_id = ${p.dossier_id}::uuid and due_at = ${issued.toISOString()}::timestamptz`,
      );
      recomputed++;
    }
    if (provisional) {
      stillProvisional++;
      await db
        .update(provisionalDueTimes)
        .set({ dueAt: next })
        .where(eq(provisionalDueTimes.dossierId, p.dossier_id));
    } else {
      await db.delete(provisionalDueTimes).where(eq(provisionalDueTimes.dossierId, p.dossier_id));
    }
    await db.insert(auditLog).values({
      userId: opts.actor?.userId ?? null,
      officeId: p.office_id,
      action: 'holiday_calendar.due_recomputed',
      target: p.dossier_id,
      requestId: opts.actor?.requestId ?? null,
      details: { ...opts.reason, from: issued.toISOString(), to: next.toISOString(), provisional },
    });
  }
  return { recomputed, stillProvisional, dropped };
};

/**
 * Publishes a year's draft: it becomes the calendar in force (the previous published version is kept as
 * superseded), the days in force are replaced, the change is audited day by day, and the provisional due times
 * are recomputed. Due times issued from published calendars are never touched. `version` must be the draft
 * the administrator reviewed.
 */
export const publishCalendar = async (db: Db, opts: { year: number; version: number; actor: Actor }) =>
  db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    const draft = await draftOf(t, opts.year);
    if (!draft) throw appError('HOLIDAY_CALENDAR_NO_DRAFT', { year: opts.year });
    if (draft.version !== opts.version)
      throw appError('HOLIDAY_CALENDAR_STALE', { year: opts.year, draft: draft.version });
    const [previous] = await t
      .select()
      .from(holidayCalendarVersions)
      .where(and(eq(holidayCalendarVersions.year, opts.year), eq(holidayCalendarVersions.state, 'published')))
      .for('update');
    if (previous)
      await t
        .update(holidayCalendarVersions)
        .set({ state: 'superseded' })
        .where(
          and(
            eq(holidayCalendarVersions.year, opts.year),
            eq(holidayCalendarVersions.version, previous.version),
          ),
        );
    const now = new Date();
    await t
      .update(holidayCalendarVersions)
      .set({ state: 'published', publishedBy: opts.actor.userId, publishedAt: now })
      .where(
        and(eq(holidayCalendarVersions.year, opts.year), eq(holidayCalendarVersions.version, draft.version)),
      );
    await t.delete(holidays).where(eq(holidays.year, opts.year));
    if (draft.days.length > 0)
      await t.insert(holidays).values(
        draft.days.map((d) => ({
          day: d.date,
          year: opts.year,
          kind: d.kind,
          nameVi: d.nameVi,
          nameEn: d.nameEn,
          source: draft.source,
        })),
      );
    await t.insert(auditLog).values({
      userId: opts.actor.userId,
      action: 'holiday_calendar.published',
      target: String(opts.year),
      requestId: opts.actor.requestId,
      details: {
        year: opts.year,
        version: draft.version,
        previousVersion: previous?.version ?? null,
        changes: calendarDiff(previous?.days ?? [], draft.days),
      },
    });
    const due = await recomputeProvisionalDueTimes(t, {
      actor: opts.actor,
      reason: { year: opts.year, version: draft.version },
    });
    return { year: opts.year, version: draft.version, ...due };
  });

/**
 * The daily check: when the published calendar runs out within 90 days, one audit line a day (and the caller
 * logs it) tells the administrators to load and publish the next year. Re-running the same day adds nothing.
 */
export const checkCalendarRunway = async (db: Db, opts: { now: Date }) => {
  const runway = calendarRunway(await loadHolidayTables(db), opts.now);
  if (runway.daysLeft > CALENDAR_WARNING_DAYS) return { ...runway, warned: false };
  const key = `runway:${vietnamDate(opts.now)}`;
  const inserted = await rows<{ id: number }>(
    db,
    sql`insert into audit_log (action, target, details, at)
        select 'holiday_calendar.running_out', ${String(runway.lastPublishedYear ?? 'none')},
          ${JSON.stringify({ key, ...runway })}::jsonb, ${opts.now.toISOString()}::timestamptz
        where not exists (select 1 from audit_log where action = 'holiday_calendar.running_out'
          and details->>'key' = ${key})
        returning id`,
  );
  return { ...runway, warned: inserted.length > 0 };
};
