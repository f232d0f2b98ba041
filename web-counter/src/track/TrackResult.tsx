import { useNavigate } from '@solidjs/router';
import { createSignal, For, Match, Show, Switch } from 'solid-js';
import '../citizen/citizen.css';
import { formatDateTime, formatMoney } from '../format';
import { lang, t } from '../i18n';
import { CheckIcon, ClockIcon, DeliveryIcon, WarningIcon } from '../icons';
import { DeliveryRequest } from './DeliveryRequest';
import type { Holder, Tracked } from './store';

type Progress = Tracked['progress'];
type Ask = { item: string; note?: string };

const WINDOWS = ['morning', 'afternoon', 'any'] as const;
const windowWords = (window: string) => t(`track.window.${WINDOWS.find((w) => w === window) ?? 'any'}`);

const ProgressBadge = (props: { progress: Progress }) => (
  <p class={`track-badge track-badge-${props.progress}`}>
    <Switch>
      <Match when={props.progress === 'on_time'}>
        <ClockIcon size={22} />
      </Match>
      <Match when={props.progress === 'late'}>
        <WarningIcon size={22} />
      </Match>
      <Match when={props.progress === 'finished'}>
        <CheckIcon size={22} />
      </Match>
    </Switch>
    {t(`track.progress.${props.progress}`)}
  </p>
);

