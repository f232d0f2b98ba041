import {
  addWorkingDays,
  appError,
  computeIndicators,
  type DeadlineStatus,
  deadlineStatus,
  type GroupBy,
  INDICATORS,
  type IndicatorKey,
  type IndicatorResult,
  isOnTime,
  type Period,
  percentOf,
  type Risk,
  vietnamDate,
  type Whereabouts,
  whatMovesIt,
  whereaboutsOf,
} from '@postdesk/shared';
import { sql } from 'drizzle-orm';
import { type Db, rows } from '../db/client';
import { type DossierMeta, loadFacts, uuidArray } from './facts';
import { findPublicity } from './publicity';

const VN_OFFSET_MS = 7 * 3_600_000;

/** The local month `YYYY-MM` as a half-open period, judged at its end or at `now` if that is earlier. */
export const monthPeriod = (month: string, now: Date): Period => {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  const year = Number(m?.[1]);
  const mon = Number(m?.[2]);
  if (!m || mon < 1 || mon > 12 || year < 2022) throw appError('BOARD_PERIOD_INVALID', { month });
  const periodStart = new Date(Date.UTC(year, mon - 1, 1) - VN_OFFSET_MS);
  const periodEnd = new Date(Date.UTC(year, mon, 1) - VN_OFFSET_MS);
  if (periodStart.getTime() > now.getTime()) throw appError('BOARD_PERIOD_INVALID', { month });
  return { periodStart, periodEnd, now };
};

export const monthOf = (d: Date) => vietnamDate(d).slice(0, 7);

/** `count` months ending with `last`, oldest first. */
export const monthsBack = (last: string, count: number) => {
  const [y, m] = last.split('-').map(Number) as [number, number];
  return Array.from({ length: count }, (_, i) => {
    const d = new Date(Date.UTC(y, m - 1 - (count - 1 - i), 1));
    return d.toISOString().slice(0, 7);
  });
};

/** The caller may only narrow to offices they supervise. */
export const narrowOffices = (supervised: string[], wanted?: string | null) => {
  if (!wanted) return supervised;
  if (!supervised.includes(wanted)) throw appError('BOARD_OFFICE_NOT_YOURS');
  return [wanted];
};

// ── Deadline board ────────────────────────────────────────────────────────────────────────────────────────

export type BoardRow = DossierMeta &
  Omit<DeadlineStatus, 'effectiveDueAt' | 'measureDueAt'> & {
    effectiveDueAt: string;
    measureDueAt: string;
    /** The legal due time was issued on a calendar year not yet published and may move when it is. */
    dueProvisional: boolean;
    where: Whereabouts;
    lastWarning: { at: string; kind: string } | null;
  };

export const deadlineBoard = async (
  db: Db,
  opts: { officeIds: string[]; now: Date },
): Promise<{ rows: BoardRow[]; counts: Record<Risk, number> }> => {
  if (opts.officeIds.length === 0) return { rows: [], counts: { on_track: 0, at_risk: 0, overdue: 0 } };
  const set = await loadFacts(db, { officeIds: opts.officeIds, openOnly: true });
  const warnings = await rows<{ target: string; at: string; kind: string }>(
    db,
    sql`select distinct on (target) target, at::text as at, details->>'kind' as kind from audit_log
        where action = 'board.deadline_warning' and office_id = any(${uuidArray(opts.officeIds)})
        order by target, at desc`,
  );
  const lastWarning = new Map(
    warnings.map((w) => [w.target, { at: new Date(w.at).toISOString(), kind: w.kind }]),
  );
  const provisional = new Set(
    (
      await rows<{ id: string }>(
        db,
        sql`select p.dossier_id as id from provisional_due_times p join dossiers d on d.id = p.dossier_id
            where d.receiving_office_id = any(${uuidArray(opts.officeIds)})`,
      )
    ).map((r) => r.id),
  );
  const out: BoardRow[] = [];
  for (const fact of set.facts) {
    const meta = set.meta.get(fact.id)!;
    // "Overdue" on the board is the legal appointment (restarted after a supplement); 766's due time rides along.
    const status = deadlineStatus(fact, opts.now, set.calendars.get(fact.officeId)!, {
      dueAt: meta.legalDueAt ? new Date(meta.legalDueAt) : null,
      pausedAt: meta.clockPausedAt ? new Date(meta.clockPausedAt) : null,
    });
    if (!status) continue;
    out.push({
      ...meta,
      ...status,
      effectiveDueAt: status.effectiveDueAt.toISOString(),
      measureDueAt: status.measureDueAt.toISOString(),
      dueProvisional: provisional.has(fact.id),
      where: whereaboutsOf(meta.state),
      lastWarning: lastWarning.get(fact.id) ?? null,
    });
  }
  out.sort((a, b) => a.hoursLeft - b.hoursLeft);
  const counts = { on_track: 0, at_risk: 0, overdue: 0 };
  for (const r of out) counts[r.risk]++;
  return { rows: out, counts };
};

