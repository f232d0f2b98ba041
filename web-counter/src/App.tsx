import { Navigate, Route, Router } from '@solidjs/router';
import { LoginPage } from './auth/LoginPage';
import { RequireSession } from './auth/RequireSession';
import { CatalogPage } from './catalog/CatalogPage';

export const App = () => (
  <Router>
    <Route path="/login" component={LoginPage} />
    <Route path="/" component={RequireSession}>
      <Route path="/" component={CatalogPage} />
    </Route>
    <Route path="*" component={() => <Navigate href="/" />} />
  </Router>
);
