// Generates N dossiers with their event log and indicator facts directly in PostgreSQL (generate_series, in
// chunks, triggers off), for the board benchmark. Not committed data: it makes it on demand.
//
//   node --import tsx scripts/generate-volume.ts --url postgres://postgres@127.0.0.1:5432/mydb --n 1000000
//
// The database must be migrated and seeded (holidays, procedures, communes). Offices: one bench post office per
// `perOffice` dossiers (default 2,000: 10M dossiers → 5,000 offices, about VNPost's service points), the
// supervisor `bench.giamsat` (password postdesk-demo, hash copied from giamsat.nguyet) watches the first five.
// Dossiers spread over the last 24 months; 3% are still open (received in the last 12 days), about 12% of the
// finished ones late, 5% with one supplement pause, 2% withdrawn, 1% stopped; channels 1/2/3 at 60/25/15%.
// Events per dossier: start_intake, receive, then decide + hand_back/deliver, withdraw or stop (hashes are
// placeholders: the chain of a generated dossier does not verify). Supplement pauses are in dossier_facts only.
import { pathToFileURL } from 'node:url';
import { sql } from 'drizzle-orm';
import { type Db, openDatabase, rows } from '../server/src/db/client';

export type VolumeOptions = { n: number; perOffice?: number; chunk?: number; now?: Date; start?: number };

const log = (s: string) => process.stderr.write(`${s}\n`);

/** Creates the bench offices and supervisor (idempotent) and returns the supervisor's office ids. */
export const prepareOffices = async (db: Db, offices: number) => {
  await db.execute(sql`
    insert into offices (id, code, scheme, name, kind, address, commune_code)
    select md5('bench-office-' || k)::uuid, 'B' || lpad(k::text, 6, '0'), 'qd20', 'Bưu cục thử tải ' || k,
           'post_office', 'bench', c.codes[1 + (k % array_length(c.codes, 1))]
    from generate_series(1, ${offices}::int) k, (select array_agg(code order by code) codes from communes) c
    on conflict (code) do nothing`);
  await db.execute(sql`
    insert into users (username, full_name, password_hash)
    select 'bench.giamsat', 'Giám sát thử tải', password_hash from users where username = 'giamsat.nguyet'
    on conflict (username) do nothing`);
  await db.execute(sql`
    insert into memberships (user_id, office_id, role)
    select u.id, md5('bench-office-' || k)::uuid, 'supervisor' from users u, generate_series(1, ${Math.min(5, offices)}::int) k
    where u.username = 'bench.giamsat' on conflict do nothing`);
  const list = await rows<{ id: string }>(
    db,
    sql`select md5('bench-office-' || k)::uuid::text as id from generate_series(1, ${Math.min(5, offices)}::int) k`,
  );
  return list.map((r) => r.id);
};

