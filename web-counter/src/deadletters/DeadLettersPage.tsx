import { A } from '@solidjs/router';
import { createResource, createSignal, For, Match, Show, Switch } from 'solid-js';
import { api, type Outputs } from '../api';
import { describeError, type Problem } from '../errors';
import { formatDateTime } from '../format';
import { type MessageKey, t } from '../i18n';
import { ProblemNote } from '../ProblemNote';
import { toasts } from '../toast';
import './deadletters.css';

type Key = MessageKey;
type Letter = Outputs['outbox']['deadLetters'][number];

const channelOf = (topic: string): Key =>
  topic === 'portal.progress'
    ? 'deadletters.to.portal'
    : topic.startsWith('agency.')
      ? 'deadletters.to.agency'
      : topic.startsWith('notify.') || topic.includes('sms')
        ? 'deadletters.to.sms'
        : 'deadletters.to.other';

/** The last error in plain words; the raw text stays under "technical details". */
const whyOf = (error: string | null): Key => {
  const e = error ?? '';
  if (/no active webhook/i.test(e)) return 'deadletters.why.noWebhook';
  if (/HTTP 40[13]\b/.test(e)) return 'deadletters.why.signature';
  if (/timeout/i.test(e)) return 'deadletters.why.timeout';
  if (/network/i.test(e)) return 'deadletters.why.network';
  if (/HTTP 5\d\d/.test(e)) return 'deadletters.why.unavailable';
  if (/HTTP 4\d\d|error_code/.test(e)) return 'deadletters.why.refused';
  return 'deadletters.why.unknown';
};

/** /dead-letters: what is stuck, why, how much waits behind it, and sending it again (supervisor, admin). */
export const DeadLettersPage = () => {
  const [letters, { refetch }] = createResource(() => api.outbox.deadLetters.query());
  const [busy, setBusy] = createSignal<number | null>(null);
  const [problem, setProblem] = createSignal<Problem | null>(null);

  const retry = async (letter: Letter) => {
    setBusy(letter.id);
    setProblem(null);
    try {
      await api.outbox.retry.mutate({ id: letter.id });
      toasts.show(t('deadletters.retried', { code: letter.dossierCode ?? '—' }));
      await refetch();
    } catch (err) {
      setProblem(describeError(err));
    } finally {
      setBusy(null);
    }
  };

  return (
    <section class="deadletters" aria-labelledby="deadletters-title">
      <div class="catalog-toolbar">
        <h1 id="deadletters-title" class="page-title">
          {t('deadletters.title')}
        </h1>
        <Show when={letters.latest}>
          {(list) => <span class="count">{t('deadletters.count', { n: list().length })}</span>}
        </Show>
        <button type="button" class="button" onClick={() => refetch()}>
          {t('deadletters.refresh')}
        </button>
      </div>
      <p class="deadletters-intro">{t('deadletters.intro')}</p>
      <Show when={problem()}>{(p) => <ProblemNote problem={p()} />}</Show>
      <div class="table-scroll">
        <Switch fallback={<p class="page-status">{t('deadletters.loading')}</p>}>
          <Match when={letters.state === 'errored'}>
            <ProblemNote problem={describeError(letters.error)} />
          </Match>
          <Match when={letters.latest && letters.latest.length === 0}>
            <p class="page-status">{t('deadletters.empty')}</p>
          </Match>
          <Match when={letters.latest}>
            <table class="data-table deadletters-table">
              <thead>
                <tr>
                  <th scope="col">{t('deadletters.col.dossier')}</th>
                  <th scope="col">{t('deadletters.col.to')}</th>
                  <th scope="col">{t('deadletters.col.why')}</th>
                  <th scope="col" class="deadletters-num">
                    {t('deadletters.col.attempts')}
                  </th>
                  <th scope="col" class="deadletters-num">
                    {t('deadletters.col.behind')}
                  </th>
                  <th scope="col">{t('deadletters.col.since')}</th>
                  <th scope="col">{t('deadletters.col.action')}</th>
                </tr>
              </thead>
              <tbody>
                <For each={letters.latest}>
                  {(letter) => (
                    <tr data-outbox={letter.id}>
                      <td>
                        <Show
                          when={letter.dossierId}
                          fallback={<span class="muted">{t('deadletters.noDossier')}</span>}
                        >
                          {(id) => (
                            <A href={`/dossiers/${id()}`} class="mono">
                              {letter.dossierCode ?? id().slice(0, 8)}
                            </A>
                          )}
                        </Show>
                      </td>
                      <td class="deadletters-to">{t(channelOf(letter.topic))}</td>
                      <td class="deadletters-why">
                        {t(whyOf(letter.lastError))}
                        <Show when={letter.lastError}>
                          <details>
                            <summary>{t('deadletters.detail')}</summary>
                            <code>{letter.lastError}</code>
                          </details>
                        </Show>
                      </td>
                      <td class="deadletters-num">{letter.attempts}</td>
                      <td class="deadletters-num">
                        <Show when={letter.blocked > 0} fallback={t('deadletters.behindNone')}>
                          <span class="deadletters-behind">
                            {t('deadletters.behind', { n: letter.blocked })}
                          </span>
                        </Show>
                      </td>
                      <td class="deadletters-num">{formatDateTime(letter.createdAt)}</td>
                      <td>
                        <button
                          type="button"
                          class="button button-primary button-small"
                          disabled={busy() !== null}
                          aria-label={t('deadletters.retryLabel', { code: letter.dossierCode ?? '—' })}
                          onClick={() => retry(letter)}
                        >
                          {busy() === letter.id ? t('deadletters.retrying') : t('deadletters.retry')}
                        </button>
                      </td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </Match>
        </Switch>
      </div>
    </section>
  );
};
