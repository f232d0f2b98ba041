import { Hono } from 'hono';
import type { Database } from '../db/client';
import type { FileStore } from '../files/store';
import type { JobRunner } from '../jobs/queue';
import type { Signer } from '../signing';

/** One dependency's check: resolves when it answers; throws or resolves false when it does not. */
export type ReadyCheck = () => Promise<unknown>;

/**
 * What a process needs to serve: the database, Redis (when jobs go through it), the object store and the
 * signing transport when they offer a `ready()` check (the object store and PKCS#11 transports can add one;
 * the local directory and the demo's software key have nothing to check).
 */
export const readyChecks = (deps: {
  database?: Pick<Database, 'ping'>;
  jobs?: Pick<JobRunner, 'ping' | 'mode'>;
  files?: FileStore;
  signer?: Signer;
  extra?: Record<string, ReadyCheck>;
}): Record<string, ReadyCheck> => {
  const checks: Record<string, ReadyCheck> = {};
  if (deps.database) checks.database = deps.database.ping;
  if (deps.jobs && deps.jobs.mode === 'bullmq') checks.redis = deps.jobs.ping;
  const files = deps.files as (FileStore & { ready?: () => Promise<unknown> }) | undefined;
  if (files?.ready) checks.objectStore = () => files.ready!();
  const signer = deps.signer as (Signer & { ready?: () => Promise<unknown> }) | undefined;
  if (signer?.ready) checks.signing = () => signer.ready!();
  return { ...checks, ...deps.extra };
};

const CHECK_TIMEOUT_MS = 3_000;

const run = async (check: ReadyCheck) => {
  let timer: NodeJS.Timeout | undefined;
  try {
    const result = await Promise.race([
      check(),
      new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), CHECK_TIMEOUT_MS);
      }),
    ]);
    return result !== false;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
};

/**
 * `/health`: liveness, the process answers (a supervisor restarts it when not); it checks nothing else, so a
 * database outage does not get every process restarted. `/ready`: readiness for a load balancer, each
 * dependency checked at once with a time limit; 503 names the parts that are down.
 */
export const probeRoutes = (checks: Record<string, ReadyCheck>, info: { role?: string } = {}) => {
  const app = new Hono();
  app.get('/health', (c) => c.json({ status: 'ok', ...(info.role ? { role: info.role } : {}) }));
  app.get('/ready', async (c) => {
    const names = Object.keys(checks);
    const results = await Promise.all(names.map((n) => run(checks[n]!)));
    const parts = Object.fromEntries(names.map((n, i) => [n, results[i] ? 'ok' : 'down']));
    const down = names.filter((_, i) => !results[i]);
    c.header('cache-control', 'no-store');
    return down.length === 0
      ? c.json({ status: 'ready', ...parts })
      : c.json({ status: 'unavailable', down, ...parts }, 503);
  });
  return app;
};
