import type { Access } from './types';

/** Who may call the procedures of payments. */
export const PAYMENTS_ACCESS: Record<string, Access> = {};
