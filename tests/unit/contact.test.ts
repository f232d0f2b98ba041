import { describe, expect, it } from 'vitest';
import { normalizeEmail, normalizePhone } from '@postdesk/shared';

describe('normalizePhone', () => {
  it.each([
    ['0905123456', '0905123456'],
    ['0905 123 456', '0905123456'],
    ['+84 905 123 456', '0905123456'],
    ['84905123456', '0905123456'],
    ['0326.123.456', '0326123456'],
    ['0234 3822 123', '02343822123'],
  ])('accepts %j as %j', (input, expected) => {
    expect(normalizePhone(input)).toBe(expected);
  });

  it.each(['090512345', '09051234567', '0105123456', '+1 415 555 0100', '0905-12345a', ''])(
    'refuses %j with PHONE_INVALID',
    (input) => {
      expect(() => normalizePhone(input)).toThrow(expect.objectContaining({ code: 'PHONE_INVALID' }));
    },
  );
});

describe('normalizeEmail', () => {
  it('lower-cases and trims; empty is none', () => {
    expect(normalizeEmail('  An.Nguyen@Example.VN ')).toBe('an.nguyen@example.vn');
    expect(normalizeEmail('')).toBeNull();
    expect(normalizeEmail(undefined)).toBeNull();
  });
  it.each(['an@', 'an nguyen@x.vn', 'an@x'])('refuses %j', (input) => {
    expect(() => normalizeEmail(input)).toThrow(expect.objectContaining({ code: 'EMAIL_INVALID' }));
  });
});
