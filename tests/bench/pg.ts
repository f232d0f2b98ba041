import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { type Db, openDatabase } from '../../server/src/db/client';
import { seedDemo, seedHolidays } from '../../server/src/seed/seed';

const ADMIN = 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * A migrated, seeded PostgreSQL database of the benchmark's own, dropped by `drop()`; null when PG is down.
 * With `keep` (a database name) the database is made once and kept, so a long generation (the board at 10 million
 * dossiers) is paid for once and the measurements can be run again (new migrations are applied to it); `fresh`
 * says whether it was just made.
 */
export const benchDatabase = async (keep?: string) => {
  const admin = postgres(ADMIN, { max: 1, onnotice: () => {} });
  const name = keep ?? `pdbench_${randomBytes(4).toString('hex')}`;
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`database name ${name}: use a-z, 0-9 and _`);
  let fresh = true;
  try {
    const found = keep ? await admin`select 1 from pg_database where datname = ${name}` : [];
    fresh = found.length === 0;
    if (fresh) await admin.unsafe(`create database "${name}"`);
  } catch {
    await admin.end();
    return null;
  }
  const database = await openDatabase({ url: `postgres://postgres@127.0.0.1:5432/${name}` });
  await database.migrate();
  if (fresh) {
    await seedHolidays(database.db);
    await seedDemo(database.db);
  }
  return {
    ...database,
    name,
    fresh,
    drop: async () => {
      await database.close();
      if (!keep) await admin.unsafe(`drop database "${name}" with (force)`);
      await admin.end();
    },
  };
};

export const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

type Statement = { query: string; params: unknown[] };

/**
 * The limit a database-bound path can never beat: the very statements it sends (recorded from one call through
 * the app's own code), replayed alone, prepared, on one raw connection, with no query building, row mapping or
 * JavaScript between them. `timeApp` and `timeSql` are then measured in the same run.
 */
export const sqlAlone = async (url: string) => {
  const captured: Statement[] = [];
  let recording = false;
  const recorder = await openDatabase({
    url,
    pool: { max: 1, onQuery: (query, params) => void (recording && captured.push({ query, params })) },
  });
  const raw = postgres(url, { max: 1, onnotice: () => {} });
  const connection = await raw.reserve();
  return {
    /** The statements `fn` sends (the driver's one-off type lookup of a new connection left out). */
    record: async (fn: (db: Db) => Promise<unknown>) => {
      captured.length = 0;
      recording = true;
      try {
        await fn(recorder.db);
      } finally {
        recording = false;
      }
      return captured.filter((s) => !s.query.includes('pg_catalog.pg_type'));
    },
    replay: async (statements: Statement[]) => {
      for (const s of statements)
        await connection.unsafe(s.query, s.params as never[], { prepare: s.params.length > 0 });
    },
    close: async () => {
      connection.release();
      await raw.end();
      await recorder.close();
    },
  };
};
