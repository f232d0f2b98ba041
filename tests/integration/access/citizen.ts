import type { Access } from './types';

/** Who may call the procedures of citizens, feedback and notifications. */
export const CITIZEN_ACCESS: Record<string, Access> = {};
