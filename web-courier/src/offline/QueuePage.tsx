import { For, Show } from 'solid-js';
import { BackLink } from '../courier/TaskPage';
import { formatTime } from '../format';
import { t } from '../i18n';
import { SyncIcon } from '../icons';
import { online } from '../network';
import { QueueProblems } from './QueueProblems';
import { queue } from './queue';

export const QueuePage = () => (
  <div class="queue-page">
    <BackLink href="/" label={t('task.backToRoute')} />
    <h1 class="page-title">{t('queue.title')}</h1>
    <QueueProblems />
    <Show when={queue.pending().length > 0} fallback={<p class="notice">{t('queue.empty')}</p>}>
      <ol class="queue-list">
        <For each={queue.pending()}>
          {(action) => (
            <li class="queue-item">
              <span class="queue-type">{t(`action.${action.type}`)}</span>
              <span>{action.taskLabel}</span>
              <span class="queue-time">{t('queue.recordedAt', { time: formatTime(action.deviceAt) })}</span>
            </li>
          )}
        </For>
      </ol>
      <p class="field-help">
        {queue.stopped() === 'session'
          ? t('queue.sessionGone')
          : online()
            ? t('queue.willRetry')
            : t('queue.waitingSignal')}
      </p>
      <button
        type="button"
        class="button button-primary button-block"
        disabled={!online() || queue.syncing()}
        onClick={() => void queue.run()}
      >
        <SyncIcon />
        {t('queue.sendNow')}
      </button>
    </Show>
  </div>
);
