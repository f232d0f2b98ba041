import { router } from '../trpc/init';

/** The supervisor's deadline board and the service-quality indicators. */
export const boardRouter = router({});
