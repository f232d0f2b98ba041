import { Navigate } from '@solidjs/router';
import { type JSX, Match, Switch } from 'solid-js';
import { t } from '../i18n';
import { session } from '../session';
import { NetworkStatus } from '../shell/NetworkStatus';
import { Shell } from '../shell/Shell';

export const RequireSession = (props: { children?: JSX.Element }) => (
  <Switch fallback={<p class="page-status">{t('session.loading')}</p>}>
    <Match when={session.user.state === 'errored'}>
      <div class="page-status" role="alert">
        <NetworkStatus />
        <p>{t('session.unreachable')}</p>
        <button type="button" class="button button-primary button-block" onClick={() => session.refetch()}>
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
