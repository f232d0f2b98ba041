import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode, hotp, matchTotp, otpauthUri, totp } from '../../server/src/auth/totp';

const rfcSecret = Buffer.from('12345678901234567890');

describe('TOTP (RFC 6238 over RFC 4226)', () => {
  it('gives the RFC 4226 HOTP values', () => {
    expect([0, 1, 2, 3, 9].map((c) => hotp(rfcSecret, c))).toEqual([
      '755224',
      '287082',
      '359152',
      '969429',
      '520489',
    ]);
  });

  it('gives the RFC 6238 SHA-1 values (8 digits)', () => {
    const at = (s: number) => new Date(s * 1000);
    expect(
      [59, 1111111109, 1111111111, 1234567890, 2000000000, 20000000000].map((s) => totp(rfcSecret, at(s), 8)),
    ).toEqual(['94287082', '07081804', '14050471', '89005924', '69279037', '65353130']);
  });

  it('accepts a code one step either side and nothing further, nor anything but six digits', () => {
    const now = new Date(1_700_000_000_000);
    const code = totp(rfcSecret, now);
    expect(matchTotp(rfcSecret, code, new Date(now.getTime() + 30_000))).not.toBeNull();
    expect(matchTotp(rfcSecret, code, new Date(now.getTime() - 30_000))).not.toBeNull();
    expect(matchTotp(rfcSecret, code, new Date(now.getTime() + 95_000))).toBeNull();
    expect(matchTotp(rfcSecret, `${code} `, now)).toBeNull();
  });

  it('base32 round-trips, and the enrolment URI is what authenticator apps read', () => {
    expect(base32Encode(Buffer.from('foobar'))).toBe('MZXW6YTBOI');
    expect(base32Decode('MZXW6YTBOI').toString()).toBe('foobar');
    const uri = otpauthUri({ secret: rfcSecret, issuer: 'PostDesk', account: 'qt.admin' });
    expect(uri).toBe(
      'otpauth://totp/PostDesk:qt.admin?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=PostDesk&algorithm=SHA1&digits=6&period=30',
    );
  });
});
