import type { Access } from './types';

/** Who may call the procedures of the agency hand-off. */
export const AGENCY_ACCESS: Record<string, Access> = {};
