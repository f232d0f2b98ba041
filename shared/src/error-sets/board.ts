import type { ErrorEntry } from '../errors';

/** Errors of the supervisor's deadline board and indicators: Vietnamese first (what to do), English second. */
export const BOARD_ERRORS = {} as const satisfies Record<string, ErrorEntry>;
