import type { ErrorEntry } from '../errors';

/** Errors of the agency API, API keys and webhooks: Vietnamese first (what to do), English second. */
export const AGENCY_API_ERRORS = {} as const satisfies Record<string, ErrorEntry>;
