import { router } from '../trpc/init';

/** Bills, online payment, VietQR, cash and the daily reconciliation. */
export const paymentsRouter = router({});
