import {
  boolean,
  date,
  index,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { communes } from './geo';
import { offices } from './offices';
import { procedureLevel, procedures } from './procedures';
import { users } from './users';

/**
 * Who decides a dossier, per commune (Decree 118/2025, two-level local government): for every procedure of
 * `level` (or only `procedureId` when set), a dossier whose competence commune is `communeCode` goes to
 * `agencyId` from `effectiveFrom`. Rows are never edited: a change (units merged, competence moved) is a new
 * row with a later `effectiveFrom`, so a dossier can always be explained by the row in force on its day.
 * Resolution (competence.ts): the procedure's own rows win over level-wide rows; among those, the latest
 * `effectiveFrom` on or before the day; none = the procedure's published agency.
 */
export const competenceAssignments = pgTable(
  'competence_assignments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    level: procedureLevel('level').notNull(),
    /** Null: every procedure of `level`. */
    procedureId: uuid('procedure_id').references(() => procedures.id),
    communeCode: varchar('commune_code', { length: 5 })
      .notNull()
      .references(() => communes.code),
    agencyId: uuid('agency_id')
      .notNull()
      .references(() => offices.id),
    effectiveFrom: date('effective_from').notNull(),
    /** Why (the decision that moved competence), shown in the admin list. */
    note: text('note'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('competence_assignments_lookup').on(t.communeCode, t.level, t.effectiveFrom)],
);

/**
 * The state one-stop departments (provincial or commune Public Administration Service Centre) a post office
 * receives for under Decision 468/QĐ-TTg: the dossier code, its daily sequence, Mẫu 01's issuer and the
 * portal record carry the department's electronic id; the post office is the receiving service provider.
 */
export const officeDepartments = pgTable(
  'office_departments',
  {
    officeId: uuid('office_id')
      .notNull()
      .references(() => offices.id),
    departmentId: uuid('department_id')
      .notNull()
      .references(() => offices.id),
    /** The department a dossier is received for when the clerk does not choose one. */
    isDefault: boolean('is_default').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.officeId, t.departmentId] })],
);
