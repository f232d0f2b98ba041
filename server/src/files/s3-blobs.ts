import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { type BlobStore, blobKey, SHA256_HEX } from './blobs';

export type S3Config = {
  endpoint?: string;
  bucket: string;
  region: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  forcePathStyle: boolean;
  /** Longest one request may take; a store that does not answer is refused rather than waited for. */
  requestTimeoutMs?: number;
};

const isMissing = (err: unknown) => {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
};

/**
 * Blobs in an S3-compatible bucket (MinIO, Ceph RGW, a provider's object storage). A PUT is atomic on the
 * store's side: a reader sees the whole object or none. The checksum the store verifies is the body's MD5
 * the SDK sends; the key itself is the sha256 the store's caller computed.
 */
export const s3Blobs = (config: S3Config): BlobStore => {
  const client = new S3Client({
    region: config.region,
    forcePathStyle: config.forcePathStyle,
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    ...(config.accessKeyId && config.secretAccessKey
      ? { credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey } }
      : {}),
    maxAttempts: 2,
    requestHandler: { connectionTimeout: 3_000, requestTimeout: config.requestTimeoutMs ?? 30_000 },
  });
  const Bucket = config.bucket;
  return {
    kind: 's3',
    write: async (sha256, bytes, mime) => {
      await client.send(
        new PutObjectCommand({ Bucket, Key: blobKey(sha256), Body: bytes, ContentType: mime }),
      );
    },
    read: async (sha256) => {
      try {
        const out = await client.send(new GetObjectCommand({ Bucket, Key: blobKey(sha256) }));
        if (!out.Body) return null;
        return Buffer.from(await out.Body.transformToByteArray());
      } catch (err) {
        if (isMissing(err)) return null;
        throw err;
      }
    },
    exists: async (sha256) => {
      try {
        await client.send(new HeadObjectCommand({ Bucket, Key: blobKey(sha256) }));
        return true;
      } catch (err) {
        if (isMissing(err)) return false;
        throw err;
      }
    },
    remove: async (sha256) => {
      await client.send(new DeleteObjectCommand({ Bucket, Key: blobKey(sha256) }));
    },
    list: async function* () {
      let ContinuationToken: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket, ContinuationToken }));
        for (const item of page.Contents ?? []) {
          const sha256 = item.Key?.split('/').at(-1) ?? '';
          if (SHA256_HEX.test(sha256) && item.Key === blobKey(sha256))
            yield { sha256, modifiedAt: item.LastModified ?? new Date() };
        }
        ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (ContinuationToken);
    },
    ping: async () => {
      await client.send(new HeadBucketCommand({ Bucket }));
    },
  };
};
