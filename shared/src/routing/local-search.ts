import type { Work } from './insertion';
import { touch } from './insertion';
import type { Model } from './model';
import { EPS, nodeAt, type Route, routeLoad, seqFeasible, updateRoute } from './route';

const IMPROVES = -1e-7;

/**
 * Cross-exchange between two routes with segments of 0..3 stops each: covers relocate (3-0), swap (1-1),
 * or-opt between routes and cross-exchange proper. Distance delta first, then the O(segment) time check.
 */
const crossExchange = (model: Model, w: Work, r1i: number, r2i: number): boolean => {
  const { dist, size, capacity } = model;
  const r1 = w.routes[r1i]!;
  const r2 = w.routes[r2i]!;
  const m1 = r1.nodes.length;
  const m2 = r2.nodes.length;
  const load1 = routeLoad(r1);
  const load2 = routeLoad(r2);
  const d = (a: number, b: number) => dist[a * size + b]!;
  for (let a = 1; a <= m1 + 1; a++) {
    const p1 = nodeAt(model, r1, a - 1);
    for (let l1 = 0; l1 <= 3 && a + l1 <= m1 + 1; l1++) {
      const n1 = nodeAt(model, r1, a + l1);
      const f1 = l1 > 0 ? r1.nodes[a - 1]! : -1;
      const e1 = l1 > 0 ? r1.nodes[a + l1 - 2]! : -1;
      const old1 = l1 > 0 ? d(p1, f1) + d(e1, n1) : d(p1, n1);
      const dem1 = r1.cum[a + l1 - 1]! - r1.cum[a - 1]!;
      for (let b = 1; b <= m2 + 1; b++) {
        const p2 = nodeAt(model, r2, b - 1);
        for (let l2 = l1 === 0 ? 1 : 0; l2 <= 3 && b + l2 <= m2 + 1; l2++) {
          const n2 = nodeAt(model, r2, b + l2);
          const f2 = l2 > 0 ? r2.nodes[b - 1]! : -1;
          const e2 = l2 > 0 ? r2.nodes[b + l2 - 2]! : -1;
          const old2 = l2 > 0 ? d(p2, f2) + d(e2, n2) : d(p2, n2);
          const new1 = l2 > 0 ? d(p1, f2) + d(e2, n1) : d(p1, n1);
          const new2 = l1 > 0 ? d(p2, f1) + d(e1, n2) : d(p2, n2);
          const delta = new1 + new2 - old1 - old2;
          if (delta >= IMPROVES) continue;
          const dem2 = r2.cum[b + l2 - 1]! - r2.cum[b - 1]!;
          if (load1 - dem1 + dem2 > capacity + EPS || load2 - dem2 + dem1 > capacity + EPS) continue;
          if (!seqFeasible(model, r1, a - 1, r2.nodes, b - 1, b - 1 + l2, a + l1)) continue;
          if (!seqFeasible(model, r2, b - 1, r1.nodes, a - 1, a - 1 + l1, b + l2)) continue;
          const seg1 = r1.nodes.slice(a - 1, a - 1 + l1);
          const seg2 = r2.nodes.slice(b - 1, b - 1 + l2);
          const t1 = touch(w, r1i);
          const t2 = touch(w, r2i);
          t1.nodes.splice(a - 1, l1, ...seg2);
          t2.nodes.splice(b - 1, l2, ...seg1);
          updateRoute(model, t1);
          updateRoute(model, t2);
          return true;
        }
      }
    }
  }
  return false;
};

/** 2-opt*: swap the tails of two routes, O(1) per move. */
const twoOptStar = (model: Model, w: Work, r1i: number, r2i: number): boolean => {
  const { dist, size, time, ready, capacity } = model;
  const r1 = w.routes[r1i]!;
  const r2 = w.routes[r2i]!;
  const m1 = r1.nodes.length;
  const m2 = r2.nodes.length;
  const load1 = routeLoad(r1);
  const load2 = routeLoad(r2);
  const d = (a: number, b: number) => dist[a * size + b]!;
  const joins = (ra: Route, a: number, rb: Route, b: number) => {
    const u = nodeAt(model, ra, a);
    const v = nodeAt(model, rb, b + 1);
    const arr = ra.dep[a]! + time[u * size + v]!;
    const s = arr > ready[v]! ? arr : ready[v]!;
    return s <= rb.lst[b + 1]! + EPS;
  };
  for (let a = 0; a <= m1; a++) {
    const u1 = nodeAt(model, r1, a);
    const v1 = nodeAt(model, r1, a + 1);
    for (let b = 0; b <= m2; b++) {
      if (a === m1 && b === m2) continue;
      if (a === 0 && b === 0) continue;
      const u2 = nodeAt(model, r2, b);
      const v2 = nodeAt(model, r2, b + 1);
      const delta = d(u1, v2) + d(u2, v1) - d(u1, v1) - d(u2, v2);
      if (delta >= IMPROVES) continue;
      if (r1.cum[a]! + load2 - r2.cum[b]! > capacity + EPS) continue;
      if (r2.cum[b]! + load1 - r1.cum[a]! > capacity + EPS) continue;
      if (!joins(r1, a, r2, b) || !joins(r2, b, r1, a)) continue;
      const tail1 = r1.nodes.slice(a);
      const tail2 = r2.nodes.slice(b);
      const t1 = touch(w, r1i);
      const t2 = touch(w, r2i);
      t1.nodes.length = a;
      t1.nodes.push(...tail2);
      t2.nodes.length = b;
      t2.nodes.push(...tail1);
      updateRoute(model, t1);
      updateRoute(model, t2);
      return true;
    }
  }
  return false;
};

