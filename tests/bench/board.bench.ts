// The deadline board and the indicators at volume: `npm run bench -- board [dossiers]` (default 100,000;
// also BOARD_SCALE=1000000). Generates the dossiers (scripts/generate-volume.ts) into a database of its own,
// then prints p50/p99 of the board, the month's indicators for a supervisor (5 offices), the 12-month trend
// across every office from the roll-ups, the roll-up refresh, and what keeping dossier_facts current costs per
// received dossier. Figures only; nothing is asserted.
import { sql } from 'drizzle-orm';
import { generateVolume } from '../../scripts/generate-volume';
import {
  deadlineBoard,
  monthFigures,
  monthOf,
  monthsBack,
  refreshRollups,
  trend,
} from '../../server/src/board/service';
import { type Db, rows } from '../../server/src/db/client';
import { benchDatabase, percentile, sqlAlone } from './pg';

const ms = (t0: number) => performance.now() - t0;
const say = (text: string) => process.stdout.write(`${text}\n`);

const timed = async (runs: number, fn: () => Promise<unknown>) => {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(ms(t0));
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99), runs };
};

const line = (label: string, r: { p50: number; p99: number; runs: number }, extra = '') =>
  say(
    `${label.padEnd(46)} p50 ${r.p50.toFixed(1).padStart(8)} ms   p99 ${r.p99.toFixed(1).padStart(8)} ms   (${r.runs} runs)${extra}`,
  );

/** The triggers' cost (facts and stale mark): 3 × 2,000 received dossiers with and without them, alternating. */
const measureTrigger = async (tx: Db, on: number[], off: number[]) => {
  await tx.execute(sql`
    create function pg_temp.bench_receive(n int, tag text) returns float8 language plpgsql as $$
    declare t0 timestamptz := clock_timestamp(); d uuid; o uuid; p record; at timestamptz := now();
    begin
      select m.office_id into o from memberships m join users u on u.id = m.user_id
        where u.username = 'bench.giamsat' limit 1;
      select pr.id, pr.agency_id, v.id vid into p from procedures pr
        join procedure_versions v on v.procedure_id = pr.id limit 1;
      for i in 1..n loop
        insert into dossiers (code, state, procedure_id, procedure_version_id, receiving_office_id, agency_id, channel)
          values (tag || i, 'draft', p.id, p.vid, o, p.agency_id, 1) returning id into d;
        insert into dossier_events (dossier_id, seq, event, to_state, actor_kind, office_id, at, payload, hash)
          values (d, 1, 'start_intake', 'draft', 'clerk', o, at, '{}', md5(d::text) || md5(tag));
        update dossiers set last_seq = 1 where id = d;
        insert into dossier_events (dossier_id, seq, event, from_state, to_state, actor_kind, office_id, at, payload, hash)
          values (d, 2, 'receive', 'draft', 'received', 'clerk', o, at,
                  jsonb_build_object('dueAt', at + interval '3 days'), md5(tag || d::text) || md5(tag));
        update dossiers set last_seq = 2, state = 'received', received_at = at, due_at = at + interval '3 days'
          where id = d;
      end loop;
      return extract(epoch from clock_timestamp() - t0) * 1000 / n;
    end $$`);
  const per = async (tag: string, on: boolean) => {
    for (const trigger of ['dossier_facts_on_event', 'dossier_facts_stale_on_change'])
      await tx.execute(sql.raw(`alter table dossiers ${on ? 'enable' : 'disable'} trigger ${trigger}`));
    const [r] = await rows<{ ms: number }>(tx, sql`select pg_temp.bench_receive(2000, ${tag}) as ms`);
    return Number(r!.ms);
  };
  for (let i = 0; i < 3; i++) {
    on.push(await per(`RX-ON${i}-`, true));
    off.push(await per(`RX-OFF${i}-`, false));
  }
};

