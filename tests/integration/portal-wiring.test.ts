import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer } from '../helpers/app';
import { createTestDatabase } from '../helpers/db';
import { intakeFor } from '../helpers/intake';
import { type PortalSim, startPortalSim } from '../sim/portal-sim';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let sim: PortalSim;

beforeAll(async () => {
  database = await createTestDatabase();
  sim = await startPortalSim();
});
afterAll(async () => {
  await sim.close();
  await database.close();
});

describe('the server delivers the outbox to the portal when PORTAL_SYNC_URL is set', () => {
  it('a dossier received at the desk reaches the portal with status 2 through the outbox_deliver job', async () => {
    const server = createTestServer(database.db, { env: { PORTAL_SYNC_URL: sim.url } });
    const clerk = await server.callerAs('gdv.hang');
    const lltp = await clerk.catalog.procedure({ code: '3.000333' });
    const commune = (await clerk.catalog.communes())[0]!.code;
    const received = await clerk.intake.submit(intakeFor(lltp, commune));
    await server.jobs.enqueue('outbox_deliver', {});
    await server.jobs.idle();
    expect(sim.recordsOf(received.code!).map((r) => r.TrangThaiHoSo)).toEqual([2]);
    expect(sim.progressOf(received.code!)).toHaveLength(1);
    const supervisor = await server.callerAs('giamsat.nguyet');
    expect(await supervisor.outbox.deadLetters()).toEqual([]);
  });

  it('without PORTAL_SYNC_URL there is no delivery job: messages wait in the outbox', async () => {
    const server = createTestServer(database.db);
    await expect(server.jobs.enqueue('outbox_deliver', {})).rejects.toThrow(/Unknown job/);
  });
});
