import { Match, Switch } from 'solid-js';
import { t } from '../i18n';
import { AlertIcon, CheckIcon, ClockIcon } from '../icons';
import { queue } from '../offline/queue';
import type { Task } from './types';

/** What the phone and the server know about a task, as one chip with a word and an icon (never colour alone). */
export const taskStatus = (task: Task) => {
  const local = queue.forTask(task.id);
  if (local.some((action) => action.status === 'conflict')) return 'conflict';
  if (local.some((action) => action.status === 'rejected')) return 'rejected';
  if (local.some((action) => action.status === 'pending')) return 'pending';
  const applied = local.find((action) => action.status === 'applied');
  if (applied) return applied.type === 'fail' ? 'failed' : 'done';
  if (task.state === 'done') return 'done';
  if (task.state === 'failed') return 'failed';
  if (task.state === 'cancelled') return 'cancelled';
  return 'todo';
};

export const TaskStatusChip = (props: { task: Task }) => (
  <Switch>
    <Match when={taskStatus(props.task) === 'conflict'}>
      <span class="chip chip-danger">
        <AlertIcon />
        {t('status.conflict')}
      </span>
    </Match>
    <Match when={taskStatus(props.task) === 'rejected'}>
      <span class="chip chip-danger">
        <AlertIcon />
        {t('status.rejected')}
      </span>
    </Match>
    <Match when={taskStatus(props.task) === 'pending'}>
      <span class="chip chip-waiting">
        <ClockIcon />
        {t('status.pending')}
      </span>
    </Match>
    <Match when={taskStatus(props.task) === 'done'}>
      <span class="chip chip-done">
        <CheckIcon />
        {t('status.done')}
      </span>
    </Match>
    <Match when={taskStatus(props.task) === 'failed'}>
      <span class="chip chip-muted">
        <AlertIcon />
        {t('status.failed')}
      </span>
    </Match>
    <Match when={taskStatus(props.task) === 'cancelled'}>
      <span class="chip chip-muted">{t('status.cancelled')}</span>
    </Match>
  </Switch>
);
