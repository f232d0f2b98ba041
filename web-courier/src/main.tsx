import { createEffect, createRoot } from 'solid-js';
import { render } from 'solid-js/web';
import { App } from './App';
import { lang, t } from './i18n';
import './styles.css';

createRoot(() =>
  createEffect(() => {
    document.documentElement.lang = lang();
    document.title = t('app.title');
  }),
);

render(() => <App />, document.getElementById('app')!);
