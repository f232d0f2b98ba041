import { router } from '../trpc/init';

/** Notifications to citizens (SMS, Zalo) and the development mailbox. */
export const notifyRouter = router({});
