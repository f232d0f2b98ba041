import { createResource, createSignal, For, type JSX, Match, onMount, Show, Switch } from 'solid-js';
import { api, type Outputs } from '../api';
import { describeError } from '../errors';
import { formatDate, formatDateTime, formatMoney, parseDisplayDate, vietnamToday } from '../format';
import { type MessageKey, t, tIn } from '../i18n';
import { ArrowLeftIcon, ArrowRightIcon, CheckIcon, WarningIcon } from '../icons';
import { FieldError } from '../intake/FieldError';
import { ProblemNote } from '../ProblemNote';
import { session } from '../session';
import './payments.css';
import { TableHead } from './parts';

type Report = Outputs['payments']['reconciliation'];
type Method = keyof Report['byMethod'];
type Kind = keyof Report['byKind'];

const METHODS: Method[] = ['cash', 'vietqr', 'online'];
const KINDS: Kind[] = ['fee', 'postal_tariff', 'financial_obligation'];
const METHOD_KEY: Record<Method, MessageKey> = {
  cash: 'payments.recon.methodCash',
  vietqr: 'payments.recon.methodVietqr',
  online: 'payments.recon.methodOnline',
};
const kindLabel = (kind: Kind) => t(`payments.kind.${kind}` as MessageKey);
const gatewayLabel = (state: string | null) =>
  state ? t(`payments.recon.gatewayState.${state}` as MessageKey) : t('payments.recon.unchecked');

/** An amount with its count under it, as the cells of the summary tables show them. */
const Sum = (props: { sum: { count: number; amount: number } }) => (
  <>
    {formatMoney(props.sum.amount)}
    <span class="recon-sub">{t('payments.recon.count', { n: props.sum.count })}</span>
  </>
);

/** /payments — one office's takings for a day: by method and kind, per staff member, online vs the gateway. */
/** A titled table of the day's figures, or a quiet line when it has no rows. */
const TableSection = (props: {
  id: string;
  title: string;
  rows: number;
  empty: string;
  children: JSX.Element;
}) => (
  <section class="recon-section" aria-labelledby={props.id}>
    <h2 id={props.id}>{props.title}</h2>
    <Show when={props.rows > 0} fallback={<p class="muted">{props.empty}</p>}>
      {props.children}
    </Show>
  </section>
);

