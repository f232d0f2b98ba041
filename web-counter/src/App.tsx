import { Navigate, Route, Router } from '@solidjs/router';
import { LoginPage } from './auth/LoginPage';
import { RequireSession } from './auth/RequireSession';
import { CatalogPage } from './catalog/CatalogPage';
import { IntakePage } from './intake/IntakePage';
import { TodayPage } from './today/TodayPage';
import { TrackPage } from './track/TrackPage';

export const App = () => (
  <Router>
    <Route path="/track" component={TrackPage} />
    <Route path="/login" component={LoginPage} />
    <Route path="/" component={RequireSession}>
      <Route path="/" component={CatalogPage} />
      <Route path="/intake/:procedureCode" component={IntakePage} />
      <Route path="/today" component={TodayPage} />
    </Route>
    <Route path="*" component={() => <Navigate href="/" />} />
  </Router>
);
