import { For, Match, Show, Switch } from 'solid-js';
import { formatDateTime, formatMoney } from '../format';
import { lang, t } from '../i18n';
import { CheckIcon, ClockIcon, DeliveryIcon, WarningIcon } from '../icons';
import type { Tracked } from './store';

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

export const TrackResult = (props: { dossier: Tracked }) => {
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
      <Show when={props.dossier.dueAt}>
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
      <Show when={props.dossier.delivery}>
        {(delivery) => (
          <p class="track-delivery">
            <DeliveryIcon size={22} />
            {t('track.delivery', { window: windowWords(delivery().window) })}
          </p>
        )}
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