export const BOARD_SORT_KEYS = ['code', 'procedure', 'office', 'due', 'left', 'where', 'risk'] as const;
export type BoardSortKey = (typeof BOARD_SORT_KEYS)[number];
export type BoardWindow = {
  risk?: Risk | null;
  where?: Whereabouts | null;
  q?: string | null;
  sort?: BoardSortKey;
  dir?: 1 | -1;
  offset?: number;
  limit?: number;
};

const RISK_ORDER: Record<Risk, number> = { overdue: 0, at_risk: 1, on_track: 2 };

/**
 * One page of the board, filtered and sorted on the server: a province's open dossiers (tens of thousands) are
 * never sent to a browser at once. `total` counts the rows the filters keep; the risk counts stay the office's.
 */
export const boardWindow = (all: BoardRow[], w: BoardWindow) => {
  const needle = (w.q ?? '').trim().toLowerCase();
  const kept = all.filter(
    (r) =>
      (!w.risk || r.risk === w.risk) &&
      (!w.where || r.where === w.where) &&
      (!needle ||
        (r.code ?? '').toLowerCase().includes(needle) ||
        `${r.procedureCode} ${r.procedureName}`.toLowerCase().includes(needle)),
  );
  const key = w.sort ?? 'left';
  const dir = w.dir ?? 1;
  const value = (r: BoardRow): string | number =>
    key === 'code'
      ? (r.code ?? '')
      : key === 'procedure'
        ? r.procedureName
        : key === 'office'
          ? r.officeName
          : key === 'due'
            ? r.effectiveDueAt
            : key === 'left'
              ? r.hoursLeft
              : key === 'where'
                ? r.where
                : RISK_ORDER[r.risk];
  if (key !== 'left' || dir !== 1) {
    kept.sort((a, b) => {
      const [x, y] = [value(a), value(b)];
      return (x < y ? -1 : x > y ? 1 : 0) * dir;
    });
  }
  const offset = w.offset ?? 0;
  const limit = w.limit ?? 100;
  return { total: kept.length, offset, limit, rows: kept.slice(offset, offset + limit) };
};

/**
 * The repeatable warning: every open dossier at risk or overdue gets one `board.deadline_warning` audit row per
 * kind and due time (re-running changes nothing), naming the people who must act by user id (no names): the
 * receiving office's clerks and supervisors and the agency's officials. `apology_due` asks the agency for the
 * Mẫu 04 apology while it is still allowed (≥ 1 working day before the due time).
 */
export const warnDeadlines = async (db: Db, now: Date) => {
  const offices = await rows<{ id: string }>(
    db,
    sql`select distinct office_id as id from dossier_facts
        where received_at is not null and processed_at is null and returned_at is null and stopped_at is null
          and refused_at is null and withdrawn_at is null`,
  );
  if (offices.length === 0) return { warned: 0 };
  const people = await rows<{ office_id: string; role: string; user_id: string }>(
    db,
    sql`select office_id, role::text as role, user_id from memberships
        where role in ('clerk', 'supervisor', 'agency_official')`,
  );
  let warned = 0;
  // Fifty offices at a time, so that national volume never holds every open dossier in memory at once.
  for (let i = 0; i < offices.length; i += 50) {
    const board = await deadlineBoard(db, { officeIds: offices.slice(i, i + 50).map((o) => o.id), now });
    warned += await warnRows(db, board.rows, now, people);
  }
  return { warned };
};

