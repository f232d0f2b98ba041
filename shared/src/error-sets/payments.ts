import type { ErrorEntry } from '../errors';

/** Errors of bills, the payment gateway, VietQR, cash and reconciliation: Vietnamese first (what to do), English second. */
export const PAYMENTS_ERRORS = {} as const satisfies Record<string, ErrorEntry>;
