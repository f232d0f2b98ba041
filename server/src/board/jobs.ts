import { z } from 'zod';
import type { Db } from '../db/client';
import { defineJob } from '../jobs/queue';
import { monthOf, monthsBack, refreshRollups, warnDeadlines } from './service';

/**
 * The board's repeatable jobs, both idempotent (run them every few minutes; a re-run changes nothing new):
 * - `board_deadline_warn`: one audit-log warning per at-risk/overdue dossier and due time, and the Mẫu 04 prompt;
 * - `indicator_rollup_refresh`: re-materialises the monthly roll-ups of the current and the previous month.
 * `now` (ISO) is for tests and replays; the schedule leaves it out.
 */
export const boardJobs = ({ db }: { db: Db }) => [
  defineJob({
    name: 'board_deadline_warn',
    payload: z.object({ now: z.iso.datetime().optional() }),
    concurrency: 1,
    attempts: 3,
    backoffMs: 10_000,
    handler: async (p: { now?: string }) => {
      await warnDeadlines(db, p.now ? new Date(p.now) : new Date());
    },
  }),
  defineJob({
    name: 'indicator_rollup_refresh',
    payload: z.object({
      now: z.iso.datetime().optional(),
      months: z.number().int().min(1).max(36).optional(),
    }),
    concurrency: 1,
    attempts: 3,
    backoffMs: 10_000,
    handler: async (p: { now?: string; months?: number }) => {
      const now = p.now ? new Date(p.now) : new Date();
      await refreshRollups(db, monthsBack(monthOf(now), p.months ?? 2), now);
    },
  }),
];
