import { haversine } from '@postdesk/shared';
import { and, gt, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { roadLegs } from '../db/schema';
import type { Env } from '../env';
import type { Logger } from '../logger';

/** What the planner gets: dense arrays by place id, metres and minutes. */
export type RoadMatrix = { ids: string[]; distance: number[][]; time: number[][] };

export type RoadConfig = Pick<
  Env,
  | 'ROAD_TABLE_URL'
  | 'ROAD_TABLE_TIMEOUT_MS'
  | 'ROAD_TABLE_MAX_COORDS'
  | 'ROAD_CACHE_TTL_HOURS'
  | 'ROAD_FACTOR'
  | 'ROAD_SPEED_KMH'
>;

/**
 * Where the numbers came from. `estimated` > 0 means some (or all) legs are straight lines × the road
 * factor: the dispatch page says so. `problem` is why the service was not used.
 */
export type MatrixSource = {
  kind: 'road' | 'mixed' | 'estimated';
  pairs: number;
  estimated: number;
  cached: number;
  fetched: number;
  problem: 'not_configured' | 'unavailable' | 'timeout' | 'bad_answer' | 'no_route' | null;
};

type Point = { id: string; lat: number; lng: number };

/** A position's cache key: 5 decimals (about a metre), so the same door hits the same row. */
const keyOf = (p: { lat: number; lng: number }) => `${p.lat.toFixed(5)},${p.lng.toFixed(5)}`;

type Leg = { distanceM: number; durationS: number };

class BadAnswer extends Error {}

/** One `/table` call: `coords` as lng,lat; `sources`/`destinations` indexes into it (all when omitted). */
const fetchTable = async (
  config: RoadConfig,
  coords: { lat: number; lng: number }[],
  sources: number[] | null,
  destinations: number[] | null,
): Promise<(Leg | null)[][]> => {
  const path = coords.map((c) => `${c.lng.toFixed(6)},${c.lat.toFixed(6)}`).join(';');
  const params = new URLSearchParams({ annotations: 'duration,distance' });
  if (sources) params.set('sources', sources.join(';'));
  if (destinations) params.set('destinations', destinations.join(';'));
  const base = config.ROAD_TABLE_URL!.replace(/\/+$/, '');
  const res = await fetch(`${base}/table/v1/driving/${path}?${params.toString().replaceAll('%3B', ';')}`, {
    signal: AbortSignal.timeout(config.ROAD_TABLE_TIMEOUT_MS),
  });
  if (!res.ok) throw new Error(`road table service answered ${res.status}`);
  const body = (await res.json()) as { code?: string; durations?: unknown; distances?: unknown };
  if (body.code !== 'Ok') throw new BadAnswer(`road table service code ${String(body.code)}`);
  const rows = sources?.length ?? coords.length;
  const cols = destinations?.length ?? coords.length;
  const grid = (v: unknown, what: string) => {
    if (!Array.isArray(v) || v.length !== rows) throw new BadAnswer(`${what}: ${rows} rows expected`);
    return v.map((row) => {
      if (!Array.isArray(row) || row.length !== cols)
        throw new BadAnswer(`${what}: ${cols} columns expected`);
      return row.map((x) => {
        if (x === null) return null;
        if (typeof x !== 'number' || !Number.isFinite(x) || x < 0) throw new BadAnswer(`${what}: bad value`);
        return x;
      });
    });
  };
  const durations = grid(body.durations, 'durations');
  const distances = grid(body.distances, 'distances');
  return durations.map((row, i) =>
    row.map((d, j) => {
      const m = distances[i]![j]!;
      return d === null || m === null ? null : { durationS: d, distanceM: m };
    }),
  );
};

const chunks = <T>(list: T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
};

/**
 * Road distances (metres) and travel times (minutes) between `points`: cached pairs from PostgreSQL, the
 * rest from the `/table` service (in blocks of at most ROAD_TABLE_MAX_COORDS coordinates), the rest again
 * (service unset, down, slow, wrong answer, no route) as straight lines × ROAD_FACTOR at ROAD_SPEED_KMH.
 * After the first failed call the remaining blocks are estimated at once: one timeout per plan at most.
 */
export const buildRoadMatrix = async (
  db: Db,
  config: RoadConfig,
  points: Point[],
  log?: Logger,
): Promise<{ matrix: RoadMatrix; source: MatrixSource }> => {
  const keys = [...new Set(points.map(keyOf))];
  const at = new Map(points.map((p) => [keyOf(p), { lat: p.lat, lng: p.lng }]));
  const legs = new Map<string, Leg>();
  const pair = (a: string, b: string) => `${a}|${b}`;
  let cached = 0;
  let fetched = 0;
  let problem: MatrixSource['problem'] = config.ROAD_TABLE_URL ? null : 'not_configured';
  if (keys.length > 1) {
    const since = new Date(Date.now() - config.ROAD_CACHE_TTL_HOURS * 3_600_000);
    for (const part of chunks(keys, 500)) {
      const rows = await db
        .select()
        .from(roadLegs)
        .where(
          and(inArray(roadLegs.fromKey, part), inArray(roadLegs.toKey, keys), gt(roadLegs.fetchedAt, since)),
        );
      for (const r of rows) legs.set(pair(r.fromKey, r.toKey), r);
    }
    cached = legs.size;
  }
  const missing = (a: string, b: string) => a !== b && !legs.has(pair(a, b));
  if (config.ROAD_TABLE_URL && keys.length > 1) {
    // Sources and destinations in halves of a request; only blocks with a missing pair are asked for.
    const half = Math.max(1, Math.floor(config.ROAD_TABLE_MAX_COORDS / 2));
    const blocks: { from: string[]; to: string[] }[] = [];
    if (keys.length <= config.ROAD_TABLE_MAX_COORDS) {
      if (keys.some((a) => keys.some((b) => missing(a, b)))) blocks.push({ from: keys, to: keys });
    } else {
      for (const from of chunks(keys, half))
        for (const to of chunks(keys, half))
          if (from.some((a) => to.some((b) => missing(a, b)))) blocks.push({ from, to });
    }
    const fresh: (Leg & { fromKey: string; toKey: string })[] = [];
    for (const block of blocks) {
      const whole = block.from === block.to;
      const coordsKeys = whole ? block.from : [...new Set([...block.from, ...block.to])];
      const index = new Map(coordsKeys.map((k, i) => [k, i]));
      try {
        const answer = await fetchTable(
          config,
          coordsKeys.map((k) => at.get(k)!),
          whole ? null : block.from.map((k) => index.get(k)!),
          whole ? null : block.to.map((k) => index.get(k)!),
        );
        for (const [i, a] of block.from.entries()) {
          for (const [j, b] of block.to.entries()) {
            const leg = answer[i]![j];
            if (a === b) continue;
            if (!leg) {
              problem ??= 'no_route';
              continue;
            }
            if (!legs.has(pair(a, b))) fetched++;
            legs.set(pair(a, b), leg);
            fresh.push({ fromKey: a, toKey: b, ...leg });
          }
        }
      } catch (err) {
        const e = err as Error;
        problem =
          e.name === 'TimeoutError' || e.name === 'AbortError'
            ? 'timeout'
            : err instanceof BadAnswer
              ? 'bad_answer'
              : 'unavailable';
        log?.warn({ err: e.message, problem }, 'road table service failed: straight-line estimates');
        break;
      }
    }
    for (const part of chunks(fresh, 1000)) {
      await db
        .insert(roadLegs)
        .values(part)
        .onConflictDoUpdate({
          target: [roadLegs.fromKey, roadLegs.toKey],
          set: {
            distanceM: sql`excluded.distance_m`,
            durationS: sql`excluded.duration_s`,
            fetchedAt: sql`now()`,
          },
        });
    }
  }
  const metresPerMinute = (config.ROAD_SPEED_KMH * 1000) / 60;
  let estimated = 0;
  const n = points.length;
  const distance = points.map(() => new Array<number>(n).fill(0));
  const time = points.map(() => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    const a = keyOf(points[i]!);
    for (let j = 0; j < n; j++) {
      const b = keyOf(points[j]!);
      if (a === b) continue;
      const leg = legs.get(pair(a, b));
      if (leg) {
        distance[i]![j] = leg.distanceM;
        time[i]![j] = leg.durationS / 60;
      } else {
        const d = haversine(points[i]!, points[j]!) * config.ROAD_FACTOR;
        distance[i]![j] = d;
        time[i]![j] = d / metresPerMinute;
        estimated++;
      }
    }
  }
  const pairs = n * (n - 1);
  return {
    matrix: { ids: points.map((p) => p.id), distance, time },
    source: {
      kind: estimated === 0 ? 'road' : estimated >= pairs ? 'estimated' : 'mixed',
      pairs,
      estimated,
      cached,
      fetched,
      problem: estimated === 0 ? null : problem,
    },
  };
};

/** The dispatch page's words for where the distances came from (null when they are all road figures). */
export const describeSource = (s: MatrixSource) => {
  if (s.estimated === 0) return null;
  const why = {
    not_configured: ['chưa cấu hình dịch vụ bản đồ đường', 'no road service is configured'],
    unavailable: ['dịch vụ bản đồ đường không truy cập được', 'the road service is unreachable'],
    timeout: ['dịch vụ bản đồ đường không trả lời kịp', 'the road service did not answer in time'],
    bad_answer: ['dịch vụ bản đồ đường trả lời sai', 'the road service gave a wrong answer'],
    no_route: ['có điểm không có đường đi trên bản đồ', 'some points have no road between them'],
  }[s.problem ?? 'unavailable'];
  const share = `${s.estimated}/${s.pairs}`;
  return {
    vi: `Khoảng cách ước tính (đường chim bay × hệ số đường) cho ${share} chặng: ${why[0]}.`,
    en: `Estimated distances (straight line × road factor) for ${share} legs: ${why[1]}.`,
  };
};
