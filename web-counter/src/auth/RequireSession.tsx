import { Navigate, type RouteSectionProps, useLocation } from '@solidjs/router';
import { Match, Switch } from 'solid-js';
import { t } from '../i18n';
import { session } from '../session';
import { Shell } from '../shell/Shell';

/** Back to the page asked for after signing in (`/login?next=/mailbox`); the landing page needs no `next`. */
const loginFor = (path: string) => (path === '/' ? '/login' : `/login?next=${encodeURIComponent(path)}`);

export const RequireSession = (props: RouteSectionProps) => {
  const location = useLocation();
  return (
    <Switch fallback={<p class="page-status">{t('session.loading')}</p>}>
      <Match when={session.user.state === 'errored'}>
        <div class="page-status" role="alert">
          <p>{t('session.unreachable')}</p>
          <button type="button" class="button" onClick={() => session.refetch()}>
            {t('session.retry')}
          </button>
        </div>
      </Match>
      <Match when={session.user.state === 'ready' && session.user() === null}>
        <Navigate href={loginFor(location.pathname + location.search)} />
      </Match>
      <Match when={session.user.state !== 'errored' && session.user()}>
        {(user) => <Shell user={user()}>{props.children}</Shell>}
      </Match>
    </Switch>
  );
};
