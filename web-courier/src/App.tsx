import { Navigate, Route, Router } from '@solidjs/router';
import { LoginPage } from './auth/LoginPage';
import { RequireSession } from './auth/RequireSession';
import { TaskPage } from './courier/TaskPage';
import { TodayPage } from './courier/TodayPage';
import { DeliveryFlow } from './door/DeliveryFlow';
import { FailFlow } from './door/FailFlow';
import { PickupFlow } from './door/PickupFlow';
import { QueuePage } from './offline/QueuePage';

const base = import.meta.env.BASE_URL.replace(/\/$/, '');

export const App = () => (
  <Router base={base}>
    <Route path="/login" component={LoginPage} />
    <Route path="/" component={RequireSession}>
      <Route path="/" component={TodayPage} />
      <Route path="/task/:id" component={TaskPage} />
      <Route path="/task/:id/deliver" component={DeliveryFlow} />
      <Route path="/task/:id/pickup" component={PickupFlow} />
      <Route path="/task/:id/fail" component={FailFlow} />
      <Route path="/queue" component={QueuePage} />
    </Route>
    <Route path="*" component={() => <Navigate href="/" />} />
  </Router>
);
