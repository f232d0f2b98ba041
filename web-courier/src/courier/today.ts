import { TRPCClientError } from '@trpc/client';
import { createRoot, createSignal } from 'solid-js';
import { type CachedToday, readKv, writeKv } from '../offline/db';
import { queue } from '../offline/queue';
import { courierApi } from './api';
import type { Task, Today } from './types';

const cacheKey = 'today';
const RELOAD_EVERY_MS = 60_000;

export type TodayView = { data: Today; fetchedAt: number; offlineCopy: boolean };

const createToday = () => {
  const [view, setView] = createSignal<TodayView>();
  const [loading, setLoading] = createSignal(false);
  const [failure, setFailure] = createSignal<unknown>();
  let userId: string | undefined;

  const fromCache = async () => {
    const cached = await readKv<CachedToday>(cacheKey);
    if (cached && cached.userId === userId) {
      setView({ data: cached.data, fetchedAt: cached.fetchedAt, offlineCopy: true });
      return true;
    }
    return false;
  };

  const load = async (forUser: string) => {
    userId = forUser;
    setLoading(true);
    try {
      const data = await courierApi.today.query();
      const fetchedAt = Date.now();
      await writeKv(cacheKey, { userId: forUser, fetchedAt, data } satisfies CachedToday);
      setView({ data, fetchedAt, offlineCopy: false });
      setFailure(undefined);
    } catch (error) {
      const networkDown = error instanceof TRPCClientError && !error.data;
      if (!(networkDown && (await fromCache()))) setFailure(error);
      if (networkDown && !view()) await fromCache();
    } finally {
      setLoading(false);
    }
  };

  queue.onSettled(() => {
    if (userId) void load(userId);
  });
  window.addEventListener('online', () => {
    if (userId) void load(userId);
  });
  // The planner may re-order the day by itself (failed visit, urgent task, a courier off): look every minute.
  setInterval(() => {
    if (userId && navigator.onLine && document.visibilityState === 'visible' && !loading()) void load(userId);
  }, RELOAD_EVERY_MS);

  const task = (id: string): Task | undefined => view()?.data.tasks.find((each) => each.id === id);

  /** Forgets the day shown (sign-out): the next courier on this phone starts from nothing. */
  const clear = () => {
    userId = undefined;
    setView(undefined);
    setFailure(undefined);
  };

  return { view, loading, failure, load, task, fromCache, clear };
};

export const today = createRoot(createToday);

const OPEN_STATES = new Set(['open', 'assigned']);

/** Done on the server, or done on the phone and waiting to sync. */
export const isSettled = (task: Task) =>
  !OPEN_STATES.has(task.state) ||
  queue.forTask(task.id).some((action) => action.status === 'pending' || action.status === 'applied');

export const byRoute = (tasks: Task[]) =>
  [...tasks].sort(
    (a, b) => (a.sequence ?? 9999) - (b.sequence ?? 9999) || a.address.localeCompare(b.address),
  );
