import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Db, rows } from '../db/client';
import { devMailbox, documentPages, otpCodes } from '../db/schema';
import type { Logger } from '../logger';
import { defineJob, type JobRunner } from './queue';

/** What the reconciler writes on a page it gave up on; the clerk's retry starts it over. */
export const PAGE_FAILED_CODE = 'PAGE_PROCESSING_FAILED';

/**
 * The page job's id: one per page revision, and a new one for each recovery, so a job that BullMQ still keeps
 * as failed (its id taken) does not swallow the new run.
 */
export const pageJobId = (page: { id: string; revision: number; recoveries?: number }) =>
  page.recoveries ? `${page.id}-${page.revision}-r${page.recoveries}` : `${page.id}-${page.revision}`;

export const enqueuePageJob = (
  jobs: JobRunner,
  page: { id: string; revision: number; recoveries?: number },
) => jobs.enqueue('digitize_page', { pageId: page.id, revision: page.revision }, { jobId: pageJobId(page) });

export type RecoveryReport = { resumed: number; retried: number; failed: number; inHand: number };

/**
 * Pages left `queued` or `processing` longer than `stuckAfterMs`, from PostgreSQL (the truth), against the
 * queue: a page whose job is still waiting or running is left alone; a page whose job is gone (Redis restarted
 * empty, or the in-process queue of a stopped server) is enqueued again under the same id; a page whose job
 * ended without making it ready (failed, or a worker killed under it twice) is retried under a new job id,
 * and after `maxRecoveries` such retries it is marked failed for the clerk, who can retry it. Each step is a
 * conditional update on the row, so reconcilers in several processes at once act once per page.
 */
export const reconcilePages = async (
  db: Db,
  jobs: JobRunner,
  opts: { stuckAfterMs: number; maxRecoveries: number; limit?: number },
): Promise<RecoveryReport> => {
  const report: RecoveryReport = { resumed: 0, retried: 0, failed: 0, inHand: 0 };
  const stuck = await db
    .select({
      id: documentPages.id,
      revision: documentPages.revision,
      recoveries: documentPages.recoveries,
    })
    .from(documentPages)
    .where(
      and(
        inArray(documentPages.state, ['queued', 'processing']),
        lt(documentPages.stateChangedAt, sql`now() - make_interval(secs => ${opts.stuckAfterMs / 1000})`),
      ),
    )
    .orderBy(documentPages.stateChangedAt)
    .limit(opts.limit ?? 500);
  for (const page of stuck) {
    const status = await jobs.status('digitize_page', pageJobId(page));
    if (status === 'waiting' || status === 'active' || status === 'delayed') {
      report.inHand += 1;
      continue;
    }
    const same = and(
      eq(documentPages.id, page.id),
      eq(documentPages.revision, page.revision),
      eq(documentPages.recoveries, page.recoveries),
      inArray(documentPages.state, ['queued', 'processing']),
    );
    if (status === 'missing') {
      // Lost with the queue, not the page's fault: the same job again, and the clock starts over.
      const [claimed] = await db
        .update(documentPages)
        .set({ stateChangedAt: sql`now()` })
        .where(same)
        .returning({ id: documentPages.id });
      if (!claimed) continue;
      await enqueuePageJob(jobs, page);
      report.resumed += 1;
      continue;
    }
    if (page.recoveries >= opts.maxRecoveries) {
      const [failed] = await db
        .update(documentPages)
        .set({ state: 'failed', error: PAGE_FAILED_CODE })
        .where(same)
        .returning({ id: documentPages.id });
      if (failed) report.failed += 1;
      continue;
    }
    const [next] = await db
      .update(documentPages)
      .set({ state: 'queued', recoveries: page.recoveries + 1, stateChangedAt: sql`now()` })
      .where(same)
      .returning({
        id: documentPages.id,
        revision: documentPages.revision,
        recoveries: documentPages.recoveries,
      });
    if (!next) continue;
    await enqueuePageJob(jobs, next);
    report.retried += 1;
  }
  return report;
};

