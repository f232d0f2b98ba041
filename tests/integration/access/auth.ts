import type { Access } from './types';

/** Who may call the account procedures added for the edge's security (own password, second factor). */
export const AUTH_ACCESS: Record<string, Access> = {
  'auth.changePassword': 'signed-in',
  'auth.totpEnrol': ['admin', 'supervisor'],
  'auth.totpConfirm': ['admin', 'supervisor'],
};
