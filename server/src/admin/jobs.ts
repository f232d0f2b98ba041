import { z } from 'zod';
import type { Db } from '../db/client';
import { defineJob } from '../jobs/queue';
import { createLogger } from '../logger';
import { checkCalendarRunway } from './calendars';

/**
 * `calendar_runway_check` (daily, idempotent per day): when the published holiday calendar runs out within 90
 * days, an audit line and a warning in the log ask the administrators to publish the next year. Intake never
 * waits for it: later due times are computed provisionally meanwhile.
 */
export const adminJobs = ({ db, logLevel = 'info' }: { db: Db; logLevel?: string }) => {
  const log = createLogger(logLevel);
  return [
    defineJob({
      name: 'calendar_runway_check',
      payload: z.object({ now: z.iso.datetime().optional() }),
      concurrency: 1,
      attempts: 3,
      backoffMs: 60_000,
      handler: async (p: { now?: string }) => {
        const runway = await checkCalendarRunway(db, { now: p.now ? new Date(p.now) : new Date() });
        if (runway.warned)
          log.warn(
            { lastPublishedYear: runway.lastPublishedYear, daysLeft: runway.daysLeft },
            'the published holiday calendar runs out soon: load and publish the next year',
          );
      },
    }),
  ];
};
