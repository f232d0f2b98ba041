import { createEffect, createMemo, createResource, createRoot, createSignal } from 'solid-js';
import { actForOffice, api, type Outputs } from './api';

export type User = NonNullable<Outputs['auth']['me']>;
export type Membership = User['memberships'][number];

const membershipKey = (membership: Membership) => `${membership.officeId}:${membership.role}`;
const storageKey = 'postdesk.counter.membership';

export const session = createRoot(() => {
  const [user, { refetch, mutate }] = createResource(() => api.auth.me.query());
  const [chosen, setChosen] = createSignal(localStorage.getItem(storageKey));

  const memberships = () => (user.state === 'ready' ? (user()?.memberships ?? []) : []);
  const membership = createMemo(
    () => memberships().find((item) => membershipKey(item) === chosen()) ?? memberships()[0],
  );

  createEffect(() => actForOffice(membership()?.officeId));

  const chooseMembership = (key: string) => {
    localStorage.setItem(storageKey, key);
    setChosen(key);
  };

  const login = async (credentials: { username: string; password: string; totp?: string }) => {
    await api.auth.login.mutate(credentials);
    await refetch();
  };

  const logout = async () => {
    await api.auth.logout.mutate();
    mutate(null);
  };

  return { user, refetch, memberships, membership, chooseMembership, membershipKey, login, logout };
});
