import type { Work } from './insertion';
import { touch } from './insertion';
import type { Model } from './model';
import type { Rng } from './random';
import { EPS, insertionCost, nodeAt, type Route, routeLoad, seqFeasible, updateRoute } from './route';

const IMPROVES = -1e-7;

/** Longest stretch a 2-opt inside one route reverses (its check is O(length)). */
const MAX_REVERSE = 40;

/**
 * Granular local search (after Toth & Vigo's granular tabu search and Vidal's HGS): for each stop u and
 * each of its model neighbours v, try relocating u (or u and its successor) next to v, swapping u and v,
 * 2-opt* joining u to v across routes, and 2-opt inside a route. Every inter-route move is priced and
 * checked in O(1) from the routes' forward departure / backward latest-start arrays, so a pass costs
 * O(n · NEIGHBOURS) whatever the size of the instance. First improvement; stops whose routes changed are
 * looked at again, until none improves or `maxMoves` moves were applied.
 */
export class GranularSearch {
  private readonly routeOf: Int32Array;
  private readonly posOf: Int32Array;
  private readonly queued: Uint8Array;
  private queue: number[] = [];
  private w!: Work;
  private readonly seenStarts = new Set<number>();
  private readonly allFromDepot: boolean;

  constructor(private readonly model: Model) {
    this.routeOf = new Int32Array(model.n + 1);
    this.posOf = new Int32Array(model.n + 1);
    this.queued = new Uint8Array(model.n + 1);
    this.allFromDepot = model.vehicles.every((v) => v.node === 0);
  }

  /**
   * Improve `w` in place (copy-on-write routes). `from` lists the stops to start from (all routed stops
   * when omitted); returns the number of moves applied. `stop` is polled now and then (time limit).
   */
  run(w: Work, rng: Rng, from?: number[], maxMoves = Number.POSITIVE_INFINITY, stop?: () => boolean): number {
    const { model, routeOf, queued } = this;
    this.w = w;
    routeOf.fill(-1);
    for (let ri = 0; ri < w.routes.length; ri++) this.index(ri);
    const start: number[] = [];
    if (from) {
      for (const u of from) if (u > 0 && u <= model.n && routeOf[u]! >= 0) start.push(u);
    } else {
      for (let u = 1; u <= model.n; u++) if (routeOf[u]! >= 0) start.push(u);
    }
    for (let i = start.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      const t = start[i]!;
      start[i] = start[j]!;
      start[j] = t;
    }
    queued.fill(0);
    this.queue = [];
    for (const u of start) {
      if (queued[u]) continue;
      queued[u] = 1;
      this.queue.push(u);
    }
    let moves = 0;
    let head = 0;
    while (head < this.queue.length && moves < maxMoves) {
      if (stop && (head & 63) === 0 && stop()) break;
      const u = this.queue[head++]!;
      queued[u] = 0;
      if (routeOf[u]! < 0) continue;
      if (this.improve(u)) {
        moves++;
        if (!queued[u]) {
          queued[u] = 1;
          this.queue.push(u);
        }
      }
      if (head > 4096 && head * 2 > this.queue.length) {
        this.queue = this.queue.slice(head);
        head = 0;
      }
    }
    return moves;
  }

  private index(ri: number): void {
    const nodes = this.w.routes[ri]!.nodes;
    for (let i = 0; i < nodes.length; i++) {
      const u = nodes[i]!;
      this.routeOf[u] = ri;
      this.posOf[u] = i + 1;
    }
  }

  /** A route changed: re-index it and queue its stops for another look. */
  private changed(ri: number, nodes: number[]): void {
    const r = touch(this.w, ri);
    r.nodes = nodes;
    updateRoute(this.model, r);
    this.index(ri);
    for (const u of nodes) {
      if (this.queued[u]) continue;
      this.queued[u] = 1;
      this.queue.push(u);
    }
  }