/** The warnings of one batch in one statement: a re-run inserts nothing (the key names dossier, kind and due time). */
const warnRows = async (
  db: Db,
  list: BoardRow[],
  now: Date,
  people: { office_id: string; role: string; user_id: string }[],
) => {
  const of = (officeId: string, roles: string[]) =>
    people.filter((p) => p.office_id === officeId && roles.includes(p.role)).map((p) => p.user_id);
  const warnings = list.flatMap((row) =>
    [
      ...(row.risk === 'overdue' ? ['overdue'] : row.risk === 'at_risk' ? ['at_risk'] : []),
      ...(row.apologyDue ? ['apology_due'] : []),
    ].map((kind) => ({
      office_id: row.officeId,
      target: row.id,
      details: {
        key: `${row.id}:${kind}:${row.effectiveDueAt}`,
        kind,
        code: row.code,
        dueAt: row.effectiveDueAt,
        hoursLeft: row.hoursLeft,
        apologyBy: row.apologyBy,
        recipients:
          kind === 'apology_due'
            ? of(row.agencyId, ['agency_official'])
            : [...of(row.officeId, ['clerk', 'supervisor']), ...of(row.agencyId, ['agency_official'])],
      },
    })),
  );
  if (warnings.length === 0) return 0;
  const inserted = await rows<{ id: number }>(
    db,
    sql`insert into audit_log (office_id, action, target, details, at)
        select w.office_id, 'board.deadline_warning', w.target, w.details, ${now.toISOString()}::timestamptz
        from jsonb_to_recordset(${JSON.stringify(warnings)}::jsonb) as w(office_id uuid, target text, details jsonb)
        where not exists (select 1 from audit_log a where a.action = 'board.deadline_warning'
          and a.office_id = w.office_id and a.target = w.target and a.details->>'key' = w.details->>'key')
        returning id`,
  );
  return inserted.length;
};

export const recentWarnings = (db: Db, officeIds: string[], limit = 50) =>
  rows<{ at: string; target: string; details: Record<string, unknown> }>(
    db,
    sql`select at::text as at, target, details from audit_log
        where action = 'board.deadline_warning' and office_id = any(${uuidArray(officeIds)})
        order by at desc, id desc limit ${limit}`,
  ).then((list) => list.map((w) => ({ ...w, at: new Date(w.at).toISOString() })));

// ── Indicators ────────────────────────────────────────────────────────────────────────────────────────────

export type MonthFigures = {
  month: string;
  groupBy: GroupBy;
  result: IndicatorResult;
  names: Record<string, string>;
  meta: Map<string, DossierMeta>;
  postal: { received: number; postal: number; rate: number | null; ids: string[] };
};

export const monthFigures = async (
  db: Db,
  opts: { officeIds: string[]; month: string; groupBy: GroupBy; now: Date },
): Promise<MonthFigures> => {
  const period = monthPeriod(opts.month, opts.now);
  const horizon = new Date(Math.min(period.periodEnd.getTime(), opts.now.getTime()));
  const set =
    opts.officeIds.length === 0
      ? { facts: [], meta: new Map<string, DossierMeta>(), calendars: new Map() }
      : await loadFacts(db, { officeIds: opts.officeIds, from: period.periodStart, to: horizon });
  // Publicity is entered per office or agency; other groupings have no unit to give it to.
  const units =
    opts.groupBy === 'office' || opts.groupBy === 'agency'
      ? [...new Set(set.facts.map((f) => (opts.groupBy === 'office' ? f.officeId : f.agencyId)))]
      : [];
  const result = computeIndicators(set.facts, period, {
    groupBy: opts.groupBy,
    calendarOf: (f) => set.calendars.get(f.officeId)!,
    publicity: await findPublicity(db, { month: opts.month, unitIds: units }),
  });
  const received = set.facts.filter(
    (f) =>
      f.receivedAt &&
      f.receivedAt.getTime() >= period.periodStart.getTime() &&
      f.receivedAt.getTime() < horizon.getTime(),
  );
  const postalIds = received.filter((f) => f.channel === 3).map((f) => f.id);
  return {
    month: opts.month,
    groupBy: opts.groupBy,
    result,
    names: await namesOf(
      db,
      opts.groupBy,
      result.groups.map((g) => g.key),
    ),
    meta: set.meta,
    postal: {
      received: received.length,
      postal: postalIds.length,
      rate: percentOf(postalIds.length, received.length),
      ids: postalIds,
    },
  };
};

