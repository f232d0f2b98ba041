import { useNavigate } from '@solidjs/router';
import { createSignal, For, Show } from 'solid-js';
import { describeError, type Problem } from '../errors';
import { t } from '../i18n';
import { LogoutIcon } from '../icons';
import { ProblemNote } from '../ProblemNote';
import { session, type User } from '../session';
import { LanguageSwitch } from './LanguageSwitch';
import { NetworkStatus } from './NetworkStatus';

export const Shell = (props: { user: User }) => {
  const navigate = useNavigate();
  const [problem, setProblem] = createSignal<Problem>();

  const logout = async () => {
    setProblem(undefined);
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
          <button type="button" class="button button-header" onClick={() => void logout()}>
            <LogoutIcon />
            {t('shell.logout')}
          </button>
        </div>
        <NetworkStatus />
      </header>
      <main class="shell-main">
        <Show when={problem()}>{(current) => <ProblemNote problem={current()} />}</Show>
        <p class="greeting">{t('shell.greeting')}</p>
        <h1 class="courier-name">{props.user.fullName}</h1>
        <Show
          when={session.courierOffices().length > 0}
          fallback={<p class="notice">{t('shell.notCourier')}</p>}
        >
          <h2 class="section-label">{t('shell.offices')}</h2>
          <ul class="offices">
            <For each={session.courierOffices()}>
              {(membership) => (
                <li>
                  <span class="office-name">{membership.officeName}</span>
                  <span class="office-code">{membership.officeCode}</span>
                </li>
              )}
            </For>
          </ul>
        </Show>
        <div class="shell-footer">
          <LanguageSwitch />
        </div>
      </main>
    </div>
  );
};