  /** Whether the route stays on time without its stops at positions a..b (1-based, inclusive). */
  private cutOk(r: Route, a: number, b: number): boolean {
    const { model } = this;
    const p = nodeAt(model, r, a - 1);
    const q = nodeAt(model, r, b + 1);
    const arr = r.dep[a - 1]! + model.time[p * model.size + q]!;
    const s = arr > model.ready[q]! ? arr : model.ready[q]!;
    return s <= r.lst[b + 1]! + EPS;
  }

  /** Whether stop x can take position k's place in r (the stop there leaves). */
  private replaceOk(r: Route, k: number, x: number): boolean {
    const { model } = this;
    const { size, time, ready, due, svc } = model;
    const p = nodeAt(model, r, k - 1);
    const q = nodeAt(model, r, k + 1);
    const arr = r.dep[k - 1]! + time[p * size + x]!;
    const s = arr > ready[x]! ? arr : ready[x]!;
    if (s > due[x]! + EPS) return false;
    const arrQ = s + svc[x]! + time[x * size + q]!;
    const sQ = arrQ > ready[q]! ? arrQ : ready[q]!;
    return sQ <= r.lst[k + 1]! + EPS;
  }

  /** Whether r's prefix up to position a, then rb's suffix from position b, is on time. */
  private joinOk(ra: Route, a: number, rb: Route, b: number): boolean {
    const { model } = this;
    const x = nodeAt(model, ra, a);
    const y = nodeAt(model, rb, b);
    const arr = ra.dep[a]! + model.time[x * model.size + y]!;
    const s = arr > model.ready[y]! ? arr : model.ready[y]!;
    return s <= rb.lst[b]! + EPS;
  }

  /** Exact cost of a sequence for a vehicle, or Infinity when it is late anywhere. */
  private cost(vehicle: number, nodes: number[]): number {
    const probe: Route = { vehicle, nodes, dep: [], lst: [], cum: [], cost: 0, feasible: true };
    updateRoute(this.model, probe);
    return probe.feasible ? probe.cost : Number.POSITIVE_INFINITY;
  }

