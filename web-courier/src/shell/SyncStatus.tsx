import { A } from '@solidjs/router';
import { Match, Switch } from 'solid-js';
import { t } from '../i18n';
import { CheckIcon, ClockIcon, SyncIcon } from '../icons';
import { queue } from '../offline/queue';

/** Always visible: how many actions wait on the phone, and whether they are moving. */
export const SyncStatus = () => {
  const count = () => queue.pending().length;
  const problems = () =>
    queue.actions().filter((a) => a.status === 'conflict' || a.status === 'rejected').length;
  return (
    <A
      href="/queue"
      class="sync-status"
      classList={{ 'sync-waiting': count() > 0, 'sync-problem': problems() > 0 }}
      data-pending={count()}
      aria-live="polite"
    >
      <Switch
        fallback={
          <>
            <CheckIcon />
            {t('sync.allSent')}
          </>
        }
      >
        <Match when={problems() > 0}>
          <ClockIcon />
          {t('sync.problems', { count: problems() })}
        </Match>
        <Match when={queue.syncing() && count() > 0}>
          <SyncIcon />
          {t('sync.sending', { count: count() })}
        </Match>
        <Match when={count() > 0}>
          <ClockIcon />
          {t('sync.pending', { count: count() })}
        </Match>
      </Switch>
    </A>
  );
};
