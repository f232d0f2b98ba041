import { createEffect, createResource, createRoot, on } from 'solid-js';
import { api, type Outputs } from './api';
import { online } from './network';

export type User = NonNullable<Outputs['auth']['me']>;

export const session = createRoot(() => {
  const [user, { refetch, mutate }] = createResource(() => api.auth.me.query());

  createEffect(
    on(online, (isOnline) => {
      if (isOnline && user.state === 'errored') void refetch();
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

  const logout = async () => {
    await api.auth.logout.mutate();
    mutate(null);
  };

  return { user, refetch, courierOffices, login, logout };
});
