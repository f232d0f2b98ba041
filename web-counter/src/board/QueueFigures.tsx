import { createResource, For, onCleanup, onMount, Show } from 'solid-js';
import { api, type Outputs } from '../api';
import { describeError } from '../errors';
import { t } from '../i18n';
import { ProblemNote } from '../ProblemNote';
import '../queue/queue.css';

type Figure = Outputs['queue']['figures']['byDesk'][number];

const minutes = (seconds: number | null) =>
  seconds === null ? '—' : t('queue.minutes', { n: Math.round((seconds / 60) * 10) / 10 });

const FigureTable = (props: { caption: string; rows: Figure[] }) => (
  <table class="data-table queue-board-table">
    <caption>{props.caption}</caption>
    <thead>
      <tr>
        <th scope="col">{t('queue.board.name')}</th>
        <th scope="col" class="num">
          {t('queue.board.served')}
        </th>
        <th scope="col" class="num">
          {t('queue.board.avgWait')}
        </th>
        <th scope="col" class="num">
          {t('queue.board.p90Wait')}
        </th>
        <th scope="col" class="num">
          {t('queue.board.longWaits')}
        </th>
        <th scope="col" class="num">
          {t('queue.board.avgServe')}
        </th>
        <th scope="col" class="num">
          {t('queue.board.noShows')}
        </th>
        <th scope="col" class="num">
          {t('queue.board.waitingNow')}
        </th>
        <th scope="col" class="num">
          {t('queue.board.longest')}
        </th>
      </tr>
    </thead>
    <tbody>
      <For each={props.rows}>
        {(r) => (
          <tr data-queue-row={r.name}>
            <th scope="row">{r.name}</th>
            <td class="num">{r.served}</td>
            <td class="num" data-figure="avg-wait">
              {minutes(r.avgWaitSeconds)}
            </td>
            <td class="num">{minutes(r.p90WaitSeconds)}</td>
            <td class="num">{r.longWaits}</td>
            <td class="num">{minutes(r.avgServeSeconds)}</td>
            <td class="num">{r.noShows}</td>
            <td class="num">{r.waitingNow}</td>
            <td class="num">{minutes(r.longestWaitingSeconds)}</td>
          </tr>
        )}
      </For>
    </tbody>
  </table>
);

/** Today's counter queue of the supervised offices: waits and service times per desk and per group, live. */
export const QueueFigures = (props: { officeId: string }) => {
  const [figures, { refetch }] = createResource(
    () => ({ officeId: props.officeId || undefined }),
    (q) => api.queue.figures.query(q),
  );
  onMount(() => {
    const timer = setInterval(() => void refetch(), 15_000);
    onCleanup(() => clearInterval(timer));
  });
  return (
    <section class="board-queue" aria-labelledby="board-queue-title">
      <h2 id="board-queue-title" class="ind-h2">
        {t('queue.board.title')}
      </h2>
      <Show when={figures.error}>
        <ProblemNote problem={describeError(figures.error)} />
      </Show>
      <Show when={figures.latest}>
        {(f) => (
          <>
            <p class="board-intro">{t('queue.board.intro', { n: f().targetMinutes })}</p>
            <Show when={f().byGroup.length > 0} fallback={<p>{t('queue.board.empty')}</p>}>
              <FigureTable caption={t('queue.board.byDesk')} rows={f().byDesk} />
              <FigureTable caption={t('queue.board.byGroup')} rows={f().byGroup} />
            </Show>
          </>
        )}
      </Show>
    </section>
  );
};