const evaluate = (model: Model, vehicle: number, nodes: number[]): number => {
  const probe: Route = { vehicle, nodes, dep: [], lst: [], cum: [], cost: 0, feasible: true };
  updateRoute(model, probe);
  return probe.feasible ? probe.cost : Number.POSITIVE_INFINITY;
};

/** Or-opt (move 1–3 stops elsewhere in the route) and 2-opt (reverse a stretch) within one route. */
const intraRoute = (model: Model, w: Work, ri: number): boolean => {
  const { dist, size } = model;
  const r = w.routes[ri]!;
  const m = r.nodes.length;
  const d = (a: number, b: number) => dist[a * size + b]!;
  const apply = (nodes: number[]) => {
    const cost = evaluate(model, r.vehicle, nodes);
    if (cost >= r.cost + IMPROVES) return false;
    const t = touch(w, ri);
    t.nodes = nodes;
    updateRoute(model, t);
    return true;
  };
  for (let len = 1; len <= 3; len++) {
    for (let a = 1; a + len - 1 <= m; a++) {
      const p = nodeAt(model, r, a - 1);
      const f = r.nodes[a - 1]!;
      const e = r.nodes[a + len - 2]!;
      const n = nodeAt(model, r, a + len);
      const gain = d(p, f) + d(e, n) - d(p, n);
      for (let b = 0; b <= m; b++) {
        if (b >= a - 1 && b <= a + len - 1) continue;
        const x = nodeAt(model, r, b);
        const y = nodeAt(model, r, b + 1);
        if (d(x, f) + d(e, y) - d(x, y) - gain >= IMPROVES) continue;
        const rest = r.nodes.slice(0, a - 1).concat(r.nodes.slice(a - 1 + len));
        const seg = r.nodes.slice(a - 1, a - 1 + len);
        const at = b < a ? b : b - len;
        rest.splice(at, 0, ...seg);
        if (apply(rest)) return true;
      }
    }
  }
  for (let a = 1; a < m; a++) {
    for (let b = a + 1; b <= m; b++) {
      const p = nodeAt(model, r, a - 1);
      const n = nodeAt(model, r, b + 1);
      const delta =
        d(p, r.nodes[b - 1]!) + d(r.nodes[a - 1]!, n) - d(p, r.nodes[a - 1]!) - d(r.nodes[b - 1]!, n);
      if (delta >= IMPROVES) continue;
      const nodes = r.nodes.slice();
      const rev = nodes.slice(a - 1, b).reverse();
      nodes.splice(a - 1, b - a + 1, ...rev);
      if (apply(nodes)) return true;
    }
  }
  return false;
};

/** First-improvement descent over all neighbourhoods until none improves (or `maxPasses`). */
export const localSearch = (model: Model, w: Work, maxPasses = 200): void => {
  for (let pass = 0; pass < maxPasses; pass++) {
    let improved = false;
    const nr = w.routes.length;
    for (let i = 0; i < nr; i++) {
      if (w.routes[i]!.nodes.length > 1 && intraRoute(model, w, i)) improved = true;
    }
    const seen = new Set<number>();
    const tried: number[] = [];
    for (let i = 0; i < nr; i++) {
      const r = w.routes[i]!;
      if (r.nodes.length > 0) tried.push(i);
      else if (!seen.has(model.vehicles[r.vehicle]!.group)) {
        seen.add(model.vehicles[r.vehicle]!.group);
        tried.push(i);
      }
    }
    for (let x = 0; x < tried.length; x++) {
      for (let y = x + 1; y < tried.length; y++) {
        const i = tried[x]!;
        const j = tried[y]!;
        if (w.routes[i]!.nodes.length === 0 && w.routes[j]!.nodes.length === 0) continue;
        if (twoOptStar(model, w, i, j)) improved = true;
        if (crossExchange(model, w, i, j)) improved = true;
      }
    }
    if (!improved) return;
  }
};
