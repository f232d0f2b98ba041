import { useNavigate } from '@solidjs/router';
import { createSignal, type JSX, onMount, Show } from 'solid-js';
import { today } from '../courier/today';
import { describeError, type Problem } from '../errors';
import { t, tIn } from '../i18n';
import { LogoutIcon } from '../icons';
import { queue } from '../offline/queue';
import { ProblemNote } from '../ProblemNote';
import { session, type User } from '../session';
import { LanguageSwitch } from './LanguageSwitch';
import { NetworkStatus } from './NetworkStatus';
import { SyncStatus } from './SyncStatus';

export const Shell = (props: { user: User; children?: JSX.Element }) => {
  const navigate = useNavigate();
  const [problem, setProblem] = createSignal<Problem>();
  // The day is loaded here, not on the route page, so a door form reopened from the phone's history still finds its task.
  onMount(() => void today.load(props.user.id));

  const logout = async () => {
    setProblem(undefined);
    if (queue.pending().length > 0) {
      setProblem({ vi: tIn('vi', 'shell.logoutPending'), en: tIn('en', 'shell.logoutPending') });
      return;
    }
    try {
      await session.logout();
      navigate('/login', { replace: true });
    } catch (error) {
      setProblem(describeError(error));
    }
  };

  return (
    <div class="shell">
      <header class="shell-header">
        <div class="shell-header-bar">
          <span class="brand">{t('app.name')}</span>
          <span class="header-name">{props.user.fullName}</span>
          <LanguageSwitch compact />
          <button
            type="button"
            class="button button-header"
            onClick={() => void logout()}
            aria-label={t('shell.logout')}
          >
            <LogoutIcon />
            <span class="header-logout-text">{t('shell.logout')}</span>
          </button>
        </div>
        <div class="shell-status">
          <NetworkStatus />
          <SyncStatus />
        </div>
      </header>
      <main class="shell-main">
        <Show when={problem()}>{(current) => <ProblemNote problem={current()} />}</Show>
        <Show
          when={session.courierOffices().length > 0}
          fallback={<p class="notice">{t('shell.notCourier')}</p>}
        >
          {props.children}
        </Show>
      </main>
    </div>
  );
};
