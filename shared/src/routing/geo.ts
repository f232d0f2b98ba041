import type { Place, Problem, Travel } from './types';

const EARTH_RADIUS_M = 6_371_008.8;
const DEFAULT_SPEED_KMH = 25;

const finite = (v: number | undefined): v is number => typeof v === 'number' && Number.isFinite(v);
const hasXY = (p: Place) => finite(p.x) && finite(p.y);
const hasLatLng = (p: Place) => finite(p.lat) && finite(p.lng);

export const euclidean = (a: Place, b: Place): number => Math.hypot(a.x! - b.x!, a.y! - b.y!);

/** Great-circle distance in metres. */
export const haversine = (a: Place, b: Place): number => {
  const rad = Math.PI / 180;
  const dLat = (b.lat! - a.lat!) * rad;
  const dLng = (b.lng! - a.lng!) * rad;
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(a.lat! * rad) * Math.cos(b.lat! * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
};

export type Metric = {
  /** Whether a place can be measured against the depot at all. */
  knows: (p: Place) => boolean;
  travel: (a: Place, b: Place) => Travel;
};

/**
 * The problem's distance and travel time: a plugged matrix when given, else haversine at `speedKmh`
 * when the depot has lat/lng, else Euclidean with travel time = distance (the Solomon convention).
 */
export const createMetric = (problem: Problem): Metric => {
  const matrix = problem.matrix;
  if (typeof matrix === 'function') return { knows: () => true, travel: matrix };
  if (matrix) {
    const index = new Map(matrix.ids.map((id, i) => [id, i]));
    const times = matrix.time ?? matrix.distance;
    return {
      knows: (p) => index.has(p.id),
      travel: (a, b) => {
        const i = index.get(a.id)!;
        const j = index.get(b.id)!;
        return { distance: matrix.distance[i]![j]!, time: times[i]![j]! };
      },
    };
  }
  if (hasLatLng(problem.depot)) {
    const metresPerMinute = ((problem.speedKmh ?? DEFAULT_SPEED_KMH) * 1000) / 60;
    return {
      knows: hasLatLng,
      travel: (a, b) => {
        const distance = haversine(a, b);
        return { distance, time: distance / metresPerMinute };
      },
    };
  }
  return {
    knows: hasXY,
    travel: (a, b) => {
      const distance = euclidean(a, b);
      return { distance, time: distance };
    },
  };
};
