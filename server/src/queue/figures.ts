import { type Db, rows } from '../db/client';
import { sql } from 'drizzle-orm';
import { loadQueueRules } from './tickets';

type FigureRow = {
  key: string;
  name: string;
  served: number;
  no_shows: number;
  waiting_now: number;
  avg_wait_s: number | null;
  p90_wait_s: number | null;
  long_waits: number;
  avg_serve_s: number | null;
  longest_waiting_s: number | null;
};

const num = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v)));

/**
 * Waiting and serving times of the offices' queues over [from, to) local days, per desk and per service group:
 * the wait from issue (or a booking's slot) to the call, the service from the call to the next call or the
 * end. `longWaits` counts waits above the office's target, the part of the day citizens are most likely to
 * complain about.
 */
export const queueFigures = async (
  db: Db,
  opts: { officeIds: string[]; from: string; to: string; now: Date },
) => {
  if (opts.officeIds.length === 0) return { byDesk: [], byGroup: [], targetMinutes: 15 };
  const rules = await loadQueueRules(db, opts.officeIds[0]!);
  const target = rules.waitTargetMinutes * 60;
  const ids = sql.join(
    opts.officeIds.map((id) => sql`${id}`),
    sql`, `,
  );
  const now = opts.now.toISOString();
  const figures = (
    keyCol: ReturnType<typeof sql>,
    nameCol: ReturnType<typeof sql>,
    join: ReturnType<typeof sql>,
  ) =>
    rows<FigureRow>(
      db,
      sql`with w as (
            select t.*, extract(epoch from greatest(t.called_at - t.wait_from, interval '0')) as wait_s,
                   extract(epoch from t.finished_at - t.called_at) as serve_s
            from queue_tickets t
            where t.office_id in (${ids}) and t.day >= ${opts.from} and t.day < ${opts.to})
          select ${keyCol} as key, ${nameCol} as name,
            count(*) filter (where w.status in ('called', 'done'))::int as served,
            count(*) filter (where w.status = 'no_show')::int as no_shows,
            count(*) filter (where w.status = 'waiting')::int as waiting_now,
            avg(w.wait_s) filter (where w.called_at is not null) as avg_wait_s,
            percentile_cont(0.9) within group (order by w.wait_s) filter (where w.called_at is not null) as p90_wait_s,
            count(*) filter (where w.wait_s > ${target})::int as long_waits,
            avg(w.serve_s) filter (where w.status = 'done') as avg_serve_s,
            max(extract(epoch from ${now}::timestamptz - w.wait_from)) filter (where w.status = 'waiting' and w.wait_from <= ${now}::timestamptz) as longest_waiting_s
          from w ${join}
          group by 1, 2 order by 2`,
    );
  const shape = (r: FigureRow) => ({
    key: r.key,
    name: r.name,
    served: r.served,
    noShows: r.no_shows,
    waitingNow: r.waiting_now,
    avgWaitSeconds: num(r.avg_wait_s),
    p90WaitSeconds: num(r.p90_wait_s),
    longWaits: r.long_waits,
    avgServeSeconds: num(r.avg_serve_s),
    longestWaitingSeconds: num(r.longest_waiting_s),
  });
  const byDesk = await figures(
    sql`d.id::text`,
    sql`o.name || ' — ' || d.name`,
    sql`join desks d on d.id = w.desk_id join offices o on o.id = d.office_id`,
  );
  const byGroup = await figures(
    sql`g.id::text`,
    sql`o.name || ' — ' || g.code || ' ' || g.name_vi`,
    sql`join queue_groups g on g.id = w.group_id join offices o on o.id = g.office_id`,
  );
  return { byDesk: byDesk.map(shape), byGroup: byGroup.map(shape), targetMinutes: rules.waitTargetMinutes };
};
