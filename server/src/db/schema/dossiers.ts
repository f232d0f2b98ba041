import { DOSSIER_STATES } from '@postdesk/shared/lifecycle';
import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { offices } from './offices';
import { procedures, procedureVersions } from './procedures';
import { role, users } from './users';

export const dossierState = pgEnum('dossier_state', DOSSIER_STATES);
export const applicantKind = pgEnum('applicant_kind', ['citizen', 'business', 'state_body', 'other']);

export type AddressJson = { line: string; communeCode: string | null; provinceCode: string | null };

/**
 * The person (or business) a dossier is for, as given for that dossier; personal data, never logged. One row
 * per dossier: the phone and address belong to the dossier they were given for, so receiving a new dossier
 * for the same id number never rewrites the contact of an earlier one (changes go through `contactChanges`).
 */
export const applicants = pgTable(
  'applicants',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: applicantKind('kind').notNull().default('citizen'),
    /** Citizen id number (12 digits); null for a business without one. */
    citizenId: varchar('citizen_id', { length: 12 }),
    fullName: text('full_name').notNull(),
    dateOfBirth: date('date_of_birth'),
    sex: varchar('sex', { length: 6 }),
    phone: varchar('phone', { length: 15 }),
    email: text('email'),
    address: jsonb('address').$type<AddressJson>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('applicants_by_phone').on(t.phone),
    index('applicants_by_citizen_id').on(t.citizenId, t.createdAt),
  ],
);

export type IntakeComponent = {
  code: string;
  name: string;
  form: 'original' | 'copy';
  copies: number;
  present: boolean;
  required: boolean;
  reusedDocumentId?: string;
};

export type IntakeRecord = {
  components: IntakeComponent[];
  fees: { label: string; amount: number }[];
  postalTariff: number;
  missing: { item: string; note?: string }[];
  reasons: string[];
  clerkName: string;
};

export const dossiers = pgTable(
  'dossiers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** `<receiving agency id>-<YYMMDD>-<NNNN>`, given at receipt. */
    code: varchar('code', { length: 50 }).unique(),
    state: dossierState('state').notNull(),
    procedureId: uuid('procedure_id')
      .notNull()
      .references(() => procedures.id),
    procedureVersionId: uuid('procedure_version_id')
      .notNull()
      .references(() => procedureVersions.id),
    applicantId: uuid('applicant_id').references(() => applicants.id),
    receivingOfficeId: uuid('receiving_office_id')
      .notNull()
      .references(() => offices.id),
    /**
     * The state one-stop department the dossier was received for (Decision 468: a post office receives on its
     * behalf); its electronic id prefixes the code. For dossiers received before departments were modelled it
     * is the receiving office itself (their codes carry that office's id and stay valid).
     */
    receivingDepartmentId: uuid('receiving_department_id').references(() => offices.id),
    /** The deciding agency, resolved per dossier at intake (competence_assignments), changeable with a reason. */
    agencyId: uuid('agency_id')
      .notNull()
      .references(() => offices.id),
    /** KenhThucHien: 1 in person, 2 online, 3 public postal service. */
    channel: smallint('channel').notNull(),
    /** HinhThuc: 0 at the desk, 1 by post. */
    returnMethod: smallint('return_method').notNull().default(0),
    deliveryAddress: jsonb('delivery_address').$type<
      AddressJson & { lat?: number; lng?: number; window?: string }
    >(),
    fromPortal: boolean('from_portal').notNull().default(false),
    receivedAt: timestamp('received_at', { withTimezone: true }),
    dueAt: timestamp('due_at', { withTimezone: true }),
    supplementCount: integer('supplement_count').notNull().default(0),
    apologyCount: integer('apology_count').notNull().default(0),
    /** When the dossier was handed to the deciding agency (the latest forward). */
    forwardedAt: timestamp('forwarded_at', { withTimezone: true }),
    /** Set while the agency's supplement request pauses the clock; cleared (and due time moved) on completion. */
    clockPausedAt: timestamp('clock_paused_at', { withTimezone: true }),
    /** The agency's decision: approved, or refused with written reasons; the result's number and date. */
    decision: jsonb('decision').$type<{
      outcome: 'approved' | 'refused';
      reasons?: string[];
      resultNumber?: string;
      decidedAt: string;
    }>(),
    /** The signed electronic result (a PDF in the file store), verified on upload. */
    resultFileSha256: varchar('result_file_sha256', { length: 64 }),
    /** The agency also issues a paper result, to be collected by the post. */
    paperResult: boolean('paper_result').notNull().default(false),
    /** Idempotency key from the client that created the dossier: a retried request finds the first one. */
    clientKey: varchar('client_key', { length: 64 }).unique(),
    /** What the clerk checked at the desk: components, fees, what was missing, why it was refused. */
    intake: jsonb('intake').$type<IntakeRecord>(),
    /** Mẫu 06 tracking book: volume (the year) and entry number at the receiving office. */
    bookVolume: integer('book_volume'),
    bookEntry: integer('book_entry'),
    lastSeq: integer('last_seq').notNull().default(0),
    lastHash: varchar('last_hash', { length: 64 }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('dossiers_by_state_due').on(t.state, t.dueAt),
    index('dossiers_by_receiving_office').on(t.receivingOfficeId, t.createdAt),
    index('dossiers_by_agency').on(t.agencyId, t.state),
    index('dossiers_by_applicant').on(t.applicantId),
  ],
);

