import { router } from '../trpc/init';

/** Ratings and complaints, and supervisors' answers. */
export const feedbackRouter = router({});
