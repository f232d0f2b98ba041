import { Navigate, type RouteSectionProps } from '@solidjs/router';
import { Match, Switch } from 'solid-js';
import { t } from '../i18n';
import { session } from '../session';
import { Shell } from '../shell/Shell';

export const RequireSession = (props: RouteSectionProps) => (
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
      <Navigate href="/login" />
    </Match>
    <Match when={session.user.state !== 'errored' && session.user()}>
      {(user) => <Shell user={user()}>{props.children}</Shell>}
    </Match>
  </Switch>
);
