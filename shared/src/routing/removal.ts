import type { Work } from './insertion';
import { touch } from './insertion';
import { type Model, nearest } from './model';
import type { Rng } from './random';
import { nodeAt, updateRoute } from './route';

/** Where each routed stop is: route index and 1-based position (0 = not routed). */
export type Index = { routeOf: Int32Array; posOf: Int32Array; assigned: number[] };

export const indexRoutes = (model: Model, w: Work): Index => {
  const routeOf = new Int32Array(model.n + 1).fill(-1);
  const posOf = new Int32Array(model.n + 1);
  const assigned: number[] = [];
  w.routes.forEach((r, ri) => {
    r.nodes.forEach((u, i) => {
      routeOf[u] = ri;
      posOf[u] = i + 1;
      assigned.push(u);
    });
  });
  return { routeOf, posOf, assigned };
};

const removeAll = (model: Model, w: Work, idx: Index, removed: Set<number>) => {
  const touched = new Set<number>();
  for (const u of removed) touched.add(idx.routeOf[u]!);
  for (const ri of touched) {
    const r = touch(w, ri);
    r.nodes = r.nodes.filter((u) => !removed.has(u));
    updateRoute(model, r);
  }
  for (const u of removed) {
    w.pool.push(u);
    if (w.routeOf) w.routeOf[u] = -1;
  }
};

export type RemovalOperator = (model: Model, w: Work, idx: Index, q: number, rng: Rng) => void;

export const randomRemoval: RemovalOperator = (model, w, idx, q, rng) => {
  const list = idx.assigned.slice();
  const removed = new Set<number>();
  for (let i = 0; i < q && i < list.length; i++) {
    const j = i + rng.int(list.length - i);
    const t = list[i]!;
    list[i] = list[j]!;
    list[j] = t;
    removed.add(list[i]!);
  }
  removeAll(model, w, idx, removed);
};

const WORST_SAMPLE = 200;

export const worstRemoval: RemovalOperator = (model, w, idx, q, rng) => {
  const { dist, size } = model;
  const gain = new Float64Array(model.n + 1);
  // On large instances, rank a random sample of stops rather than all of them (O(q), not O(n log n)).
  const sample =
    idx.assigned.length <= WORST_SAMPLE
      ? idx.assigned
      : Array.from({ length: WORST_SAMPLE }, () => idx.assigned[rng.int(idx.assigned.length)]!);
  for (const u of sample) {
    const r = w.routes[idx.routeOf[u]!]!;
    const k = idx.posOf[u]!;
    const p = nodeAt(model, r, k - 1);
    const s = nodeAt(model, r, k + 1);
    gain[u] = dist[p * size + u]! + dist[u * size + s]! - dist[p * size + s]!;
  }
  const list = [...new Set(sample)].sort((a, b) => gain[b]! - gain[a]!);
  const removed = new Set<number>();
  while (removed.size < q && list.length > 0) {
    const j = Math.floor(rng.next() ** 4 * list.length);
    removed.add(list[j]!);
    list.splice(j, 1);
  }
  removeAll(model, w, idx, removed);
};

/** How many related stops Shaw removal draws from (a bounded list keeps the model O(n · RELATED)). */
const RELATED = 60;

/** Stops ordered by Shaw relatedness (distance, ready time, demand) to each stop, computed once per model. */
const relatedCache = new WeakMap<Model, Int32Array[]>();
const relatedLists = (model: Model): Int32Array[] => {
  const cached = relatedCache.get(model);
  if (cached) return cached;
  const { dist, size, ready, dem, maxDist, capacity, end, n } = model;
  const horizon = Math.max(1, end - ready[0]!);
  const lists: Int32Array[] = [new Int32Array(0)];
  const score = new Float64Array(n + 1);
  for (let a = 1; a <= n; a++) {
    for (let b = 1; b <= n; b++) {
      score[b] =
        (9 * dist[a * size + b]!) / Math.max(1e-9, maxDist) +
        (3 * Math.abs(ready[a]! - ready[b]!)) / horizon +
        (2 * Math.abs(dem[a]! - dem[b]!)) / Math.max(1, capacity);
    }
    score[a] = Number.POSITIVE_INFINITY;
    lists.push(nearest(score, 1, n, Math.min(n - 1, RELATED)));
  }
  relatedCache.set(model, lists);
  return lists;
};

