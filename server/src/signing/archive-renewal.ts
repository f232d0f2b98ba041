// Archive renewal (PAdES B-LTA over the years): before the newest timestamp's TSA certificate expires, a
// stored signed document gets fresh validation data and a new document timestamp, so the chain of proofs
// never has a link whose certificate expired before the next one covered it. The renewed file replaces the
// stored one (content-addressed: the old bytes stay where they are).
import { and, eq, gt, isNotNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client';
import { documents } from '../db/schema';
import type { FileStore } from '../files/store';
import { defineJob } from '../jobs/queue';
import { archiveDeadline, augmentToLta, type LongTermConfig } from './augment';

export const ARCHIVE_RENEWAL_JOB = 'archive_renewal';

/** Renew this long before the TSA certificate expires: a TSA or responder down for weeks is still covered. */
export const RENEWAL_MARGIN_MS = 90 * 86_400_000;

const BATCH = 200;

export type RenewalOutcome = { renewed: number; checked: number; failed: number };

/**
 * Renews every stored signed copy whose newest timestamp's TSA certificate expires within the margin.
 * Documents without any timestamp (signed at baseline B) are left alone: a timestamp now would not prove
 * the signature existed while the clerk's certificate was valid.
 */
export const renewArchives = async (
  db: Db,
  opts: { files: FileStore; longTerm: LongTermConfig; now?: Date; marginMs?: number },
): Promise<RenewalOutcome> => {
  const now = opts.now ?? new Date();
  const margin = opts.marginMs ?? RENEWAL_MARGIN_MS;
  const outcome: RenewalOutcome = { renewed: 0, checked: 0, failed: 0 };
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows = await db
      .select({ id: documents.id, sha256: documents.signedFileSha256 })
      .from(documents)
      .where(and(isNotNull(documents.signedFileSha256), gt(documents.id, after)))
      .orderBy(documents.id)
      .limit(BATCH);
    if (rows.length === 0) return outcome;
    after = rows.at(-1)?.id ?? after;
    for (const row of rows) {
      if (!row.sha256) continue;
      outcome.checked += 1;
      const bytes = new Uint8Array(await opts.files.get(row.sha256));
      const deadline = archiveDeadline(bytes);
      if (!deadline || deadline.expires.getTime() - now.getTime() > margin) continue;
      try {
        const renewed = await augmentToLta(bytes, opts.longTerm, now);
        const stored = await opts.files.put(db, { bytes: renewed.bytes, allowed: ['application/pdf'] });
        // Only if nobody replaced the file meanwhile (a retry, a second worker): else theirs stands.
        await db
          .update(documents)
          .set({ signedFileSha256: stored.sha256 })
          .where(and(eq(documents.id, row.id), eq(documents.signedFileSha256, row.sha256)));
        outcome.renewed += 1;
      } catch {
        // The TSA is down: the margin leaves weeks for the next runs to try again.
        outcome.failed += 1;
      }
    }
  }
};

/** The periodic job: one sweep at a time; harmless to repeat (renewed files are far from their deadline). */
export const archiveRenewalJob = (deps: { db: Db; files: FileStore; longTerm: LongTermConfig }) =>
  defineJob({
    name: ARCHIVE_RENEWAL_JOB,
    payload: z.object({}),
    concurrency: 1,
    // A failed sweep is retried twice, then waits for the next day's run.
    attempts: 3,
    backoffMs: 60_000,
    handler: async () => {
      await renewArchives(deps.db, { files: deps.files, longTerm: deps.longTerm });
    },
  });