export const run = async () => {
  const scale = Number(process.argv[3] ?? process.env.BOARD_SCALE ?? 100_000);
  const keep = process.env.BOARD_DB;
  const database = await benchDatabase(keep);
  if (!database) {
    say('PostgreSQL is not reachable: skipped');
    return;
  }
  const db = database.db;
  try {
    const now = new Date();
    say(`scale: ${scale.toLocaleString('en')} dossiers (2,000 per office)`);
    // A kept database (BOARD_DB) holds what earlier runs generated: only the shortfall is made (chunks commit one
    // by one, so an interrupted generation resumes where it stopped).
    const [have] = await rows<{ n: string }>(
      db,
      sql`select count(*)::text n from dossiers where code like 'BENCH-%'`,
    );
    const missing = scale - Number(have!.n);
    if (keep)
      say(`database ${database.name}: ${Number(have!.n).toLocaleString('en')} dossiers already there`);
    const seconds =
      missing > 0 ? await generateVolume(db, { n: missing, start: Number(have!.n) + 1, now }) : 0;
    if (missing > 0 || database.fresh) await db.execute(sql`analyze`);
    const [size] = await rows<{ facts: string; events: string; dossiers: string; n: string }>(
      db,
      sql`select pg_size_pretty(pg_total_relation_size('dossier_facts')) facts,
            pg_size_pretty(pg_total_relation_size('dossier_events')) events,
            pg_size_pretty(pg_total_relation_size('dossiers')) dossiers,
            (select count(*) from dossier_events)::text n`,
    );
    say(
      (missing > 0
        ? `generated ${missing.toLocaleString('en')} in ${seconds.toFixed(1)} s (${Math.round(missing / seconds).toLocaleString('en')} dossiers/s); `
        : 'nothing to generate; ') +
        `${Number(size!.n).toLocaleString('en')} events; sizes: dossiers ${size!.dossiers}, events ${size!.events}, facts ${size!.facts}`,
    );

    const supervised = (
      await rows<{ office_id: string }>(
        db,
        sql`select m.office_id from memberships m join users u on u.id = m.user_id
            where u.username = 'bench.giamsat' order by m.office_id`,
      )
    ).map((r) => r.office_id);
    const allOffices = (
      await rows<{ id: string }>(db, sql`select id from offices where code like 'B%' and address = 'bench'`)
    ).map((r) => r.id);

    // Roll-ups: building 12 months, then what the job does every 15 minutes (the current and the previous month)
    // after a stretch of activity: 2,000 dossiers of the last two months changed (documents, payments, events).
    const months = monthsBack(monthOf(now), 12);
    const t0 = performance.now();
    const rollupRows = await refreshRollups(db, months, now);
    const refresh = ms(t0);
    const [perMonth] = await rows<{ n: string }>(
      db,
      sql`select count(*)::text n from dossier_facts where received_at >= ${new Date(now.getTime() - 365 * 86_400_000).toISOString()}::timestamptz`,
    );
    say(
      `roll-up build of 12 months: ${(refresh / 1000).toFixed(2)} s, ${rollupRows.toLocaleString('en')} rows ` +
        `(${((refresh * 1000) / Math.max(1, Number(perMonth!.n))).toFixed(1)} µs per dossier of the year)`,
    );
    // The build rewrote many fact rows; let autovacuum's work happen now rather than inside the job's clock
    // (it otherwise slowed the first job runs at 10M tenfold).
    await db.execute(sql`vacuum (analyze) dossier_facts, indicator_monthly`);
    const jobRuns: number[] = [];
    for (let i = 0; i < 3; i++) {
      await db.execute(sql`
        insert into dossier_facts_stale
        select dossier_id from dossier_facts
        where received_at >= ${new Date(now.getTime() - 60 * 86_400_000).toISOString()}::timestamptz
        order by md5(dossier_id::text || ${String(i)}) limit 2000
        on conflict do nothing`);
      const t1 = performance.now();
      await refreshRollups(db, monthsBack(monthOf(now), 2), now);
      jobRuns.push(ms(t1));
    }
    jobRuns.sort((a, b) => a - b);
    say(
      `roll-up job (2 months, 2,000 changed dossiers): median ${(jobRuns[1]! / 1000).toFixed(2)} s of 3 runs`,
    );

    const board = await deadlineBoard(db, { officeIds: supervised, now });
    const boardTimes = await timed(20, () => deadlineBoard(db, { officeIds: supervised, now }));
    line('board: open dossiers of 5 offices', boardTimes, `  [${board.rows.length} rows]`);
    // The board's own statements replayed alone on a raw connection: the limit it is compared with (≤ 2×).
    const limit = await sqlAlone(`postgres://postgres@127.0.0.1:5432/${database.name}`);
    const statements = await limit.record((recorder) =>
      deadlineBoard(recorder, { officeIds: supervised, now }),
    );
    const boardSql = await timed(20, () => limit.replay(statements));
    await limit.close();
    line(
      `board: its ${statements.length} statements alone`,
      boardSql,
      `  [p50 ratio ${(boardTimes.p50 / boardSql.p50).toFixed(2)}×]`,
    );
    const lastMonth = monthsBack(monthOf(now), 2)[0]!;
    const figures = await monthFigures(db, {
      officeIds: supervised,
      month: lastMonth,
      groupBy: 'office',
      now,
    });
    line(
      `indicators ${lastMonth}, 5 offices (exact, JS)`,
      await timed(20, () =>
        monthFigures(db, { officeIds: supervised, month: lastMonth, groupBy: 'office', now }),
      ),
      `  [${figures.meta.size} dossiers]`,
    );
    line(
      `indicators ${lastMonth}, 5 offices by procedure`,
      await timed(10, () =>
        monthFigures(db, { officeIds: supervised, month: lastMonth, groupBy: 'procedure', now }),
      ),
    );
    line(
      `trend 12 months, all ${allOffices.length.toLocaleString('en')} offices (roll-up)`,
      await timed(20, () => trend(db, { officeIds: allOffices, months, groupBy: 'none' })),
    );
    line(
      'trend 12 months per office, 5 offices (roll-up)',
      await timed(20, () => trend(db, { officeIds: supervised, months, groupBy: 'office' })),
    );

    // Keeping dossier_facts current: the trigger's cost on a received dossier (start_intake + receive), measured
    // inside PostgreSQL (the same inserts and updates recordEvent makes) so that client noise does not hide it.
    // All of it in one transaction that is rolled back: the same connection for the pg_temp function, and a kept
    // database (BOARD_DB) is left as it was.
    const on: number[] = [];
    const off: number[] = [];
    const rollback = new Error('measured');
    await db
      .transaction(async (tx) => {
        await measureTrigger(tx as unknown as Db, on, off);
        throw rollback;
      })
      .catch((e) => {
        if (e !== rollback) throw e;
      });
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[1]!;
    say(
      `received dossier (2 events, in SQL): ${median(on).toFixed(3)} ms with the dossier_facts trigger, ` +
        `${median(off).toFixed(3)} ms without: +${(median(on) - median(off)).toFixed(3)} ms per received dossier ` +
        `(median of 3 × 2,000)`,
    );
  } finally {
    await database.drop();
  }
};
