import { A, useNavigate } from '@solidjs/router';
import { createMemo, For, Show } from 'solid-js';
import { describeError } from '../errors';
import { type MessageKey, t } from '../i18n';
import { PhoneIcon, SyncIcon } from '../icons';
import { QueueProblems } from '../offline/QueueProblems';
import { ProblemNote } from '../ProblemNote';
import { session } from '../session';
import { formatDay, formatDistance, formatTime, formatWindow, telLink } from '../format';
import { RouteMap } from './RouteMap';
import { TaskStatusChip, taskStatus } from './TaskStatus';
import { byRoute, today } from './today';
import type { Task } from './types';

const isOpen = (task: Task) => {
  const status = taskStatus(task);
  return status === 'todo' || status === 'conflict' || status === 'rejected';
};

export const TodayPage = () => {
  const navigate = useNavigate();

  const tasks = createMemo(() => byRoute(today.view()?.data.tasks ?? []));
  const next = () => tasks().find((task) => taskStatus(task) === 'todo');
  const remaining = () => tasks().filter(isOpen).length;

  return (
    <div class="today">
      <div class="today-head">
        <div>
          <h1 class="page-title">{t('route.title')}</h1>
          <Show when={today.view()}>
            {(view) => (
              <p class="page-sub">
                {formatDay(view().data.day)} · {view().data.office.name}
              </p>
            )}
          </Show>
        </div>
        <button
          type="button"
          class="button button-icon"
          aria-label={t('route.refresh')}
          disabled={today.loading()}
          onClick={() => {
            const user = session.user();
            if (user) void today.load(user.id);
          }}
        >
          <SyncIcon />
        </button>
      </div>

      <QueueProblems />
      <Show when={today.view()?.offlineCopy}>
        <p class="offline-copy" role="status">
          {t('route.offlineCopy', { time: formatTime(today.view()!.fetchedAt) })}
        </p>
      </Show>
      <Show when={today.view()?.data.replan}>
        {(replan) => (
          <p class="notice route-replanned" role="status">
            {t('route.replanned', {
              time: formatTime(replan().at),
              why: t(`route.replan.${replan().reason}` as MessageKey),
            })}
          </p>
        )}
      </Show>
      <Show when={today.view()?.data.offline}>
        <p class="notice" role="status">
          {t('route.offline')}
        </p>
      </Show>
      <Show when={today.failure() && !today.view()}>
        <ProblemNote problem={describeError(today.failure())} />
      </Show>
      <Show when={!today.view() && today.loading()}>
        <p class="page-status">{t('session.loading')}</p>
      </Show>

      <Show when={today.view()}>
        {(view) => (
          <>
            <p class="route-summary">
              {t('route.summary', { left: remaining(), total: tasks().length })}
              <Show when={view().data.route}>{(route) => <> · {formatDistance(route().distanceM)}</>}</Show>
            </p>
            <Show when={tasks().length === 0}>
              <p class="notice">{t('route.empty')}</p>
            </Show>
            <Show when={next()}>
              {(stop) => (
                <section class="next-stop" aria-label={t('route.next')}>
                  <p class="stop-next-label">
                    {t('route.next')}
                    <Show when={stop().sequence}>
                      {' '}
                      · {t('route.stop')} {stop().sequence}
                    </Show>
                  </p>
                  <p class="next-address">{stop().address}</p>
                  <p class="stop-meta">
                    <Show when={stop().windowStart}>
                      {formatWindow(stop().windowStart, stop().windowEnd)} ·{' '}
                    </Show>
                    {stop().contactName ?? ''}
                  </p>
                  <div class="action-row">
                    <A class="button button-primary button-big" href={`/task/${stop().id}`}>
                      {t('route.openNext')}
                    </A>
                    <Show when={stop().contactPhone}>
                      {(phone) => (
                        <a class="button button-big next-call" href={telLink(phone())}>
                          <PhoneIcon />
                          {t('task.call')}
                        </a>
                      )}
                    </Show>
                  </div>
                </section>
              )}
            </Show>
            <RouteMap
              today={view().data}
              tasks={tasks()}
              settled={(task) => !isOpen(task)}
              onStop={(task) => navigate(`/task/${task.id}`)}
            />
            <Show when={tasks().length > 0}>
              <h2 class="section-label">{t('route.listTitle')}</h2>
            </Show>
            <ol class="stop-list" aria-label={t('route.listTitle')}>
              <For each={tasks()}>
                {(task, index) => (
                  <li
                    classList={{
                      'stop-item': true,
                      'stop-next': next() === task,
                      'stop-settled': !isOpen(task),
                    }}
                  >
                    <A href={`/task/${task.id}`} class="stop-link">
                      <span class="stop-number" aria-hidden="true">
                        {task.sequence ?? index() + 1}
                      </span>
                      <span class="stop-body">
                        <Show when={next() === task}>
                          <span class="stop-next-label">{t('route.next')}</span>
                        </Show>
                        <span class="stop-kind">
                          {task.kind === 'delivery' ? t('task.kindDelivery') : t('task.kindPickup')}
                          <Show when={task.dossierCode}> · {task.dossierCode}</Show>
                        </span>
                        <span class="stop-address">{task.address}</span>
                        <span class="stop-meta">
                          <Show when={task.windowStart}>
                            {formatWindow(task.windowStart, task.windowEnd)} ·{' '}
                          </Show>
                          {task.contactName ?? ''}
                        </span>
                        <TaskStatusChip task={task} />
                      </span>
                    </A>
                    <Show when={task.contactPhone}>
                      {(phone) => (
                        <a
                          class="button button-icon stop-call"
                          href={telLink(phone())}
                          aria-label={t('task.call')}
                        >
                          <PhoneIcon />
                        </a>
                      )}
                    </Show>
                  </li>
                )}
              </For>
            </ol>
          </>
        )}
      </Show>
    </div>
  );
};
