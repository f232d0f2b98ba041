import { AppError, appError } from '@postdesk/shared';

type Pkcs11Failure = { code?: number; message?: string };

const PIN_FAILURES = new Set([
  'CKR_PIN_INCORRECT',
  'CKR_PIN_INVALID',
  'CKR_PIN_LEN_RANGE',
  'CKR_PIN_EXPIRED',
  'CKR_PIN_LOCKED',
  'CKR_USER_PIN_NOT_INITIALIZED',
  'CKR_USER_NOT_LOGGED_IN',
]);

// A token pulled out of its reader shows up as any of these, depending on the vendor's module and on whether the
// session was already gone when we touched it.
const REMOVAL_FAILURES = new Set([
  'CKR_DEVICE_REMOVED',
  'CKR_TOKEN_NOT_PRESENT',
  'CKR_SESSION_HANDLE_INVALID',
  'CKR_SESSION_CLOSED',
  'CKR_DEVICE_ERROR',
  // The module itself was finalized under us (a reader driver reset, a hot-unplugged HSM): same to the clerk.
  'CKR_CRYPTOKI_NOT_INITIALIZED',
]);

const NOT_FOUND_FAILURES = new Set(['CKR_SLOT_ID_INVALID', 'CKR_TOKEN_NOT_RECOGNIZED']);

/** The CKR_* name of a pkcs11js failure, or undefined for anything else. */
export const pkcs11ReturnName = (err: unknown): string | undefined => {
  const message = (err as Pkcs11Failure | undefined)?.message;
  return typeof message === 'string' ? /CKR_[A-Z_]+/.exec(message)?.[0] : undefined;
};

export const isTokenRemoval = (err: unknown) => REMOVAL_FAILURES.has(pkcs11ReturnName(err) ?? '');

/**
 * Turns whatever a PKCS#11 module threw into one of our coded errors. The CKR_* name travels in `details` for
 * the log; the PIN never does.
 */
export const tokenError = (err: unknown, context: Record<string, unknown> = {}): AppError => {
  if (err instanceof AppError) return err;
  const ckr = pkcs11ReturnName(err);
  if (ckr === undefined) {
    return appError('INTERNAL', { ...context, cause: err instanceof Error ? err.message : String(err) });
  }
  const details = { ...context, pkcs11: ckr };
  if (PIN_FAILURES.has(ckr))
    return appError('TOKEN_PIN_INVALID', { ...details, locked: ckr === 'CKR_PIN_LOCKED' });
  if (REMOVAL_FAILURES.has(ckr)) return appError('TOKEN_REMOVED', details);
  if (NOT_FOUND_FAILURES.has(ckr)) return appError('TOKEN_NOT_FOUND', details);
  return appError('INTERNAL', details);
};
