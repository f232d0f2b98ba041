import { createRoot, createSignal } from 'solid-js';

/** The number the clerk called last: the intake form it opens starts with the citizen's name and phone. */
export type CalledTicket = {
  id: string;
  label: string;
  fullName: string | null;
  phone: string | null;
  procedureCode: string | null;
};

const storageKey = 'postdesk.counter.calledTicket';
const deskKey = 'postdesk.counter.desk';

const read = (): CalledTicket | null => {
  try {
    return JSON.parse(sessionStorage.getItem(storageKey) ?? 'null') as CalledTicket | null;
  } catch {
    return null;
  }
};

export const calledTicket = createRoot(() => {
  const [ticket, setTicket] = createSignal<CalledTicket | null>(read());
  const set = (next: CalledTicket | null) => {
    if (next) sessionStorage.setItem(storageKey, JSON.stringify(next));
    else sessionStorage.removeItem(storageKey);
    setTicket(next);
  };
  /** The ticket for a new intake form, once: a second form is for someone else. */
  const take = () => {
    const current = ticket();
    if (current) set(null);
    return current;
  };
  return { ticket, set, take };
});

/** The desk this browser sits at (a desk's computer stays at its desk). */
export const savedDesk = () => localStorage.getItem(deskKey) ?? '';
export const saveDesk = (id: string) => localStorage.setItem(deskKey, id);
