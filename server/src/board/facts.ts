import {
  type CalendarOptions,
  DEFAULT_OFFICE_HOURS,
  type DossierFact,
  type HolidayTable,
  type OfficeHours,
} from '@postdesk/shared';
import { type SQL, sql } from 'drizzle-orm';
import { type Db, rows } from '../db/client';
import { loadHolidayTables } from '../intake/holidays';

/** What a list row shows about a dossier besides its figures (no personal data: no applicant names). */
export type DossierMeta = {
  id: string;
  code: string | null;
  state: string;
  officeId: string;
  officeName: string;
  agencyId: string;
  agencyName: string;
  communeCode: string | null;
  procedureCode: string;
  procedureName: string;
  channel: number;
  receivedAt: string | null;
  /** The due time given at receipt (Decision 766's measure starts from it). */
  dueAt: string | null;
  /**
   * The legal appointment now: restarted when the complete supplement arrives, moved by an apology (what
   * Mẫu 01's reprint, the inbox and the portal's NgayHenTra show); null before receipt.
   */
  legalDueAt: string | null;
  /** Set while the agency's supplement request pauses the dossier. */
  clockPausedAt: string | null;
  supplementCount: number;
  extended: boolean;
};

export type FactSet = {
  facts: DossierFact[];
  meta: Map<string, DossierMeta>;
  /** Working calendar of each receiving office. */
  calendars: Map<string, Omit<CalendarOptions, 'pauses'>>;
  holidays: HolidayTable[];
};

