import { A, useParams } from '@solidjs/router';
import { For, Show } from 'solid-js';
import { formatDateTime, formatMoney, formatWindow, mapLinks, telLink } from '../format';
import { proofPdfUrl } from './api';
import { lang, t } from '../i18n';
import { AlertIcon, BackIcon, CheckIcon, CrossIcon, NavigateIcon, PhoneIcon } from '../icons';
import { queue } from '../offline/queue';
import { TaskStatusChip, taskStatus } from './TaskStatus';
import { today } from './today';
import type { Task } from './types';

/** Shown where a task is expected: loading while the day loads, then "not on today's route". */
export const NoTask = () => (
  <p class="notice">{today.view() || !today.loading() ? t('task.notFound') : t('session.loading')}</p>
);

export const BackLink = (props: { href: string; label?: string }) => (
  <A href={props.href} class="back-link">
    <BackIcon />
    {props.label ?? t('task.back')}
  </A>
);

/** A conflict or refusal from the server, on the task it concerns, until the courier has read it. */
export const TaskProblems = (props: { taskId: string }) => (
  <For each={queue.forTask(props.taskId).filter((a) => a.status === 'conflict' || a.status === 'rejected')}>
    {(action) => (
      <div class="problem task-problem" role="alert">
        <p class="task-problem-title">
          <AlertIcon />
          {action.status === 'conflict' ? t('sync.conflictTitle') : t('sync.rejectedTitle')}
        </p>
        <p>
          {(lang() === 'en' ? action.messageEn : action.message) ??
            (action.status === 'conflict' ? t('sync.conflictDefault') : t('sync.rejectedDefault'))}
        </p>
        <button
          type="button"
          class="button button-block"
          onClick={() => void queue.dismiss(action.clientActionId)}
        >
          {t('sync.understood')}
        </button>
      </div>
    )}
  </For>
);

const collectList = (task: Task, key: string) => {
  const value = (task.collect as Record<string, unknown> | null)?.[key];
  return Array.isArray(value)
    ? value.map((each) => (typeof each === 'string' ? each : String((each as { name?: string }).name ?? '')))
    : [];
};

export const TaskPage = () => {
  const params = useParams<{ id: string }>();
  const task = () => today.task(params.id);

  return (
    <div class="task-page">
      <BackLink href="/" label={t('task.backToRoute')} />
      <TaskProblems taskId={params.id} />
      <Show when={task()} fallback={<NoTask />}>
        {(current) => (
          <>
            <p class="stop-kind">
              {current().kind === 'delivery' ? t('task.kindDelivery') : t('task.kindPickup')}
              <Show when={current().sequence}>
                {' '}
                · {t('route.stop')} {current().sequence}
              </Show>
            </p>
            <h1 class="task-address">{current().address}</h1>
            <TaskStatusChip task={current()} />
            <dl class="facts">
              <Show when={current().dossierCode}>
                <dt>{t('task.dossier')}</dt>
                <dd class="mono">{current().dossierCode}</dd>
              </Show>
              <Show when={current().procedureName}>
                <dt>{t('task.procedure')}</dt>
                <dd>{current().procedureName}</dd>
              </Show>
              <Show when={current().windowStart}>
                <dt>{t('task.window')}</dt>
                <dd>{formatWindow(current().windowStart, current().windowEnd)}</dd>
              </Show>
              <Show when={current().contactName}>
                <dt>{t('task.contact')}</dt>
                <dd>{current().contactName}</dd>
              </Show>
              <Show when={current().recipient}>
                {(recipient) => (
                  <>
                    <dt>{t('task.recipient')}</dt>
                    <dd>
                      {recipient().name}
                      <Show when={recipient().idLast4}> · CCCD …{recipient().idLast4}</Show>
                    </dd>
                  </>
                )}
              </Show>
              <Show when={current().serviceLevel}>
                <dt>{t('task.serviceLevel')}</dt>
                <dd>{current().serviceLevel}</dd>
              </Show>
              <Show when={(current().feesDue ?? 0) > 0}>
                <dt>{t('task.feesDue')}</dt>
                <dd class="money">{formatMoney(current().feesDue ?? 0)}</dd>
              </Show>
              <Show when={current().attempts > 0}>
                <dt>{t('task.attempts')}</dt>
                <dd>{current().attempts}</dd>
              </Show>
              <Show when={collectList(current(), 'recovered').length > 0}>
                <dt>{t('task.recovered')}</dt>
                <dd>{collectList(current(), 'recovered').join(', ')}</dd>
              </Show>
            </dl>

            <div class="action-row">
              <Show when={current().contactPhone}>
                {(phone) => (
                  <a class="button button-big" href={telLink(phone())}>
                    <PhoneIcon />
                    {t('task.call')}
                  </a>
                )}
              </Show>
              <Show when={current().lat != null && current().lng != null}>
                <a
                  class="button button-big"
                  href={mapLinks(current().lat!, current().lng!, current().address).web}
                  target="_blank"
                  rel="noopener"
                  data-geo={mapLinks(current().lat!, current().lng!, current().address).geo}
                  onClick={(event) => {
                    if (/android/i.test(navigator.userAgent)) {
                      event.preventDefault();
                      window.location.href = mapLinks(current().lat!, current().lng!, current().address).geo;
                    }
                  }}
                >
                  <NavigateIcon />
                  {t('task.navigate')}
                </a>
              </Show>
            </div>

            <Show when={queue.forTask(current().id).find((action) => action.status === 'applied')}>
              {(applied) => (
                <div class="outcome" role="status">
                  <Show when={applied().nextAttemptAfter}>
                    {(at) => <p>{t('task.nextAttempt', { when: formatDateTime(at()) })}</p>}
                  </Show>
                  <Show when={applied().returnedToAgency}>
                    <p>{t('task.returnedToAgency')}</p>
                  </Show>
                  <Show when={applied().proofId}>
                    {(proofId) => (
                      <a
                        class="button button-block"
                        href={proofPdfUrl(proofId())}
                        target="_blank"
                        rel="noopener"
                      >
                        {t('task.proofPdf')}
                      </a>
                    )}
                  </Show>
                </div>
              )}
            </Show>

            <Show when={taskStatus(current()) === 'todo'}>
              <div class="door-actions">
                <A
                  class="button button-primary button-block button-door"
                  href={`/task/${current().id}/${current().kind === 'delivery' ? 'deliver' : 'pickup'}`}
                >
                  <CheckIcon />
                  {current().kind === 'delivery' ? t('task.startDelivery') : t('task.startPickup')}
                </A>
                <A class="button button-block button-danger-outline" href={`/task/${current().id}/fail`}>
                  <CrossIcon />
                  {t('task.startFail')}
                </A>
              </div>
            </Show>
          </>
        )}
      </Show>
    </div>
  );
};
