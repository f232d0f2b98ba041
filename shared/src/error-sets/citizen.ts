import type { ErrorEntry } from '../errors';

/** Errors of citizen requests, one-time codes, feedback and notifications: Vietnamese first (what to do), English second. */
export const CITIZEN_ERRORS = {} as const satisfies Record<string, ErrorEntry>;
