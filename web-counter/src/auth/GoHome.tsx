import { Navigate } from '@solidjs/router';
import { onMount, Show } from 'solid-js';
import { isOtherApp, session } from '../session';

/** Sends the signed-in user to `to`, else to their role's own work (another app, such as the courier's, by the browser). */
export const GoHome = (props: { to?: string | null }) => {
  const path = props.to ?? session.homePath();
  if (isOtherApp(path)) {
    onMount(() => window.location.replace(path));
    return null;
  }
  return <Show when={path}>{(href) => <Navigate href={href()} />}</Show>;
};
