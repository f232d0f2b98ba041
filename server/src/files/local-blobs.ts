import { randomBytes } from 'node:crypto';
import { access, constants, mkdir, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type BlobStore, blobKey, SHA256_HEX } from './blobs';

const fsyncDir = async (dir: string) => {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
};

const isMissing = (err: unknown) => (err as NodeJS.ErrnoException).code === 'ENOENT';

/**
 * Blobs in a directory. A write goes to a temporary file that is flushed to the disk, renamed over the final
 * name (atomic: a reader sees the whole file or none) and the directory is flushed too, so a power cut after
 * the database row is committed cannot leave an empty or missing file behind it.
 */
export const localBlobs = (root: string): BlobStore => {
  const pathOf = (sha256: string) => join(root, blobKey(sha256));
  return {
    kind: 'local',
    write: async (sha256, bytes) => {
      const path = pathOf(sha256);
      const dir = dirname(path);
      const created = await mkdir(dir, { recursive: true });
      const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
      const handle = await open(tmp, 'wx', 0o640);
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } catch (err) {
        await handle.close();
        await unlink(tmp).catch(() => {});
        throw err;
      }
      await handle.close();
      await rename(tmp, path).catch(async (err) => {
        await unlink(tmp).catch(() => {});
        throw err;
      });
      await fsyncDir(dir);
      // New `ab/` and `ab/cd/` folders are entries of their parents: flush those too.
      if (created) {
        await fsyncDir(dirname(dir));
        await fsyncDir(dirname(dirname(dir)));
      }
    },
    read: async (sha256) => {
      try {
        return await readFile(pathOf(sha256));
      } catch (err) {
        if (isMissing(err)) return null;
        throw err;
      }
    },
    exists: async (sha256) => {
      try {
        return (await stat(pathOf(sha256))).isFile();
      } catch (err) {
        if (isMissing(err)) return false;
        throw err;
      }
    },
    remove: async (sha256) => {
      await unlink(pathOf(sha256)).catch((err) => {
        if (!isMissing(err)) throw err;
      });
    },
    list: async function* () {
      const names = (dir: string) => readdir(dir).catch((err) => (isMissing(err) ? [] : Promise.reject(err)));
      for (const a of await names(root)) {
        if (!/^[0-9a-f]{2}$/.test(a)) continue;
        for (const b of await names(join(root, a))) {
          if (!/^[0-9a-f]{2}$/.test(b)) continue;
          for (const name of await names(join(root, a, b))) {
            if (!SHA256_HEX.test(name)) continue;
            const info = await stat(join(root, a, b, name)).catch(() => null);
            if (info) yield { sha256: name, modifiedAt: info.mtime };
          }
        }
      }
    },
    ping: async () => {
      await mkdir(root, { recursive: true });
      await access(root, constants.R_OK | constants.W_OK);
    },
  };
};