/** Append-only: the database refuses UPDATE and DELETE (trigger in the migrations). */
export const dossierEvents = pgTable(
  'dossier_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    dossierId: uuid('dossier_id')
      .notNull()
      .references(() => dossiers.id),
    seq: integer('seq').notNull(),
    event: varchar('event', { length: 40 }).notNull(),
    fromState: dossierState('from_state'),
    toState: dossierState('to_state').notNull(),
    /** Who caused it: a user, or a system actor (citizen, portal, payment_gateway, system, planner). */
    actorKind: varchar('actor_kind', { length: 20 }).notNull(),
    actorUserId: uuid('actor_user_id').references(() => users.id),
    role: role('role'),
    officeId: uuid('office_id').references(() => offices.id),
    at: timestamp('at', { withTimezone: true }).notNull(),
    /** For offline courier actions: the phone's clock when it happened. */
    deviceAt: timestamp('device_at', { withTimezone: true }),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    prevHash: varchar('prev_hash', { length: 64 }),
    hash: varchar('hash', { length: 64 }).notNull(),
  },
  (t) => [unique('dossier_events_seq').on(t.dossierId, t.seq), index('dossier_events_by_time').on(t.at)],
);

/** Mẫu 06 entry numbers, per receiving office and year. */
export const trackingBookCounters = pgTable(
  'tracking_book_counters',
  {
    officeId: uuid('office_id')
      .notNull()
      .references(() => offices.id),
    year: integer('year').notNull(),
    last: integer('last').notNull(),
  },
  (t) => [primaryKey({ columns: [t.officeId, t.year] })],
);

/** Per-agency daily counter for dossier codes, taken inside the receiving transaction. */
export const dossierCounters = pgTable(
  'dossier_counters',
  {
    agencyId: uuid('agency_id')
      .notNull()
      .references(() => offices.id),
    day: date('day').notNull(),
    last: integer('last').notNull(),
  },
  (t) => [primaryKey({ columns: [t.agencyId, t.day] })],
);

export const documentSource = pgEnum('document_source', ['scan', 'reuse', 'upload', 'online']);

/** One per required component of a dossier; signed documents also form the applicant's document store. */
export const documents = pgTable(
  'documents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    dossierId: uuid('dossier_id').references(() => dossiers.id),
    componentCode: varchar('component_code', { length: 20 }).notNull(),
    /** Kind of document across procedures (`citizen_id_card`, …): what reuse matches on. */
    docType: varchar('doc_type', { length: 40 }),
    /** Name of the component it was made for, shown when offered for reuse. */
    title: text('title'),
    source: documentSource('source').notNull(),
    ownerCitizenId: varchar('owner_citizen_id', { length: 12 }),
    digitizedCode: varchar('digitized_code', { length: 120 }).unique(),
    pages: jsonb('pages')
      .$type<{ fileSha256: string; rotation: number; mode: 'bilevel' | 'grey' | 'colour' }[]>()
      .notNull()
      .default([]),
    signedFileSha256: varchar('signed_file_sha256', { length: 64 }),
    reusedFromId: uuid('reused_from_id'),
    validUntil: date('valid_until'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('documents_by_dossier').on(t.dossierId),
    index('documents_by_owner').on(t.ownerCitizenId, t.docType),
  ],
);

