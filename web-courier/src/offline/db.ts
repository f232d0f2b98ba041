import { type DBSchema, openDB } from 'idb';
import type { ActionType, Position, Today } from '../courier/types';

export type QueuedStatus = 'pending' | 'applied' | 'conflict' | 'rejected';

/** One action at the door, as queued on the phone; `clientActionId` makes re-sending it harmless. */
export type QueuedAction = {
  seq?: number;
  clientActionId: string;
  userId: string;
  taskId: string;
  taskVersion: number;
  /** What the courier saw, so a conflict can still name the task once it left today's list. */
  taskLabel: string;
  type: ActionType;
  deviceAt: string;
  position: Position | null;
  payload: Record<string, unknown>;
  /** SHA-256 of every photo and signature the payload names: uploaded before the action is sent. */
  blobs: string[];
  status: QueuedStatus;
  code?: string;
  message?: string;
  messageEn?: string;
  settledAt?: string;
  /** From the server once applied: the proof (its PDF), and for a failed attempt what happens next. */
  proofId?: string;
  nextAttemptAfter?: string | null;
  returnedToAgency?: boolean;
};

export type StoredBlob = { sha256: string; blob: Blob; uploaded: boolean };

export type CachedToday = { userId: string; fetchedAt: number; data: Today };

type CourierDb = DBSchema & {
  actions: { key: number; value: QueuedAction; indexes: { byClientId: string } };
  blobs: { key: string; value: StoredBlob };
  kv: { key: string; value: unknown };
};

let opened: ReturnType<typeof openDB<CourierDb>> | undefined;

export const db = () => {
  opened ??= openDB<CourierDb>('postdesk-courier', 1, {
    upgrade(database) {
      const actions = database.createObjectStore('actions', { keyPath: 'seq', autoIncrement: true });
      actions.createIndex('byClientId', 'clientActionId', { unique: true });
      database.createObjectStore('blobs', { keyPath: 'sha256' });
      database.createObjectStore('kv');
    },
  });
  return opened;
};

export const readKv = async <T>(key: string) => (await (await db()).get('kv', key)) as T | undefined;
export const writeKv = async (key: string, value: unknown) => {
  await (await db()).put('kv', value, key);
};
export const deleteKv = async (key: string) => {
  await (await db()).delete('kv', key);
};

/**
 * Everything the app kept on the phone for the signed-in courier: queued and settled actions, photos and
 * signatures (identity cards among them), drafts, the cached route with addresses and phone numbers.
 */
export const clearOfflineData = async () => {
  const tx = (await db()).transaction(['actions', 'blobs', 'kv'], 'readwrite');
  await Promise.all([
    tx.objectStore('actions').clear(),
    tx.objectStore('blobs').clear(),
    tx.objectStore('kv').clear(),
    tx.done,
  ]);
};

export const sha256Hex = async (blob: Blob) => {
  const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
};

/** Keeps a photo or signature on the phone until it is uploaded; returns its SHA-256. */
export const keepBlob = async (blob: Blob) => {
  const sha256 = await sha256Hex(blob);
  const database = await db();
  const existing = await database.get('blobs', sha256);
  if (!existing) await database.put('blobs', { sha256, blob, uploaded: false });
  return sha256;
};
