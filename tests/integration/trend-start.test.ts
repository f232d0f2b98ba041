import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monthOf } from '../../server/src/board/service';
import { rows } from '../../server/src/db/client';
import { createTestServer } from '../helpers/app';
import { createTestDatabase } from '../helpers/db';
import { intakeFor } from '../helpers/intake';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: ReturnType<typeof createTestServer>;

beforeAll(async () => {
  database = await createTestDatabase();
  server = createTestServer(database.db);
  // A server just started: dossiers taken in today, no roll-up made yet (the schedule runs every 15 minutes).
  await database.db.execute(sql`delete from indicator_monthly`);
  const clerk = await server.callerAs('gdv.hang');
  const lltp = await clerk.catalog.procedure({ code: '3.000333' });
  const commune = (await clerk.catalog.communes())[0]!.code;
  for (let i = 0; i < 2; i++) await clerk.intake.submit(intakeFor(lltp, commune));
});
afterAll(() => database.close());

describe('the trend chart right after start-up', () => {
  it("shows this month's dossiers on the first request, without waiting for the scheduled roll-up", async () => {
    const supervisor = await server.callerAs('giamsat.nguyet');
    const [a, b] = await Promise.all([supervisor.board.trend(), supervisor.board.trend()]);
    const current = monthOf(new Date());
    for (const trend of [a, b]) {
      expect(trend.months.at(-1)).toBe(current);
      const point = trend.points.find((p) => p.month === current);
      expect(point?.received ?? 0).toBeGreaterThanOrEqual(2);
    }
    const [row] = await rows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from indicator_monthly where month = ${`${current}-01`}::date`,
    );
    expect(Number(row?.n)).toBeGreaterThan(0);
  });
});
