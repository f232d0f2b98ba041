import { createEffect, createRoot } from 'solid-js';
import { render } from 'solid-js/web';
import { App } from './App';
import { lang, t } from './i18n';
import { queue } from './offline/queue';
import './styles.css';
import './courier.css';

createRoot(() =>
  createEffect(() => {
    document.documentElement.lang = lang();
    document.title = t('app.title');
  }),
);

queue.start();

// The app shell from the phone's cache, so the courier can open the app with no signal.
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  void navigator.serviceWorker.register(`${import.meta.env.BASE_URL}sw.js`, {
    scope: import.meta.env.BASE_URL,
  });
}

render(() => <App />, document.getElementById('app')!);
