import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import type { SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import * as schema from './schema';

export type Schema = typeof schema;
/** The pool, a transaction, or a test database: queries take this first. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export type Database = {
  db: Db;
  /** The read replica when one is configured (board, reports), else the same pool as `db`. */
  readDb: Db;
  kind: 'postgres' | 'pglite';
  /** Applies what is missing, one process at a time (a PostgreSQL advisory lock); returns how many it applied. */
  migrate: () => Promise<number>;
  /** Migrations in the folder that the database has not applied yet (0 = up to date). */
  pendingMigrations: () => Promise<number>;
  /** One cheap round trip, for /ready. */
  ping: () => Promise<void>;
  close: () => Promise<void>;
};

/** Pool and timeouts of the PostgreSQL connection (env DATABASE_*). */
export type PoolOptions = {
  /** Connections per process (DATABASE_POOL_MAX). */
  max?: number;
  /** A query running longer is cancelled by the server (DATABASE_STATEMENT_TIMEOUT_MS; 0 = none). */
  statementTimeoutMs?: number;
  /** Seconds to wait for a connection before the request fails (DATABASE_CONNECT_TIMEOUT_S). */
  connectTimeoutS?: number;
  /** Behind PgBouncer in transaction mode: no prepared statements, no session settings at connect. */
  pgbouncer?: boolean;
  /** Called with every statement sent and its parameters (tests count round trips, benches replay them). */
  onQuery?: (query: string, params: unknown[]) => void;
};

/** Statements with more parameters than this (long `in (...)` lists) are not kept: each length is a new text. */
const MAX_PREPARED_PARAMS = 64;

/**
 * drizzle sends every query through postgres-js's `unsafe` with `prepare: false`, so PostgreSQL parses and
 * plans each one again. This wraps the client (and the scoped clients of transactions and savepoints) so that
 * parameterised queries are named prepared statements, kept per connection by their text: parsed once per
 * connection, then only bound and executed. Not behind PgBouncer in transaction mode (see `pgbouncer`).
 */
const preparing = <T extends postgres.Sql | postgres.TransactionSql>(sql: T): T =>
  new Proxy(sql, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (prop === 'unsafe')
        return (query: string, args: unknown[] = [], options: Record<string, unknown> = {}) =>
          (value as postgres.Sql['unsafe']).call(target, query, args as never[], {
            ...options,
            prepare: args.length > 0 && args.length <= MAX_PREPARED_PARAMS,
          });
      if (prop === 'begin' || prop === 'savepoint')
        return (...args: unknown[]) => {
          const fn = args.pop() as (scoped: postgres.TransactionSql) => unknown;
          return (value as (...a: unknown[]) => unknown).call(
            target,
            ...args,
            (scoped: postgres.TransactionSql) => fn(preparing(scoped)),
          );
        };
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });

/**
 * The advisory lock every migration run takes (an arbitrary fixed 64-bit key: "postdesk" in ASCII). A second
 * process starting the same release waits on it, then finds nothing left to apply.
 */
export const MIGRATION_LOCK_KEY = 0x706f73746465736bn;

const journal = () =>
  (
    JSON.parse(readFileSync(`${MIGRATIONS_DIR}/meta/_journal.json`, 'utf8')) as {
      entries: { when: number; tag: string }[];
    }
  ).entries;

/** How many migrations of the folder are newer than the last one the database recorded. */
const countPending = (applied: number | null) =>
  journal().filter((e) => applied === null || e.when > applied).length;

const postgresOptions = (pool: PoolOptions) => ({
  max: pool.max ?? 10,
  connect_timeout: pool.connectTimeoutS ?? 10,
  // PgBouncer in transaction mode hands each statement to any server connection: no prepared statements, and
  // startup parameters it does not know are refused, so the statement timeout is left to its own settings.
  prepare: !pool.pgbouncer,
  ...(pool.statementTimeoutMs && !pool.pgbouncer
    ? { connection: { statement_timeout: pool.statementTimeoutMs } }
    : {}),
  onnotice: () => {},
  ...(pool.onQuery
    ? { debug: (_connection: number, query: string, params: unknown[]) => pool.onQuery!(query, params) }
    : {}),
});

export const MIGRATIONS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../migrations');

/**
 * Runs the migrations on a connection of their own (no statement timeout: DDL on a big table may take long),
 * holding the advisory lock for the whole run, drizzle's own bookkeeping table included. Needs a session: give
 * the direct server address (DATABASE_MIGRATE_URL), not PgBouncer in transaction mode.
 */
export const migrateWithLock = async (url: string, opts: { connectTimeoutS?: number } = {}) => {
  const client = postgres(url, { max: 1, connect_timeout: opts.connectTimeoutS ?? 10, onnotice: () => {} });
  try {
    await client`select pg_advisory_lock(${MIGRATION_LOCK_KEY.toString()}::bigint)`;
    try {
      const before = await appliedUpTo(client);
      await migratePostgres(drizzlePostgres(client), { migrationsFolder: MIGRATIONS_DIR });
      return countPending(before);
    } finally {
      await client`select pg_advisory_unlock(${MIGRATION_LOCK_KEY.toString()}::bigint)`;
    }
  } finally {
    await client.end();
  }
};

