import { appError } from './errors';

/**
 * Vietnamese phone numbers as the desk types them, in any spacing, with 0 or +84 in front: mobiles are ten
 * digits starting 03, 05, 07, 08 or 09; landlines eleven digits starting 02. Returns the 0-prefixed digits.
 */
export const normalizePhone = (input: string): string => {
  const compact = input.replace(/[\s.()-]/g, '');
  const national = compact.startsWith('+84')
    ? `0${compact.slice(3)}`
    : compact.startsWith('84') && compact.length === 11
      ? `0${compact.slice(2)}`
      : compact;
  if (/^0[35789]\d{8}$/.test(national) || /^02\d{9}$/.test(national)) return national;
  throw appError('PHONE_INVALID');
};

/** A plain address check: one @, a dot in the domain, no spaces. Empty means none given. */
export const normalizeEmail = (input: string | undefined | null): string | null => {
  const email = input?.trim().toLowerCase() ?? '';
  if (!email) return null;
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254) throw appError('EMAIL_INVALID');
  return email;
};
