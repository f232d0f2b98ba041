import { TRPCClientError } from '@trpc/client';
import { createEffect, createResource, createRoot, createSignal, on } from 'solid-js';
import { api, type Outputs } from './api';
import { today } from './courier/today';
import { online } from './network';
import { clearOfflineData } from './offline/db';
import { queue } from './offline/queue';

export type User = NonNullable<Outputs['auth']['me']>;

const cacheKey = 'postdesk.courier.user';

const cachedUser = (): User | null => {
  try {
    return JSON.parse(localStorage.getItem(cacheKey) ?? 'null') as User | null;
  } catch {
    return null;
  }
};

const isNetworkFailure = (error: unknown) => error instanceof TRPCClientError && !error.data;

export const session = createRoot(() => {
  /** True while the app runs on the user remembered from the last time the server answered. */
  const [remembered, setRemembered] = createSignal(false);

  const fetchUser = async (): Promise<User | null> => {
    try {
      const me = await api.auth.me.query();
      if (me) localStorage.setItem(cacheKey, JSON.stringify(me));
      else localStorage.removeItem(cacheKey);
      setRemembered(false);
      return me;
    } catch (error) {
      // No signal on the road: the last signed-in courier keeps working; the server checks the session at sync.
      const known = cachedUser();
      if (isNetworkFailure(error) && known) {
        setRemembered(true);
        return known;
      }
      throw error;
    }
  };

  const [user, { refetch, mutate }] = createResource(fetchUser);

  createEffect(
    on(online, (isOnline) => {
      if (isOnline && (user.state === 'errored' || remembered())) void refetch();
    }),
  );

  const courierOffices = () =>
    user.state === 'ready'
      ? (user()?.memberships ?? []).filter((membership) => membership.role === 'courier')
      : [];

  const login = async (credentials: { username: string; password: string }) => {
    await api.auth.login.mutate(credentials);
    await refetch();
  };

  // The phone keeps nothing of the courier once they sign out, even when the server cannot be told (the
  // caller refuses to sign out while actions still wait to be sent).
  const logout = async () => {
    try {
      await api.auth.logout.mutate();
    } finally {
      await clearOfflineData();
      await queue.refresh();
      today.clear();
      localStorage.removeItem(cacheKey);
      mutate(null);
    }
  };

  return { user, remembered, refetch, courierOffices, login, logout };
});
