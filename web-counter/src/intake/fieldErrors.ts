import { ERRORS, isAppError, isErrorCode } from '@postdesk/shared';
import { TRPCClientError } from '@trpc/client';
import { describeError, type Problem } from '../errors';
import { type MessageKey, tIn } from '../i18n';

/** Where an error shows: an applicant field, a delivery field, 'components', 'returnMethod', 'reason', 'missing' or 'general'. */
export type FieldKey = string;

export type FieldErrors = Record<FieldKey, Problem>;

const message = (key: MessageKey): Problem => ({ vi: tIn('vi', key), en: tIn('en', key) });

const FIELDS_WITH_MESSAGES = new Set([
  'citizenId',
  'fullName',
  'dateOfBirth',
  'sex',
  'phone',
  'email',
  'line',
  'communeCode',
  'delivery.line',
  'delivery.communeCode',
  'delivery.window',
  'delivery.lat',
  'delivery.lng',
  'returnMethod',
  'reason',
  'missing',
  'components',
]);

/** What to do about a field, from our own catalogue (the server's validation texts are not for citizens). */
export const fieldMessage = (key: FieldKey) =>
  message(FIELDS_WITH_MESSAGES.has(key) ? (`fieldError.${key}` as MessageKey) : 'fieldError.general');

/** `applicant.address.communeCode` → `communeCode`; `delivery.address.line` → `delivery.line`; `components.2.copies` → `components`. */
export const fieldKeyOfPath = (path: string): FieldKey => {
  const parts = path.split('.').filter((part) => part !== 'address' && part !== 'applicant');
  if (parts[0] === 'components' || parts[0] === 'missing') return parts[0];
  if (parts[0] === 'delivery') return parts.slice(0, 2).join('.');
  return parts[0] ?? 'general';
};

const BY_CODE: Record<string, FieldKey> = {
  CITIZEN_ID_INVALID: 'citizenId',
  PHONE_INVALID: 'phone',
  EMAIL_INVALID: 'email',
  COMMUNE_UNKNOWN: 'communeCode',
  COMPONENTS_INCOMPLETE: 'components',
  REUSE_NOT_ALLOWED: 'components',
  DELIVERY_NOT_ALLOWED: 'returnMethod',
  REASON_REQUIRED: 'reason',
};

type ErrorData = { appCode?: string; details?: Record<string, unknown> | null };

const mentionsDelivery = (details: Record<string, unknown> | null | undefined) =>
  JSON.stringify(details ?? {}).includes('delivery');

/** A server refusal spread over the fields it concerns, each in Vietnamese then English. */
export const fieldErrorsOf = (error: unknown): FieldErrors => {
  if (isAppError(error)) {
    const key = BY_CODE[error.code] ?? 'general';
    return { [key]: { code: error.code, vi: ERRORS[error.code].vi, en: ERRORS[error.code].en } };
  }
  const problem = describeError(error);
  if (!(error instanceof TRPCClientError)) return { general: problem };
  const data = (error.data ?? {}) as ErrorData;
  const fields = (data.details?.fields ?? []) as { path: string; message: string }[];
  if (data.appCode === 'VALIDATION_FAILED' && fields.length > 0) {
    const errors: FieldErrors = {};
    for (const field of fields) {
      const key = fieldKeyOfPath(field.path);
      errors[key] ??= fieldMessage(key);
    }
    return errors;
  }
  const code = data.appCode ?? '';
  let key = BY_CODE[code] ?? 'general';
  if (code === 'COMMUNE_UNKNOWN' && mentionsDelivery(data.details)) key = 'delivery.communeCode';
  const known = isErrorCode(code) ? { code, vi: ERRORS[code].vi, en: ERRORS[code].en } : problem;
  return { [key]: { ...known, vi: problem.vi || known.vi, en: problem.en || known.en } };
};

/** COMPONENTS_INCOMPLETE lists what is absent; the wizard shows those names under the message. */
export const missingComponentsOf = (error: unknown): { code: string; name: string }[] => {
  if (!(error instanceof TRPCClientError)) return [];
  const data = (error.data ?? {}) as ErrorData;
  if (data.appCode !== 'COMPONENTS_INCOMPLETE') return [];
  return (data.details?.missing ?? []) as { code: string; name: string }[];
};
