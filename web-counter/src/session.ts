import { createEffect, createMemo, createResource, createRoot, createSignal } from 'solid-js';
import { actForOffice, api, type Outputs } from './api';

export type User = NonNullable<Outputs['auth']['me']>;
export type Membership = User['memberships'][number];

const membershipKey = (membership: Membership) => `${membership.officeId}:${membership.role}`;
const storageKey = 'postdesk.counter.membership';

/**
 * Each role lands on its own work: the clerk on the catalogue (intake), the supervisor on the deadline board,
 * the agency official on the agency inbox, the administrator on the failed deliveries, the courier in the
 * courier app (outside this app: an absolute path for `location`).
 */
export const homeOf = (role: Membership['role'] | undefined) => {
  switch (role) {
    case 'supervisor':
      return '/board';
    case 'agency_official':
      return '/agency';
    case 'admin':
      return '/dead-letters';
    case 'courier':
      return '/courier/';
    default:
      return '/';
  }
};

/** Pages outside this app (the courier app) are opened by the browser, not the router. */
export const isOtherApp = (path: string) => path.startsWith('/courier/');

export const session = createRoot(() => {
  const [user, { refetch, mutate }] = createResource(() => api.auth.me.query());
  const [chosen, setChosen] = createSignal(localStorage.getItem(storageKey));

  const memberships = () => (user.state === 'ready' ? (user()?.memberships ?? []) : []);
  /** The one the user chose on this machine, else the office with work the server names, else the first. */
  const membership = createMemo(() => {
    const home = user.state === 'ready' ? user()?.home : null;
    return (
      memberships().find((item) => membershipKey(item) === chosen()) ??
      memberships().find((item) => home && item.officeId === home.officeId && item.role === home.role) ??
      memberships()[0]
    );
  });

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

  /** Where the current role's work is: the page it lands on after signing in. */
  const homePath = () => homeOf(membership()?.role);

  return { user, refetch, homePath, memberships, membership, chooseMembership, membershipKey, login, logout };
});
