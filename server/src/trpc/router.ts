import { adminRouter } from '../admin/router';
import { authRouter } from '../auth/router';
import { catalogRouter } from '../catalog/router';
import { citizenRouter } from '../citizen/router';
import { digitizeRouter } from '../digitize/router';
import { dossiersRouter } from '../dossiers/router';
import { intakeRouter } from '../intake/router';
import { outboxRouter } from '../integrations/router';
import { router } from './init';

export const appRouter = router({
  admin: adminRouter,
  auth: authRouter,
  catalog: catalogRouter,
  citizen: citizenRouter,
  digitize: digitizeRouter,
  dossiers: dossiersRouter,
  intake: intakeRouter,
  outbox: outboxRouter,
});

export type AppRouter = typeof appRouter;
