import { createSignal, onMount } from 'solid-js';
import type { ActionType } from '../courier/types';
import { readKv, writeKv } from '../offline/db';

/** One draft per task and action; the queue deletes it once the server has applied the action. */
export const draftKey = (type: ActionType, taskId: string) => `draft:${type}:${taskId}`;

/**
 * What the courier has entered at the door, kept in IndexedDB on every change, so a locked phone or a reopened
 * app finds the form as it was (photos and signature included). It outlives the submit: if the server refuses
 * the action (a mistyped code, say), the courier corrects it instead of starting again.
 */
export const createDraft = <T extends object>(key: string, initial: T) => {
  const [draft, setDraft] = createSignal<T>(initial);
  let writing = Promise.resolve();

  onMount(async () => {
    const saved = await readKv<T>(key);
    if (saved) setDraft(() => ({ ...initial, ...saved }));
  });

  const update = (patch: Partial<T>) => {
    const next = { ...draft(), ...patch };
    setDraft(() => next);
    writing = writing.then(() => writeKv(key, next)).catch(() => undefined);
  };

  return { draft, update };
};
