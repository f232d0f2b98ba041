import type { Role } from '@postdesk/shared';
import { A, useNavigate } from '@solidjs/router';
import { createSignal, For, type JSX, Show } from 'solid-js';
import { describeError, type Problem } from '../errors';
import { type MessageKey, t } from '../i18n';
import { LogoutIcon } from '../icons';
import { ProblemNote } from '../ProblemNote';
import { session, type User } from '../session';
import { Toaster } from '../Toaster';
import { LanguageSwitch } from './LanguageSwitch';
import { OfficeSwitch } from './OfficeSwitch';
import { onKey } from './shortcuts';

type NavItem = {
  href: string;
  label: MessageKey;
  roles: Role[];
  key?: string;
  end?: boolean;
  /** Shown only when the server says so (the development mailbox). */
  when?: (user: User) => boolean;
};

/** What each role works on; the page itself checks the role again on the server. */
const NAV: NavItem[] = [
  { href: '/', label: 'nav.catalog', roles: ['clerk', 'supervisor', 'admin'], key: 'M', end: true },
  { href: '/queue', label: 'nav.queue', roles: ['clerk'], key: 'G' },
  { href: '/today', label: 'nav.today', roles: ['clerk', 'supervisor'], key: 'H' },
  { href: '/agency', label: 'nav.agency', roles: ['agency_official'], key: 'C' },
  { href: '/board', label: 'nav.board', roles: ['supervisor', 'admin'], key: 'B' },
  { href: '/indicators', label: 'nav.indicators', roles: ['supervisor', 'admin'], key: 'S' },
  { href: '/dispatch', label: 'nav.dispatch', roles: ['supervisor'], key: 'D' },
  { href: '/complaints', label: 'nav.complaints', roles: ['supervisor'] },
  { href: '/payments', label: 'nav.payments', roles: ['clerk', 'supervisor'] },
  { href: '/dead-letters', label: 'nav.deadLetters', roles: ['supervisor', 'admin'] },
  { href: '/admin/calendars', label: 'nav.calendars', roles: ['admin'] },
  {
    href: '/verify',
    label: 'nav.verify',
    roles: ['clerk', 'supervisor', 'agency_official', 'admin'],
    key: 'K',
  },
];

export const Shell = (props: { user: User; children?: JSX.Element }) => {
  const navigate = useNavigate();
  const [problem, setProblem] = createSignal<Problem>();
  const visibleNav = () => {
    const role = session.membership()?.role;
    return NAV.filter(
      (item) => role !== undefined && item.roles.includes(role) && (item.when?.(props.user) ?? true),
    );
  };

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
    const action: Record<string, () => void> = { KeyQ: () => void logout() };
    for (const item of visibleNav()) if (item.key) action[`Key${item.key}`] = () => navigate(item.href);
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
          <For each={visibleNav()}>
            {(item) => (
              <A
                href={item.href}
                end={item.end ?? false}
                activeClass="active"
                aria-keyshortcuts={item.key ? `Alt+${item.key}` : undefined}
              >
                {t(item.label)}
                <Show when={item.key}>{(key) => <kbd>Alt+{key()}</kbd>}</Show>
              </A>
            )}
          </For>
        </nav>
        <div class="shell-header-end">
          <A href="/account" class="user-name" title={t('shell.account')} activeClass="active">
            {props.user.fullName}
          </A>
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
