import type { Role } from '@postdesk/shared';

/** 'public' = anyone; 'signed-in' = any role; else the roles that may call it. */
export type Access = 'public' | 'signed-in' | Role[];

export const STAFF: Role[] = ['clerk', 'supervisor', 'agency_official', 'admin'];
