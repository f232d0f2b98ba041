import type { Problem, Stop } from '../../shared/src/routing';

/** A deterministic day around the Huế post office (16.46 N, 107.59 E): stops within ~4 km of it. */
export const hueDay = (n: number, vehicles: number, seed: number): Problem => {
  let s = seed >>> 0;
  const rand = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const stops: Stop[] = Array.from({ length: n }, (_, i) => {
    const ready = 8 * 60 + Math.floor(rand() * 8) * 60;
    const r = 4500 * Math.sqrt(rand());
    const a = 2 * Math.PI * rand();
    return {
      id: `task-${i + 1}`,
      lat: 16.46 + (r * Math.sin(a)) / 111_320,
      lng: 107.59 + (r * Math.cos(a)) / (111_320 * Math.cos((16.46 * Math.PI) / 180)),
      demand: 1 + Math.floor(rand() * 3),
      readyTime: ready,
      dueTime: ready + 120,
      serviceTime: 5,
    };
  });
  return {
    depot: { id: 'post-office', lat: 16.46, lng: 107.59, readyTime: 7.5 * 60, dueTime: 17.5 * 60 },
    stops,
    vehicles,
    capacity: 60,
    shiftLength: 10 * 60,
    speedKmh: 25,
  };
};

/**
 * The same day with the law in it: about a quarter of the stops are due today (their result's appointment
 * between 10:00 and 17:00, or the J+n level's last day), a few are already overdue, the rest have later dates.
 * The fleet is one courier short of serving everything, so the planner must choose what waits.
 */
export const hueLegalDay = (n: number, vehicles: number, seed: number): Problem => {
  const day = hueDay(n, vehicles, seed);
  let s = (seed * 7919) >>> 0;
  const rand = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  return {
    ...day,
    stops: day.stops.map((stop) => {
      const r = rand();
      if (r < 0.05)
        return {
          ...stop,
          legalDue: day.depot.readyTime - 1,
          legalBasis: 'result_due',
          legalDate: '2026-12-07',
        };
      if (r < 0.18)
        return {
          ...stop,
          legalDue: 10 * 60 + Math.floor(rand() * 7 * 60) - stop.serviceTime,
          legalBasis: 'result_due',
          legalDate: '2026-12-08',
        };
      if (r < 0.28)
        return {
          ...stop,
          legalDue: 17 * 60 - stop.serviceTime,
          legalBasis: 'service_level',
          legalDate: '2026-12-08',
        };
      return stop;
    }),
  };
};
