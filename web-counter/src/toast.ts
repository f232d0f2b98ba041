import { createRoot, createSignal } from 'solid-js';

export type Toast = { id: number; text: string; tone: 'success' | 'info' };

const TOAST_MS = 3500;

export const toasts = createRoot(() => {
  const [list, setList] = createSignal<Toast[]>([]);
  let next = 1;
  const dismiss = (id: number) => setList((current) => current.filter((toast) => toast.id !== id));
  const show = (text: string, tone: Toast['tone'] = 'success') => {
    const id = next++;
    setList((current) => [...current, { id, text, tone }]);
    setTimeout(() => dismiss(id), TOAST_MS);
  };
  return { list, show, dismiss };
});
