import {
  boolean,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { offices } from './offices';

export const procedureLevel = pgEnum('procedure_level', ['province', 'commune']);

/**
 * One amount a procedure costs. Law on Fees and Charges 2015 (Luật Phí và lệ phí): `fee` is a phí (pays for a
 * service), `charge` is a lệ phí (collected by the state for the administrative act itself, e.g. registration).
 */
export type FeeLine = { label: string; amount: number; kind: 'fee' | 'charge' };
export type ProcedureComponent = {
  code: string;
  name: string;
  form: 'original' | 'copy' | 'original_or_certified_copy';
  copies: number;
  required: boolean;
  note?: string;
  /** What kind of document it is across procedures (e.g. `citizen_id_card`), so an earlier copy can be reused. */
  docType?: string;
};

/** A procedure (thủ tục hành chính) by its national code; what the law may change lives in versions. */
export const procedures = pgTable(
  'procedures',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    code: varchar('code', { length: 16 }).notNull().unique(),
    name: text('name').notNull(),
    field: text('field').notNull(),
    agencyId: uuid('agency_id')
      .notNull()
      .references(() => offices.id),
    level: procedureLevel('level').notNull(),
    /** Words citizens use for it that the official name lacks ("bằng lái" for giấy phép lái xe). */
    keywords: text('keywords').notNull().default(''),
    /** lower(unaccent(code, name, field, keywords)), kept by a trigger; trigram-indexed for search. */
    searchText: text('search_text'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('procedures_by_agency').on(t.agencyId)],
);

/** The rules of a procedure in force from `effectiveFrom`; a dossier keeps the version it was received under. */
export const procedureVersions = pgTable(
  'procedure_versions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    procedureId: uuid('procedure_id')
      .notNull()
      .references(() => procedures.id),
    version: integer('version').notNull(),
    effectiveFrom: date('effective_from').notNull(),
    effectiveTo: date('effective_to'),
    processingHours: integer('processing_hours').notNull(),
    /**
     * How the processing time counts (shared/src/calendar.ts `processingDue`): working days (default), working
     * hours, calendar days, or same day (next working day after 15:00). `processingAmount` is the number in
     * that unit (fractions allowed for working time); null = `processingHours` read as working hours.
     */
    processingUnit: varchar('processing_unit', { length: 16 })
      .$type<'working_days' | 'working_hours' | 'calendar_days' | 'same_day'>()
      .notNull()
      .default('working_days'),
    processingAmount: doublePrecision('processing_amount'),
    fees: jsonb('fees').$type<FeeLine[]>().notNull(),
    postalTariff: integer('postal_tariff').notNull(),
    components: jsonb('components').$type<ProcedureComponent[]>().notNull(),
    pickupAllowed: boolean('pickup_allowed').notNull(),
    deliveryAllowed: boolean('delivery_allowed').notNull(),
    legalBasis: jsonb('legal_basis').$type<string[]>().notNull(),
    resultName: text('result_name').notNull(),
    resultIsPaper: boolean('result_is_paper').notNull(),
    /** The e-form's fields, for online dossiers (JSON Schema); null when the procedure has none. */
    formSchema: jsonb('form_schema').$type<Record<string, unknown>>(),
    /**
     * Which commune decides a commune-level dossier: the applicant's residence (default) or the place of the
     * event (e.g. a death registered where it happened). See competence_assignments.
     */
    competenceBasis: varchar('competence_basis', { length: 12 })
      .$type<'residence' | 'event_place'>()
      .notNull()
      .default('residence'),
  },
  (t) => [
    unique('procedure_versions_unique').on(t.procedureId, t.version),
    index('procedure_versions_in_force').on(t.procedureId, t.effectiveFrom),
  ],
);
