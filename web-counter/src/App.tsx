import { Navigate, Route, Router } from '@solidjs/router';
import { LoginPage } from './auth/LoginPage';
import { RequireSession } from './auth/RequireSession';
import { CatalogPage } from './catalog/CatalogPage';
import { IntakePage } from './intake/IntakePage';
import { ScanPage } from './scan/ScanPage';
import { TodayPage } from './today/TodayPage';
import { TrackPage } from './track/TrackPage';
import { VerifyPage } from './verify/VerifyPage';

export const App = () => (
  <Router>
    <Route path="/track" component={TrackPage} />
    <Route path="/login" component={LoginPage} />
    <Route path="/" component={RequireSession}>
      <Route path="/" component={CatalogPage} />
      <Route path="/intake/:procedureCode" component={IntakePage} />
      <Route path="/today" component={TodayPage} />
      <Route path="/dossiers/:dossierId/scan" component={ScanPage} />
      <Route path="/verify" component={VerifyPage} />
    </Route>
    <Route path="*" component={() => <Navigate href="/" />} />
  </Router>
);