export const namesOf = async (db: Db, groupBy: GroupBy, keys: string[]): Promise<Record<string, string>> => {
  if (keys.length === 0 || groupBy === 'none') return { all: 'all' };
  const list =
    groupBy === 'office' || groupBy === 'agency'
      ? await rows<{ key: string; name: string }>(
          db,
          sql`select id::text as key, name from offices where id = any(${uuidArray(keys)})`,
        )
      : groupBy === 'commune'
        ? await rows<{ key: string; name: string }>(
            db,
            sql`select code as key, name from communes where code in ${sql`(${sql.join(
              keys.map((k) => sql`${k}`),
              sql`, `,
            )})`}`,
          )
        : await rows<{ key: string; name: string }>(
            db,
            sql`select code as key, name from procedures where code in ${sql`(${sql.join(
              keys.map((k) => sql`${k}`),
              sql`, `,
            )})`}`,
          );
  return Object.fromEntries(list.map((r) => [r.key, r.name]));
};

/** One indicator row of a group as the page shows it. */
export const summarize = (figures: MonthFigures) => ({
  month: figures.month,
  groupBy: figures.groupBy,
  rulesVersion: figures.result.rules.version,
  groupMax: figures.result.rules.groups,
  rankedOn: figures.result.rankedOn,
  publicityMissing: figures.result.publicityMissing,
  postal: { received: figures.postal.received, postal: figures.postal.postal, rate: figures.postal.rate },
  groups: figures.result.groups.map((g) => ({
    key: g.key,
    name: figures.names[g.key] ?? g.key,
    rank: g.rank,
    score: g.score,
    dossierScore: g.dossierScore,
    publicityEntered: g.publicityEntered,
    totalPoints: g.totalPoints,
    attainablePoints: g.attainablePoints,
    groupPoints: g.groupPoints,
    indicators: Object.fromEntries(
      INDICATORS.map((k) => {
        const r = g.indicators[k];
        return [
          k,
          {
            numerator: r.numerator,
            denominator: r.denominator,
            rate: r.rate,
            points: r.points,
            maxPoints: r.maxPoints,
            threshold: r.threshold,
          },
        ];
      }),
    ) as Record<
      IndicatorKey,
      {
        numerator: number;
        denominator: number;
        rate: number | null;
        points: number | null;
        maxPoints: number;
        threshold: number;
      }
    >,
  })),
  moves: whatMovesIt(figures.result).map((m) => ({ ...m, name: figures.names[m.key] ?? m.key })),
});

export type DrillRow = DossierMeta & { inNumerator: boolean; reason: string | null };

/** The dossiers behind one figure: those in the numerator and those in the denominator only, with why. */
export const drilldown = (
  figures: MonthFigures,
  key: string,
  indicator: IndicatorKey | 'postal',
): { numerator: DrillRow[]; excluded: DrillRow[] } => {
  const withMeta = (ids: string[], inNumerator: boolean, reasons: Record<string, string> = {}) =>
    ids.flatMap((id) => {
      const m = figures.meta.get(id);
      return m ? [{ ...m, inNumerator, reason: reasons[id] ?? null }] : [];
    });
  if (indicator === 'postal') {
    const all = [...figures.meta.values()].filter((m) => !figures.postal.ids.includes(m.id));
    const received = new Set(
      figures.result.groups.flatMap((g) => [
        ...g.indicators.reuse.ids.counted,
        ...g.indicators.reuse.ids.excluded,
      ]),
    );
    return {
      numerator: withMeta(figures.postal.ids, true),
      excluded: withMeta(
        all.filter((m) => received.has(m.id)).map((m) => m.id),
        false,
        Object.fromEntries(all.map((m) => [m.id, `channel_${m.channel}`])),
      ),
    };
  }
  const group = figures.result.groups.find((g) => g.key === key);
  if (!group) return { numerator: [], excluded: [] };
  const rate = group.indicators[indicator];
  return {
    numerator: withMeta(rate.ids.counted, true),
    excluded: withMeta(rate.ids.excluded, false, rate.reasons),
  };
};

// ── Roll-ups (trends over many months) ────────────────────────────────────────────────────────────────────

/**
 * For ended dossiers that had a supplement pause: the due time with the pause counted in working hours (the
 * exact rule, which needs the office calendar and so is computed here, not in SQL), stored for the roll-up.
 */
