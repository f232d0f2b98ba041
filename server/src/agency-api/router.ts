import { router } from '../trpc/init';

/** Staff-side management of agency API keys and webhooks. */
export const agencyApiRouter = router({});
