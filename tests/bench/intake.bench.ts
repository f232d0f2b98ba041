// Intake against its limit (issue 22): dossiers received per second through the real HTTP path (the compiled
// server as its own process, signed in with a session cookie, `intake.submit` over tRPC's HTTP format) beside
// pgbench running the same write transaction in the same run (applicant, dossier, two hash-chained events,
// the daily code and tracking-book counters, two outbox messages), interleaved, REPS times, at 4 and 16
// connections; then latency percentiles at fixed arrival rates (open loop: requests leave on the clock and their
// latency counts from when they were due) beside pgbench -R at the same rate.
//
// The ratio PostDesk / pgbench is the figure to compare run to run: both share the machine at the same moment.
// Env: INTAKE_SECONDS (per measurement, default 5), INTAKE_REPS (default 3), INTAKE_RATES (default 25,50,100),
// INTAKE_POOL (the server's DATABASE_POOL_MAX, default 20).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { rows } from '../../server/src/db/client';
import { benchDatabase, percentile } from './pg';
import {
  atRate,
  byClients,
  type Child,
  intakeInput,
  login,
  type Procedure,
  startRedis,
  startServerProcess,
  trpc,
} from './server-process';

const SECONDS = Number(process.env.INTAKE_SECONDS ?? 5);
const REPS = Number(process.env.INTAKE_REPS ?? 3);
const RATES = (process.env.INTAKE_RATES ?? '25,50,100').split(',').map(Number);
const POOL = process.env.INTAKE_POOL ?? '20';
const CONNECTIONS = [4, 16];

/**
 * The desk's write transaction as plain SQL, statement for statement what `intake.submit` writes (the values
 * have the same shapes and sizes); pgbench runs it with prepared statements, its fastest mode.
 */
// (pgbench reads ":name" anywhere as a variable, so the literals below avoid a colon before a digit or letter.)
const TRANSACTION = `\\set n random(1, 2000000000)
BEGIN;
INSERT INTO applicants (citizen_id, full_name, date_of_birth, sex, phone, email, address) VALUES ('046195001234', 'Trần Thị Mỹ Hạnh', '1995-04-12', 'female', '0905123456', 'hanh.tran@example.vn', '{"line": "12 Lê Lợi", "communeCode": "19165", "provinceCode": "46"}') RETURNING id AS applicant \\gset
INSERT INTO dossiers (state, procedure_id, procedure_version_id, applicant_id, receiving_office_id, agency_id, channel, return_method, client_key, intake) VALUES ('draft', :proc, :ver, :applicant, :office, :agency, 1, 0, md5(random()::text), '{"fees": [{"label": "Lệ phí cấp Phiếu lý lịch tư pháp", "amount": 200000}], "missing": [], "reasons": [], "clerkName": "Nguyễn Thị Hằng", "components": [{"code": "TP1", "copies": 1, "form": "original", "name": "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp", "present": true, "required": true}, {"code": "TP2", "copies": 1, "form": "copy", "name": "Bản chụp Căn cước công dân", "present": true, "required": true}], "postalTariff": 0}') RETURNING id AS dossier \\gset
INSERT INTO dossier_events (dossier_id, seq, event, from_state, to_state, actor_kind, actor_user_id, role, office_id, at, payload, prev_hash, hash) VALUES (:dossier, 1, 'start_intake', NULL, 'draft', 'clerk', :clerk, 'clerk', :office, now(), '{}', NULL, md5(random()::text) || md5(random()::text));
UPDATE dossiers SET state = 'draft', last_seq = 1, last_hash = md5(random()::text) || md5(random()::text), updated_at = now() WHERE id = :dossier RETURNING *;
INSERT INTO dossier_counters (agency_id, day, last) VALUES (:office, current_date, 1) ON CONFLICT (agency_id, day) DO UPDATE SET last = dossier_counters.last + 1 RETURNING last AS seq \\gset
INSERT INTO tracking_book_counters (office_id, year, last) VALUES (:office, 2026, 1) ON CONFLICT (office_id, year) DO UPDATE SET last = tracking_book_counters.last + 1 RETURNING last AS book \\gset
INSERT INTO dossier_events (dossier_id, seq, event, from_state, to_state, actor_kind, actor_user_id, role, office_id, at, payload, prev_hash, hash) VALUES (:dossier, 2, 'receive', 'draft', 'received', 'clerk', :clerk, 'clerk', :office, now(), '{"code": "BENCH-261208-0001", "components": [{"code": "TP1", "present": true, "reused": false}, {"code": "TP2", "present": true, "reused": false}], "returnMethod": "desk"}'::jsonb || jsonb_build_object('dueAt', now() + interval '3 days'), md5(random()::text) || md5(random()::text), md5(random()::text) || md5(random()::text));
UPDATE dossiers SET code = 'B-' || :n || '-' || :seq, state = 'received', received_at = now(), due_at = now() + interval '3 days', book_volume = 2026, book_entry = :book, last_seq = 2, last_hash = md5(random()::text) || md5(random()::text), updated_at = now() WHERE id = :dossier RETURNING *;
INSERT INTO outbox (topic, dossier_id, idempotency_key, payload) VALUES ('portal.progress', :dossier, 'portal.progress:' || :dossier || ':' || '2', '{"at": "2026-12-08T02.00.00.000Z", "code": "BENCH-261208-0001", "dossierId": "00000000-0000-0000-0000-000000000000", "event": "receive", "seq": 2, "status": 2}');
SELECT phone FROM applicants WHERE id = :applicant;
INSERT INTO outbox (topic, dossier_id, idempotency_key, payload) VALUES ('sms', :dossier, 'sms:' || :dossier || ':' || 'received', '{"kind": "received", "phone": "0905123456", "body": "PostDesk: ho so BENCH-261208-0001 da duoc tiep nhan, hen tra 11/12/2026."}');
COMMIT;
`;

