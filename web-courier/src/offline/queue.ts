import { TRPCClientError } from '@trpc/client';
import { createRoot, createSignal } from 'solid-js';
import { courierApi, UploadError, uploadBlob } from '../courier/api';
import type { ActionType, Position, SyncAction } from '../courier/types';
import { draftKey } from '../door/draft';
import { db, deleteKv, type QueuedAction } from './db';

const BATCH = 10;
const MAX_BACKOFF_MS = 60_000;

type NewAction = {
  userId: string;
  taskId: string;
  taskVersion: number;
  taskLabel: string;
  type: ActionType;
  position: Position | null;
  payload: Record<string, unknown>;
  blobs: string[];
};

/** Why the last sync round stopped, for the status line; null when it finished. */
export type SyncStop = 'offline' | 'network' | 'session' | null;

const createQueue = () => {
  const [actions, setActions] = createSignal<QueuedAction[]>([]);
  const [syncing, setSyncing] = createSignal(false);
  const [stopped, setStopped] = createSignal<SyncStop>(null);
  const [lastSyncAt, setLastSyncAt] = createSignal<number>();
  const listeners = new Set<() => void>();
  let running = false;
  let failures = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;

  const reload = async () => setActions(await (await db()).getAll('actions'));

  const pending = () => actions().filter((action) => action.status === 'pending');
  const forTask = (taskId: string) => actions().filter((action) => action.taskId === taskId);

  const toWire = (action: QueuedAction): SyncAction => ({
    clientActionId: action.clientActionId,
    taskId: action.taskId,
    taskVersion: action.taskVersion,
    type: action.type,
    deviceAt: action.deviceAt,
    position: action.position,
    payload: action.payload,
  });

  const settle = async (action: QueuedAction, change: Partial<QueuedAction>) => {
    const database = await db();
    const current = await database.get('actions', action.seq!);
    if (!current) return;
    await database.put('actions', { ...current, ...change, settledAt: new Date().toISOString() });
  };

  /** Once the server has the proof, the phone drops its draft and its copies of the photos. */
  const forget = async (action: QueuedAction) => {
    await deleteKv(draftKey(action.type, action.taskId));
    const database = await db();
    const stillNeeded = new Set(
      (await database.getAll('actions'))
        .filter((other) => other.status !== 'applied' && other.clientActionId !== action.clientActionId)
        .flatMap((other) => other.blobs),
    );
    for (const sha256 of action.blobs) if (!stillNeeded.has(sha256)) await database.delete('blobs', sha256);
  };

  /** Applied actions are kept a day, so the list can still say "done" before the route reloads. */
  const prune = async () => {
    const database = await db();
    const before = new Date(Date.now() - 24 * 3_600_000).toISOString();
    for (const action of await database.getAll('actions')) {
      if (action.status === 'applied' && (action.settledAt ?? action.deviceAt) < before) {
        await database.delete('actions', action.seq!);
      }
    }
  };

  /** Uploads what the action names; false when the server refused a file (the action is then rejected). */
  const uploadFor = async (action: QueuedAction) => {
    const database = await db();
    for (const sha256 of action.blobs) {
      const stored = await database.get('blobs', sha256);
      if (!stored || stored.uploaded) continue;
      try {
        const answer = await uploadBlob(stored.blob);
        if (answer !== sha256) throw new UploadError(422, { code: 'UPLOAD_MISMATCH' });
      } catch (error) {
        if (error instanceof UploadError && error.status === 401) throw error;
        if (error instanceof UploadError && error.status >= 400 && error.status < 500) {
          await settle(action, {
            status: 'rejected',
            code: error.body?.code ?? `HTTP_${error.status}`,
            message: error.body?.message,
            messageEn: error.body?.messageEn,
          });
          return false;
        }
        throw error;
      }
      await database.put('blobs', { ...stored, uploaded: true });
    }
    return true;
  };

  const scheduleRetry = () => {
    failures += 1;
    const delay = Math.min(MAX_BACKOFF_MS, 2000 * 2 ** (failures - 1));
    clearTimeout(retryTimer);
    retryTimer = setTimeout(() => void run(), delay);
  };

  const run = async () => {
    if (running) return;
    if (!navigator.onLine) {
      setStopped('offline');
      return;
    }
    running = true;
    setSyncing(true);
    let settledAny = false;
    try {
      for (;;) {
        const database = await db();
        const waiting = (await database.getAll('actions')).filter((action) => action.status === 'pending');
        if (waiting.length === 0) break;
        const batch: QueuedAction[] = [];
        for (const action of waiting.slice(0, BATCH)) {
          if (await uploadFor(action)) batch.push(action);
        }
        if (batch.length > 0) {
          const { results } = await courierApi.sync.mutate({ actions: batch.map(toWire) });
          for (const action of batch) {
            const result = results.find((each) => each.clientActionId === action.clientActionId);
            if (!result) continue;
            const applied = result.status === 'applied' || result.status === 'duplicate';
            settledAny = true;
            if (applied) await forget(action);
            await settle(action, {
              status: applied ? 'applied' : result.status === 'conflict' ? 'conflict' : 'rejected',
              code: result.code,
              message: result.message,
              messageEn: result.messageEn,
              proofId: result.proofId,
              nextAttemptAfter: result.nextAttemptAfter
                ? new Date(result.nextAttemptAfter).toISOString()
                : null,
              returnedToAgency: result.returnedToAgency,
            });
          }
        }
        await reload();
      }
      failures = 0;
      setStopped(null);
      setLastSyncAt(Date.now());
    } catch (error) {
      const sessionGone =
        (error instanceof UploadError && error.status === 401) ||
        (error instanceof TRPCClientError &&
          (error.data as { httpStatus?: number } | undefined)?.httpStatus === 401);
      setStopped(sessionGone ? 'session' : navigator.onLine ? 'network' : 'offline');
      if (!sessionGone) scheduleRetry();
    } finally {
      running = false;
      setSyncing(false);
      await reload();
      if (settledAny) for (const listener of listeners) listener();
    }
  };

  const enqueue = async (action: NewAction) => {
    const database = await db();
    const queued: QueuedAction = {
      ...action,
      clientActionId: crypto.randomUUID(),
      deviceAt: new Date().toISOString(),
      status: 'pending',
    };
    await database.add('actions', queued);
    await reload();
    void run();
    return queued.clientActionId;
  };

  /** The courier has read a conflict or refusal: it leaves the list (the server's answer stands). */
  const dismiss = async (clientActionId: string) => {
    const database = await db();
    const found = await database.getFromIndex('actions', 'byClientId', clientActionId);
    if (found && found.status !== 'pending') await database.delete('actions', found.seq!);
    await reload();
  };

  const start = () => {
    void prune().then(reload).then(run);
    window.addEventListener('online', () => {
      failures = 0;
      void run();
    });
    window.addEventListener('offline', () => setStopped('offline'));
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') void run();
    });
  };

  /** Called after a sync round in which the server answered for at least one action. */
  const onSettled = (listener: () => void) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  };

  /** The queue as the store now holds it (empty after sign-out). */
  const refresh = () => reload();

  return {
    actions,
    pending,
    forTask,
    syncing,
    stopped,
    lastSyncAt,
    enqueue,
    dismiss,
    run,
    start,
    onSettled,
    refresh,
  };
};

export const queue = createRoot(createQueue);
