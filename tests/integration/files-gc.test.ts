import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, rows } from '../../server/src/db/client';
import { documents, files } from '../../server/src/db/schema';
import { collectGarbage, FILE_REFERENCES } from '../../server/src/files/gc';
import { createFileStore, type FileStore } from '../../server/src/files/store';
import { findMissingFiles } from '../../server/src/files/verify';
import { createTestServer } from '../helpers/app';
import { createTestDatabase } from '../helpers/db';
import { intakeFor } from '../helpers/intake';
import { startS3 } from '../helpers/s3';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let s3: Awaited<ReturnType<typeof startS3>>;
let dossierId: string;

const DAY = 86_400_000;
/** The collector runs "a month from now" with a one-day grace: what was stored today is old by then. */
const later = () => new Date(Date.now() + 30 * DAY);
const pdf = (text: string) => new TextEncoder().encode(`%PDF-1.7\n% ${text} ${Math.random()}\n%%EOF\n`);
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const hasRow = async (hash: string) =>
  (await database.db.select().from(files).where(eq(files.sha256, hash))).length === 1;

beforeAll(async () => {
  database = await createTestDatabase();
  s3 = await startS3();
  const server = createTestServer(database.db);
  const clerk = await server.callerAs('gdv.hang');
  const commune = (await clerk.catalog.communes())[0]!.code;
  const procedure = await clerk.catalog.procedure({ code: '3.000333' });
  const input = intakeFor(procedure, commune, {
    absent: procedure.components.filter((c) => !c.required).map((c) => c.code),
  });
  dossierId = (await clerk.intake.submit(input)).dossierId;
});
afterAll(async () => {
  await s3.close();
  await database.close();
});

describe('the list of columns that name stored files', () => {
  it('holds every *sha256* column of the schema (but the files table itself), and only real columns', async () => {
    const columns = await rows<{ table_name: string; column_name: string }>(
      database.db,
      sql`select table_name, column_name from information_schema.columns
          where table_schema = 'public' and column_name like '%sha256%' and table_name <> 'files'`,
    );
    const listed = new Set(FILE_REFERENCES.map((r) => `${r.table}.${r.column}`));
    for (const c of columns)
      expect(listed, `${c.table_name}.${c.column_name}`).toContain(`${c.table_name}.${c.column_name}`);
    const all = await rows<{ name: string }>(
      database.db,
      sql`select table_name || '.' || column_name as name from information_schema.columns where table_schema = 'public'`,
    );
    const existing = new Set(all.map((c) => c.name));
    for (const name of listed) expect(existing, name).toContain(name);
  });
});

const backends: [string, () => FileStore][] = [
  [
    'a local directory',
    () => createFileStore({ dir: mkdtempSync(join(tmpdir(), 'pd-gc-')), maxBytes: 1 << 20 }),
  ],
  [
    'an S3-protocol server',
    () =>
      createFileStore({
        maxBytes: 1 << 20,
        s3: {
          endpoint: s3.env.S3_ENDPOINT,
          bucket: s3.env.S3_BUCKET,
          region: s3.env.S3_REGION,
          accessKeyId: s3.env.S3_ACCESS_KEY_ID,
          secretAccessKey: s3.env.S3_SECRET_ACCESS_KEY,
          forcePathStyle: true,
        },
      }),
  ],
];

