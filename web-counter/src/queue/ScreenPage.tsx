import { callOutVi } from '@postdesk/shared';
import { useParams } from '@solidjs/router';
import { createResource, createSignal, For, onCleanup, onMount, Show } from 'solid-js';
import { api } from '../api';
import { describeError } from '../errors';
import { lang, t } from '../i18n';
import { ProblemNote } from '../ProblemNote';
import './queue.css';

/** Says a call aloud in Vietnamese where the browser can; silently does nothing where it cannot. */
const speak = (text: string) => {
  if (!('speechSynthesis' in window)) return;
  const utterance = new SpeechSynthesisUtterance(text);
  utterance.lang = 'vi-VN';
  const voice = speechSynthesis.getVoices().find((v) => v.lang.toLowerCase().startsWith('vi'));
  if (voice) utterance.voice = voice;
  utterance.rate = 0.9;
  speechSynthesis.speak(utterance);
};

/**
 * /queue/screen/:officeId — the waiting room's TV: the latest calls in large numbers with their desks, queue
 * lengths per group. Polls every two seconds (the project has no push channel; the query is one indexed read).
 */
export const ScreenPage = () => {
  const params = useParams<{ officeId: string }>();
  const [screen, { refetch }] = createResource(() => api.queue.screen.query({ officeId: params.officeId }));
  const [sound, setSound] = createSignal(false);
  const heard = new Set<string>();
  let first = true;

  const announce = () => {
    const calls = screen()?.calls ?? [];
    for (const call of [...calls].reverse()) {
      const key = `${call.id}:${call.recalls}`;
      if (heard.has(key)) continue;
      heard.add(key);
      // What was on screen before the page opened is not news.
      if (!first && sound()) speak(callOutVi(call.label, call.deskName));
    }
    first = false;
  };

  onMount(() => {
    const timer = setInterval(async () => {
      await refetch();
      announce();
    }, 2_000);
    onCleanup(() => clearInterval(timer));
  });

  const latest = () => screen()?.calls[0];
  return (
    <div class="screen-page" lang={lang()}>
      <header class="screen-header">
        <h1 class="screen-office">{screen()?.office.name}</h1>
        <Show when={!sound() && 'speechSynthesis' in window}>
          <button
            type="button"
            class="button"
            onClick={() => {
              setSound(true);
              speak('');
            }}
          >
            {t('queue.screen.sound')}
          </button>
        </Show>
      </header>
      <Show when={screen.error}>
        <ProblemNote problem={describeError(screen.error)} />
      </Show>
      <main class="screen-main">
        <section class="screen-now" aria-live="assertive" aria-labelledby="screen-now-title">
          <h2 id="screen-now-title" class="screen-caption">
            {t('queue.screen.title')}
          </h2>
          <Show when={latest()} fallback={<p class="screen-none">{t('queue.screen.none')}</p>}>
            {(call) => (
              <div class="screen-latest" data-ticket={call().label}>
                <span class="screen-latest-number">{call().label}</span>
                <span class="screen-arrow" aria-hidden="true">
                  →
                </span>
                <span class="screen-latest-desk">{call().deskName}</span>
              </div>
            )}
          </Show>
        </section>
        <section class="screen-recent">
          <table class="screen-table">
            <thead>
              <tr>
                <th scope="col">{t('queue.screen.number')}</th>
                <th scope="col">{t('queue.screen.desk')}</th>
              </tr>
            </thead>
            <tbody>
              <For each={(screen()?.calls ?? []).slice(1)}>
                {(call) => (
                  <tr data-ticket={call.label}>
                    <td class="screen-number">{call.label}</td>
                    <td>{call.deskName}</td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
          <h2 class="screen-caption">{t('queue.screen.waiting')}</h2>
          <ul class="screen-groups">
            <For each={screen()?.groups ?? []}>
              {(g) => (
                <li>
                  <span class="screen-group-code">{g.code}</span>
                  <span class="screen-group-name">{lang() === 'en' ? g.nameEn : g.nameVi}</span>
                  <strong>{g.waiting}</strong>
                </li>
              )}
            </For>
          </ul>
        </section>
      </main>
    </div>
  );
};