const Asks = (props: { asks: NonNullable<Tracked['asks']> }) => (
  <section class="track-asks" aria-labelledby="track-asks-title">
    <h3 id="track-asks-title" class="track-asks-title">
      <WarningIcon size={22} />
      {t('track.asksTitle')}
    </h3>
    <Switch>
      <Match when={props.asks.kind === 'supplement' && props.asks}>
        {(asks) => {
          const items = (): Ask[] => asks().items;
          return (
            <Show when={items().length > 0} fallback={<p>{t('track.asks.supplementNone')}</p>}>
              <p>{t('track.asks.supplement')}</p>
              <ul class="track-asks-list">
                <For each={items()}>
                  {(item) => (
                    <li>
                      {item.item}
                      <Show when={item.note}>
                        {(note) => <span class="track-asks-note"> — {note()}</span>}
                      </Show>
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          );
        }}
      </Match>
      <Match when={props.asks.kind === 'payment' && props.asks}>
        {(asks) => (
          <>
            <p class="track-asks-amount">{t('track.asks.payment', { amount: formatMoney(asks().amount) })}</p>
            <Show when={asks().reason}>
              {(reason) => <p>{t('track.asks.reason', { reason: reason() })}</p>}
            </Show>
          </>
        )}
      </Match>
    </Switch>
  </section>
);

/** Bills waiting to be paid online: each opens the pay page (`/pay/<billCode>`). */
const Bills = (props: { bills: Tracked['bills'] }) => (
  <section class="citizen-bills" aria-labelledby="track-bills-title">
    <h3 id="track-bills-title" class="track-subtitle">
      {t('citizen.pay.title')}
    </h3>
    <ul class="citizen-bill-list">
      <For each={props.bills}>
        {(bill) => (
          <li>
            <span>{t(`citizen.pay.kind.${bill.kind}`)}</span>
            <a class="button button-primary citizen-pay" href={bill.payPath}>
              {t('citizen.pay.button', { amount: formatMoney(bill.amount) })}
            </a>
          </li>
        )}
      </For>
    </ul>
  </section>
);

/** Where the courier is on the way to this citizen: stops before theirs and the window, never a position. */
const CourierProgress = (props: { delivery: NonNullable<Tracked['delivery']> }) => {
  const progress = () => props.delivery.progress;
  return (
    <section
      class="track-delivery citizen-courier"
      aria-label={t('track.delivery', { window: windowWords(props.delivery.window) })}
    >
      <DeliveryIcon size={22} />
      <div>
        <p>{t('track.delivery', { window: windowWords(props.delivery.window) })}</p>
        <Show when={progress()?.windowStart && progress()?.windowEnd}>
          <p id="track-window">
            {t('citizen.courier.window', {
              from: formatDateTime(progress()!.windowStart),
              to: formatDateTime(progress()!.windowEnd).slice(-5),
            })}
          </p>
        </Show>
        <Switch>
          <Match when={progress()?.state === 'done'}>
            <p>{t('citizen.courier.done')}</p>
          </Match>
          <Match when={progress()?.stopsBefore === 0}>
            <p class="citizen-stops" id="track-stops">
              {t('citizen.courier.next')}
            </p>
          </Match>
          <Match when={(progress()?.stopsBefore ?? null) !== null}>
            <p class="citizen-stops" id="track-stops">
              {t('citizen.courier.stops', { n: progress()!.stopsBefore! })}
            </p>
          </Match>
        </Switch>
        <Show when={progress()?.stopsBefore !== null && progress()?.stopsBefore !== undefined}>
          <p class="track-hint">{t('citizen.courier.privacy')}</p>
        </Show>
      </div>
    </section>
  );
};

/** What the citizen can do from here: ask for home delivery, rate the service, complain. */
const NextSteps = (props: { dossier: Tracked; holder: Holder | undefined; onChanged: () => void }) => {
  const navigate = useNavigate();
  const [asking, setAsking] = createSignal(false);
  const [asked, setAsked] = createSignal(false);
  const actions = () => props.dossier.actions;
  // The phone or the receipt's token travels in the navigation's memory, never in the address bar.
  const toFeedback = () =>
    navigate(`/feedback?code=${encodeURIComponent(props.dossier.code)}`, {
      state: {
        phone: props.holder?.phone,
        token: props.holder?.token,
        eid: Boolean(props.holder && !props.holder.phone && !props.holder.token),
      },
    });
  return (
    <section class="citizen-next" aria-labelledby="track-next-title">
      <h3 id="track-next-title" class="track-subtitle">
        {t('citizen.next.title')}
      </h3>
      <Show when={asked()}>
        <p class="citizen-done" role="status">
          <CheckIcon size={22} />
          {t('citizen.delivery.done')}
        </p>
      </Show>
      <Show when={actions().askDelivery && props.holder && !asked()}>
        <Show
          when={asking()}
          fallback={
            <div class="citizen-action">
              <button
                type="button"
                class="button button-primary track-submit"
                onClick={() => setAsking(true)}
              >
                <DeliveryIcon size={22} />
                {t('citizen.next.askDelivery')}
              </button>
              <p class="track-hint">
                {t('citizen.next.askDeliveryHint', { tariff: formatMoney(actions().postalTariff) })}
              </p>
            </div>
          }
        >
          <DeliveryRequest
            holder={props.holder!}
            tariff={actions().postalTariff}
            onCancel={() => setAsking(false)}
            onDone={() => {
              setAsking(false);
              setAsked(true);
              props.onChanged();
            }}
          />
        </Show>
      </Show>
      <Show when={actions().rate}>
        <div class="citizen-action">
          <button type="button" class="button button-primary track-submit" onClick={toFeedback}>
            {t('citizen.next.rate')}
          </button>
          <p class="track-hint">{t('citizen.next.rateHint')}</p>
        </div>
      </Show>
      <Show when={actions().rated}>
        <p class="citizen-done">
          <CheckIcon size={22} />
          {t('citizen.next.rated')}
        </p>
      </Show>
      <Show when={actions().complain}>
        <button type="button" class="button button-quiet citizen-link" onClick={toFeedback}>
          {t('citizen.next.complain')}
        </button>
      </Show>
    </section>
  );
};

/** Ended with no result to collect: a due time would only mislead. */
const ENDED_WITHOUT_RESULT = new Set<string>(['stopped', 'refused', 'withdrawn']);

export const TrackResult = (props: {
  dossier: Tracked;
  holder?: Holder | undefined;
  onChanged?: () => void;
}) => {
  const timeline = () => [...props.dossier.timeline].reverse();
  return (
    <article class="track-card" aria-labelledby="track-state">
      <p class="track-code">
        {t('track.dossier')} <span class="track-code-value">{props.dossier.code}</span>
      </p>
      <h2 id="track-state" class="track-state">
        {props.dossier.stateWords[lang()]}
      </h2>
      <ProgressBadge progress={props.dossier.progress} />
      <Show when={props.dossier.asks}>{(asks) => <Asks asks={asks()} />}</Show>
      <Show when={props.dossier.stopReason}>
        {(reason) => (
          <section class="track-asks" aria-labelledby="track-stop-title">
            <h3 id="track-stop-title" class="track-asks-title">
              {t('track.stopReason')}
            </h3>
            <p>{reason()}</p>
            <p class="track-hint">{t('track.stopHint', { office: props.dossier.officeName })}</p>
          </section>
        )}
      </Show>
      <Show when={props.dossier.bills.length > 0}>
        <Bills bills={props.dossier.bills} />
      </Show>
      <Show when={!ENDED_WITHOUT_RESULT.has(props.dossier.state) && props.dossier.dueAt}>
        {(due) => (
          <dl class="track-facts">
            <div>
              <dt>{t('track.due')}</dt>
              <dd class="track-due" id="track-due">
                {formatDateTime(due())}
              </dd>
            </div>
          </dl>
        )}
      </Show>
      <Show when={props.dossier.delivery}>{(delivery) => <CourierProgress delivery={delivery()} />}</Show>
      <Show when={Object.values(props.dossier.actions).some((v) => v === true)}>
        <NextSteps dossier={props.dossier} holder={props.holder} onChanged={() => props.onChanged?.()} />
      </Show>
      <section aria-labelledby="track-timeline-title">
        <h3 id="track-timeline-title" class="track-subtitle">
          {t('track.timeline')}
        </h3>
        <ol class="track-timeline">
          <For each={timeline()}>
            {(step) => (
              <li>
                <time datetime={step.at.toISOString()}>{formatDateTime(step.at)}</time>
                <span>{step[lang()]}</span>
              </li>
            )}
          </For>
        </ol>
      </section>
      <dl class="track-facts track-facts-quiet">
        <div>
          <dt>{t('track.office')}</dt>
          <dd>{props.dossier.officeName}</dd>
        </div>
        <div>
          <dt>{t('track.procedure')}</dt>
          <dd>{props.dossier.procedureName}</dd>
        </div>
      </dl>
    </article>
  );
};
