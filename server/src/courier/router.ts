import { router } from '../trpc/init';

/** Courier tasks, dispatch and routes, proofs at the door. */
export const courierRouter = router({});
