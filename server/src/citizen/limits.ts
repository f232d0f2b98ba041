import { createHmac } from 'node:crypto';
import { appError, normalizePhone, parseDossierCode } from '@postdesk/shared';
import type { Context } from '../trpc/init';
import type { Holder } from './track';

type Limited = Pick<Context, 'limits' | 'ip' | 'config'>;

/** Every public call counts against the caller's address. */
export const limitAddress = async (ctx: Pick<Context, 'limits' | 'ip'>) => {
  if (!(await ctx.limits.track.consume(ctx.ip))) throw appError('RATE_LIMITED');
};

/**
 * A call that names a dossier by code and phone is also a guess at one of them: it counts against the address,
 * the code and the phone, so guessing the phone of one code from many addresses (or one phone across many
 * codes) stops as surely as guessing from one address. The receipt's token is not a guess worth limiting
 * beyond the address (162 bits), so the QR path keeps working when someone burns a code's budget. The phone
 * is counted under an HMAC of the number, so the limit store never holds citizens' numbers.
 */
export const limitHolder = async (ctx: Limited, holder: Holder) => {
  await limitAddress(ctx);
  // The receipt's token, or the e-ID session (the dossier must be the person's own): nothing to guess.
  if (holder.token || (holder.eid && !holder.phone?.trim())) return;
  const { code } = parseDossierCode(holder.code);
  const phone = createHmac('sha256', ctx.config.SESSION_SECRET)
    .update(`track-phone:${normalizePhone(holder.phone ?? '')}`)
    .digest('base64url');
  if (!(await ctx.limits.trackCode.consume(code))) throw appError('RATE_LIMITED');
  if (!(await ctx.limits.trackPhone.consume(phone))) throw appError('RATE_LIMITED');
};
