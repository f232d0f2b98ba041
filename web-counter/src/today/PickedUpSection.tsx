import { A } from '@solidjs/router';
import { For, Match, Show, Switch } from 'solid-js';
import { describeError } from '../errors';
import { formatDateTime } from '../format';
import { t } from '../i18n';
import { FileIcon, IntakeIcon, PickupIcon } from '../icons';
import { ProblemNote } from '../ProblemNote';
import type { createPickedUp, PickedUpDossier } from './store';

/** Where the desk receives a picked-up dossier: the intake wizard, filled in from the courier's dispatch note. */
export const pickupIntakeHref = (dossier: PickedUpDossier) =>
  `/intake/${encodeURIComponent(dossier.procedureCode)}?${new URLSearchParams({ pickup: dossier.dossierId })}`;

/** The courier who brought the bag (none when the account was removed since). */
const courierNameOf = (row: PickedUpDossier) => row.courierName ?? undefined;

/** "Hồ sơ bưu tá đã thu gom": sealed bags a courier brings back, to check and receive at the desk. */
export const PickedUpSection = (props: { pickedUp: ReturnType<typeof createPickedUp> }) => {
  const list = props.pickedUp.list;
  return (
    <section class="pickup-desk" aria-labelledby="pickup-desk-title">
      <div class="pickup-desk-head">
        <h2 id="pickup-desk-title" class="section-title">
          <PickupIcon />
          {t('pickup.title')}
        </h2>
        <Show when={list.state === 'ready' && (list()?.length ?? 0) > 0}>
          <span class="count">{t('pickup.count', { n: list()?.length ?? 0 })}</span>
        </Show>
      </div>
      <Switch fallback={<p class="hint">{t('pickup.loading')}</p>}>
        <Match when={list.state === 'errored'}>
          <ProblemNote problem={describeError(list.error)} />
        </Match>
        <Match when={list.state === 'ready' && list()?.length === 0}>
          <p class="hint">{t('pickup.empty')}</p>
        </Match>
        <Match when={list.latest}>
          {(rows) => (
            <>
              <p class="hint">{t('pickup.hint')}</p>
              <div class="pickup-desk-scroll">
                <table class="data-table pickup-table">
                  <thead>
                    <tr>
                      <th scope="col">{t('pickup.col.seal')}</th>
                      <th scope="col">{t('pickup.col.procedure')}</th>
                      <th scope="col">{t('pickup.col.contact')}</th>
                      <Show when={rows().some(courierNameOf)}>
                        <th scope="col">{t('pickup.col.courier')}</th>
                      </Show>
                      <th scope="col">{t('pickup.col.pickedUpAt')}</th>
                      <th scope="col">{t('pickup.col.note')}</th>
                      <th scope="col">{t('pickup.col.action')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={rows()}>
                      {(row) => {
                        const seal = () => row.sealNumber ?? t('pickup.noSeal');
                        const present = () => row.checklist.filter((item) => item.present).length;
                        return (
                          <tr data-dossier={row.dossierId}>
                            <td class="seal-cell">
                              <Show
                                when={row.sealNumber}
                                fallback={<span class="muted">{t('pickup.noSeal')}</span>}
                              >
                                <strong class="seal-number">{row.sealNumber}</strong>
                              </Show>
                            </td>
                            <td>
                              <span class="pickup-procedure">{row.procedureName}</span>
                              <Show when={row.checklist.length > 0}>
                                <span class="muted pickup-components">
                                  {t('pickup.components', {
                                    present: present(),
                                    total: row.checklist.length,
                                  })}
                                </span>
                              </Show>
                            </td>
                            <td>
                              <span>{row.contactName}</span>
                              <span class="muted pickup-address">{row.address}</span>
                            </td>
                            <Show when={rows().some(courierNameOf)}>
                              <td>
                                <Show
                                  when={courierNameOf(row)}
                                  fallback={<span class="muted">{t('pickup.noCourier')}</span>}
                                >
                                  {courierNameOf(row)}
                                </Show>
                              </td>
                            </Show>
                            <td class="numeric">{formatDateTime(row.pickedUpAt)}</td>
                            <td>
                              <Show when={row.proofUrl}>
                                {(url) => (
                                  <a
                                    class="pickup-note-link"
                                    href={url()}
                                    target="_blank"
                                    rel="noopener"
                                    aria-label={t('pickup.noteLabel', { seal: seal() })}
                                  >
                                    <FileIcon />
                                    {t('pickup.note')}
                                  </a>
                                )}
                              </Show>
                            </td>
                            <td>
                              <A
                                class="button button-primary pickup-receive"
                                href={pickupIntakeHref(row)}
                                aria-label={t('pickup.receiveLabel', {
                                  seal: seal(),
                                  name: row.contactName ?? '',
                                })}
                              >
                                <IntakeIcon />
                                {t('pickup.receive')}
                              </A>
                            </td>
                          </tr>
                        );
                      }}
                    </For>
                  </tbody>
                </table>
              </div>
            </>
          )}
        </Match>
      </Switch>
    </section>
  );
};