/** Content-addressed blobs in the file store (a directory or an S3 bucket); the row says what the bytes are. */
export const files = pgTable(
  'files',
  {
    sha256: varchar('sha256', { length: 64 }).primaryKey(),
    size: integer('size').notNull(),
    mime: varchar('mime', { length: 100 }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** The last time these bytes were stored (again): garbage collection's grace period counts from it. */
    storedAt: timestamp('stored_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('files_by_stored_at').on(t.storedAt)],
);

export const pageState = pgEnum('page_state', ['queued', 'processing', 'ready', 'failed']);
export const pageMode = pgEnum('page_mode', ['auto', 'bilevel', 'grey', 'colour']);

/** One scanned page of a component's document: the original upload, and what the pipeline made of it. */
export const documentPages = pgTable(
  'document_pages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    documentId: uuid('document_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    /** The uploaded file, and which of its pages this is (multi-page TIFF or PDF). */
    originalSha256: varchar('original_sha256', { length: 64 }).notNull(),
    sourcePage: integer('source_page').notNull().default(0),
    state: pageState('state').notNull().default('queued'),
    /** What the clerk asked for; `chosenMode` is what auto decided. */
    mode: pageMode('mode').notNull().default('auto'),
    chosenMode: pageMode('chosen_mode'),
    rotation: smallint('rotation').notNull().default(0),
    skewDegrees: doublePrecision('skew_degrees'),
    /** Why the pipeline wants the clerk to look at the page before signing (blank, low contrast, cut-off ink). */
    review: jsonb('review').$type<('blank' | 'low_contrast' | 'cut_off')[]>().notNull().default([]),
    thumbSha256: varchar('thumb_sha256', { length: 64 }),
    /** The cleaned page as a one-page PDF, merged into the component's PDF when it is finished. */
    pagePdfSha256: varchar('page_pdf_sha256', { length: 64 }),
    error: varchar('error', { length: 40 }),
    /** Optional OCR (tesseract, Vietnamese): `requested` → `done`/`failed`; null = not asked for. */
    ocrState: varchar('ocr_state', { length: 12 }),
    /** The recognised text, stored for search; the PDF carries it as an invisible text layer. */
    ocrText: text('ocr_text'),
    /** Bumped by every change the clerk makes, so a late job result for an older version is dropped. */
    revision: integer('revision').notNull().default(0),
    /** The scanning station's id for the uploaded file: a retried upload finds these pages, not new ones. */
    uploadKey: uuid('upload_key'),
    /** When `state` last changed (set by a trigger): a page queued or processing for too long is recovered. */
    stateChangedAt: timestamp('state_changed_at', { withTimezone: true }).notNull().defaultNow(),
    /** Times this revision's job was lost or failed and put back by the reconciler; past the limit: failed. */
    recoveries: integer('recoveries').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('document_pages_by_document').on(t.documentId, t.position),
    uniqueIndex('document_pages_one_upload').on(t.documentId, t.uploadKey, t.sourcePage),
    index('document_pages_unfinished').on(t.stateChangedAt).where(sql`state in ('queued', 'processing')`),
  ],
);

export const contactChangeConfirmation = pgEnum('contact_change_confirmation', ['otp_old_phone', 'id_card']);
export const contactChangeState = pgEnum('contact_change_state', ['pending', 'applied', 'cancelled']);

/**
 * A change of a dossier's phone or delivery address, asked for at the dossier's own office and confirmed by a
 * code sent to the old phone or by the citizen's id card shown in person. The old and new values are kept
 * here (personal data, never logged); the dossier's event log names the change by id only.
 */
export const contactChanges = pgTable(
  'contact_changes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    dossierId: uuid('dossier_id')
      .notNull()
      .references(() => dossiers.id),
    state: contactChangeState('state').notNull().default('pending'),
    confirmation: contactChangeConfirmation('confirmation').notNull(),
    oldPhone: varchar('old_phone', { length: 15 }),
    /** Null: the phone stays. */
    newPhone: varchar('new_phone', { length: 15 }),
    oldDeliveryAddress: jsonb('old_delivery_address').$type<AddressJson & { window?: string }>(),
    /** Null: the delivery address stays. */
    newDeliveryAddress: jsonb('new_delivery_address').$type<
      AddressJson & { lat?: number; lng?: number; window?: string }
    >(),
    /** The one-time code sent to the old phone (otp path). */
    otpId: uuid('otp_id'),
    requestedBy: uuid('requested_by')
      .notNull()
      .references(() => users.id),
    officeId: uuid('office_id')
      .notNull()
      .references(() => offices.id),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull().defaultNow(),
    appliedAt: timestamp('applied_at', { withTimezone: true }),
  },
  (t) => [index('contact_changes_by_dossier').on(t.dossierId, t.requestedAt)],
);
