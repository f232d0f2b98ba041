import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { appError } from '@postdesk/shared';
import type { Db } from '../db/client';
import { files } from '../db/schema';

/** What we accept, recognised by the bytes themselves: a declared type is never trusted. */
const SIGNATURES: { mime: string; test: (b: Uint8Array) => boolean }[] = [
  { mime: 'application/pdf', test: (b) => ascii(b, 0, 5) === '%PDF-' },
  { mime: 'image/jpeg', test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { mime: 'image/png', test: (b) => b[0] === 0x89 && ascii(b, 1, 4) === 'PNG' },
  { mime: 'image/tiff', test: (b) => ascii(b, 0, 4) === 'II*\0' || ascii(b, 0, 4) === 'MM\0*' },
  { mime: 'image/webp', test: (b) => ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP' },
];

const ascii = (b: Uint8Array, from: number, to: number) => String.fromCharCode(...b.subarray(from, to));

export const sniffMime = (bytes: Uint8Array) => SIGNATURES.find((s) => s.test(bytes))?.mime ?? null;

export type StoredFile = { sha256: string; size: number; mime: string };

/** Content-addressed blobs on disk (`ab/cd/<sha256>`): the same bytes stored twice are one file. */
export const createFileStore = (opts: { dir: string; maxBytes: number }) => {
  const pathOf = (sha256: string) => join(opts.dir, sha256.slice(0, 2), sha256.slice(2, 4), sha256);

  const put = async (
    db: Db,
    input: { bytes: Uint8Array; allowed?: readonly string[]; maxBytes?: number },
  ): Promise<StoredFile> => {
    const limit = Math.min(input.maxBytes ?? opts.maxBytes, opts.maxBytes);
    if (input.bytes.byteLength > limit) {
      throw appError('FILE_TOO_LARGE', { size: input.bytes.byteLength, limit });
    }
    const mime = sniffMime(input.bytes);
    if (!mime || (input.allowed && !input.allowed.includes(mime))) {
      throw appError('FILE_TYPE_NOT_ALLOWED', { allowed: input.allowed ?? SIGNATURES.map((s) => s.mime) });
    }
    const sha256 = createHash('sha256').update(input.bytes).digest('hex');
    const path = pathOf(sha256);
    await mkdir(join(path, '..'), { recursive: true });
    const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(tmp, input.bytes);
    await rename(tmp, path);
    await db.insert(files).values({ sha256, size: input.bytes.byteLength, mime }).onConflictDoNothing();
    return { sha256, size: input.bytes.byteLength, mime };
  };

  const get = async (sha256: string) => {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw appError('NOT_FOUND');
    try {
      return await readFile(pathOf(sha256));
    } catch {
      throw appError('NOT_FOUND');
    }
  };

  return { put, get, pathOf, maxBytes: opts.maxBytes };
};

export type FileStore = ReturnType<typeof createFileStore>;