export const ReconciliationPage = () => {
  const [day, setDay] = createSignal(formatDate(vietnamToday()));
  const [asked, setAsked] = createSignal(vietnamToday());
  const [dayError, setDayError] = createSignal(false);
  const office = () => session.membership()?.officeId;
  const [report, { refetch }] = createResource(
    () => ({ day: asked(), office: office() }),
    ({ day: d }) => api.payments.reconciliation.query({ day: d }),
  );
  let heading!: HTMLHeadingElement;
  onMount(() => heading.focus());

  const open = (iso: string) => {
    setDayError(false);
    setDay(formatDate(iso));
    if (iso === asked()) void refetch();
    else setAsked(iso);
  };

  const show = (event: SubmitEvent) => {
    event.preventDefault();
    const iso = parseDisplayDate(day());
    if (!iso) return setDayError(true);
    open(iso);
  };

  /** The day before or after the one shown. */
  const step = (days: number) => {
    const next = new Date(Date.parse(`${asked()}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
    open(next);
  };

  return (
    <section class="recon" aria-labelledby="recon-title">
      <form class="recon-toolbar" onSubmit={show} noValidate>
        <h1 id="recon-title" class="page-title" tabindex="-1" ref={heading}>
          {t('payments.recon.title')}
        </h1>
        <div class="recon-day">
          <label for="recon-day">{t('payments.recon.day')}</label>
          <div class="recon-day-row">
            <button
              type="button"
              class="button"
              onClick={() => step(-1)}
              aria-label={t('payments.recon.previous')}
            >
              <ArrowLeftIcon />
            </button>
            <input
              id="recon-day"
              inputmode="numeric"
              placeholder={t('applicant.datePlaceholder')}
              value={day()}
              onInput={(event) => setDay(event.currentTarget.value)}
              aria-invalid={dayError()}
              aria-describedby={dayError() ? 'recon-day-error' : undefined}
            />
            <button
              type="button"
              class="button"
              onClick={() => step(1)}
              disabled={asked() >= vietnamToday()}
              aria-label={t('payments.recon.next')}
            >
              <ArrowRightIcon />
            </button>
          </div>
          <FieldError
            id="recon-day-error"
            problem={
              dayError()
                ? { vi: tIn('vi', 'payments.recon.dayError'), en: tIn('en', 'payments.recon.dayError') }
                : undefined
            }
          />
        </div>
        <button type="submit" class="button button-primary" disabled={report.loading}>
          {t('payments.recon.show')}
          <kbd>Enter</kbd>
        </button>
        <Show when={report.latest}>
          {(r) => <span class="recon-office">{t('payments.recon.office', { office: r().office.name })}</span>}
        </Show>
      </form>

      <Switch fallback={<p class="page-status">{t('payments.recon.loading')}</p>}>
        <Match when={report.error}>
          <ProblemNote problem={describeError(report.error)} />
        </Match>
        <Match when={report.latest}>
          {(r) => (
            <>
              <div class="recon-totals" aria-live="polite">
                <div class="recon-tile recon-tile-main">
                  <span class="recon-tile-label">{t('payments.recon.total')}</span>
                  <span class="recon-tile-value">{formatMoney(r().total.amount)}</span>
                  <span class="recon-sub">{t('payments.recon.count', { n: r().total.count })}</span>
                </div>
                <For each={METHODS}>
                  {(m) => (
                    <div class="recon-tile">
                      <span class="recon-tile-label">{t(METHOD_KEY[m])}</span>
                      <span class="recon-tile-value">{formatMoney(r().byMethod[m].amount)}</span>
                      <span class="recon-sub">{t('payments.recon.count', { n: r().byMethod[m].count })}</span>
                    </div>
                  )}
                </For>
              </div>

              <Show when={!r().gatewayConfigured}>
                <p class="recon-note">{t('payments.recon.gatewayOff')}</p>
              </Show>
              <Show when={r().gatewayConfigured && !r().gatewayChecked}>
                <p class="recon-note">{t('payments.recon.gatewayDown')}</p>
              </Show>

              <section
                class="recon-section"
                classList={{ 'recon-mismatch': r().mismatches.length > 0 }}
                aria-labelledby="recon-mismatches"
              >
                <h2 id="recon-mismatches">
                  {t('payments.recon.mismatches')} ({r().mismatches.length})
                </h2>
                <Show
                  when={r().mismatches.length > 0}
                  fallback={
                    <p class="recon-ok">
                      <CheckIcon size={16} />
                      {t('payments.recon.noMismatch')}
                    </p>
                  }
                >
                  <table class="data-table">
                    <TableHead
                      cols={[
                        { label: t('payments.pay.billCode') },
                        { label: t('payments.recon.amount'), numeric: true },
                        { label: t('payments.recon.gatewayState') },
                        { label: t('payments.pay.reason') },
                      ]}
                    />
                    <tbody>
                      <For each={r().mismatches}>
                        {(m) => (
                          <tr>
                            <td class="code">{m.billCode}</td>
                            <td class="numeric">{formatMoney(m.amount)}</td>
                            <td>{gatewayLabel(m.gatewayState)}</td>
                            <td>
                              <span class="recon-bad">
                                <WarningIcon size={16} />
                                {t(`payments.recon.problem.${m.problem}` as MessageKey)}
                              </span>
                            </td>
                          </tr>
                        )}
                      </For>
                    </tbody>
                  </table>
                </Show>
              </section>

              <div class="recon-grid">
                <section class="recon-section" aria-labelledby="recon-by-method">
                  <h2 id="recon-by-method">{t('payments.recon.byMethod')}</h2>
                  <table class="data-table">
                    <thead>
                      <tr>
                        <th scope="col">{t('payments.recon.method')}</th>
                        <For each={KINDS}>
                          {(k) => (
                            <th scope="col" class="numeric">
                              {kindLabel(k)}
                            </th>
                          )}
                        </For>
                        <th scope="col" class="numeric">
                          {t('payments.recon.sum')}
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      <For each={METHODS}>
                        {(m) => (
                          <tr>
                            <th scope="row">{t(METHOD_KEY[m])}</th>
                            <For each={KINDS}>
                              {(k) => (
                                <td class="numeric">
                                  <Sum sum={r().byMethodKind[m][k]} />
                                </td>
                              )}
                            </For>
                            <td class="numeric">
                              <Sum sum={r().byMethod[m]} />
                            </td>
                          </tr>
                        )}
                      </For>
                    </tbody>
                    <tfoot>
                      <tr>
                        <th scope="row">{t('payments.recon.sum')}</th>
                        <For each={KINDS}>
                          {(k) => (
                            <td class="numeric">
                              <Sum sum={r().byKind[k]} />
                            </td>
                          )}
                        </For>
                        <td class="numeric">
                          <Sum sum={r().total} />
                        </td>
                      </tr>
                    </tfoot>
                  </table>
                </section>

                <TableSection
                  id="recon-staff"
                  title={t('payments.recon.staff')}
                  rows={r().cashByStaff.length}
                  empty={t('payments.recon.staffEmpty')}
                >
                  <table class="data-table">
                    <TableHead
                      cols={[
                        { label: t('payments.recon.staffName') },
                        { label: t('payments.recon.methodCash'), numeric: true },
                        { label: t('payments.recon.methodVietqr'), numeric: true },
                      ]}
                    />
                    <tbody>
                      <For each={r().cashByStaff}>
                        {(s) => (
                          <tr>
                            <td>{s.name}</td>
                            <td class="numeric">
                              <Sum sum={s.cash} />
                            </td>
                            <td class="numeric">
                              <Sum sum={s.vietqr} />
                            </td>
                          </tr>
                        )}
                      </For>
                    </tbody>
                  </table>
                </TableSection>
              </div>

              <TableSection
                id="recon-online"
                title={t('payments.recon.online')}
                rows={r().online.length}
                empty={t('payments.recon.onlineEmpty')}
              >
                <table class="data-table">
                  <TableHead
                    cols={[
                      { label: t('payments.pay.billCode') },
                      { label: t('payments.recon.time') },
                      { label: t('payments.recon.amount'), numeric: true },
                      { label: t('payments.recon.gatewayState') },
                      { label: t('payments.recon.match') },
                    ]}
                  />
                  <tbody>
                    <For each={r().online}>
                      {(o) => (
                        <tr>
                          <td class="code">{o.billCode}</td>
                          <td class="recon-time">{formatDateTime(o.paidAt)}</td>
                          <td class="numeric">{formatMoney(o.amount)}</td>
                          <td>{gatewayLabel(o.gatewayState)}</td>
                          <td>
                            <Switch fallback={<span class="muted">{t('payments.recon.unchecked')}</span>}>
                              <Match when={o.matches === true}>
                                <span class="recon-ok">
                                  <CheckIcon size={16} />
                                  {t('payments.recon.match')}
                                </span>
                              </Match>
                              <Match when={o.matches === false}>
                                <span class="recon-bad">
                                  <WarningIcon size={16} />
                                  {t('payments.recon.noMatch')}
                                </span>
                              </Match>
                            </Switch>
                          </td>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
              </TableSection>

              <TableSection
                id="recon-bills"
                title={t('payments.recon.bills')}
                rows={r().bills.length}
                empty={t('payments.recon.empty')}
              >
                <table class="data-table">
                  <TableHead
                    cols={[
                      { label: t('payments.recon.time') },
                      { label: t('payments.pay.billCode') },
                      { label: t('payments.pay.dossier') },
                      { label: t('payments.recon.kind') },
                      { label: t('payments.recon.method') },
                      { label: t('payments.recon.staffName') },
                      { label: t('payments.recon.amount'), numeric: true },
                    ]}
                  />
                  <tbody>
                    <For each={r().bills}>
                      {(b) => (
                        <tr>
                          <td class="recon-time">{formatDateTime(b.paidAt)}</td>
                          <td class="code">{b.billCode}</td>
                          <td class="code">{b.dossierCode}</td>
                          <td>{kindLabel(b.kind)}</td>
                          <td>{t(METHOD_KEY[b.method])}</td>
                          <td>{b.staffName ?? '—'}</td>
                          <td class="numeric">{formatMoney(b.amount)}</td>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
              </TableSection>
            </>
          )}
        </Match>
      </Switch>
    </section>
  );
};
