import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { files } from '../../server/src/db/schema';
import { createFileStore, sniffMime } from '../../server/src/files/store';
import { createTestDatabase } from '../helpers/db';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
const store = createFileStore({ dir: mkdtempSync(join(tmpdir(), 'pd-files-')), maxBytes: 1024 });

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

const pdf = (text: string) => new TextEncoder().encode(`%PDF-1.7\n% ${text}\n%%EOF\n`);

describe('the content-addressed file store', () => {
  it('stores bytes under their sha256 and gives them back', async () => {
    const bytes = pdf(`a-${Math.random()}`);
    const stored = await store.put(database.db, { bytes });
    expect(stored.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(stored.mime).toBe('application/pdf');
    expect(existsSync(store.pathOf(stored.sha256))).toBe(true);
    expect(Buffer.compare(await store.get(stored.sha256), Buffer.from(bytes))).toBe(0);
  });

  it('stores the same bytes once', async () => {
    const bytes = pdf(`b-${Math.random()}`);
    const a = await store.put(database.db, { bytes });
    const b = await store.put(database.db, { bytes });
    expect(a.sha256).toBe(b.sha256);
    expect(await database.db.select().from(files).where(eq(files.sha256, a.sha256))).toHaveLength(1);
  });

  it('refuses an oversized upload with FILE_TOO_LARGE and stores nothing', async () => {
    const bytes = new Uint8Array(2048);
    bytes.set(pdf('big'));
    const err = await store.put(database.db, { bytes }).catch((e) => e);
    expect(err.code).toBe('FILE_TOO_LARGE');
    expect(err.details).toEqual({ size: 2048, limit: 1024 });
    const sha = createHash('sha256').update(bytes).digest('hex');
    expect(await database.db.select().from(files).where(eq(files.sha256, sha))).toHaveLength(0);
    expect(existsSync(store.pathOf(sha))).toBe(false);
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

  it('recognises the scan formats', () => {
    expect(sniffMime(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(sniffMime(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d]))).toBe('image/png');
    expect(sniffMime(new TextEncoder().encode('II*\0'))).toBe('image/tiff');
    expect(sniffMime(new TextEncoder().encode('GIF89a'))).toBeNull();
  });

  it('a malformed file id is NOT_FOUND, not a path', async () => {
    const err = await store.get('../../etc/passwd').catch((e) => e);
    expect(err.code).toBe('NOT_FOUND');
  });
});
