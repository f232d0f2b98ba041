import type { ErrorEntry } from '../errors';

/** Errors of the agency hand-off: forwarding, inbox, decisions, Mẫu 04/05: Vietnamese first (what to do), English second. */
export const AGENCY_ERRORS = {} as const satisfies Record<string, ErrorEntry>;
