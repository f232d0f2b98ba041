// Intake throughput: dossiers received per second through the tRPC procedure against PostgreSQL (applicant
// upsert, dossier, two hash-chained events, code and book counters, outbox message), against a bare INSERT
// of the same dossier rows in the same run. The ratio is the price of the engine.
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { dossiers, procedures, procedureVersions } from '../../server/src/db/schema';
import { createTestServer } from '../helpers/app';
import { intakeFor } from '../helpers/intake';
import { benchDatabase } from './pg';

const N = 300;

export const run = async () => {
  const database = await benchDatabase();
  if (!database) {
    process.stdout.write('PostgreSQL not reachable on 127.0.0.1:5432, skipped\n');
    return;
  }
  const server = createTestServer(database.db);
  const clerk = await server.callerAs('gdv.hang');
  const lltp = await clerk.catalog.procedure({ code: '3.000333' });
  const commune = (await clerk.catalog.communes())[0]!.code;
  for (let i = 0; i < 10; i++) await clerk.intake.submit(intakeFor(lltp, commune)); // warm-up

  let t = performance.now();
  for (let i = 0; i < N; i++) {
    const input = intakeFor(lltp, commune);
    input.applicant.citizenId = `0461950${String(i).padStart(5, '0')}`;
    await clerk.intake.submit(input);
  }
  const engineRate = N / ((performance.now() - t) / 1000);

  const [p] = await database.db
    .select({ id: procedures.id, agencyId: procedures.agencyId, versionId: procedureVersions.id })
    .from(procedures)
    .innerJoin(procedureVersions, eq(procedureVersions.procedureId, procedures.id))
    .where(eq(procedures.code, '3.000333'));
  const [office] = await database.db.select({ id: dossiers.receivingOfficeId }).from(dossiers).limit(1);
  t = performance.now();
  for (let i = 0; i < N; i++) {
    await database.db.insert(dossiers).values({
      procedureId: p!.id,
      procedureVersionId: p!.versionId,
      receivingOfficeId: office!.id,
      agencyId: p!.agencyId,
      channel: 1,
      state: 'received',
      code: `BARE-${randomUUID().slice(0, 12)}`,
      clientKey: randomUUID(),
      receivedAt: new Date(),
      dueAt: new Date(),
    });
  }
  const bareRate = N / ((performance.now() - t) / 1000);
  process.stdout.write(`intake.submit (tRPC, PostgreSQL)  ${engineRate.toFixed(0).padStart(6)} dossiers/s\n`);
  process.stdout.write(`bare INSERT of the dossier row    ${bareRate.toFixed(0).padStart(6)} rows/s\n`);
  process.stdout.write(`ratio bare / engine               ${(bareRate / engineRate).toFixed(1)}×\n`);
  process.stdout.write(
    `a desk's day (140 dossiers)       ${((140 / engineRate) * 1000).toFixed(0)} ms of server time\n`,
  );
  await database.drop();
};