const fillCalendarDue = async (db: Db, from: Date, to: Date) => {
  const pending = await rows<{ id: string; office_id: string }>(
    db,
    sql`select dossier_id as id, office_id from dossier_facts
        where supplement_count > 0 and calendar_due_at is null and received_at < ${to.toISOString()}::timestamptz
          and coalesce(processed_at, returned_at, least(stopped_at, refused_at, withdrawn_at), 'infinity'::timestamptz)
            between ${from.toISOString()}::timestamptz and ${to.toISOString()}::timestamptz`,
  );
  for (let i = 0; i < pending.length; i += 1000) {
    const part = pending.slice(i, i + 1000);
    const set = await loadFacts(db, {
      officeIds: [...new Set(part.map((p) => p.office_id))],
      ids: part.map((p) => p.id),
    });
    const values = set.facts.flatMap((fact) => {
      const verdict = isOnTime(
        fact,
        { periodStart: new Date(0), periodEnd: to, now: to },
        { calendarOf: (f) => set.calendars.get(f.officeId)! },
      );
      return verdict.counted && verdict.finishedAt
        ? [sql`(${fact.id}::uuid, ${verdict.effectiveDueAt.toISOString()}::timestamptz)`]
        : [];
    });
    if (values.length > 0)
      await db.execute(
        sql`update dossier_facts f set calendar_due_at = v.due from (values ${sql.join(values, sql`, `)}) v(id, due)
            where f.dossier_id = v.id`,
      );
  }
};

export const refreshRollups = async (db: Db, months: string[], now: Date) => {
  let n = 0;
  for (const month of months) {
    const period = monthPeriod(month, now);
    await fillCalendarDue(
      db,
      period.periodStart,
      new Date(Math.min(period.periodEnd.getTime(), now.getTime())),
    );
    const [row] = await rows<{ n: number }>(
      db,
      sql`select refresh_indicator_monthly(${`${month}-01`}::date, ${now.toISOString()}::timestamptz) as n`,
    );
    n += Number(row?.n ?? 0);
  }
  return n;
};

export type TrendPoint = {
  month: string;
  key: string;
  received: number;
  postal: number;
  judged: number;
  onTime: number | null;
  digitization: number | null;
  reuse: number | null;
  online: number | null;
  onlinePayment: number | null;
  electronicResult: number | null;
  satisfaction: number | null;
  postalShare: number | null;
};

/** Per database handle: the current months whose roll-up this process has already made on demand. */
const madeOnDemand = new WeakMap<object, Map<string, Promise<unknown>>>();

/**
 * The roll-up of the current month, made now when none exists (a fresh start, a new month) instead of waiting
 * for the first scheduled refresh: the trend chart is not empty for a quarter of an hour. Once per month and
 * process (a month with no dossiers at all stays without rows); concurrent callers share the one refresh.
 */
export const ensureCurrentRollup = async (db: Db, now = new Date()) => {
  const current = monthOf(now);
  const made = madeOnDemand.get(db) ?? new Map<string, Promise<unknown>>();
  madeOnDemand.set(db, made);
  let pending = made.get(current);
  if (!pending) {
    pending = (async () => {
      const [row] = await rows<{ n: number }>(
        db,
        sql`select count(*)::int as n from (select 1 from indicator_monthly where month = ${`${current}-01`}::date limit 1) x`,
      );
      if (Number(row?.n ?? 0) === 0) await refreshRollups(db, monthsBack(current, 2), now);
    })();
    made.set(current, pending);
    // A failed refresh is tried again by the next caller.
    pending.catch(() => made.delete(current));
  }
  await pending;
};

/** Monthly rates per unit from the roll-up table (one index range scan per month span, whatever the volume). */
export const trend = async (
  db: Db,
  opts: { officeIds: string[]; months: string[]; groupBy: 'office' | 'agency' | 'none' },
): Promise<TrendPoint[]> => {
  if (opts.officeIds.length === 0 || opts.months.length === 0) return [];
  if (opts.months.includes(monthOf(new Date()))) await ensureCurrentRollup(db);
  const key =
    opts.groupBy === 'office'
      ? sql`office_id::text`
      : opts.groupBy === 'agency'
        ? sql`agency_id::text`
        : sql`'all'`;
  const list = await rows<Record<string, string | number>>(
    db,
    sql`select to_char(month, 'YYYY-MM') as month, ${key} as key, sum(received) as received, sum(postal) as postal,
          sum(judged) as judged, sum(on_time) as on_time, sum(digitized) as digitized, sum(reused) as reused,
          sum(online) as online, sum(fee_due) as fee_due, sum(paid_online) as paid_online,
          sum(eresult_due) as eresult_due, sum(eresult) as eresult, sum(complained) as complained
        from indicator_monthly
        where office_id = any(${uuidArray(opts.officeIds)})
          and month between ${`${opts.months[0]}-01`}::date and ${`${opts.months.at(-1)}-01`}::date
        group by 1, 2 order by 1, 2`,
  );
  return list.map((r) => {
    const n = (k: string) => Number(r[k] ?? 0);
    const judged = n('judged');
    return {
      month: String(r.month),
      key: String(r.key),
      received: n('received'),
      postal: n('postal'),
      judged,
      onTime: percentOf(n('on_time'), judged),
      digitization: percentOf(n('digitized'), n('received')),
      reuse: percentOf(n('reused'), n('received')),
      online: percentOf(n('online'), n('received')),
      onlinePayment: percentOf(n('paid_online'), n('fee_due')),
      electronicResult: percentOf(n('eresult'), n('eresult_due')),
      satisfaction: percentOf(judged - (judged - n('on_time')) - n('complained'), judged),
      postalShare: percentOf(n('postal'), n('received')),
    };
  });
};

