import { Navigate, Route, Router } from '@solidjs/router';
import { LoginPage } from './auth/LoginPage';
import { RequireSession } from './auth/RequireSession';

const base = import.meta.env.BASE_URL.replace(/\/$/, '');

export const App = () => (
  <Router base={base}>
    <Route path="/login" component={LoginPage} />
    <Route path="/" component={RequireSession} />
    <Route path="*" component={() => <Navigate href="/" />} />
  </Router>
);
