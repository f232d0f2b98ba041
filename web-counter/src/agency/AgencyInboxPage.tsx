import { A } from '@solidjs/router';
import { createResource, createSignal, For, Match, onMount, Show, Switch } from 'solid-js';
import { api } from '../api';
import { describeError } from '../errors';
import { formatDateTime } from '../format';
import { t } from '../i18n';
import { ProblemNote } from '../ProblemNote';
import { StateChip } from '../StateChip';
import { session } from '../session';
import './agency.css';
import { TimeLeft } from './parts';

const STATES = [
  'forwarded',
  'in_review',
  'agency_supplement_requested',
  'awaiting_payment',
  'decided',
] as const;
type InboxState = (typeof STATES)[number];
type Due = 'all' | 'overdue' | 'due_soon';

/** /agency — the official's dossiers waiting, most urgent first, scoped on the server to their agency. */
export const AgencyInboxPage = () => {
  const [states, setStates] = createSignal<InboxState[]>([]);
  const [due, setDue] = createSignal<Due>('all');
  const [q, setQ] = createSignal('');
  const [inbox, { refetch }] = createResource(
    () => ({ office: session.membership()?.officeId ?? '', states: states(), due: due(), q: q() }),
    (input) =>
      api.agency.inbox.query({
        ...(input.states.length ? { states: input.states } : {}),
        due: input.due,
        ...(input.q.trim() ? { q: input.q.trim() } : {}),
      }),
  );
  let heading!: HTMLHeadingElement;
  onMount(() => heading.focus());
  let timer: ReturnType<typeof setTimeout> | undefined;
  const toggle = (s: InboxState) =>
    setStates((cur) => (cur.includes(s) ? cur.filter((x) => x !== s) : [...cur, s]));

  return (
    <section class="agency-inbox" aria-labelledby="inbox-title">
      <div class="catalog-toolbar">
        <h1 id="inbox-title" class="page-title" tabindex="-1" ref={heading}>
          {t('agency.inbox.title')}
        </h1>
        <span class="muted">{session.membership()?.officeName}</span>
        <Show when={inbox.latest}>
          {(data) => <span class="count">{t('agency.inbox.count', { n: data().items.length })}</span>}
        </Show>
        <button type="button" class="button" onClick={() => refetch()}>
          {t('agency.inbox.refresh')}
        </button>
      </div>
      <fieldset class="agency-filters">
        <legend class="visually-hidden">{t('agency.inbox.filters')}</legend>
        <div class="agency-state-filters">
          <For each={STATES}>
            {(s) => (
              <button
                type="button"
                class="agency-filter-chip"
                aria-pressed={states().includes(s)}
                onClick={() => toggle(s)}
              >
                {t(`state.${s}`)}
                <span class="agency-filter-count">{inbox.latest?.counts[s] ?? 0}</span>
              </button>
            )}
          </For>
        </div>
        <label class="agency-inline-field">
          <span>{t('agency.inbox.due')}</span>
          <select value={due()} onChange={(e) => setDue(e.currentTarget.value as Due)}>
            <option value="all">{t('agency.inbox.dueAll')}</option>
            <option value="overdue">{t('agency.inbox.dueOverdue')}</option>
            <option value="due_soon">{t('agency.inbox.dueSoon')}</option>
          </select>
        </label>
        <label class="agency-inline-field agency-search">
          <span>{t('agency.inbox.search')}</span>
          <input
            type="search"
            placeholder={t('agency.inbox.searchPlaceholder')}
            onInput={(e) => {
              const value = e.currentTarget.value;
              clearTimeout(timer);
              timer = setTimeout(() => setQ(value), 250);
            }}
          />
        </label>
      </fieldset>
      <div class="table-scroll">
        <Switch fallback={<p class="page-status">{t('agency.inbox.loading')}</p>}>
          <Match when={inbox.error}>
            <ProblemNote problem={describeError(inbox.error)} />
          </Match>
          <Match when={inbox.latest?.items.length === 0}>
            <p class="page-status">{t('agency.inbox.empty')}</p>
          </Match>
          <Match when={inbox.latest}>
            {(data) => (
              <table class="data-table agency-table">
                <thead>
                  <tr>
                    <th scope="col">{t('col.dossierCode')}</th>
                    <th scope="col">{t('col.procedure')}</th>
                    <th scope="col">{t('col.applicant')}</th>
                    <th scope="col">{t('agency.col.from')}</th>
                    <th scope="col">{t('col.state')}</th>
                    <th scope="col">{t('agency.col.forwarded')}</th>
                    <th scope="col">{t('col.due')}</th>
                    <th scope="col">{t('agency.col.left')}</th>
                  </tr>
                </thead>
                <tbody>
                  <For each={data().items}>
                    {(item) => (
                      <tr classList={{ 'agency-row-late': item.overdue }}>
                        <td class="code">
                          <A href={`/agency/${item.id}`}>{item.code ?? item.id.slice(0, 8)}</A>
                        </td>
                        <td>{item.procedureName}</td>
                        <td>{item.applicantName}</td>
                        <td>{item.receivingOfficeName}</td>
                        <td>
                          <StateChip state={item.state} />
                          <Show when={item.supplementCount > 0}>
                            <span class="muted agency-small">
                              {' '}
                              {t('agency.inbox.supplements', { n: item.supplementCount })}
                            </span>
                          </Show>
                        </td>
                        <td class="numeric">{formatDateTime(item.forwardedAt)}</td>
                        <td class="numeric">{formatDateTime(item.dueAt)}</td>
                        <td>
                          <TimeLeft
                            hoursLeft={item.hoursLeft}
                            overdue={item.overdue}
                            paused={item.clockPausedAt !== null}
                          />
                        </td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            )}
          </Match>
        </Switch>
      </div>
    </section>
  );
};
