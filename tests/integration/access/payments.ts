import type { Access } from './types';

/** Who may call the procedures of payments. */
export const PAYMENTS_ACCESS: Record<string, Access> = {
  'payments.forDossier': ['clerk', 'supervisor', 'agency_official'],
  'payments.createBill': ['clerk'],
  'payments.recordCash': ['clerk', 'courier'],
  'payments.requestObligation': ['agency_official'],
  'payments.bill': 'public',
  'payments.startOnline': 'public',
  'payments.reconciliation': ['clerk', 'supervisor'],
};