type Row = {
  id: string;
  code: string | null;
  state: string;
  office_id: string;
  office_name: string;
  office_hours: OfficeHours | null;
  agency_id: string;
  agency_name: string;
  commune_code: string | null;
  procedure_code: string;
  procedure_name: string;
  channel: number;
  received_at: number | null;
  due_at: number | null;
  legal_due_at: number | null;
  clock_paused_at: number | null;
  ext_issued_at: number | null;
  ext_due_at: number | null;
  processed_at: number | null;
  returned_at: number | null;
  stopped_at: number | null;
  refused_at: number | null;
  withdrawn_at: number | null;
  supplements: { r: string; c: string | null }[] | string;
  digitized: number | string;
  reused: number | string;
  result_is_paper: boolean;
  has_result_file: boolean;
  fee_total: number | string | null;
  paid_online: boolean | null;
  dissatisfied: boolean | null;
  rated: boolean | null;
  complaints: number | string | null;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A uuid[] literal; anything not a uuid is refused, so the raw text can never carry SQL. */
export const uuidArray = (ids: readonly string[]) => {
  if (!ids.every((id) => UUID.test(id))) throw new Error('not a uuid');
  return sql.raw(`'{${ids.join(',')}}'::uuid[]`);
};

const ms = (column: SQL) => sql`(extract(epoch from ${column}) * 1000)::float8`;
const date = (v: number | null) => (v === null || v === undefined ? null : new Date(Number(v)));

/**
 * The indicator facts of the dossiers received at `officeIds` that matter for `[from, to)`: received before `to`
 * and not finished before `from` (or every dossier when `from`/`to` are not given). Times come from the event
 * log through `dossier_facts` (kept by a trigger per event); documents, payments and feedback are read live,
 * so the figures are exact at the moment they are asked for.
 */
export const loadFacts = async (
  db: Db,
  opts: {
    officeIds: readonly string[];
    from?: Date;
    to?: Date;
    openOnly?: boolean;
    ids?: readonly string[];
  },
): Promise<FactSet> => {
  const where: SQL[] = [sql`f.office_id = any(${uuidArray(opts.officeIds)})`];
  if (opts.to) where.push(sql`f.received_at < ${opts.to.toISOString()}::timestamptz`);
  if (opts.from)
    where.push(
      sql`coalesce(f.processed_at, f.returned_at, least(f.stopped_at, f.refused_at, f.withdrawn_at), 'infinity'::timestamptz) >= ${opts.from.toISOString()}::timestamptz`,
    );
  if (opts.openOnly)
    where.push(
      sql`f.received_at is not null and f.processed_at is null and f.returned_at is null and f.stopped_at is null and f.refused_at is null and f.withdrawn_at is null`,
    );
  if (opts.ids) where.push(sql`f.dossier_id = any(${uuidArray(opts.ids)})`);
  const list = await rows<Row>(
    db,
    sql`select f.dossier_id as id, d.code, d.state::text as state, f.office_id, o.name as office_name,
          o.office_hours, f.agency_id, a.name as agency_name, o.commune_code, p.code as procedure_code,
          p.name as procedure_name, f.channel,
          ${ms(sql`f.received_at`)} as received_at, ${ms(sql`f.due_at`)} as due_at,
          ${ms(sql`d.due_at`)} as legal_due_at, ${ms(sql`d.clock_paused_at`)} as clock_paused_at,
          ${ms(sql`f.ext_issued_at`)} as ext_issued_at, ${ms(sql`f.ext_due_at`)} as ext_due_at,
          ${ms(sql`f.processed_at`)} as processed_at, ${ms(sql`f.returned_at`)} as returned_at,
          ${ms(sql`f.stopped_at`)} as stopped_at, ${ms(sql`f.refused_at`)} as refused_at,
          ${ms(sql`f.withdrawn_at`)} as withdrawn_at, f.supplements,
          greatest(coalesce(doc.digitized, 0), case when f.digitized_at is not null then 1 else 0 end) as digitized,
          coalesce(doc.reused, 0) as reused,
          (pv.result_is_paper or d.paper_result) as result_is_paper,
          d.result_file_sha256 is not null as has_result_file,
          coalesce((select sum((x->>'amount')::int) from jsonb_array_elements(coalesce(d.intake->'fees', '[]'::jsonb)) x), 0) as fee_total,
          pay.online as paid_online, fb.dissatisfied, fb.rated, coalesce(fb.complaints, 0) as complaints
        from dossier_facts f
        join dossiers d on d.id = f.dossier_id
        join procedure_versions pv on pv.id = d.procedure_version_id
        join procedures p on p.id = d.procedure_id
        join offices o on o.id = f.office_id
        join offices a on a.id = f.agency_id
        left join lateral (
          select count(*) filter (where signed_file_sha256 is not null or source = 'reuse') as digitized,
                 count(*) filter (where source = 'reuse' or reused_from_id is not null) as reused
          from documents where dossier_id = f.dossier_id) doc on true
        left join lateral (
          select bool_or(method = 'online' and state = 'paid' and kind = 'fee') as online
          from payments where dossier_id = f.dossier_id) pay on true
        left join lateral (
          select bool_or(kind = 'rating' and rating <= 2) as dissatisfied, bool_or(kind = 'rating') as rated,
                 count(*) filter (where kind = 'complaint') as complaints
          from feedback where dossier_id = f.dossier_id) fb on true
        where ${sql.join(where, sql` and `)}
        order by f.received_at nulls last, d.code`,
  );
  const holidays = await loadHolidayTables(db);
  const calendars = new Map<string, Omit<CalendarOptions, 'pauses'>>();
  const meta = new Map<string, DossierMeta>();
  const facts = list.map((r): DossierFact => {
    if (!calendars.has(r.office_id))
      calendars.set(r.office_id, { holidays, hours: r.office_hours ?? DEFAULT_OFFICE_HOURS });
    const supplements = (typeof r.supplements === 'string' ? JSON.parse(r.supplements) : r.supplements) as {
      r: string;
      c: string | null;
    }[];
    const ext =
      r.ext_issued_at !== null && r.ext_due_at !== null
        ? { issuedAt: date(r.ext_issued_at)!, dueAt: date(r.ext_due_at)! }
        : null;
    meta.set(r.id, {
      id: r.id,
      code: r.code,
      state: r.state,
      officeId: r.office_id,
      officeName: r.office_name,
      agencyId: r.agency_id,
      agencyName: r.agency_name,
      communeCode: r.commune_code,
      procedureCode: r.procedure_code,
      procedureName: r.procedure_name,
      channel: Number(r.channel),
      receivedAt: date(r.received_at)?.toISOString() ?? null,
      dueAt: date(r.due_at)?.toISOString() ?? null,
      legalDueAt: date(r.legal_due_at)?.toISOString() ?? null,
      clockPausedAt: date(r.clock_paused_at)?.toISOString() ?? null,
      supplementCount: supplements.length,
      extended: ext !== null,
    });
    return {
      id: r.id,
      officeId: r.office_id,
      agencyId: r.agency_id,
      communeCode: r.commune_code,
      procedureCode: r.procedure_code,
      channel: (Number(r.channel) as 1 | 2 | 3) ?? 1,
      receivedAt: date(r.received_at),
      dueAt: date(r.due_at),
      extension: ext,
      processedAt: date(r.processed_at),
      returnedAt: date(r.returned_at),
      stoppedAt: date(r.stopped_at),
      refusedAt: date(r.refused_at),
      withdrawnAt: date(r.withdrawn_at),
      supplements: supplements.map((s) => ({
        requestedAt: new Date(s.r),
        completedAt: s.c ? new Date(s.c) : null,
      })),
      digitizedComponents: Number(r.digitized),
      reusedComponents: Number(r.reused),
      resultIsPaper: Boolean(r.result_is_paper),
      hasElectronicResult: Boolean(r.has_result_file),
      feeTotal: Number(r.fee_total ?? 0),
      paidOnline: Boolean(r.paid_online),
      feedback: r.dissatisfied ? 'dissatisfied' : r.rated ? 'satisfied' : null,
      complaints: Number(r.complaints ?? 0),
    };
  });
  return { facts, meta, calendars, holidays };
};

/** The offices a supervisor watches: every office where they hold the supervisor role. */
export const supervisedOffices = (memberships: readonly { officeId: string; role: string }[]) => [
  ...new Set(memberships.filter((m) => m.role === 'supervisor').map((m) => m.officeId)),
];