describe.each(backends)('garbage collection in %s', (_name, make) => {
  let store: FileStore;
  beforeAll(() => {
    store = make();
  });

  it('deletes an unreferenced blob past its grace; keeps referenced ones and young ones', async () => {
    const unreferenced = await store.put(database.db, { bytes: pdf('rác') });
    const signed = await store.put(database.db, { bytes: pdf('đã ký') });
    const inJson = await store.put(database.db, { bytes: pdf('trong JSON') });
    const young = await store.put(database.db, { bytes: pdf('mới') });
    await database.db.insert(documents).values([
      { dossierId, componentCode: 'gc-1', source: 'scan', signedFileSha256: signed.sha256 },
      {
        dossierId,
        componentCode: 'gc-2',
        source: 'upload',
        pages: [{ fileSha256: inJson.sha256, rotation: 0, mode: 'grey' }],
      },
    ]);
    const now = later();
    await database.db
      .update(files)
      .set({ storedAt: new Date(now.getTime() - 3_600_000) })
      .where(eq(files.sha256, young.sha256));

    const report = await collectGarbage(database.db, { files: store, graceHours: 24, now });
    expect(report.deleted).toBeGreaterThanOrEqual(1);
    expect(await store.has(unreferenced.sha256)).toBe(false);
    expect(await hasRow(unreferenced.sha256)).toBe(false);
    for (const kept of [signed, inJson, young]) {
      expect(await store.has(kept.sha256)).toBe(true);
      expect(await hasRow(kept.sha256)).toBe(true);
    }
    expect(
      Buffer.from(await store.get(signed.sha256))
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
  });

  it('bytes stored again are given a new grace period: the collector leaves them', async () => {
    const again = pdf('lưu lại');
    const once = pdf('lưu một lần');
    for (const bytes of [again, once]) {
      await store.put(database.db, { bytes });
      await database.db
        .update(files)
        .set({ storedAt: new Date(Date.now() - 2 * DAY) })
        .where(eq(files.sha256, sha(bytes)));
    }
    // The same content uploaded again (another clerk, a retry) just before the collector runs.
    await store.put(database.db, { bytes: again });
    await collectGarbage(database.db, { files: store, graceHours: 24 });
    expect(await store.has(sha(again))).toBe(true);
    expect(await hasRow(sha(again))).toBe(true);
    expect(await store.has(sha(once))).toBe(false);
  });

  it('deletes an old blob that has no row at all (an upload cut off in an older version)', async () => {
    const bytes = pdf('mồ côi');
    await store.blobs.write(sha(bytes), bytes, 'application/pdf');
    const report = await collectGarbage(database.db, { files: store, graceHours: 24, now: later() });
    expect(report.orphansDeleted).toBeGreaterThanOrEqual(1);
    expect(await store.has(sha(bytes))).toBe(false);
    expect(await hasRow(sha(bytes))).toBe(false);
  });
});

describe('checking a restored copy', () => {
  it('names the files rows refer to that the store does not have', async () => {
    const store = backends[0]![1]();
    const kept = await store.put(database.db, { bytes: pdf('còn') });
    const lost = await store.put(database.db, { bytes: pdf('mất') });
    await database.db.insert(documents).values([
      { dossierId, componentCode: 'vr-1', source: 'scan', signedFileSha256: kept.sha256 },
      { dossierId, componentCode: 'vr-2', source: 'scan', signedFileSha256: lost.sha256 },
    ]);
    await store.blobs.remove(lost.sha256);
    const { referenced, missing } = await findMissingFiles(database.db, store);
    expect(referenced).toBeGreaterThanOrEqual(2);
    expect(missing).toContain(lost.sha256);
    expect(missing).not.toContain(kept.sha256);
  });
});

describe('garbage collection on the embedded database (PGlite, npm start)', () => {
  it('deletes the unreferenced blob and keeps the referenced one', async () => {
    const embedded = await openDatabase({});
    await embedded.migrate();
    const store = backends[0]![1]();
    const gone = await store.put(embedded.db, { bytes: pdf('PGlite rác') });
    const kept = await store.put(embedded.db, { bytes: pdf('PGlite giữ') });
    await embedded.db.execute(
      sql`insert into documents (component_code, source, pages) values ('gc', 'upload', ${JSON.stringify([{ fileSha256: kept.sha256 }])}::jsonb)`,
    );
    const report = await collectGarbage(embedded.db, { files: store, graceHours: 24, now: later() });
    expect(report.deleted).toBe(1);
    expect(await store.has(gone.sha256)).toBe(false);
    expect(await store.has(kept.sha256)).toBe(true);
    await embedded.close();
  }, 120_000);
});
