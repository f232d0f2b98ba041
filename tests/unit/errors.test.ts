import {
  AppError,
  appError,
  ERROR_CODES,
  ERRORS,
  type ErrorCode,
  errorMessage,
  isAppError,
  isErrorCode,
  toErrorBody,
} from '@postdesk/shared';
import { describe, expect, it } from 'vitest';

const REQUIRED: ErrorCode[] = [
  'VALIDATION_FAILED',
  'CITIZEN_ID_INVALID',
  'DOSSIER_CODE_INVALID',
  'AGENCY_ID_INVALID',
  'PROCEDURE_CODE_INVALID',
  'QR_INVALID',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'LOGIN_FAILED',
  'ACCOUNT_LOCKED',
  'RATE_LIMITED',
  'NOT_FOUND',
  'DOSSIER_NOT_FOUND',
  'PROCEDURE_NOT_FOUND',
  'TRANSITION_NOT_ALLOWED',
  'ROLE_NOT_ALLOWED',
  'GUARD_FAILED',
  'ROLE_UNKNOWN',
  'FILE_TOO_LARGE',
  'FILE_TYPE_NOT_ALLOWED',
  'CONFLICT',
  'IDEMPOTENCY_CONFLICT',
  'INTERNAL',
  'UNAVAILABLE',
];

// Letters only Vietnamese has (beyond plain ASCII): a message without any is not Vietnamese.
const VIETNAMESE_LETTER = /[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]/i;

describe('the error catalogue', () => {
  it('has every code the server relies on', () => {
    for (const code of REQUIRED) expect(ERRORS[code], code).toBeDefined();
  });

  it.each(ERROR_CODES)(
    '%s has a Vietnamese message with diacritics and an English one, both telling the user what to do',
    (code) => {
      const { vi, en, status } = ERRORS[code];
      expect(vi).toMatch(VIETNAMESE_LETTER);
      expect(vi).not.toBe(en);
      expect(en).not.toMatch(VIETNAMESE_LETTER);
      expect(vi).toMatch(/Vui lòng|hãy|liên hệ|thử lại|báo/i);
      expect(en).toMatch(/please|try|ask|tell/i);
      expect([400, 401, 403, 404, 409, 413, 422, 429, 500, 503]).toContain(status);
    },
  );

  it('maps codes to the HTTP statuses a client expects', () => {
    expect(ERRORS.VALIDATION_FAILED.status).toBe(400);
    expect(ERRORS.UNAUTHENTICATED.status).toBe(401);
    expect(ERRORS.LOGIN_FAILED.status).toBe(401);
    expect(ERRORS.FORBIDDEN.status).toBe(403);
    expect(ERRORS.ROLE_NOT_ALLOWED.status).toBe(403);
    expect(ERRORS.NOT_FOUND.status).toBe(404);
    expect(ERRORS.DOSSIER_NOT_FOUND.status).toBe(404);
    expect(ERRORS.TRANSITION_NOT_ALLOWED.status).toBe(409);
    expect(ERRORS.IDEMPOTENCY_CONFLICT.status).toBe(409);
    expect(ERRORS.FILE_TOO_LARGE.status).toBe(413);
    expect(ERRORS.GUARD_FAILED.status).toBe(422);
    expect(ERRORS.RATE_LIMITED.status).toBe(429);
    expect(ERRORS.INTERNAL.status).toBe(500);
    expect(ERRORS.UNAVAILABLE.status).toBe(503);
  });

  it('says only "something went wrong" for a 500', () => {
    expect(ERRORS.INTERNAL.vi).toMatch(/^Đã có lỗi xảy ra\./);
    expect(ERRORS.INTERNAL.en).toMatch(/^Something went wrong\./);
  });
});

describe('AppError', () => {
  it('carries its code and details and is an Error', () => {
    const err = appError('FILE_TOO_LARGE', { size: 30_000_000, limit: 20_000_000 });
    expect(err).toBeInstanceOf(AppError);
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('AppError');
    expect(err.code).toBe('FILE_TOO_LARGE');
    expect(err.details).toEqual({ size: 30_000_000, limit: 20_000_000 });
    expect(err.message).toContain('FILE_TOO_LARGE');
  });

  it('has no details unless given some', () => {
    expect(appError('NOT_FOUND').details).toBeUndefined();
  });

  it('is recognised by isAppError, and nothing else is', () => {
    expect(isAppError(appError('CONFLICT'))).toBe(true);
    expect(isAppError(new Error('CONFLICT'))).toBe(false);
    expect(isAppError({ code: 'CONFLICT', name: 'AppError' })).toBe(false);
    expect(isAppError(null)).toBe(false);
  });

  it('isErrorCode accepts catalogue codes only', () => {
    expect(isErrorCode('QR_INVALID')).toBe(true);
    expect(isErrorCode('toString')).toBe(false);
    expect(isErrorCode('qr_invalid')).toBe(false);
    expect(isErrorCode(42)).toBe(false);
  });
});

describe('errorMessage', () => {
  it('returns the message in the language asked for', () => {
    expect(errorMessage('LOGIN_FAILED', 'vi')).toBe(
      'Tên đăng nhập hoặc mật khẩu không đúng, hoặc đã đăng nhập sai nhiều lần từ máy này. Vui lòng kiểm tra và thử lại sau ít phút; nếu vẫn không được, liên hệ quản trị viên.',
    );
    expect(errorMessage('LOGIN_FAILED', 'en')).toBe(
      'The username or password is wrong, or there were too many failed sign-ins from this device. Please check them and try again in a few minutes; if it still fails, ask an administrator.',
    );
  });
});

describe('toErrorBody', () => {
  it('gives the code, the Vietnamese message first, English second, and the details', () => {
    expect(toErrorBody(appError('ACCOUNT_LOCKED', { until: '2026-02-13T09:00:00.000Z' }))).toEqual({
      code: 'ACCOUNT_LOCKED',
      message: ERRORS.ACCOUNT_LOCKED.vi,
      messageEn: ERRORS.ACCOUNT_LOCKED.en,
      details: { until: '2026-02-13T09:00:00.000Z' },
    });
  });

  it('gives null details when there are none', () => {
    expect(toErrorBody(appError('FORBIDDEN')).details).toBeNull();
  });

  it('turns anything else into INTERNAL without leaking its text', () => {
    const body = toErrorBody(new Error('duplicate key value violates unique constraint "users_pkey"'));
    expect(body).toEqual({
      code: 'INTERNAL',
      message: ERRORS.INTERNAL.vi,
      messageEn: ERRORS.INTERNAL.en,
      details: null,
    });
    expect(JSON.stringify(body)).not.toContain('users_pkey');
    expect(toErrorBody('boom').code).toBe('INTERNAL');
  });
});
