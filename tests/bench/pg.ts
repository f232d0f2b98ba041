import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { openDatabase } from '../../server/src/db/client';
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
