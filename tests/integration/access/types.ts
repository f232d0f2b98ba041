import type { Role } from '@postdesk/shared';

/**
 * 'public' = anyone; 'signed-in' = any role; 'citizen' = only a citizen's e-ID session (every staff caller is
 * as unauthenticated as an anonymous one); else the roles that may call it.
 */
export type Access = 'public' | 'signed-in' | 'citizen' | Role[];

export const STAFF: Role[] = ['clerk', 'supervisor', 'agency_official', 'admin'];