export const shawRemoval: RemovalOperator = (model, w, idx, q, rng) => {
  if (idx.assigned.length === 0) return;
  const lists = relatedLists(model);
  const first = idx.assigned[rng.int(idx.assigned.length)]!;
  const chosen = [first];
  const removed = new Set(chosen);
  const target = Math.min(q, idx.assigned.length);
  while (chosen.length < target) {
    const list = lists[chosen[rng.int(chosen.length)]!]!;
    const skip = Math.floor(rng.next() ** 6 * (idx.assigned.length - chosen.length));
    let seen = 0;
    let pick = -1;
    for (let i = 0; i < list.length; i++) {
      const c = list[i]!;
      if (removed.has(c) || idx.routeOf[c]! < 0) continue;
      pick = c;
      if (seen++ >= skip) break;
    }
    if (pick < 0) break;
    chosen.push(pick);
    removed.add(pick);
  }
  removeAll(model, w, idx, removed);
};

/** SISR string removal (Christiaens & Vanden Berghe 2020): strings cut from routes near a seed stop. */
export const stringRemoval: RemovalOperator = (model, w, idx, q, rng) => {
  if (idx.assigned.length === 0) return;
  const used = w.routes.filter((r) => r.nodes.length > 0).length;
  const avgCard = idx.assigned.length / Math.max(1, used);
  const lsMax = Math.max(1, Math.min(10, avgCard));
  const ksMax = Math.max(1, (4 * q) / (1 + lsMax) - 1);
  const ks = Math.floor(rng.next() * ksMax) + 1;
  const seed = idx.assigned[rng.int(idx.assigned.length)]!;
  const removed = new Set<number>();
  const ruined = new Set<number>();
  const visit = (c: number) => {
    const ri = idx.routeOf[c]!;
    if (ri < 0 || ruined.has(ri) || removed.has(c)) return;
    ruined.add(ri);
    const nodes = w.routes[ri]!.nodes;
    const len = nodes.length;
    const lMax = Math.min(len, lsMax);
    const l = Math.floor(rng.next() * lMax) + 1;
    const pos = idx.posOf[c]! - 1;
    if (l === len || rng.next() < 0.5) {
      const lo = Math.max(0, pos - l + 1);
      const hi = Math.min(pos, len - l);
      const start = lo + rng.int(hi - lo + 1);
      for (let i = start; i < start + l; i++) removed.add(nodes[i]!);
      return;
    }
    let keep = 1;
    while (l + keep < len && rng.next() < 0.5) keep++;
    const span = l + keep;
    const lo = Math.max(0, pos - span + 1);
    const hi = Math.min(pos, len - span);
    const start = lo + rng.int(hi - lo + 1);
    const keepAt = start + rng.int(l + 1);
    for (let i = start; i < start + span; i++) if (i < keepAt || i >= keepAt + keep) removed.add(nodes[i]!);
  };
  visit(seed);
  const nb = model.neighbours[seed]!;
  for (let i = 0; i < nb.length && ruined.size < ks; i++) visit(nb[i]!);
  removeAll(model, w, idx, removed);
};

export const routeRemoval: RemovalOperator = (model, w, idx, q, rng) => {
  const used = w.routes.map((_r, ri) => ri).filter((ri) => w.routes[ri]!.nodes.length > 0);
  if (used.length === 0) return;
  const a = used[rng.int(used.length)]!;
  const b = used[rng.int(used.length)]!;
  const ri = w.routes[a]!.nodes.length <= w.routes[b]!.nodes.length ? a : b;
  const removed = new Set(w.routes[ri]!.nodes);
  const nb = model.neighbours[w.routes[ri]!.nodes[0]!]!;
  for (let i = 0; i < nb.length && removed.size < q; i++) {
    const c = nb[i]!;
    if (idx.routeOf[c]! >= 0 && rng.next() < 0.5) removed.add(c);
  }
  removeAll(model, w, idx, removed);
};
