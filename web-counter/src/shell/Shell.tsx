import { A, useNavigate } from '@solidjs/router';
import { createSignal, type JSX, Show } from 'solid-js';
import { describeError, type Problem } from '../errors';
import { t } from '../i18n';
import { LogoutIcon } from '../icons';
import { ProblemNote } from '../ProblemNote';
import { session, type User } from '../session';
import { Toaster } from '../Toaster';
import { LanguageSwitch } from './LanguageSwitch';
import { OfficeSwitch } from './OfficeSwitch';
import { onKey } from './shortcuts';

export const Shell = (props: { user: User; children?: JSX.Element }) => {
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

  onKey((event) => {
    if (!event.altKey || event.ctrlKey || event.metaKey) return;
    const action: Record<string, () => void> = {
      KeyQ: () => void logout(),
      KeyM: () => navigate('/'),
      KeyH: () => navigate('/today'),
      KeyK: () => navigate('/verify'),
    };
    const run = action[event.code];
    if (!run) return;
    event.preventDefault();
    run();
  });

  return (
    <div class="shell">
      <header class="shell-header">
        <span class="brand">{t('app.name')}</span>
        <nav class="shell-nav" aria-label={t('nav.label')}>
          <A href="/" end activeClass="active" aria-keyshortcuts="Alt+M">
            {t('nav.catalog')}
            <kbd>Alt+M</kbd>
          </A>
          <A href="/today" activeClass="active" aria-keyshortcuts="Alt+H">
            {t('nav.today')}
            <kbd>Alt+H</kbd>
          </A>
          <A href="/verify" activeClass="active" aria-keyshortcuts="Alt+K">
            {t('nav.verify')}
            <kbd>Alt+K</kbd>
          </A>
        </nav>
        <div class="shell-header-end">
          <span class="user-name" title={t('shell.user')}>
            {props.user.fullName}
          </span>
          <OfficeSwitch />
          <LanguageSwitch />
          <button
            type="button"
            class="button button-quiet"
            onClick={() => void logout()}
            aria-keyshortcuts="Alt+Q"
          >
            <LogoutIcon />
            {t('shell.logout')}
            <kbd>Alt+Q</kbd>
          </button>
        </div>
      </header>
      <Show when={problem()}>{(current) => <ProblemNote problem={current()} />}</Show>
      <main class="shell-main">{props.children}</main>
      <Toaster />
    </div>
  );
};
