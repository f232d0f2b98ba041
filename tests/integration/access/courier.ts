import type { Access } from './types';

/** Who may call the procedures of couriers and dispatch. */
export const COURIER_ACCESS: Record<string, Access> = {};
