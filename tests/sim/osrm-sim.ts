// The OSRM `/table` API as a real HTTP server on 127.0.0.1: `GET /table/v1/driving/{lng,lat;…}?annotations=
// duration,distance[&sources=i;j][&destinations=k;l]` → `{ code: 'Ok', durations, distances }` (seconds,
// metres; rows = sources, columns = destinations). Its "roads" are the straight line × 1.5 at 30 km/h, so a
// test tells its figures from the planner's estimates (× ROAD_FACTOR). It can fail on demand: answer 503,
// never answer, answer a table of the wrong size, or refuse a request larger than its table size like OSRM.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { haversine } from '../../shared/src/routing';

export type OsrmMode = 'up' | 'down' | 'hang' | 'wrong_size' | 'null_route';

export type OsrmSim = {
  url: string;
  mode: OsrmMode;
  /** Coordinates in each request received, in order. */
  requests: number[];
  /** The simulated road distance (metres) and duration (seconds) between two points. */
  leg: (
    a: { lat: number; lng: number },
    b: { lat: number; lng: number },
  ) => { distance: number; duration: number };
  close: () => Promise<void>;
};

export const SIM_ROAD_FACTOR = 1.5;
const SIM_SPEED_MPS = 30_000 / 3600;

const answer = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

export const startOsrmSim = async (opts: { maxTableSize?: number } = {}): Promise<OsrmSim> => {
  const maxTableSize = opts.maxTableSize ?? 100;
  const hanging = new Set<ServerResponse>();
  const leg: OsrmSim['leg'] = (a, b) => {
    const distance = haversine({ id: 'a', ...a }, { id: 'b', ...b }) * SIM_ROAD_FACTOR;
    return { distance, duration: distance / SIM_SPEED_MPS };
  };
  const sim: OsrmSim = {
    url: '',
    mode: 'up',
    requests: [],
    leg,
    close: async () => {
      for (const res of hanging) res.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://sim');
    const m = /^\/table\/v1\/driving\/(.+)$/.exec(url.pathname);
    if (req.method !== 'GET' || !m) return answer(res, 404, { code: 'InvalidUrl' });
    const coords = decodeURIComponent(m[1]!)
      .split(';')
      .map((c) => c.split(',').map(Number) as [number, number]);
    sim.requests.push(coords.length);
    if (sim.mode === 'down') return answer(res, 503, { code: 'Unavailable' });
    if (sim.mode === 'hang') {
      hanging.add(res);
      return;
    }
    if (coords.some(([lng, lat]) => !Number.isFinite(lng) || !Number.isFinite(lat)))
      return answer(res, 400, { code: 'InvalidQuery' });
    if (coords.length > maxTableSize)
      return answer(res, 400, { code: 'TooBig', message: 'Too many table coordinates' });
    if (url.searchParams.get('annotations') !== 'duration,distance')
      return answer(res, 400, { code: 'InvalidOptions' });
    const pick = (name: string) =>
      url.searchParams.get(name)?.split(';').map(Number) ?? coords.map((_, i) => i);
    const sources = pick('sources');
    const destinations = pick('destinations');
    const at = (i: number) => ({ lat: coords[i]![1], lng: coords[i]![0] });
    const durations: (number | null)[][] = [];
    const distances: (number | null)[][] = [];
    for (const i of sources) {
      const drow: (number | null)[] = [];
      const mrow: (number | null)[] = [];
      for (const j of destinations) {
        const l = leg(at(i), at(j));
        const none = sim.mode === 'null_route' && i !== j && (i === 0 || j === 0);
        drow.push(none ? null : Math.round(l.duration * 10) / 10);
        mrow.push(none ? null : Math.round(l.distance * 10) / 10);
      }
      durations.push(drow);
      distances.push(mrow);
    }
    if (sim.mode === 'wrong_size') {
      durations.pop();
      distances.pop();
    }
    return answer(res, 200, { code: 'Ok', durations, distances });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  sim.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return sim;
};
