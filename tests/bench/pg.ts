import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { openDatabase } from '../../server/src/db/client';
import { seedDemo, seedHolidays } from '../../server/src/seed/seed';

const ADMIN = 'postgres://postgres@127.0.0.1:5432/postgres';

/** A migrated, seeded PostgreSQL database of the benchmark's own, dropped by `drop()`; null when PG is down. */
export const benchDatabase = async () => {
  const admin = postgres(ADMIN, { max: 1, onnotice: () => {} });
  const name = `pdbench_${randomBytes(4).toString('hex')}`;
  try {
    await admin.unsafe(`create database "${name}"`);
  } catch {
    await admin.end();
    return null;
  }
  const database = await openDatabase({ url: `postgres://postgres@127.0.0.1:5432/${name}` });
  await database.migrate();
  await seedHolidays(database.db);
  await seedDemo(database.db);
  return {
    ...database,
    drop: async () => {
      await database.close();
      await admin.unsafe(`drop database "${name}" with (force)`);
      await admin.end();
    },
  };
};

export const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