/** Inserts dossiers `start`..`start + n - 1` (deterministic ids), their events and facts. Returns seconds taken. */
export const generateVolume = async (db: Db, opts: VolumeOptions) => {
  const perOffice = opts.perOffice ?? 2_000;
  const chunk = opts.chunk ?? 250_000;
  const start = opts.start ?? 1;
  const now = (opts.now ?? new Date()).toISOString();
  const offices = Math.max(5, Math.ceil((start - 1 + opts.n) / perOffice));
  const began = performance.now();
  await prepareOffices(db, offices);
  for (let a = start; a < start + opts.n; a += chunk) {
    const b = Math.min(start + opts.n, a + chunk);
    const t0 = performance.now();
    await db.transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`);
      await tx.execute(sql`set local synchronous_commit = off`);
      await tx.execute(sql`
        create temp table gen on commit drop as
        with p as (
          select array_agg(p.id order by p.code) ids, array_agg(v.id order by p.code) vids,
                 array_agg(p.agency_id order by p.code) aids, count(*)::int n
          from procedures p join procedure_versions v on v.procedure_id = p.id and v.version = 1
        ), r as (
          select i, random() u1, random() u2, random() u3, random() u4 from generate_series(${a}::bigint, ${b - 1}::bigint) i
        )
        select i, md5('bench-d-' || i)::uuid id,
          md5('bench-office-' || (1 + (i % ${offices}::int)))::uuid office_id,
          p.ids[1 + (i % p.n)] procedure_id, p.vids[1 + (i % p.n)] version_id, p.aids[1 + (i % p.n)] agency_id,
          (case when u3 < 0.6 then 1 when u3 < 0.85 then 2 else 3 end)::smallint channel,
          case when u1 < 0.03 then 'open' when u1 < 0.05 then 'withdrawn' when u1 < 0.06 then 'stopped'
               else 'done' end outcome,
          case when u1 < 0.03 then ${now}::timestamptz - (u2 * interval '12 days')
               else ${now}::timestamptz - interval '12 days' - (u2 * interval '718 days') end received_at,
          (1 + (i % 3)) * interval '1 day' duration, u4 < 0.12 late, u4 > 0.95 supplement
        from r, p`);
      await tx.execute(sql`
        insert into dossiers (id, code, state, procedure_id, procedure_version_id, receiving_office_id, agency_id,
          channel, return_method, received_at, due_at, last_seq, last_hash, created_at, updated_at, paper_result,
          result_file_sha256)
        select id, 'BENCH-' || i, (case outcome when 'open' then 'in_review' when 'withdrawn' then 'withdrawn'
            when 'stopped' then 'stopped' else (case when channel = 3 then 'delivered' else 'returned' end) end)::dossier_state,
          procedure_id, version_id, office_id, agency_id, channel, (channel = 3)::int, received_at,
          received_at + duration, case when outcome = 'done' then 4 else 3 end - (outcome = 'open')::int,
          md5(id::text) || md5(i::text), received_at - interval '10 minutes', received_at, true,
          case when outcome = 'done' and i % 10 <> 0 then md5(id::text) || md5(i::text) end
        from gen`);
      await tx.execute(sql`
        insert into dossier_events (dossier_id, seq, event, from_state, to_state, actor_kind, office_id, at, payload,
          prev_hash, hash)
        select g.id, e.seq, e.event, e.from_state::dossier_state, e.to_state::dossier_state, e.actor, g.office_id,
          e.at, e.payload, null, md5(g.id::text || e.seq) || md5(e.seq || g.id::text)
        from gen g cross join lateral (values
          (1, 'start_intake', null, 'draft', 'clerk', g.received_at - interval '10 minutes', '{}'::jsonb, true),
          (2, 'receive', 'draft', 'received', 'clerk', g.received_at,
             jsonb_build_object('code', 'BENCH-' || g.i, 'dueAt', g.received_at + g.duration), true),
          (3, case g.outcome when 'withdrawn' then 'withdraw' when 'stopped' then 'stop' else 'decide' end, 'in_review',
             case g.outcome when 'withdrawn' then 'withdrawn' when 'stopped' then 'stopped' else 'decided' end,
             case g.outcome when 'withdrawn' then 'clerk' else 'agency_official' end,
             g.received_at + g.duration * (case when g.late then 1.3 else 0.7 end), '{}'::jsonb, g.outcome <> 'open'),
          (4, case when g.channel = 3 then 'deliver' else 'hand_back' end, 'decided',
             case when g.channel = 3 then 'delivered' else 'returned' end, case when g.channel = 3 then 'courier' else 'clerk' end,
             g.received_at + g.duration * (case when g.late then 1.3 else 0.7 end) + interval '1 day', '{}'::jsonb,
             g.outcome = 'done')
        ) e(seq, event, from_state, to_state, actor, at, payload, keep)
        where e.keep`);
      await tx.execute(sql`
        insert into dossier_facts (dossier_id, office_id, agency_id, procedure_id, procedure_version_id, channel, state,
          received_at, due_at, processed_at, returned_at, stopped_at, withdrawn_at, digitized_at, result_at,
          supplements, supplement_count, digitized_components, reused_components, result_is_paper, has_result_file,
          fee_total, paid_online, dissatisfied, rated, complaints, last_seq)
        select g.id, g.office_id, g.agency_id, g.procedure_id, g.version_id, g.channel,
          (case outcome when 'open' then 'in_review' when 'withdrawn' then 'withdrawn' when 'stopped' then 'stopped'
            else (case when channel = 3 then 'delivered' else 'returned' end) end)::dossier_state,
          g.received_at, g.received_at + g.duration,
          case when g.outcome = 'done' then g.received_at + g.duration * (case when g.late then 1.3 else 0.7 end) end,
          case when g.outcome = 'done' then g.received_at + g.duration * (case when g.late then 1.3 else 0.7 end) + interval '1 day' end,
          case when g.outcome = 'stopped' then g.received_at + g.duration * (case when g.late then 1.3 else 0.7 end) end,
          case when g.outcome = 'withdrawn' then g.received_at + g.duration * 0.5 end,
          g.received_at + interval '1 hour',
          case when g.outcome = 'done' then g.received_at + g.duration * (case when g.late then 1.3 else 0.7 end) end,
          case when g.supplement then jsonb_build_array(jsonb_build_object('r', g.received_at + interval '2 hours',
            'c', g.received_at + interval '26 hours')) else '[]'::jsonb end,
          g.supplement::int, case when g.i % 7 = 0 then 0 else 2 end, (g.i % 3 = 0)::int, true,
          g.outcome = 'done' and g.i % 10 <> 0, case when g.i % 2 = 0 then 15000 else 0 end,
          g.i % 4 = 0, g.i % 50 = 0, g.i % 5 = 0, (g.i % 200 = 0)::int, 4
        from gen g`);
    });
    const s = (performance.now() - t0) / 1000;
    log(
      `  dossiers ${a}–${b - 1}: ${s.toFixed(1)} s (${Math.round((b - a) / s).toLocaleString('en')} dossiers/s)`,
    );
  }
  return (performance.now() - began) / 1000;
};

const main = async () => {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  const url = arg('url') ?? process.env.DATABASE_URL;
  const n = Number(arg('n') ?? 100_000);
  if (!url || !Number.isInteger(n) || n < 1) {
    log('usage: generate-volume.ts --url postgres://… --n 1000000 [--per-office 2000] [--start 1]');
    process.exit(2);
  }
  const database = await openDatabase({ url });
  try {
    const seconds = await generateVolume(database.db, {
      n,
      perOffice: Number(arg('per-office') ?? 2_000),
      start: Number(arg('start') ?? 1),
    });
    await database.db.execute(sql`analyze`);
    log(`generated ${n.toLocaleString('en')} dossiers in ${seconds.toFixed(1)} s`);
  } finally {
    await database.close();
  }
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
