import { createHash } from 'node:crypto';
import { appError } from '@postdesk/shared';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { files } from '../db/schema';
import { type BlobStore, SHA256_HEX } from './blobs';
import { localBlobs } from './local-blobs';
import { type S3Config, s3Blobs } from './s3-blobs';

/** What we accept, recognised by the bytes themselves: a declared type is never trusted. */
const SIGNATURES: { mime: string; test: (b: Uint8Array) => boolean }[] = [
  { mime: 'application/pdf', test: (b) => ascii(b, 0, 5) === '%PDF-' },
  { mime: 'image/jpeg', test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { mime: 'image/png', test: (b) => b[0] === 0x89 && ascii(b, 1, 4) === 'PNG' },
  { mime: 'image/tiff', test: (b) => ascii(b, 0, 4) === 'II*\0' || ascii(b, 0, 4) === 'MM\0*' },
  { mime: 'image/webp', test: (b) => ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP' },
  { mime: 'image/heif', test: (b) => ascii(b, 4, 8) === 'ftyp' && /avi[fs]/.test(ascii(b, 8, 64)) },
];

const ascii = (b: Uint8Array, from: number, to: number) => String.fromCharCode(...b.subarray(from, to));

export const sniffMime = (bytes: Uint8Array) => SIGNATURES.find((s) => s.test(bytes))?.mime ?? null;

export type StoredFile = { sha256: string; size: number; mime: string };

/** Any failure of the store itself (not a missing blob): the caller sees a clear 503, the log the cause. */
const unavailable = (op: string, err: unknown) =>
  appError('STORAGE_UNAVAILABLE', { op, cause: (err as Error)?.name ?? 'Error' });

/**
 * Content-addressed files: the bytes in a blob store (a directory, or an S3 bucket every server shares) under
 * their sha256, the row in `files` saying what they are. The same bytes stored twice are one blob.
 *
 * The row is written (or its `stored_at` refreshed) before the blob, and garbage collection deletes a blob
 * only while holding that row's lock and only when `stored_at` is older than its grace period; so a blob
 * being stored again while it is collected is never lost. When the store fails, a row this call created is
 * taken back: nothing is half-stored.
 */
export const createFileStore = (
  opts: { maxBytes: number } & ({ dir: string } | { s3: S3Config } | { blobs: BlobStore }),
) => {
  const blobs: BlobStore =
    'blobs' in opts ? opts.blobs : 's3' in opts ? s3Blobs(opts.s3) : localBlobs(opts.dir);

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
    const size = input.bytes.byteLength;
    const [row] = await db
      .insert(files)
      .values({ sha256, size, mime })
      .onConflictDoUpdate({ target: files.sha256, set: { storedAt: sql`now()` } })
      .returning({ created: sql<boolean>`(xmax = 0)` });
    try {
      await blobs.write(sha256, input.bytes, mime);
    } catch (err) {
      if (row?.created)
        await db
          .delete(files)
          .where(eq(files.sha256, sha256))
          .catch(() => {});
      throw unavailable('write', err);
    }
    return { sha256, size, mime };
  };

  /**
   * The bytes of a stored file. A malformed id is NOT_FOUND (never a path); a well-formed id whose blob is
   * not in the store is FILE_MISSING (a storage fault to report, not the user's mistake).
   */
  const get = async (sha256: string) => {
    if (!SHA256_HEX.test(sha256)) throw appError('NOT_FOUND');
    const bytes = await blobs.read(sha256).catch((err) => {
      throw unavailable('read', err);
    });
    if (!bytes) throw appError('FILE_MISSING', { sha256 });
    return bytes;
  };

  /** Whether the blob is in the store (a store that cannot be asked throws STORAGE_UNAVAILABLE). */
  const has = async (sha256: string) => {
    if (!SHA256_HEX.test(sha256)) return false;
    return blobs.exists(sha256).catch((err) => {
      throw unavailable('exists', err);
    });
  };

  /** For `/ready`: throws STORAGE_UNAVAILABLE when the store cannot be reached. */
  const ping = async () => {
    await blobs.ping().catch((err) => {
      throw unavailable('ping', err);
    });
    return { kind: blobs.kind };
  };

  // `ready` is the name /ready's probes look for.
  return { put, get, has, ping, ready: ping, blobs, kind: blobs.kind, maxBytes: opts.maxBytes };
};

export type FileStore = ReturnType<typeof createFileStore>;

/** The store the environment asks for: an S3 bucket when `S3_BUCKET` is set, else the files directory. */
export const fileStoreFromEnv = (env: {
  filesDir: string;
  MAX_UPLOAD_BYTES: number;
  S3_BUCKET?: string | undefined;
  S3_ENDPOINT?: string | undefined;
  S3_REGION: string;
  S3_ACCESS_KEY_ID?: string | undefined;
  S3_SECRET_ACCESS_KEY?: string | undefined;
  S3_FORCE_PATH_STYLE: boolean;
}) =>
  env.S3_BUCKET
    ? createFileStore({
        maxBytes: env.MAX_UPLOAD_BYTES,
        s3: {
          bucket: env.S3_BUCKET,
          region: env.S3_REGION,
          endpoint: env.S3_ENDPOINT,
          accessKeyId: env.S3_ACCESS_KEY_ID,
          secretAccessKey: env.S3_SECRET_ACCESS_KEY,
          forcePathStyle: env.S3_FORCE_PATH_STYLE,
        },
      })
    : createFileStore({ dir: env.filesDir, maxBytes: env.MAX_UPLOAD_BYTES });
