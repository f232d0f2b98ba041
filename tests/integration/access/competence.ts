import type { Access } from './types';

/** Who may see and change the deciding agency per dossier and the departments a post office receives for. */
export const COMPETENCE_ACCESS: Record<string, Access> = {
  'intake.decidingAgency': ['clerk'],
  'intake.departments': ['clerk'],
  'admin.competence': ['admin'],
  'admin.assignCompetence': ['admin'],
  'admin.attachDepartment': ['admin'],
};
