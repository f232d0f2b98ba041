import { For } from 'solid-js';
import { lang, t } from '../i18n';
import { AlertIcon } from '../icons';
import { queue } from './queue';

/** Every conflict or refusal stays on screen, named by task, until the courier says they have read it. */
export const QueueProblems = () => (
  <For each={queue.actions().filter((a) => a.status === 'conflict' || a.status === 'rejected')}>
    {(action) => (
      <div class="problem task-problem" role="alert" data-task={action.taskId}>
        <p class="task-problem-title">
          <AlertIcon />
          {action.status === 'conflict' ? t('sync.conflictTitle') : t('sync.rejectedTitle')}
        </p>
        <p class="task-problem-task">
          {t(`action.${action.type}`)} · {action.taskLabel}
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
