import { Navigate, Route, Router } from '@solidjs/router';
import { Show } from 'solid-js';
import { AccountPage } from './account/AccountPage';
import { CalendarsPage } from './admin/CalendarsPage';
import { AgencyDossierPage } from './agency/AgencyDossierPage';
import { AgencyInboxPage } from './agency/AgencyInboxPage';
import { DeskDossierPage } from './agency/DeskDossierPage';
import { GoHome } from './auth/GoHome';
import { LoginPage } from './auth/LoginPage';
import { RequireSession } from './auth/RequireSession';
import { BoardPage } from './board/BoardPage';
import { IndicatorsPage } from './board/IndicatorsPage';
import { CatalogPage } from './catalog/CatalogPage';
import { ComplaintsPage } from './citizen/ComplaintsPage';
import { FeedbackPage } from './citizen/FeedbackPage';
import { MailboxPage } from './citizen/MailboxPage';
import { MyPage } from './citizen/MyPage';
import { RequestPickupPage } from './citizen/RequestPickupPage';
import { DeadLettersPage } from './deadletters/DeadLettersPage';
import { DispatchPage } from './dispatch/DispatchPage';
import { IntakePage } from './intake/IntakePage';
import { PayPage } from './payments/PayPage';
import { DeskQueuePage } from './queue/DeskQueuePage';
import { KioskPage } from './queue/KioskPage';
import { ScreenPage } from './queue/ScreenPage';
import { TakePage } from './queue/TakePage';
import { TicketPage } from './queue/TicketPage';
import { ReconciliationPage } from './payments/ReconciliationPage';
import { ScanPage } from './scan/ScanPage';
import { session } from './session';
import { TodayPage } from './today/TodayPage';
import { TrackPage } from './track/TrackPage';
import { VerifyPage } from './verify/VerifyPage';

/** The catalogue for the roles that take in dossiers or oversee it; everyone else goes to their own work. */
const Start = () => (
  <Show
    when={['clerk', 'supervisor', 'admin'].includes(session.membership()?.role ?? '')}
    fallback={<GoHome />}
  >
    <CatalogPage />
  </Show>
);

export const App = () => (
  <Router>
    <Route path="/track" component={TrackPage} />
    <Route path="/my" component={MyPage} />
    <Route path="/pay/:billCode" component={PayPage} />
    <Route path="/request-pickup" component={RequestPickupPage} />
    <Route path="/feedback" component={FeedbackPage} />
    <Route path="/queue/kiosk/:officeId" component={KioskPage} />
    <Route path="/queue/screen/:officeId" component={ScreenPage} />
    <Route path="/queue/take/:officeId" component={TakePage} />
    <Route path="/queue/ticket/:ticketId" component={TicketPage} />
    <Route path="/login" component={LoginPage} />
    <Route path="/" component={RequireSession}>
      <Route path="/" component={Start} />
      <Route path="/intake/:procedureCode" component={IntakePage} />
      <Route path="/today" component={TodayPage} />
      <Route path="/queue" component={DeskQueuePage} />
      <Route path="/dossiers/:dossierId/scan" component={ScanPage} />
      <Route path="/verify" component={VerifyPage} />
      <Route path="/agency" component={AgencyInboxPage} />
      <Route path="/agency/:dossierId" component={AgencyDossierPage} />
      <Route path="/dossiers/:dossierId" component={DeskDossierPage} />
      <Route path="/dead-letters" component={DeadLettersPage} />
      <Route path="/payments" component={ReconciliationPage} />
      <Route path="/dispatch" component={DispatchPage} />
      <Route path="/complaints" component={ComplaintsPage} />
      <Route path="/mailbox" component={MailboxPage} />
      <Route path="/board" component={BoardPage} />
      <Route path="/indicators" component={IndicatorsPage} />
      <Route path="/admin/calendars" component={CalendarsPage} />
      <Route path="/account" component={AccountPage} />
    </Route>
    <Route path="*" component={() => <Navigate href="/" />} />
  </Router>
);