  private improve(u: number): boolean {
    const { model, routeOf, posOf, w } = this;
    const { dist, size, dem, capacity } = model;
    const d = (a: number, b: number) => dist[a * size + b]!;
    const nb = model.neighbours[u]!;
    // Everything about u's place is fixed until a move is applied (and then this returns).
    const rui = routeOf[u]!;
    const ru = w.routes[rui]!;
    const pu = posOf[u]!;
    const mu = ru.nodes.length;
    const prevU = pu > 1 ? ru.nodes[pu - 2]! : model.vehicles[ru.vehicle]!.node;
    const nextU = pu < mu ? ru.nodes[pu]! : 0;
    const loadU = routeLoad(ru);
    const removeGain = d(prevU, u) + d(u, nextU) - d(prevU, nextU);
    const cutU = this.cutOk(ru, pu, pu);
    for (let i = 0; i < nb.length; i++) {
      const v = nb[i]!;
      const rvi = routeOf[v]!;
      if (rvi < 0) continue;
      const rv = w.routes[rvi]!;
      const pv = posOf[v]!;
      const prevV = pv > 1 ? rv.nodes[pv - 2]! : model.vehicles[rv.vehicle]!.node;
      const nextV = pv < rv.nodes.length ? rv.nodes[pv]! : 0;
      if (rui !== rvi) {
        const loadV = routeLoad(rv);
        // Relocate u after v, then before v.
        if (loadV + dem[u]! <= capacity + EPS) {
          const after = d(v, u) + d(u, nextV) - d(v, nextV) - removeGain;
          if (after < IMPROVES && cutU && insertionCost(model, rv, u, pv) < Number.POSITIVE_INFINITY) {
            this.moveSegment(rui, pu, 1, rvi, pv);
            return true;
          }
          const before = d(prevV, u) + d(u, v) - d(prevV, v) - removeGain;
          if (before < IMPROVES && cutU && insertionCost(model, rv, u, pv - 1) < Number.POSITIVE_INFINITY) {
            this.moveSegment(rui, pu, 1, rvi, pv - 1);
            return true;
          }
        }
        // Relocate u and its successor after v (or-opt of two).
        if (pu < mu) {
          const x = nextU;
          const nextX = nodeAt(model, ru, pu + 2);
          if (loadV + dem[u]! + dem[x]! <= capacity + EPS) {
            const delta =
              d(v, u) +
              d(x, nextV) -
              d(v, nextV) -
              (d(prevU, u) + d(u, x) + d(x, nextX) - d(prevU, nextX)) +
              d(u, x);
            if (
              delta < IMPROVES &&
              this.cutOk(ru, pu, pu + 1) &&
              seqFeasible(model, rv, pv, ru.nodes, pu - 1, pu + 1, pv + 1)
            ) {
              this.moveSegment(rui, pu, 2, rvi, pv);
              return true;
            }
          }
        }
        // Swap u and v.
        const swapLoadOk =
          loadU - dem[u]! + dem[v]! <= capacity + EPS && loadV - dem[v]! + dem[u]! <= capacity + EPS;
        if (swapLoadOk) {
          const delta =
            d(prevU, v) +
            d(v, nextU) -
            d(prevU, u) -
            d(u, nextU) +
            d(prevV, u) +
            d(u, nextV) -
            d(prevV, v) -
            d(v, nextV);
          if (delta < IMPROVES && this.replaceOk(ru, pu, v) && this.replaceOk(rv, pv, u)) {
            const a = ru.nodes.slice();
            const b = rv.nodes.slice();
            a[pu - 1] = v;
            b[pv - 1] = u;
            this.changed(rui, a);
            this.changed(rvi, b);
            return true;
          }
        }
        // 2-opt*: ru keeps its head up to u then takes rv's tail from v; rv's head up to v's predecessor
        // takes ru's tail after u.
        {
          const delta = d(u, v) + d(prevV, nextU) - d(u, nextU) - d(prevV, v);
          if (
            delta < IMPROVES &&
            ru.cum[pu]! + loadV - rv.cum[pv - 1]! <= capacity + EPS &&
            rv.cum[pv - 1]! + loadU - ru.cum[pu]! <= capacity + EPS &&
            this.joinOk(ru, pu, rv, pv) &&
            this.joinOk(rv, pv - 1, ru, pu + 1)
          ) {
            const a = ru.nodes.slice(0, pu).concat(rv.nodes.slice(pv - 1));
            const b = rv.nodes.slice(0, pv - 1).concat(ru.nodes.slice(pu));
            this.changed(rui, a);
            this.changed(rvi, b);
            return true;
          }
        }
        // 2-opt* the other way round: v's head then u's tail; u's head before u then v's tail after v.
        {
          const delta = d(v, u) + d(prevU, nextV) - d(v, nextV) - d(prevU, u);
          if (
            delta < IMPROVES &&
            rv.cum[pv]! + loadU - ru.cum[pu - 1]! <= capacity + EPS &&
            ru.cum[pu - 1]! + loadV - rv.cum[pv]! <= capacity + EPS &&
            this.joinOk(rv, pv, ru, pu) &&
            this.joinOk(ru, pu - 1, rv, pv + 1)
          ) {
            const a = ru.nodes.slice(0, pu - 1).concat(rv.nodes.slice(pv));
            const b = rv.nodes.slice(0, pv).concat(ru.nodes.slice(pu - 1));
            this.changed(rui, a);
            this.changed(rvi, b);
            return true;
          }
        }
      } else {
        // Same route: relocate u next to v, or reverse the stretch between them (2-opt).
        if (pv !== pu - 1) {
          const after = d(v, u) + d(u, nextV) - d(v, nextV) - removeGain;
          if (after < IMPROVES && this.tryIntra(rui, ru, pu, pv)) return true;
        }
        if (pv !== pu + 1) {
          const before = d(prevV, u) + d(u, v) - d(prevV, v) - removeGain;
          if (before < IMPROVES && this.tryIntra(rui, ru, pu, pv - 1)) return true;
        }
        const a = pu < pv ? pu : pv;
        const b = pu < pv ? pv : pu;
        if (b - a >= 1 && b - a <= MAX_REVERSE) {
          // Reverse a+1..b so that nodeAt(a) is followed by nodeAt(b): adds edge (u, v) or (v, u).
          const x = nodeAt(model, ru, a);
          const y = nodeAt(model, ru, a + 1);
          const z = nodeAt(model, ru, b);
          const after = nodeAt(model, ru, b + 1);
          const delta = d(x, z) + d(y, after) - d(x, y) - d(z, after);
          if (delta < IMPROVES && b > a + 1) {
            const nodes = ru.nodes.slice();
            let lo = a;
            let hi = b - 1;
            while (lo < hi) {
              const t = nodes[lo]!;
              nodes[lo] = nodes[hi]!;
              nodes[hi] = t;
              lo++;
              hi--;
            }
            if (this.cost(ru.vehicle, nodes) < ru.cost + IMPROVES) {
              this.changed(rui, nodes);
              return true;
            }
          }
        }
      }
    }
    return cutU && this.toEmptyRoute(u, ru, rui, pu, removeGain);
  }

