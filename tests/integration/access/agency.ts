import type { Access } from './types';

/** Who may call the procedures of the agency hand-off. */
export const AGENCY_ACCESS: Record<string, Access> = {
  'agency.inbox': ['agency_official'],
  'agency.dossier': ['agency_official'],
  'agency.accept': ['agency_official'],
  'agency.requestSupplement': ['agency_official'],
  'agency.refuse': ['agency_official'],
  'agency.stop': ['agency_official'],
  'agency.release': ['agency_official'],
  'agency.apologize': ['agency_official'],
  'agency.deskDossier': ['clerk'],
  'agency.forward': ['clerk'],
  'agency.completeSupplement': ['clerk'],
  'agency.handBack': ['clerk'],
};
