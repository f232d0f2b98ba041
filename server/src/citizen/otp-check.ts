import type { Db } from '../db/client';
import { type OtpPurpose, verifyOtp } from '../otp/otp';

/**
 * verifyOtp for what a citizen types: only six digits are ever sent, so anything else is a wrong try
 * (counted like any other) without hashing what was typed.
 */
export const checkOtp = (
  db: Db,
  opts: {
    purpose: OtpPurpose;
    phone: string;
    code: string;
    dossierId?: string | null;
    secret: string;
    now?: Date;
  },
) => {
  const code = /^\d{6}$/.test(opts.code.trim()) ? opts.code.trim() : '------';
  return verifyOtp(db, { ...opts, code });
};
