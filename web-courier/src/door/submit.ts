import { position } from '../courier/position';
import type { ActionType, Task } from '../courier/types';
import { keepBlob } from '../offline/db';
import { queue } from '../offline/queue';

/** Keeps the files on the phone, records where and when, and queues the action (sent now if there is signal). */
export const queueDoorAction = async (opts: {
  userId: string;
  task: Task;
  type: ActionType;
  payload: (files: { sha: (blob: Blob) => string }) => Record<string, unknown>;
  files: Blob[];
}) => {
  const shas = new Map<Blob, string>();
  for (const blob of opts.files) shas.set(blob, await keepBlob(blob));
  const payload = opts.payload({ sha: (blob) => shas.get(blob)! });
  return queue.enqueue({
    userId: opts.userId,
    taskId: opts.task.id,
    taskVersion: opts.task.version,
    taskLabel: `${opts.task.dossierCode ?? ''} ${opts.task.address}`.trim(),
    type: opts.type,
    position: await position.forAction(),
    payload,
    blobs: [...new Set(shas.values())],
  });
};
