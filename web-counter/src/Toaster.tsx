import { For } from 'solid-js';
import { CheckIcon } from './icons';
import { toasts } from './toast';

export const Toaster = () => (
  <div class="toaster" role="status" aria-live="polite">
    <For each={toasts.list()}>
      {(toast) => (
        <p class="toast" classList={{ 'toast-info': toast.tone === 'info' }}>
          <CheckIcon />
          {toast.text}
        </p>
      )}
    </For>
  </div>
);
