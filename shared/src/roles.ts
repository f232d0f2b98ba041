import { appError } from './errors';

/** Roles a user account holds at an office (a membership). */
export const ROLES = ['clerk', 'courier', 'agency_official', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who may cause a dossier event: staff by role, plus the parties that act without a staff account. */
export const ACTORS = [...ROLES, 'citizen', 'portal', 'payment_gateway', 'system', 'planner'] as const;
export type Actor = (typeof ACTORS)[number];

/**
 * Seconded postal staff (Decision 468/QĐ-TTg): they guide, receive, digitize and return, and never take
 * the decision step.
 */
export const POSTAL_STAFF = ['clerk', 'courier'] as const satisfies readonly Role[];

export const isRole = (value: unknown): value is Role => (ROLES as readonly unknown[]).includes(value);

export const isActor = (value: unknown): value is Actor => (ACTORS as readonly unknown[]).includes(value);

export const isPostalStaff = (actor: Actor) => (POSTAL_STAFF as readonly Actor[]).includes(actor);

export const parseRole = (value: unknown): Role => {
  const role = typeof value === 'string' ? value.trim() : value;
  if (!isRole(role)) throw appError('ROLE_UNKNOWN', { allowed: [...ROLES] });
  return role;
};