export const RECOVER_PAGES_JOB = 'recover_pages';
export const RETENTION_JOB = 'retention';

export const recoverPagesJob = (deps: {
  db: Db;
  jobs: () => JobRunner;
  log?: Logger;
  stuckAfterMs: number;
  maxRecoveries: number;
}) =>
  defineJob({
    name: RECOVER_PAGES_JOB,
    payload: z.object({}),
    concurrency: 1,
    // Harmless to repeat: every step is conditional on the row it read.
    attempts: 2,
    backoffMs: 5_000,
    handler: async () => {
      const report = await reconcilePages(deps.db, deps.jobs(), deps);
      if (report.resumed + report.retried + report.failed > 0)
        deps.log?.warn(report, 'recovered stuck pages');
    },
  });

export type RetentionPolicy = {
  /** Sent outbox messages older than this are deleted (the first of each dossier and topic is kept). */
  outboxDays: number;
  /** The development mailbox. */
  mailboxDays: number;
  /** One-time codes expired this long ago (their rows also count sends per phone within a short window). */
  otpDays: number;
};

/**
 * Deletes what is past its retention (and clears the contact details of queue numbers from before yesterday), in batches so no transaction holds many locks for long. The first sent
 * message of each dossier and topic stays: the portal channel tells an update from a new record by it.
 */
export const applyRetention = async (db: Db, policy: RetentionPolicy, now = new Date()) => {
  const day = 86_400_000;
  const outboxBefore = new Date(now.getTime() - policy.outboxDays * day);
  const batch = 5_000;
  let outboxGone = 0;
  for (;;) {
    const gone = await rows<{ id: number }>(
      db,
      sql`delete from outbox where id in (
        select o.id from outbox o
        where o.state = 'sent' and o.sent_at < ${outboxBefore.toISOString()}
          and exists (select 1 from outbox first where first.topic = o.topic
            and first.dossier_id is not distinct from o.dossier_id and first.id < o.id)
        limit ${batch}) returning id`,
    );
    outboxGone += gone.length;
    if (gone.length < batch) break;
  }
  // Texts without a dossier (a login code) have no "first message" to keep.
  const loose = await rows<{ id: number }>(
    db,
    sql`delete from outbox where state = 'sent' and dossier_id is null
      and sent_at < ${outboxBefore.toISOString()} returning id`,
  );
  const otp = await db
    .delete(otpCodes)
    .where(lt(otpCodes.expiresAt, new Date(now.getTime() - policy.otpDays * day)))
    .returning({ id: otpCodes.id });
  const mailbox = await db
    .delete(devMailbox)
    .where(lt(devMailbox.createdAt, new Date(now.getTime() - policy.mailboxDays * day)))
    .returning({ id: devMailbox.id });
  // A queue number's name and phone serve that visit only; its times stay for the board's figures.
  const scrubBefore = new Date(now.getTime() + 7 * 3_600_000 - day).toISOString().slice(0, 10);
  const queueContacts = await rows<{ id: string }>(
    db,
    sql`update queue_tickets set full_name = null, phone = null
        where day < ${scrubBefore} and (full_name is not null or phone is not null) returning id`,
  );
  return {
    outbox: outboxGone + loose.length,
    otpCodes: otp.length,
    mailbox: mailbox.length,
    queueContacts: queueContacts.length,
  };
};

export const retentionJob = (deps: { db: Db; log?: Logger; policy: RetentionPolicy }) =>
  defineJob({
    name: RETENTION_JOB,
    payload: z.object({ now: z.string().optional() }),
    concurrency: 1,
    attempts: 3,
    backoffMs: 60_000,
    handler: async ({ now }) => {
      const report = await applyRetention(deps.db, deps.policy, now ? new Date(now) : new Date());
      deps.log?.info(report, 'retention applied');
    },
  });
