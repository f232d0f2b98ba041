import { createHmac } from 'node:crypto';
import { appError, vietnamDate } from '@postdesk/shared';
import type { Limits } from '../auth/rate-limit';
import type { Db } from '../db/client';
import { auditLog } from '../db/schema';
import type { Logger } from '../logger';

/** Spends one text message of a budget, before anything is sent; throws when a budget is used up. */
export type SmsReservation = (phone: string) => Promise<void>;

/** What the audit log records when the province's daily budget of public text messages runs out. */
export const SMS_BUDGET_EXHAUSTED = 'security.sms_daily_budget_exhausted';

const phoneKey = (secret: string, phone: string) =>
  createHmac('sha256', secret).update(`sms-budget:${phone}`).digest('base64url').slice(0, 22);

/**
 * The budgets a public request for a one-time code spends, each an atomic counter shared by every server
 * process: the caller's address, the phone (whatever the purpose), and the province's day. Spent before the
 * code is made, so twenty requests at once send exactly the budget. The request that first finds the day's
 * budget gone raises the alert: an error log line and an audit-log event the administrators see.
 */
export const smsReservation =
  (deps: {
    limits: Pick<Limits, 'smsPerAddress' | 'smsPerPhone' | 'smsPerDay'>;
    db: Db;
    log: Logger;
    secret: string;
    ip: string;
    requestId: string;
    now?: () => Date;
  }): SmsReservation =>
  async (phone) => {
    const { limits } = deps;
    if (!(await limits.smsPerAddress.consume(deps.ip))) throw appError('RATE_LIMITED');
    if (!(await limits.smsPerPhone.consume(phoneKey(deps.secret, phone))))
      throw appError('OTP_TOO_MANY_REQUESTS');
    const day = vietnamDate(deps.now?.() ?? new Date());
    const spent = await limits.smsPerDay.take(day);
    if (spent.allowed) {
      if (spent.used === Math.ceil(limits.smsPerDay.limit * 0.8))
        deps.log.warn(
          { day, used: spent.used, budget: limits.smsPerDay.limit },
          'sms daily budget 80% spent',
        );
      return;
    }
    if (spent.used === limits.smsPerDay.limit + 1) {
      deps.log.error(
        { day, budget: limits.smsPerDay.limit },
        'sms daily budget exhausted: public one-time codes refused until tomorrow',
      );
      await deps.db
        .insert(auditLog)
        .values({
          action: SMS_BUDGET_EXHAUSTED,
          target: day,
          requestId: deps.requestId,
          details: { budget: limits.smsPerDay.limit },
        })
        .catch((err: Error) => deps.log.error({ err: err.message }, 'sms budget alert not recorded'));
    }
    throw appError('SMS_DAILY_BUDGET_EXHAUSTED');
  };
