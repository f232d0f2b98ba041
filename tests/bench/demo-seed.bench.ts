// The embedded demo's start-up seed (`npm start`): offices, procedures, users, then the dossiers in flight
// (server/src/seed/demo-dossiers.ts), on in-memory PGlite as at start-up. Figures: seconds per part.
import { openDatabase } from '../../server/src/db/client';
import { seedDemoDossiers } from '../../server/src/seed/demo-dossiers';
import { seedDemo, seedHolidays } from '../../server/src/seed/seed';

export const run = async () => {
  const pglite = await openDatabase({});
  let t = performance.now();
  await pglite.migrate();
  await seedHolidays(pglite.db);
  const migrate = (performance.now() - t) / 1000;
  t = performance.now();
  await seedDemo(pglite.db, { dossiers: false });
  const base = (performance.now() - t) / 1000;
  t = performance.now();
  const counts = await seedDemoDossiers(pglite.db);
  const dossiers = (performance.now() - t) / 1000;
  await pglite.close();
  const n = Object.entries(counts)
    .filter(([k]) => k !== 'overdue')
    .reduce((a, [, v]) => a + v, 0);
  process.stdout.write(`migrate + holidays        ${migrate.toFixed(1).padStart(5)} s\n`);
  process.stdout.write(`offices, users, history   ${base.toFixed(1).padStart(5)} s\n`);
  process.stdout.write(`demo dossiers (${n})       ${dossiers.toFixed(1).padStart(5)} s\n`);
};
