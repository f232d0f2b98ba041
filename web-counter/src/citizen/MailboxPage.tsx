import { createResource, createSignal, For, Match, Show, Switch } from 'solid-js';
import { api } from '../api';
import { describeError } from '../errors';
import { formatDateTime } from '../format';
import { t } from '../i18n';
import { ProblemNote } from '../ProblemNote';
import './citizen.css';

/** /mailbox — staff on test servers: the text messages the development sender "sent". */
export const MailboxPage = () => {
  const [phone, setPhone] = createSignal('');
  const [messages, { refetch }] = createResource(phone, (p) =>
    api.notify.mailbox.query(p.replace(/\D/g, '').length >= 9 ? { phone: p } : {}),
  );
  return (
    <section class="complaints-page" aria-labelledby="mailbox-title">
      <div class="catalog-toolbar">
        <h1 id="mailbox-title" class="page-title">
          {t('citizen.mailbox.title')}
        </h1>
        <button type="button" class="button" onClick={() => void refetch()}>
          {t('citizen.mailbox.refresh')}
        </button>
      </div>
      <p class="hint">{t('citizen.mailbox.intro')}</p>
      <label class="mailbox-filter">
        <span>{t('citizen.mailbox.phone')}</span>
        <input
          type="tel"
          id="mailbox-phone"
          value={phone()}
          onInput={(e) => setPhone(e.currentTarget.value)}
        />
      </label>
      <Switch>
        <Match when={messages.state === 'errored'}>
          <ProblemNote problem={describeError(messages.error)} />
        </Match>
        <Match when={messages.latest}>
          <Show
            when={messages.latest!.length > 0}
            fallback={<p class="page-status">{t('citizen.mailbox.none')}</p>}
          >
            <div class="table-scroll">
              <table class="mailbox-table" id="mailbox-table">
                <thead>
                  <tr>
                    <th scope="col">{t('citizen.mailbox.at')}</th>
                    <th scope="col">{t('citizen.mailbox.to')}</th>
                    <th scope="col">{t('citizen.mailbox.dossier')}</th>
                    <th scope="col">{t('citizen.mailbox.body')}</th>
                  </tr>
                </thead>
                <tbody>
                  <For each={messages.latest}>
                    {(m) => (
                      <tr>
                        <td>{formatDateTime(m.createdAt)}</td>
                        <td class="mono">
                          {m.recipient}
                          <Show when={m.channel !== 'sms'}> ({m.channel})</Show>
                        </td>
                        <td class="mono">{m.code ?? ''}</td>
                        <td class="mailbox-body">{m.body}</td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </div>
          </Show>
        </Match>
      </Switch>
    </section>
  );
};
