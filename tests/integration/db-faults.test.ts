// PostgreSQL connections killed under load (as a database restart or failover does): the server process stays
// up, each request either succeeds or answers 503 with the coded bilingual message, and work resumes by itself.
// Only this file's own database's connections are terminated; the shared PostgreSQL keeps running.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDatabaseUnavailable, openDatabase, rows } from '../../server/src/db/client';
import { createTestDatabase } from '../helpers/db';
import { freePort } from '../helpers/processes';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let child: ChildProcess | null = null;
let output = '';

beforeAll(async () => {
  database = await createTestDatabase();
}, 120_000);
afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await database?.close();
});

const startServer = async () => {
  const port = await freePort();
  child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts', 'all'], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: database.url,
      DATABASE_POOL_MAX: '6',
      DATABASE_CONNECT_TIMEOUT_S: '3',
      REDIS_URL: '',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'postdesk-dbfault-')),
      SEED_DEMO: 'false',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => {
    output += String(d);
  });
  child.stderr!.on('data', (d) => {
    output += String(d);
  });
  const base = `http://127.0.0.1:${port}`;
  for (const end = Date.now() + 90_000; Date.now() < end; ) {
    if (child.exitCode !== null) throw new Error(`server exited at start:\n${output}`);
    const ok = await fetch(`${base}/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return base;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`server did not become ready:\n${output}`);
};

describe('PostgreSQL connections killed under load', () => {
  it('no process dies; requests succeed or get 503 DATABASE_UNAVAILABLE; the next ones succeed', async () => {
    const base = await startServer();
    const admin = postgres(database.url.replace(/\/[^/]+$/, '/postgres'), { max: 1, onnotice: () => {} });
    const dbName = new URL(database.url).pathname.slice(1);
    const statuses: number[] = [];
    const bodies: string[] = [];
    let stop = false;
    const request = async (i: number) => {
      // A public query, and one with a session cookie (read from the database before any procedure runs).
      const res = await fetch(`${base}/trpc/catalog.communes`, {
        headers: i % 2 ? { cookie: 'pd_session=not-a-real-session-token-000000' } : {},
      });
      statuses.push(res.status);
      const body = await res.text();
      if (res.status !== 200) bodies.push(body);
    };
    const load = async (lane: number) => {
      for (let i = lane; !stop; i += 2)
        await request(i).catch((err: Error) => bodies.push(`fetch: ${err.message}`));
    };
    const lanes = Array.from({ length: 6 }, (_, lane) => load(lane));
    let terminated = 0;
    for (let round = 0; round < 8; round++) {
      await new Promise((r) => setTimeout(r, 400));
      const killedNow = await admin`select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
        where datname = ${dbName} and pid <> pg_backend_pid()`;
      terminated += Number(killedNow[0]!.n);
    }
    await new Promise((r) => setTimeout(r, 500));
    stop = true;
    await Promise.all(lanes);
    await admin.end();

    expect(terminated).toBeGreaterThan(0);
    expect(child!.exitCode, output).toBeNull();
    expect(statuses.length).toBeGreaterThan(20);
    const unexpected = statuses.filter((s) => s !== 200 && s !== 503);
    expect(unexpected, bodies.join('\n').slice(0, 2_000)).toEqual([]);
    for (const body of bodies) {
      expect(body).toContain('DATABASE_UNAVAILABLE');
      expect(body).toContain('cơ sở dữ liệu');
    }
    // Work resumes by itself: the pool reconnects.
    const after = await fetch(`${base}/trpc/catalog.communes`);
    expect(after.status).toBe(200);
    expect((await fetch(`${base}/ready`)).status).toBe(200);
    expect(output).not.toMatch(/uncaught exception/);
    process.stdout.write(
      `db faults: ${statuses.length} requests, ${bodies.length} answered 503, ${terminated} backends terminated\n`,
    );

    // SIGTERM: the server closes cleanly.
    const exited = new Promise<number | null>((r) => child!.once('exit', (code) => r(code)));
    child!.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 180_000);
});

describe('pool configuration', () => {
  it('a statement past DATABASE_STATEMENT_TIMEOUT_MS is cancelled and counts as the database unavailable', async () => {
    const limited = await openDatabase({ url: database.url, pool: { max: 2, statementTimeoutMs: 300 } });
    try {
      const err = await rows(limited.db, sql`select pg_sleep(3)`).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).not.toBeNull();
      expect(isDatabaseUnavailable(err)).toBe(true);
      // A quick one still runs on the same pool.
      expect(await rows<{ one: number }>(limited.db, sql`select 1 as one`)).toEqual([{ one: 1 }]);
    } finally {
      await limited.close();
    }
  });

  it('PgBouncer mode runs without prepared statements', async () => {
    const bouncer = await openDatabase({ url: database.url, pool: { max: 1, pgbouncer: true } });
    try {
      for (let i = 0; i < 3; i++) await rows(bouncer.db, sql`select ${i}::int as n`);
      const [prepared] = await rows<{ n: number }>(
        bouncer.db,
        sql`select count(*)::int as n from pg_prepared_statements`,
      );
      expect(Number(prepared!.n)).toBe(0);
    } finally {
      await bouncer.close();
    }
  });
});
