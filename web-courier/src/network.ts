import { createRoot, createSignal } from 'solid-js';

export const online = createRoot(() => {
  const [isOnline, setOnline] = createSignal(navigator.onLine);
  window.addEventListener('online', () => setOnline(true));
  window.addEventListener('offline', () => setOnline(false));
  return isOnline;
});
