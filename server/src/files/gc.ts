import { type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Db, rows } from '../db/client';
import { defineJob } from '../jobs/queue';
import type { FileStore } from './store';

/**
 * Every place a row names a stored file by its sha256. A blob is kept while any of these holds its hash:
 * a column, a JSON array of hashes, or a hash anywhere in a JSON payload (event payloads keep the hashes of
 * results and proofs the auditor may ask for, even after a row moved on to a newer file). A test compares
 * this list with the schema, so a new column that names files cannot be forgotten here.
 */
export const FILE_REFERENCES: { table: string; column: string; json?: 'array' | 'anywhere' }[] = [
  { table: 'documents', column: 'signed_file_sha256' },
  { table: 'documents', column: 'pages', json: 'anywhere' },
  { table: 'document_pages', column: 'original_sha256' },
  { table: 'document_pages', column: 'thumb_sha256' },
  { table: 'document_pages', column: 'page_pdf_sha256' },
  { table: 'dossiers', column: 'result_file_sha256' },
  { table: 'payments', column: 'receipt_sha256' },
  { table: 'courier_proofs', column: 'signature_sha256' },
  { table: 'courier_proofs', column: 'pdf_sha256' },
  { table: 'courier_proofs', column: 'photo_sha256s', json: 'array' },
  { table: 'courier_proofs', column: 'payload', json: 'anywhere' },
  { table: 'dossier_events', column: 'payload', json: 'anywhere' },
];

const BATCH = 200;

const inList = (hashes: string[]) =>
  sql.join(
    hashes.map((h) => sql`${h}`),
    sql`, `,
  );

/** Which of `hashes` some row still names. */
const referencedAmong = async (db: Db, hashes: string[]) => {
  if (hashes.length === 0) return new Set<string>();
  const parts: SQL[] = FILE_REFERENCES.map(({ table, column, json }) => {
    const t = sql.identifier(table);
    const c = sql.identifier(column);
    return json
      ? sql`select v #>> '{}' as sha from ${t} r, jsonb_path_query(r.${c}, 'strict $.**') v
            where jsonb_typeof(v) = 'string' and v #>> '{}' in (${inList(hashes)})`
      : sql`select ${c} as sha from ${t} where ${c} in (${inList(hashes)})`;
  });
  const found = await rows<{ sha: string }>(db, sql.join(parts, sql` union `));
  return new Set(found.map((r) => r.sha));
};

/**
 * Old file rows that no column or array of hashes names (one pass over each table); the hashes anywhere in
 * JSON payloads are searched only for these, batch by batch.
 */
const candidates = async (db: Db, cutoff: Date, after: string) => {
  const plain = FILE_REFERENCES.filter((r) => r.json !== 'anywhere').map(({ table, column, json }) => {
    const c = sql`r.${sql.identifier(column)}`;
    const match = json === 'array' ? sql`jsonb_exists(${c}, f.sha256)` : sql`${c} = f.sha256`;
    return sql`not exists (select 1 from ${sql.identifier(table)} r where ${match})`;
  });
  const found = await rows<{ sha256: string }>(
    db,
    sql`select f.sha256 from files f
        where f.stored_at < ${cutoff.toISOString()}::timestamptz and f.sha256 > ${after}
          and ${sql.join(plain, sql` and `)}
        order by f.sha256 limit ${BATCH}`,
  );
  return found.map((r) => r.sha256);
};

export type GcReport = { deleted: number; orphansDeleted: number; kept: number };

/**
 * Deletes blobs no row refers to once they are older than the grace period (counted from the last time the
 * bytes were stored). Each batch locks its `files` rows, checks the references again under the lock, then
 * deletes the blobs and the rows: a put of the same bytes meanwhile refreshes `stored_at` first and so waits
 * for the lock, then stores the blob again. Blobs with no row at all (an upload cut off before its row, in
 * older versions) are deleted the same way, by holding a placeholder row while the blob goes.
 */
export const collectGarbage = async (
  db: Db,
  opts: { files: FileStore; graceHours: number; now?: Date },
): Promise<GcReport> => {
  const cutoff = new Date((opts.now ?? new Date()).getTime() - opts.graceHours * 3_600_000);
  const report: GcReport = { deleted: 0, orphansDeleted: 0, kept: 0 };
  let after = '';
  for (;;) {
    const batch = await candidates(db, cutoff, after);
    if (batch.length === 0) break;
    after = batch.at(-1)!;
    await db.transaction(async (tx) => {
      const t = tx as unknown as Db;
      const locked = await rows<{ sha256: string }>(
        t,
        sql`select sha256 from files where sha256 in (${inList(batch)})
            and stored_at < ${cutoff.toISOString()}::timestamptz for update skip locked`,
      );
      const still = await referencedAmong(
        t,
        locked.map((r) => r.sha256),
      );
      const gone = locked.map((r) => r.sha256).filter((sha) => !still.has(sha));
      report.kept += locked.length - gone.length;
      for (const sha of gone) await opts.files.blobs.remove(sha);
      if (gone.length > 0) await t.execute(sql`delete from files where sha256 in (${inList(gone)})`);
      report.deleted += gone.length;
    });
  }

  let orphans: string[] = [];
  const sweep = async () => {
    const known = await rows<{ sha256: string }>(
      db,
      sql`select sha256 from files where sha256 in (${inList(orphans)})`,
    );
    const rowless = orphans.filter((sha) => !known.some((k) => k.sha256 === sha));
    orphans = [];
    for (const sha of rowless) {
      await db.transaction(async (tx) => {
        const t = tx as unknown as Db;
        const held = await rows<{ sha256: string }>(
          t,
          sql`insert into files (sha256, size, mime, stored_at) values (${sha}, 0, 'application/octet-stream', 'epoch')
              on conflict do nothing returning sha256`,
        );
        if (held.length === 0) return;
        await opts.files.blobs.remove(sha);
        await t.execute(sql`delete from files where sha256 = ${sha}`);
        report.orphansDeleted += 1;
      });
    }
  };
  for await (const blob of opts.files.blobs.list()) {
    if (blob.modifiedAt >= cutoff) continue;
    orphans.push(blob.sha256);
    if (orphans.length >= BATCH) await sweep();
  }
  if (orphans.length > 0) await sweep();
  return report;
};

/** `files_gc`: daily; harmless to repeat (it only deletes what is unreferenced and past its grace). */
export const fileGcJob = (deps: { db: Db; files: FileStore; graceHours: number }) =>
  defineJob({
    name: 'files_gc',
    payload: z.object({ now: z.string().optional() }),
    concurrency: 1,
    attempts: 3,
    backoffMs: 60_000,
    handler: async ({ now }) => {
      await collectGarbage(deps.db, { ...deps, ...(now ? { now: new Date(now) } : {}) });
    },
  });
