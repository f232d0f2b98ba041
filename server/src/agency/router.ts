import { router } from '../trpc/init';

/** The agency official's inbox and decisions, and the desk's forwarding and hand-back. */
export const agencyRouter = router({});