type Pgbench = { tps: number; p50: number; p95: number; p99: number };

/** pgbench with `clients` for SECONDS (or at `rate` per second), its transactions/s and latency percentiles. */
const pgbench = (
  url: string,
  script: string,
  vars: Record<string, string>,
  clients: number,
  rate?: number,
) => {
  const dir = mkdtempSync(join(tmpdir(), 'pd-pgbench-'));
  const out = execFileSync(
    'pgbench',
    [
      '-n',
      '-M',
      'prepared',
      '-c',
      String(clients),
      '-j',
      String(Math.min(clients, 2)),
      '-T',
      String(SECONDS),
      '-f',
      script,
      '-l',
      '--log-prefix',
      join(dir, 'log'),
      ...(rate ? ['-R', String(rate)] : []),
      ...Object.entries(vars).flatMap(([k, v]) => ['-D', `${k}=${v}`]),
      url,
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const tps = Number(/tps = ([\d.]+)/.exec(out)?.[1] ?? 0);
  // Per-transaction log: client, transaction, latency in µs, script, epoch s, µs (, lag with -R).
  const latencies: number[] = [];
  for (const file of readdirSync(dir))
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
      const f = line.split(' ');
      if (f.length >= 3) latencies.push(Number(f[2]) / 1000 + (rate && f[6] ? Number(f[6]) / 1000 : 0));
    }
  latencies.sort((a, b) => a - b);
  return {
    tps,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
  } satisfies Pgbench;
};

const ms = (n: number) => n.toFixed(1).padStart(7);

export const run = async () => {
  const database = await benchDatabase();
  if (!database) {
    process.stdout.write('PostgreSQL not reachable on 127.0.0.1:5432, skipped\n');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'pd-intake-'));
  const redis = await startRedis(dir);
  const running: Child[] = [redis.proc];
  const url = `postgres://postgres@127.0.0.1:5432/${database.name}`;
  try {
    const server = await startServerProcess(
      'web',
      'web',
      {
        NODE_ENV: 'development',
        HOST: '127.0.0.1',
        DATABASE_URL: url,
        DATABASE_POOL_MAX: POOL,
        REDIS_URL: `redis://127.0.0.1:${redis.port}`,
        DATA_DIR: join(dir, 'data'),
        SEED_DEMO: 'false',
        LOG_LEVEL: 'warn',
      },
      dir,
    );
    running.push(server.proc);
    const base = `http://127.0.0.1:${server.port}`;
    const api = trpc(base, await login(base));
    const procedure = await api.query<Procedure>('catalog.procedure', { code: '3.000333' });
    const commune = (await api.query<{ code: string }[]>('catalog.communes', undefined))[0]!.code;
    const submit = () => api.mutate('intake.submit', intakeInput(procedure, commune));
    for (let i = 0; i < 50; i++) await submit(); // warm-up: JIT, pool, plans

    // The ids of one real dossier the warm-up made, so pgbench writes the same foreign keys.
    const [ids] = await rows<Record<string, string>>(
      database.db,
      sql`select d.procedure_id as proc, d.procedure_version_id as ver,
        d.receiving_office_id as office, d.agency_id as agency, e.actor_user_id as clerk
        from dossiers d join dossier_events e on e.dossier_id = d.id and e.seq = 1
        where d.code is not null order by d.created_at desc limit 1`,
    );
    const script = join(dir, 'intake.sql');
    writeFileSync(script, TRANSACTION);
    const vars = ids!;

    process.stdout.write(
      `intake through HTTP (compiled server, one web process, pool ${POOL}) vs pgbench of the same write ` +
        `transaction, ${SECONDS} s each, ${REPS} interleaved repetitions\n\n` +
        'connections  PostDesk dossiers/s   pgbench tx/s   ratio\n',
    );
    for (const c of CONNECTIONS) {
      const ratios: number[] = [];
      for (let rep = 0; rep < REPS; rep++) {
        const ours = await byClients(submit, c, SECONDS);
        const limit = pgbench(url, script, vars, c);
        ratios.push(ours.throughput / limit.tps);
        process.stdout.write(
          `${String(c).padStart(11)}  ${ours.throughput.toFixed(1).padStart(19)}   ${limit.tps.toFixed(0).padStart(12)}   ` +
            `${((100 * ours.throughput) / limit.tps).toFixed(1).padStart(5)} %${ours.errors ? `  (${ours.errors} errors)` : ''}\n`,
        );
      }
      ratios.sort((a, b) => a - b);
      process.stdout.write(
        `${String(c).padStart(11)}  median ratio ${(100 * ratios[Math.floor(ratios.length / 2)]!).toFixed(1)} %\n`,
      );
    }

    process.stdout.write(
      '\nfixed arrival rate    PostDesk p50 / p95 / p99 ms (delivered/s)     pgbench -R p50 / p95 / p99 ms\n',
    );
    for (const rate of RATES) {
      const ours = await atRate(submit, rate, SECONDS);
      const limit = pgbench(url, script, vars, 4, rate);
      process.stdout.write(
        `${String(rate).padStart(6)}/s         ${ms(ours.p50)} ${ms(ours.p95)} ${ms(ours.p99)}  (${ours.throughput.toFixed(1)}/s${ours.errors ? `, ${ours.errors} errors` : ''})` +
          `          ${ms(limit.p50)} ${ms(limit.p95)} ${ms(limit.p99)}\n`,
      );
    }
  } finally {
    for (const p of running.reverse()) await p.stop();
    await database.drop();
  }
};
