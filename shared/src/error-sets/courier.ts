import type { ErrorEntry } from '../errors';

/** Errors of courier tasks, routes, proofs at the door and the courier app: Vietnamese first (what to do), English second. */
export const COURIER_ERRORS = {} as const satisfies Record<string, ErrorEntry>;