// ── Courier figures ───────────────────────────────────────────────────────────────────────────────────────

export type CourierFigures = {
  deliveries: number;
  firstAttempt: number;
  firstAttemptRate: number | null;
  withLevel: number;
  levelMet: number;
  levelRate: number | null;
  failedAttempts: number;
  reasons: { reason: string; count: number }[];
};

/**
 * Delivery tasks of the offices finished in the period: delivered on the first attempt ÷ delivered or given up;
 * J+n met = delivered by the n-th working day after J (the day the post collected the result, the task's
 * creation); failed-attempt reasons from the courier's failed-delivery proofs (or the task's last reason).
 */
export const courierFigures = async (
  db: Db,
  opts: { officeIds: string[]; period: Period; holidays: Parameters<typeof addWorkingDays>[2]['holidays'] },
): Promise<CourierFigures> => {
  const empty: CourierFigures = {
    deliveries: 0,
    firstAttempt: 0,
    firstAttemptRate: null,
    withLevel: 0,
    levelMet: 0,
    levelRate: null,
    failedAttempts: 0,
    reasons: [],
  };
  if (opts.officeIds.length === 0) return empty;
  const from = opts.period.periodStart.toISOString();
  const to = new Date(Math.min(opts.period.periodEnd.getTime(), opts.period.now.getTime())).toISOString();
  const tasks = await rows<{
    id: string;
    state: string;
    attempts: number;
    service_level: string | null;
    created_at: string;
    completed_at: string | null;
    failed_proofs: number | string;
  }>(
    db,
    sql`select t.id, t.state::text as state, t.attempts, t.service_level, t.created_at::text as created_at,
          t.completed_at::text as completed_at,
          (select count(*) from courier_proofs p where p.task_id = t.id and p.kind = 'failed_delivery') as failed_proofs
        from courier_tasks t
        where t.kind = 'delivery' and t.office_id = any(${uuidArray(opts.officeIds)})
          and t.state in ('done', 'failed') and t.completed_at >= ${from}::timestamptz
          and t.completed_at < ${to}::timestamptz`,
  );
  const reasons = await rows<{ reason: string; count: number | string }>(
    db,
    sql`select coalesce(nullif(p.payload->>'reason', ''), t.fail_reason, 'unknown') as reason, count(*) as count
        from courier_proofs p join courier_tasks t on t.id = p.task_id
        where p.kind = 'failed_delivery' and t.office_id = any(${uuidArray(opts.officeIds)})
          and p.server_at >= ${from}::timestamptz and p.server_at < ${to}::timestamptz
        group by 1 order by 2 desc, 1`,
  );
  const done = tasks.filter((t) => t.state === 'done');
  const first = done.filter((t) => Number(t.failed_proofs) === 0 && Number(t.attempts) <= 1).length;
  const levelled = done.filter((t) => /^J\+\d+$/.test(t.service_level ?? ''));
  const met = levelled.filter((t) => {
    const n = Number(t.service_level!.slice(2));
    const by = addWorkingDays(new Date(t.created_at), n, { holidays: opts.holidays });
    return vietnamDate(new Date(t.completed_at!)) <= by;
  }).length;
  const failedAttempts = reasons.reduce((s, r) => s + Number(r.count), 0);
  return {
    deliveries: tasks.length,
    firstAttempt: first,
    firstAttemptRate: percentOf(first, tasks.length),
    withLevel: levelled.length,
    levelMet: met,
    levelRate: percentOf(met, levelled.length),
    failedAttempts,
    reasons: reasons.map((r) => ({ reason: r.reason, count: Number(r.count) })),
  };
};
