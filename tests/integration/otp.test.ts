import { desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkOtp } from '../../server/src/citizen/otp-check';
import { otpCodes } from '../../server/src/db/schema';
import { issueOtp, OTP_MAX_ATTEMPTS, verifyOtp } from '../../server/src/otp/otp';
import { createTestDatabase } from '../helpers/db';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
const secret = 'otp-test-secret-of-at-least-32-chars!!';

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

const attemptsOf = async (phone: string) => {
  const [row] = await database.db
    .select({ attempts: otpCodes.attempts, usedAt: otpCodes.usedAt })
    .from(otpCodes)
    .where(eq(otpCodes.phone, phone))
    .orderBy(desc(otpCodes.createdAt))
    .limit(1);
  return row!;
};

describe('one-time codes: every wrong try counts', () => {
  it('through checkOtp (what the citizen procedures use), each wrong try is recorded exactly once', async () => {
    const phone = '0912345001';
    const { code } = await issueOtp(database.db, { purpose: 'feedback', phone, secret });
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 1; i <= OTP_MAX_ATTEMPTS; i++) {
      await checkOtp(database.db, { purpose: 'feedback', phone, code: wrong, secret }).catch(() => undefined);
      expect((await attemptsOf(phone)).attempts).toBe(i);
    }
    expect((await attemptsOf(phone)).usedAt).not.toBeNull();
  });

  it('a malformed code is a wrong try too, and never reaches the hash', async () => {
    const phone = '0912345002';
    await issueOtp(database.db, { purpose: 'feedback', phone, secret });
    await expect(
      checkOtp(database.db, { purpose: 'feedback', phone, code: '12a', secret }),
    ).rejects.toMatchObject({
      code: 'OTP_INVALID',
    });
    expect((await attemptsOf(phone)).attempts).toBe(1);
  });

  it('verifyOtp on its own keeps the count of a wrong try (the error is thrown after the commit)', async () => {
    const phone = '0912345003';
    const { code } = await issueOtp(database.db, { purpose: 'feedback', phone, secret });
    const wrong = code === '000000' ? '111111' : '000000';
    await expect(
      verifyOtp(database.db, { purpose: 'feedback', phone, code: wrong, secret }),
    ).rejects.toMatchObject({
      code: 'OTP_INVALID',
    });
    expect((await attemptsOf(phone)).attempts).toBe(1);
  });
});
