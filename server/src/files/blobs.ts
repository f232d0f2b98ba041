/**
 * Where the bytes of content-addressed files live: a local directory (the embedded default) or an
 * S3-compatible bucket shared by every server. A missing blob reads as `null`; any other failure throws,
 * and the file store turns it into STORAGE_UNAVAILABLE.
 */
export type BlobStore = {
  kind: 'local' | 's3';
  write: (sha256: string, bytes: Uint8Array, mime: string) => Promise<void>;
  read: (sha256: string) => Promise<Buffer | null>;
  exists: (sha256: string) => Promise<boolean>;
  remove: (sha256: string) => Promise<void>;
  /** Every blob with the time it was last written (garbage collection's sweep of blobs without a row). */
  list: () => AsyncIterable<{ sha256: string; modifiedAt: Date }>;
  /** Throws when the store cannot be reached or written (for `/ready`). */
  ping: () => Promise<void>;
};

/** `ab/cd/<sha256>`, the same layout in a directory and in a bucket, so moving one to the other is a copy. */
export const blobKey = (sha256: string) => `${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;

export const SHA256_HEX = /^[0-9a-f]{64}$/;
