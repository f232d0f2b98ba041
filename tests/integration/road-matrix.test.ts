// Road distances for the planner from an OSRM-compatible `/table` service (a real HTTP simulator), cached per
// pair in PostgreSQL; straight lines × the road factor, marked as estimated, when the service is down, slow,
// answers a table of the wrong size, or is not configured.
import { haversine } from '@postdesk/shared';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildRoadMatrix, describeSource, type RoadConfig } from '../../server/src/courier/road-matrix';
import { createTestDatabase } from '../helpers/db';
import { type OsrmSim, startOsrmSim } from '../sim/osrm-sim';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let sim: OsrmSim;

const config = (over: Partial<RoadConfig> = {}): RoadConfig => ({
  ROAD_TABLE_URL: sim.url,
  ROAD_TABLE_TIMEOUT_MS: 400,
  ROAD_TABLE_MAX_COORDS: 100,
  ROAD_CACHE_TTL_HOURS: 24,
  ROAD_FACTOR: 1.3,
  ROAD_SPEED_KMH: 25,
  ...over,
});

/** The post office and `n` doors around it in Huế. */
const places = (n: number, shift = 0) => [
  { id: 'office', lat: 16.4637, lng: 107.5909 },
  ...Array.from({ length: n }, (_, i) => ({
    id: `door-${i}`,
    lat: 16.45 + 0.002 * ((i * 7 + shift) % 13),
    lng: 107.57 + 0.002 * ((i * 5 + shift) % 17),
  })),
];

beforeAll(async () => {
  database = await createTestDatabase();
  sim = await startOsrmSim({ maxTableSize: 100 });
});

afterAll(async () => {
  await sim?.close();
  await database?.close();
});

beforeEach(async () => {
  sim.mode = 'up';
  sim.requests.length = 0;
  await database.db.execute(sql`delete from road_legs`);
});

describe('road matrix', () => {
  it('takes the road figures from the service, then from the cache without asking again', async () => {
    const points = places(5);
    const first = await buildRoadMatrix(database.db, config(), points);
    expect(first.source).toMatchObject({ kind: 'road', estimated: 0, fetched: 30, problem: null });
    expect(describeSource(first.source)).toBeNull();
    expect(sim.requests).toEqual([6]);
    const leg = sim.leg(points[0]!, points[3]!);
    expect(first.matrix.distance[0]![3]).toBeCloseTo(leg.distance, 0);
    expect(first.matrix.time[0]![3]).toBeCloseTo(leg.duration / 60, 1);

    const again = await buildRoadMatrix(database.db, config(), points);
    expect(again.source).toMatchObject({ kind: 'road', cached: 30, fetched: 0 });
    expect(sim.requests).toEqual([6]);
    expect(again.matrix).toEqual(first.matrix);

    // One new door: only the missing pairs are asked for; an expired cache is asked again.
    await buildRoadMatrix(database.db, config(), [...points, { id: 'new', lat: 16.47, lng: 107.6 }]);
    expect(sim.requests).toEqual([6, 7]);
    await database.db.execute(sql`update road_legs set fetched_at = now() - interval '25 hours'`);
    const stale = await buildRoadMatrix(database.db, config(), points);
    expect(stale.source).toMatchObject({ kind: 'road', cached: 0, fetched: 30 });
  });

  it('splits a day larger than the service table size into blocks', async () => {
    const points = places(129);
    const built = await buildRoadMatrix(database.db, config({ ROAD_TABLE_MAX_COORDS: 60 }), points);
    expect(built.source.kind).toBe('road');
    expect(Math.max(...sim.requests)).toBeLessThanOrEqual(60);
    const leg = sim.leg(points[120]!, points[7]!);
    expect(built.matrix.distance[120]![7]).toBeCloseTo(leg.distance, 0);
  });

  for (const mode of ['down', 'hang', 'wrong_size'] as const) {
    it(`falls back to straight lines × the road factor, marked as estimated, when the service is ${mode}`, async () => {
      sim.mode = mode;
      const points = places(4);
      const built = await buildRoadMatrix(database.db, config(), points);
      const problem = { down: 'unavailable', hang: 'timeout', wrong_size: 'bad_answer' }[mode];
      expect(built.source).toMatchObject({ kind: 'estimated', estimated: 20, fetched: 0, problem });
      const straight = haversine(points[1]!, points[2]!);
      expect(built.matrix.distance[1]![2]).toBeCloseTo(straight * 1.3, 3);
      // 25 km/h: metres / (25000 / 60) minutes.
      expect(built.matrix.time[1]![2]).toBeCloseTo((straight * 1.3) / (25_000 / 60), 5);
      const words = describeSource(built.source)!;
      expect(words.vi).toContain('Khoảng cách ước tính');
      expect(words.en).toContain('Estimated distances');
      // Nothing wrong was cached: once the service is back, the real figures come.
      sim.mode = 'up';
      const back = await buildRoadMatrix(database.db, config(), points);
      expect(back.source.kind).toBe('road');
    });
  }

  it('estimates only the pairs the service has no route for, and says so', async () => {
    sim.mode = 'null_route';
    const built = await buildRoadMatrix(database.db, config(), places(3));
    expect(built.source).toMatchObject({ kind: 'mixed', estimated: 6, problem: 'no_route' });
  });

  it('is all estimates, marked, when no service is configured; asks nobody', async () => {
    const built = await buildRoadMatrix(database.db, config({ ROAD_TABLE_URL: undefined }), places(3));
    expect(built.source).toMatchObject({ kind: 'estimated', problem: 'not_configured' });
    expect(sim.requests).toEqual([]);
  });
});
