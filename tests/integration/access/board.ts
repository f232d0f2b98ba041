import type { Access } from './types';

/** Who may call the procedures of the supervisor's board. */
export const BOARD_ACCESS: Record<string, Access> = {};
