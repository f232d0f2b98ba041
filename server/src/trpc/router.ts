import { adminRouter } from '../admin/router';
import { accountRouter } from '../eid/router';
import { authRouter } from '../auth/router';
import { catalogRouter } from '../catalog/router';
import { citizenRouter } from '../citizen/router';
import { contactRouter } from '../contact/router';
import { digitizeRouter } from '../digitize/router';
import { dossiersRouter } from '../dossiers/router';
import { intakeRouter } from '../intake/router';
import { outboxRouter } from '../integrations/router';
import { agencyRouter } from '../agency/router';
import { agencyApiRouter } from '../agency-api/router';
import { paymentsRouter } from '../payments/router';
import { courierRouter } from '../courier/router';
import { feedbackRouter } from '../feedback/router';
import { notifyRouter } from '../notify/router';
import { boardRouter } from '../board/router';
import { queueRouter } from '../queue/router';
import { router } from './init';

export const appRouter = router({
  account: accountRouter,
  admin: adminRouter,
  agency: agencyRouter,
  agencyApi: agencyApiRouter,
  payments: paymentsRouter,
  courier: courierRouter,
  feedback: feedbackRouter,
  notify: notifyRouter,
  board: boardRouter,
  auth: authRouter,
  catalog: catalogRouter,
  citizen: citizenRouter,
  contact: contactRouter,
  digitize: digitizeRouter,
  dossiers: dossiersRouter,
  intake: intakeRouter,
  outbox: outboxRouter,
  queue: queueRouter,
});

export type AppRouter = typeof appRouter;
