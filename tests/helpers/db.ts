import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { inject } from 'vitest';
import { openDatabase } from '../../server/src/db/client';

/** A database of this test file's own, copied from the run's migrated and seeded template. */
export const createTestDatabase = async () => {
  const admin = postgres(inject('pgAdminUrl'), { max: 1, onnotice: () => {} });
  const name = `${inject('runId')}_${randomBytes(4).toString('hex')}`;
  for (let attempt = 1; ; attempt++) {
    try {
      await admin.unsafe(`create database "${name}" template "${inject('pgTemplate')}"`);
      break;
    } catch (err) {
      // Two files copying the template at the same moment: PostgreSQL refuses one; wait and copy again.
      if (attempt >= 20) throw err;
      await new Promise((r) => setTimeout(r, 100 * attempt));
    }
  }
  const url = new URL(inject('pgAdminUrl'));
  url.pathname = `/${name}`;
  const database = await openDatabase({ url: url.toString() });
  return {
    ...database,
    url: url.toString(),
    close: async () => {
      await database.close();
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    },
  };
};