/** The `created_at` of the last migration the database recorded, null on a fresh database. */
const appliedUpTo = async (client: postgres.Sql) => {
  const [table] = await client`select to_regclass('drizzle.__drizzle_migrations') as t`;
  if (!table?.t) return null;
  const [last] = await client`select max(created_at)::text as at from drizzle.__drizzle_migrations`;
  return last?.at ? Number(last.at) : null;
};

/** PostgreSQL when a URL is given, otherwise PGlite in `pgliteDir` (or in memory when that is undefined). */
export const openDatabase = async (opts: {
  url?: string;
  pgliteDir?: string;
  /** A streaming replica for read-only queries (board, reports). */
  replicaUrl?: string;
  /** Where migrations run (a direct connection when `url` goes through PgBouncer); default `url`. */
  migrateUrl?: string;
  pool?: PoolOptions;
}): Promise<Database> => {
  if (opts.url) {
    const pool = opts.pool ?? {};
    const connect = (url: string) => {
      const sql = postgres(url, postgresOptions(pool));
      return pool.pgbouncer ? sql : preparing(sql);
    };
    const client = connect(opts.url);
    const replica = opts.replicaUrl ? connect(opts.replicaUrl) : null;
    const db = drizzlePostgres(client, { schema }) as unknown as Db;
    const migrateUrl = opts.migrateUrl ?? opts.url;
    return {
      db,
      readDb: replica ? (drizzlePostgres(replica, { schema }) as unknown as Db) : db,
      kind: 'postgres',
      migrate: () => migrateWithLock(migrateUrl, { connectTimeoutS: pool.connectTimeoutS }),
      pendingMigrations: async () => countPending(await appliedUpTo(client)),
      ping: async () => {
        await client`select 1`;
      },
      close: async () => {
        await Promise.all([client.end({ timeout: 5 }), replica?.end({ timeout: 5 })]);
      },
    };
  }
  if (opts.pgliteDir) mkdirSync(opts.pgliteDir, { recursive: true });
  // The migrations create these extensions; PGlite must have their code loaded to do so.
  const client = new PGlite({ dataDir: opts.pgliteDir, extensions: { pg_trgm, unaccent } });
  await client.waitReady;
  const db = drizzlePglite({ client, schema }) as unknown as Db;
  const applied = async () => {
    const table = await client.query<{ t: string | null }>(
      `select to_regclass('drizzle.__drizzle_migrations')::text as t`,
    );
    if (!table.rows[0]?.t) return null;
    const r = await client.query<{ at: string | null }>(
      'select max(created_at)::text as at from drizzle.__drizzle_migrations',
    );
    const at = r.rows[0]?.at;
    return at ? Number(at) : null;
  };
  return {
    db,
    readDb: db,
    kind: 'pglite',
    // PGlite is one process's own database: nothing else can migrate it at the same time.
    migrate: async () => {
      const pending = countPending(await applied());
      await migratePglite(drizzlePglite({ client }), { migrationsFolder: MIGRATIONS_DIR });
      return pending;
    },
    pendingMigrations: async () => countPending(await applied()),
    ping: async () => {
      await client.query('select 1');
    },
    close: () => client.close(),
  };
};

/** Raw SQL rows: postgres-js returns an array, PGlite `{ rows }`; callers see one shape. */
export const rows = async <T>(db: Db, query: SQL): Promise<T[]> => {
  const result = (await db.execute(query)) as unknown as T[] | { rows: T[] };
  return Array.isArray(result) ? result : result.rows;
};

/** The SQLSTATE of a failed query; drizzle wraps the driver error in `cause`. */
export const sqlState = (err: unknown): string | undefined => {
  const e = err as { code?: string; cause?: { code?: string } };
  return e?.cause?.code ?? e?.code;
};

/** Driver codes (postgres-js) and socket errors of a connection that failed or was lost. */
const CONNECTION_CODES = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_DESTROYED',
  'CONNECTION_ENDED',
  'CONNECT_TIMEOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * Whether a failed query failed because the database could not be reached (down, restarting, connection
 * killed, too many clients, statement timeout under overload), not because of the query: the request may
 * succeed when tried again, so it becomes a 503 rather than a 500.
 */
export const isDatabaseUnavailable = (err: unknown): boolean => {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; depth++) {
    const code = typeof e.code === 'string' ? e.code : undefined;
    if (code) {
      if (CONNECTION_CODES.has(code)) return true;
      // 08: connection exception; 57P01-03: admin shutdown, crash shutdown, cannot connect now;
      // 53300: too many connections; 57014: statement timeout (query_canceled).
      if (/^08/.test(code) || /^57P0[123]$/.test(code) || code === '53300' || code === '57014') return true;
    }
    e = e.cause as typeof e;
  }
  return false;
};
