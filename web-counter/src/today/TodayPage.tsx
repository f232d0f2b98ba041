import { A } from '@solidjs/router';
import { createSignal, For, Match, onMount, Show, Switch } from 'solid-js';
import { DeskQrSheet } from '../citizen/DeskQrSheet';
import { describeError } from '../errors';
import { formatDateTime } from '../format';
import { t } from '../i18n';
import { DeliveryIcon, DeskIcon, UploadIcon } from '../icons';
import { formTitle } from '../intake/ResultView';
import { ProblemNote } from '../ProblemNote';
import { StateChip } from '../StateChip';
import { session } from '../session';
import { PickedUpSection } from './PickedUpSection';
import { createPickedUp, createToday } from './store';
import './today.css';
import { TrackingBookForm } from './TrackingBookForm';

const shortForm = (form: string) =>
  form === 'mau01' || form === 'mau02' || form === 'mau03' ? t(`formShort.${form}`) : form;

export const TodayPage = () => {
  const today = createToday();
  const pickedUp = createPickedUp();
  const isClerk = () => session.membership()?.role === 'clerk';
  const [deskQr, setDeskQr] = createSignal(false);
  let heading!: HTMLHeadingElement;
  onMount(() => heading.focus());

  return (
    <section class="today" aria-labelledby="today-title">
      <div class="catalog-toolbar">
        <h1 id="today-title" class="page-title" tabindex="-1" ref={heading}>
          {t('today.title')}
        </h1>
        <Show when={today.dossiers.state === 'ready'}>
          <span class="count">{t('today.count', { n: today.dossiers()?.length ?? 0 })}</span>
        </Show>
        <button
          type="button"
          class="button"
          onClick={() => {
            today.refetch();
            if (isClerk()) pickedUp.refetch();
          }}
        >
          {t('today.refresh')}
        </button>
        <button type="button" class="button" aria-expanded={deskQr()} onClick={() => setDeskQr(!deskQr())}>
          {t('citizen.deskQr.show')}
        </button>
      </div>
      <Show when={deskQr()}>
        <DeskQrSheet />
      </Show>
      <div class="today-body">
        <div class="today-main">
          <Show when={isClerk()}>
            <PickedUpSection pickedUp={pickedUp} />
          </Show>
          <div class="table-scroll">
            <Switch fallback={<p class="page-status">{t('today.loading')}</p>}>
              <Match when={today.dossiers.state === 'errored'}>
                <ProblemNote problem={describeError(today.dossiers.error)} />
              </Match>
              <Match when={today.dossiers.state === 'ready' && today.dossiers()?.length === 0}>
                <p class="page-status">{t('today.empty')}</p>
              </Match>
              <Match when={today.dossiers.latest}>
                {(dossiers) => (
                  <table class="data-table today-table">
                    <thead>
                      <tr>
                        <th scope="col">{t('col.dossierCode')}</th>
                        <th scope="col">{t('col.procedure')}</th>
                        <th scope="col">{t('col.applicant')}</th>
                        <th scope="col">{t('col.state')}</th>
                        <th scope="col">{t('col.received')}</th>
                        <th scope="col">{t('col.due')}</th>
                        <th scope="col">{t('col.return')}</th>
                        <th scope="col">{t('col.forms')}</th>
                        <th scope="col">{t('col.scan')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      <For each={dossiers()}>
                        {(dossier) => (
                          <tr>
                            <td class="code">
                              <Show
                                when={dossier.code}
                                fallback={<span class="muted">{t('today.noCode')}</span>}
                              >
                                <A
                                  href={`/dossiers/${dossier.id}`}
                                  aria-label={t('desk.openLabel', { code: dossier.code ?? '' })}
                                >
                                  {dossier.code}
                                </A>
                              </Show>
                            </td>
                            <td>{dossier.procedureName}</td>
                            <td>{dossier.applicantName}</td>
                            <td>
                              <StateChip state={dossier.state} />
                            </td>
                            <td class="numeric">{formatDateTime(dossier.receivedAt)}</td>
                            <td class="numeric due-cell">{formatDateTime(dossier.dueAt)}</td>
                            <td>
                              <span class="return-cell">
                                {dossier.returnMethod === 'post' ? <DeliveryIcon /> : <DeskIcon />}
                                {t(dossier.returnMethod === 'post' ? 'returnShort.post' : 'returnShort.desk')}
                              </span>
                            </td>
                            <td>
                              <span class="form-links">
                                <For each={dossier.forms}>
                                  {(form) => (
                                    <a
                                      href={form.url}
                                      target="_blank"
                                      rel="noopener"
                                      title={formTitle(form.form)}
                                      aria-label={t('today.reprint', {
                                        form: formTitle(form.form),
                                        code: dossier.code ?? t('today.noCode'),
                                      })}
                                    >
                                      {shortForm(form.form)}
                                    </a>
                                  )}
                                </For>
                              </span>
                            </td>
                            <td>
                              <Show when={dossier.state === 'received' || dossier.state === 'digitized'}>
                                <A
                                  class="scan-link"
                                  href={`/dossiers/${dossier.id}/scan`}
                                  aria-label={t(
                                    dossier.state === 'received' ? 'today.scanLabel' : 'today.scanViewLabel',
                                    {
                                      code: dossier.code ?? t('today.noCode'),
                                    },
                                  )}
                                >
                                  <UploadIcon />
                                  {t(dossier.state === 'received' ? 'today.scan' : 'today.scanView')}
                                </A>
                              </Show>
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
        </div>
        <TrackingBookForm />
      </div>
    </section>
  );
};