  /** Move u (at position pu) to just after position k of its own route, if that is shorter and on time. */
  private tryIntra(ri: number, r: Route, pu: number, k: number): boolean {
    const nodes = r.nodes.slice();
    const u = nodes[pu - 1]!;
    nodes.splice(pu - 1, 1);
    nodes.splice(k < pu ? k : k - 1, 0, u);
    if (this.cost(r.vehicle, nodes) >= r.cost + IMPROVES) return false;
    this.changed(ri, nodes);
    return true;
  }

  /** Move `len` stops from position `at` of route a to just after position `k` of route b (a ≠ b). */
  private moveSegment(a: number, at: number, len: number, b: number, k: number): void {
    const ra = this.w.routes[a]!;
    const rb = this.w.routes[b]!;
    const seg = ra.nodes.slice(at - 1, at - 1 + len);
    const na = ra.nodes.slice(0, at - 1).concat(ra.nodes.slice(at - 1 + len));
    const nbNodes = rb.nodes.slice(0, k).concat(seg, rb.nodes.slice(k));
    this.changed(a, na);
    this.changed(b, nbNodes);
  }

  /** Open a new route for u when that is shorter (rare with distance only, but possible with windows). */
  private toEmptyRoute(u: number, ru: Route, rui: number, pu: number, gain: number): boolean {
    const { model, w } = this;
    if (ru.nodes.length === 1) return false;
    const { dist, size } = model;
    if (this.allFromDepot && dist[u]! + dist[u * size]! - gain >= IMPROVES) return false;
    // Empty routes of one start place are alike: the first one found stands for the others.
    const seen = this.seenStarts;
    seen.clear();
    for (let ri = 0; ri < w.routes.length; ri++) {
      const r = w.routes[ri]!;
      if (r.nodes.length > 0) continue;
      const s = model.vehicles[r.vehicle]!.node;
      if (seen.has(s)) continue;
      seen.add(s);
      const add = dist[s * size + u]! + dist[u * size]! - (s === 0 ? 0 : dist[s * size]!);
      if (add - gain >= IMPROVES) continue;
      if (r.cum[0]! + model.dem[u]! > model.capacity + EPS) continue;
      if (insertionCost(model, r, u, 0) === Number.POSITIVE_INFINITY) continue;
      this.moveSegment(rui, pu, 1, ri, 0);
      return true;
    }
    return false;
  }
}
