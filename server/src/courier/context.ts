import type { AuthUser } from '../auth/sessions';
import type { Context, Membership } from '../trpc/init';

/** What a courier or supervisor procedure receives: the signed-in user and the office they act for. */
export type StaffCtx = Context & { user: AuthUser; membership: Membership };
