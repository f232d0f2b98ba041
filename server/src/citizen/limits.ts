import { appError, normalizePhone, parseDossierCode } from '@postdesk/shared';
import type { Context } from '../trpc/init';
import type { Holder } from './track';

type Limited = Pick<Context, 'limits' | 'ip'>;

/** `await` takes the limiter's answer whether it counts in memory (a boolean) or in Redis (a promise). */
const allowed = async (hit: boolean | Promise<boolean>) => (await hit) === true;

/** Every public call counts against the caller's address. */
export const limitAddress = async (ctx: Limited) => {
  if (!(await allowed(ctx.limits.track.hit(ctx.ip)))) throw appError('RATE_LIMITED');
};

/**
 * A call that names a dossier by code and phone is also a guess at one of them: it counts against the address,
 * the code and the phone, so guessing the phone of one code from many addresses (or one phone across many
 * codes) stops as surely as guessing from one address. The receipt's token is not a guess worth limiting
 * beyond the address (162 bits), so the QR path keeps working when someone burns a code's budget.
 */
export const limitHolder = async (ctx: Limited, holder: Holder) => {
  await limitAddress(ctx);
  if (holder.token) return;
  const { code } = parseDossierCode(holder.code);
  const phone = normalizePhone(holder.phone ?? '');
  if (!(await allowed(ctx.limits.trackCode.hit(code)))) throw appError('RATE_LIMITED');
  if (!(await allowed(ctx.limits.trackPhone.hit(phone)))) throw appError('RATE_LIMITED');
};
