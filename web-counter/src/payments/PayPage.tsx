import { useParams } from '@solidjs/router';
import { createEffect, createResource, createSignal, Match, onCleanup, Show, Switch } from 'solid-js';
import { api, type Outputs } from '../api';
import { describeError, type Problem } from '../errors';
import { formatDateTime, formatMoney } from '../format';
import { type MessageKey, t } from '../i18n';
import { CheckIcon, FileIcon } from '../icons';
import { ProblemNote } from '../ProblemNote';
import { LanguageSwitch } from '../shell/LanguageSwitch';
import { BillStateChip } from './parts';
import './payments.css';

type Bill = Outputs['payments']['bill'];

/** While the gateway's confirmation is awaited: ask every few seconds, for about two minutes. */
const POLL_MS = 3_000;
const POLL_TRIES = 40;

const kindLabel = (kind: Bill['kind']) => t(`payments.kind.${kind}` as MessageKey);
const methodLabel = (method: NonNullable<Bill['method']>) => t(`payments.method.${method}` as MessageKey);

/** /pay/:billCode — the citizen's page for one bill, from the SMS, the slip's QR or the tracking page. */
export const PayPage = () => {
  const params = useParams<{ billCode: string }>();
  const code = () =>
    decodeURIComponent(params.billCode ?? '')
      .trim()
      .toUpperCase();
  // First load asks the gateway too: the citizen may be just back from paying.
  const [bill, { mutate }] = createResource(code, (billCode) =>
    api.payments.bill.query({ billCode, refresh: true }),
  );
  const [starting, setStarting] = createSignal(false);
  const [problem, setProblem] = createSignal<Problem>();
  const [tries, setTries] = createSignal(0);
  let timer: ReturnType<typeof setTimeout> | undefined;

  const previousTitle = document.title;
  createEffect(() => {
    document.title = `${t('payments.pay.title')} — ${t('app.name')}`;
  });
  onCleanup(() => {
    document.title = previousTitle;
    clearTimeout(timer);
  });

  const check = async () => {
    try {
      mutate(await api.payments.bill.query({ billCode: code(), refresh: true }));
      setProblem(undefined);
    } catch (error) {
      setProblem(describeError(error));
    }
  };

  // Back from the gateway before its callback arrived: keep asking until it is paid (or we give up politely).
  createEffect(() => {
    const current = bill.latest;
    clearTimeout(timer);
    if (current?.state === 'pending' && current.awaitingGateway && tries() < POLL_TRIES) {
      timer = setTimeout(async () => {
        await check();
        setTries((n) => n + 1);
      }, POLL_MS);
    }
  });

  /** Back from the gateway, its answer awaited: no second way to pay is offered meanwhile. */
  const waiting = () => Boolean(bill.latest?.awaitingGateway) && tries() < POLL_TRIES;

  const payOnline = async () => {
    setStarting(true);
    setProblem(undefined);
    try {
      const { payUrl } = await api.payments.startOnline.mutate({ billCode: code() });
      window.location.assign(payUrl);
    } catch (error) {
      setProblem(describeError(error));
      setStarting(false);
    }
  };

  return (
    <div class="track-page pay-page">
      <header class="public-header">
        <span class="public-brand">{t('payments.pay.title')}</span>
        <LanguageSwitch />
      </header>
      <main class="track-main pay-main">
        <h1 class="track-heading">{t('payments.pay.heading')}</h1>
        <Switch fallback={<p class="page-status">{t('payments.pay.loading')}</p>}>
          <Match when={bill.error}>
            <ProblemNote problem={describeError(bill.error)} />
          </Match>
          <Match when={bill.latest}>
            {(b) => (
              <>
                <section class="pay-card" aria-labelledby="pay-amount-label">
                  <div class="pay-amount-row">
                    <div>
                      <p id="pay-amount-label" class="pay-label">
                        {t('payments.pay.amount')}
                      </p>
                      <p class="pay-amount">{formatMoney(b().amount)}</p>
                    </div>
                    <BillStateChip state={b().state} icon />
                  </div>
                  <p class="pay-words">
                    <span class="pay-label-inline">{t('payments.pay.inWords')}: </span>
                    <span lang="vi">{b().amountInWords}</span>
                  </p>
                  <dl class="pay-facts">
                    <dt>{t('payments.pay.for')}</dt>
                    <dd>{kindLabel(b().kind)}</dd>
                    <Show when={b().reason}>
                      <dt>{t('payments.pay.reason')}</dt>
                      <dd lang="vi">{b().reason}</dd>
                    </Show>
                    <dt>{t('payments.pay.procedure')}</dt>
                    <dd lang="vi">{b().procedureName}</dd>
                    <dt>{t('payments.pay.dossier')}</dt>
                    <dd class="pay-code">{b().dossierCode}</dd>
                    <dt>{t('payments.pay.billCode')}</dt>
                    <dd class="pay-code">{b().billCode}</dd>
                  </dl>
                </section>

                <Show when={problem()}>{(p) => <ProblemNote problem={p()} />}</Show>

                <Switch>
                  <Match when={b().state === 'paid'}>
                    <section class="pay-done" aria-live="polite">
                      <p class="pay-done-line">
                        <CheckIcon size={22} />
                        {t('payments.pay.paidAt', {
                          at: formatDateTime(b().paidAt),
                          method: b().method ? methodLabel(b().method!) : '',
                        })}
                      </p>
                      <a
                        class="button button-primary button-block pay-big"
                        href={b().receiptUrl!}
                        download={`bien-lai-${b().billCode}.pdf`}
                      >
                        <FileIcon />
                        {t('payments.pay.receipt')}
                      </a>
                      <p class="track-hint">{t('payments.pay.receiptHint')}</p>
                    </section>
                  </Match>
                  <Match when={b().state === 'pending'}>
                    <Show when={b().awaitingGateway}>
                      <div class="pay-waiting" role="status">
                        <p>
                          {tries() < POLL_TRIES ? t('payments.pay.waiting') : t('payments.pay.waitingLong')}
                        </p>
                        <Show when={tries() >= POLL_TRIES}>
                          <button type="button" class="button" onClick={check}>
                            {t('payments.pay.check')}
                          </button>
                        </Show>
                      </div>
                    </Show>
                    <Show when={b().onlineAvailable && !waiting()}>
                      <section class="pay-online">
                        <button
                          type="button"
                          class="button button-primary button-block pay-big"
                          disabled={starting()}
                          onClick={payOnline}
                        >
                          {starting() ? t('payments.pay.redirecting') : t('payments.pay.online')}
                        </button>
                        <p class="track-hint">{t('payments.pay.onlineHint')}</p>
                      </section>
                    </Show>
                    <Show when={!waiting() && b().vietQr}>
                      {(qr) => (
                        <section class="pay-card pay-qr" aria-labelledby="pay-qr-heading">
                          <Show when={b().onlineAvailable && !waiting()}>
                            <p class="pay-or">{t('payments.pay.or')}</p>
                          </Show>
                          <h2 id="pay-qr-heading" class="pay-subheading">
                            {t('payments.pay.qrHeading')}
                          </h2>
                          <p class="track-hint">{t('payments.pay.qrHint')}</p>
                          <Show when={qr().demo}>
                            <p class="pay-demo" role="note">
                              {t('payments.pay.demo')}
                            </p>
                          </Show>
                          <img
                            class="pay-qr-image"
                            src={qr().image}
                            width="240"
                            height="240"
                            alt={t('payments.pay.qrAlt', {
                              amount: formatMoney(b().amount),
                              account: qr().account,
                            })}
                          />
                          <dl class="pay-facts">
                            <dt>{t('payments.pay.bank')}</dt>
                            <dd>{qr().bankName}</dd>
                            <dt>{t('payments.pay.account')}</dt>
                            <dd class="pay-code">{qr().account}</dd>
                            <dt>{t('payments.pay.accountName')}</dt>
                            <dd>{qr().accountName}</dd>
                            <dt>{t('payments.pay.amount')}</dt>
                            <dd>{formatMoney(b().amount)}</dd>
                            <dt>{t('payments.pay.purpose')}</dt>
                            <dd class="pay-code">{qr().purpose}</dd>
                          </dl>
                          <p class="track-hint">{t('payments.pay.qrNote')}</p>
                        </section>
                      )}
                    </Show>
                    <Show when={!waiting()}>
                      <p class="track-hint">{t('payments.pay.cash')}</p>
                    </Show>
                  </Match>
                </Switch>
              </>
            )}
          </Match>
        </Switch>
      </main>
    </div>
  );
};
