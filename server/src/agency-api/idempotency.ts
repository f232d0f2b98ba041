import { createHash } from 'node:crypto';
import { appError } from '@postdesk/shared';
import { and, eq, lt } from 'drizzle-orm';
import type { Db } from '../db/client';
import { apiRequests } from '../db/schema';
import { canonicalJson } from '../dossiers/engine';

export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_.:-]{1,100}$/;

/** sha256 of the request as understood (method, path, canonical body), so formatting and boundaries do not matter. */
export const requestHash = (method: string, path: string, body: unknown) =>
  createHash('sha256').update(canonicalJson({ method, path, body })).digest('hex');

export type StoredAnswer = { status: number; body: unknown; replayed: boolean };

/**
 * Runs `action` at most once per (agency, Idempotency-Key): in one transaction, the key is claimed (a concurrent
 * request with the same key waits on it), the action runs on that transaction, and its answer is stored with the
 * key. The same key with the same request returns the stored answer; with another request it is refused. A
 * refused action rolls everything back and stores nothing, so it may be retried with the same key.
 */
export const once = async (
  db: Db,
  opts: { agencyId: string; key: string; hash: string },
  action: (tx: Db) => Promise<{ status: number; body: unknown }>,
): Promise<StoredAnswer> =>
  db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    const claimed = await t
      .insert(apiRequests)
      .values({
        agencyId: opts.agencyId,
        requestKey: opts.key,
        requestHash: opts.hash,
        status: 0,
        response: {},
      })
      .onConflictDoNothing()
      .returning({ key: apiRequests.requestKey });
    if (claimed.length === 0) {
      const [stored] = await t
        .select()
        .from(apiRequests)
        .where(and(eq(apiRequests.agencyId, opts.agencyId), eq(apiRequests.requestKey, opts.key)));
      if (!stored) throw appError('CONFLICT');
      if (stored.requestHash !== opts.hash) throw appError('AGENCY_API_IDEMPOTENCY_MISMATCH');
      return { status: stored.status, body: stored.response, replayed: true };
    }
    const answer = await action(t);
    // Stored as JSON (dates become ISO strings), exactly as the client received it the first time.
    const body = JSON.parse(JSON.stringify(answer.body)) as unknown;
    await t
      .update(apiRequests)
      .set({ status: answer.status, response: body })
      .where(and(eq(apiRequests.agencyId, opts.agencyId), eq(apiRequests.requestKey, opts.key)));
    return { status: answer.status, body, replayed: false };
  });

/** How long a key's answer is kept: an agency system retrying after a long outage still gets the first answer. */
export const IDEMPOTENCY_RETENTION_DAYS = 30;

/** Forgets answers older than the retention (the daily `purge_api_requests` job); returns how many. */
export const purgeOldRequests = async (db: Db, now = new Date()) => {
  const before = new Date(now.getTime() - IDEMPOTENCY_RETENTION_DAYS * 86_400_000);
  const gone = await db
    .delete(apiRequests)
    .where(lt(apiRequests.createdAt, before))
    .returning({ key: apiRequests.requestKey });
  return gone.length;
};
