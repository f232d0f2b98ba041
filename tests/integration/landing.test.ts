import { TERMINAL_STATES } from '@postdesk/shared';
import { and, count, eq, notInArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dossiers, offices } from '../../server/src/db/schema';
import { createTestServer } from '../helpers/app';
import { createTestDatabase } from '../helpers/db';
import { intakeFor } from '../helpers/intake';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: ReturnType<typeof createTestServer>;

beforeAll(async () => {
  database = await createTestDatabase();
  server = createTestServer(database.db);
  // Work waits at one of the supervisor's offices that is not first in alphabetical order.
  const clerk = await server.callerAs('gdv.duyen');
  const lltp = await clerk.catalog.procedure({ code: '3.000333' });
  const commune = (await clerk.catalog.communes())[0]!.code;
  for (let i = 0; i < 3; i++) await clerk.intake.submit(intakeFor(lltp, commune));
});
afterAll(() => database.close());

const openAt = async (officeId: string) => {
  const [row] = await database.db
    .select({ n: count() })
    .from(dossiers)
    .where(and(eq(dossiers.receivingOfficeId, officeId), notInArray(dossiers.state, [...TERMINAL_STATES])));
  return row?.n ?? 0;
};

describe('where a user starts after signing in', () => {
  it('a supervisor of five offices starts on the office with the most open dossiers, not the first by name', async () => {
    const me = await (await server.callerAs('giamsat.nguyet')).auth.me();
    expect(me!.memberships.length).toBe(5);
    const counts = await Promise.all(me!.memberships.map((m) => openAt(m.officeId)));
    const home = me!.home!;
    expect(home.role).toBe('supervisor');
    const homeCount = counts[me!.memberships.findIndex((m) => m.officeId === home.officeId)]!;
    expect(homeCount).toBeGreaterThan(0);
    expect(homeCount).toBe(Math.max(...counts));
    const [duyen] = await database.db.select().from(offices).where(eq(offices.code, 'H57.90.04'));
    expect(counts[me!.memberships.findIndex((m) => m.officeId === duyen!.id)]).toBeGreaterThanOrEqual(3);
  });

  it('a user with one membership starts on it', async () => {
    const me = await (await server.callerAs('gdv.hang')).auth.me();
    expect(me!.home).toEqual({ officeId: me!.memberships[0]!.officeId, role: 'clerk' });
  });
});
