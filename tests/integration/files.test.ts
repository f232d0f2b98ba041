import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { files } from '../../server/src/db/schema';
import { createFileStore, type FileStore, sniffMime } from '../../server/src/files/store';
import { createTestDatabase } from '../helpers/db';
import { startS3 } from '../helpers/s3';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let s3: Awaited<ReturnType<typeof startS3>>;

const s3Config = (env: Awaited<ReturnType<typeof startS3>>['env']) => ({
  endpoint: env.S3_ENDPOINT,
  bucket: env.S3_BUCKET,
  region: env.S3_REGION,
  accessKeyId: env.S3_ACCESS_KEY_ID,
  secretAccessKey: env.S3_SECRET_ACCESS_KEY,
  forcePathStyle: true,
});

beforeAll(async () => {
  database = await createTestDatabase();
  s3 = await startS3();
});
afterAll(async () => {
  await s3.close();
  await database.close();
});

const pdf = (text: string) => new TextEncoder().encode(`%PDF-1.7\n% ${text}\n%%EOF\n`);
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const rowOf = (sha256: string) => database.db.select().from(files).where(eq(files.sha256, sha256));

const backends: [string, () => FileStore][] = [
  [
    'a local directory',
    () => createFileStore({ dir: mkdtempSync(join(tmpdir(), 'pd-files-')), maxBytes: 1024 }),
  ],
  ['an S3-protocol server', () => createFileStore({ s3: s3Config(s3.env), maxBytes: 1024 })],
];

describe.each(backends)('the content-addressed file store in %s', (_name, make) => {
  let store: FileStore;
  beforeAll(() => {
    store = make();
  });

  it('stores bytes under their sha256 and gives them back', async () => {
    const bytes = pdf(`a-${Math.random()}`);
    const stored = await store.put(database.db, { bytes });
    expect(stored.sha256).toBe(sha(bytes));
    expect(stored.mime).toBe('application/pdf');
    expect(await store.has(stored.sha256)).toBe(true);
    expect(Buffer.compare(await store.get(stored.sha256), Buffer.from(bytes))).toBe(0);
  });

  it('stores the same bytes once', async () => {
    const bytes = pdf(`b-${Math.random()}`);
    const a = await store.put(database.db, { bytes });
    const b = await store.put(database.db, { bytes });
    expect(a.sha256).toBe(b.sha256);
    expect(await rowOf(a.sha256)).toHaveLength(1);
  });

  it('refuses an oversized upload with FILE_TOO_LARGE and stores nothing', async () => {
    const bytes = new Uint8Array(2048);
    bytes.set(pdf('big'));
    const err = await store.put(database.db, { bytes }).catch((e) => e);
    expect(err.code).toBe('FILE_TOO_LARGE');
    expect(err.details).toEqual({ size: 2048, limit: 1024 });
    expect(await rowOf(sha(bytes))).toHaveLength(0);
    expect(await store.has(sha(bytes))).toBe(false);
  });

  it('judges the type by the bytes: an executable named .pdf is refused', async () => {
    const bytes = new TextEncoder().encode('MZ\x90\x00 this is not a scan');
    const err = await store.put(database.db, { bytes }).catch((e) => e);
    expect(err.code).toBe('FILE_TYPE_NOT_ALLOWED');
  });

  it('refuses a type the caller did not allow', async () => {
    const err = await store.put(database.db, { bytes: pdf('c'), allowed: ['image/jpeg'] }).catch((e) => e);
    expect(err.code).toBe('FILE_TYPE_NOT_ALLOWED');
  });

  it('a malformed file id is NOT_FOUND, not a path', async () => {
    const err = await store.get('../../etc/passwd').catch((e) => e);
    expect(err.code).toBe('NOT_FOUND');
  });

  it('a file on record whose blob is not in the store is FILE_MISSING, not "someone else changed it"', async () => {
    const missing = sha(pdf(`never-stored-${Math.random()}`));
    const err = await store.get(missing).catch((e) => e);
    expect(err.code).toBe('FILE_MISSING');
    expect(err.message).not.toMatch(/someone else/i);
  });

  it('answers the readiness probe', async () => {
    expect(await store.ping()).toEqual({ kind: store.kind });
  });
});

describe('a file store that is down', () => {
  it('S3 unreachable: STORAGE_UNAVAILABLE (503), no row left behind, the readiness probe fails', async () => {
    const down = await startS3();
    const store = createFileStore({ s3: s3Config(down.env), maxBytes: 1024 });
    await down.stop();
    const bytes = pdf(`down-${Math.random()}`);
    const err = await store.put(database.db, { bytes }).catch((e) => e);
    expect(err.code).toBe('STORAGE_UNAVAILABLE');
    expect(await rowOf(sha(bytes))).toHaveLength(0);
    expect((await store.get(sha(bytes)).catch((e) => e)).code).toBe('STORAGE_UNAVAILABLE');
    expect((await store.ping().catch((e) => e)).code).toBe('STORAGE_UNAVAILABLE');
    await down.close();
  });

  it('a directory that cannot be written: STORAGE_UNAVAILABLE, no row left behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pd-files-'));
    // A regular file where the store's folder should be: every write under it fails (root ignores modes).
    writeFileSync(join(dir, 'store'), 'not a folder');
    const store = createFileStore({ dir: join(dir, 'store'), maxBytes: 1024 });
    const bytes = pdf(`ro-${Math.random()}`);
    const err = await store.put(database.db, { bytes }).catch((e) => e);
    expect(err.code).toBe('STORAGE_UNAVAILABLE');
    expect(await rowOf(sha(bytes))).toHaveLength(0);
    expect((await store.ping().catch((e) => e)).code).toBe('STORAGE_UNAVAILABLE');
  });

  it('the same bytes stored again while the store is down keep the first copy and its row', async () => {
    const down = await startS3();
    const store = createFileStore({ s3: s3Config(down.env), maxBytes: 1024 });
    const bytes = pdf(`again-${Math.random()}`);
    await store.put(database.db, { bytes });
    await down.stop();
    expect((await store.put(database.db, { bytes }).catch((e) => e)).code).toBe('STORAGE_UNAVAILABLE');
    expect(await rowOf(sha(bytes))).toHaveLength(1);
    await down.close();
  });
});

describe('recognising scans', () => {
  it('recognises the scan formats', () => {
    expect(sniffMime(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(sniffMime(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d]))).toBe('image/png');
    expect(sniffMime(new TextEncoder().encode('II*\0'))).toBe('image/tiff');
    expect(sniffMime(new TextEncoder().encode('GIF89a'))).toBeNull();
  });
});
