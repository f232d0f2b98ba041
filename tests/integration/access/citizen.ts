import type { Access } from './types';

/** Who may call the procedures of citizens, feedback and notifications. (citizen.track is in the core list.) */
export const CITIZEN_ACCESS: Record<string, Access> = {
  'citizen.deliveryCode': 'public',
  'citizen.requestDelivery': 'public',
  'citizen.pickupDays': 'public',
  'citizen.pickupCode': 'public',
  'citizen.requestPickup': 'public',
  'feedback.desk': 'public',
  'feedback.status': 'public',
  'feedback.code': 'public',
  'feedback.rate': 'public',
  'feedback.complain': 'public',
  'feedback.deskQrs': ['clerk', 'supervisor'],
  'feedback.list': ['supervisor'],
  'feedback.answer': ['supervisor'],
  'notify.mailbox': ['clerk', 'supervisor', 'admin'],
  // A dossier's phone or delivery address: staff of its receiving office (the office is checked inside).
  'contact.change': ['clerk', 'supervisor'],
  'contact.confirm': ['clerk', 'supervisor'],
  // Only whether the test mailbox exists (never in production), so the login and citizen pages may link to it.
  'notify.mailboxShown': 'public',
  // The citizen signed in with the e-ID: who they are (or that they are not), signing out; their own lists
  // need the citizen's session, which no staff session is (tests/integration/eid-sign-in.test.ts).
  'account.me': 'public',
  'account.signOut': 'public',
  'account.dossiers': 'citizen',
  'account.documents': 'citizen',
};
