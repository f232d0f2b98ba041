/**
 * Fixed-window counter per key, in memory: enough for one server process. With several processes behind a
 * load balancer the per-account lock in the database still holds; this only slows one address down.
 */
export const createRateLimiter = (opts: { limit: number; windowMs: number; now?: () => number }) => {
  const now = opts.now ?? Date.now;
  const windows = new Map<string, { start: number; count: number }>();
  return {
    /** Counts one attempt; false when the key has used up its window. */
    hit: (key: string) => {
      const t = now();
      const w = windows.get(key);
      if (!w || t - w.start >= opts.windowMs) {
        if (windows.size > 10_000) windows.clear();
        windows.set(key, { start: t, count: 1 });
        return true;
      }
      w.count += 1;
      return w.count <= opts.limit;
    },
  };
};

export type RateLimiter = ReturnType<typeof createRateLimiter>;
