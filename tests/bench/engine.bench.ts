// The dossier engine's write path: one transaction per event (lock the dossier, append the hash-chained event,
// update the row, write the outbox message). Figures: events per second on PostgreSQL and on PGlite, and their
// ratio, for a desk-day's worth of dossiers moved through their first steps.
import { eq } from 'drizzle-orm';
import { type Database, openDatabase } from '../../server/src/db/client';
import { memberships, procedures, procedureVersions } from '../../server/src/db/schema';
import { createDossier, recordEvent } from '../../server/src/dossiers/engine';
import { seedDemo, seedHolidays } from '../../server/src/seed/seed';
import { benchDatabase } from './pg';

const DOSSIERS = 140; // one desk's day
const STEPS = ['receive', 'complete_digitization', 'forward'] as const;

const measure = async (database: Pick<Database, 'db'>) => {
  const db = database.db;
  const [clerk] = await db.select().from(memberships).where(eq(memberships.role, 'clerk')).limit(1);
  const [p] = await db
    .select({ id: procedures.id, agencyId: procedures.agencyId, versionId: procedureVersions.id })
    .from(procedures)
    .innerJoin(procedureVersions, eq(procedureVersions.procedureId, procedures.id))
    .limit(1);
  const actor = {
    kind: 'clerk' as const,
    userId: clerk!.userId,
    role: 'clerk' as const,
    officeId: clerk!.officeId,
  };
  const started = performance.now();
  for (let i = 0; i < DOSSIERS; i++) {
    const d = await createDossier(db, {
      event: 'start_intake',
      actor,
      values: {
        procedureId: p!.id,
        procedureVersionId: p!.versionId,
        receivingOfficeId: clerk!.officeId,
        agencyId: p!.agencyId,
        channel: 1,
      },
    });
    for (const event of STEPS) await recordEvent(db, { dossierId: d.id, event, actor });
  }
  const seconds = (performance.now() - started) / 1000;
  return (DOSSIERS * (STEPS.length + 1)) / seconds;
};

export const run = async () => {
  const pglite = await openDatabase({});
  await pglite.migrate();
  await seedHolidays(pglite.db);
  await seedDemo(pglite.db, { dossiers: false });
  const pgliteRate = await measure(pglite);
  await pglite.close();
  process.stdout.write(`PGlite (in memory)   ${pgliteRate.toFixed(0).padStart(6)} events/s\n`);

  const pg = await benchDatabase();
  if (!pg) {
    process.stdout.write('PostgreSQL           not reachable on 127.0.0.1:5432, skipped\n');
    return;
  }
  const pgRate = await measure(pg);
  await pg.drop();
  process.stdout.write(`PostgreSQL 15        ${pgRate.toFixed(0).padStart(6)} events/s\n`);
  process.stdout.write(`ratio PG / PGlite    ${(pgRate / pgliteRate).toFixed(2)}\n`);
  process.stdout.write(
    `a desk's day (${DOSSIERS} dossiers × ${STEPS.length + 1} events) on PostgreSQL: ${((DOSSIERS * (STEPS.length + 1)) / pgRate).toFixed(2)} s\n`,
  );
};
