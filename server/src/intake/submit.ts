import {
  appError,
  DAILY_SEQ_WARNING,
  MAX_DAILY_SEQ,
  DEFAULT_OFFICE_HOURS,
  isProvisionalSpan,
  processingDue,
  processingTimeOf,
  formatDossierCode,
  normalizeEmail,
  normalizePhone,
  validateCitizenId,
  vietnamDate,
} from '@postdesk/shared';
import { and, desc, eq, gte, inArray, isNotNull, isNull, or, sql } from 'drizzle-orm';
import { getProcedure } from '../catalog/queries';
import { type Db, rows, sqlState } from '../db/client';
import { resolveAddresses } from './address';
import { applicants, documents, dossierEvents, dossiers, type IntakeComponent, offices } from '../db/schema';
import { createDossier, recordEvent } from '../dossiers/engine';
import { decideAtIntake } from '../agency/competence';
import { receivingPartyFor } from './departments';
import { billsForDossier, createFirstBills, type PaymentRow } from '../payments/bills';
import type { Membership } from '../trpc/init';
import { loadHolidayTables, recordProvisionalDue } from './holidays';
import type { IntakeInput } from './schemas';

export type IntakeActor = { userId: string; fullName: string; membership: Membership };

const FORMS_BY_STATE: Record<string, ('mau01' | 'mau02' | 'mau03')[]> = {
  received: ['mau01'],
  supplement_requested: ['mau02'],
  refused: ['mau03'],
};

export const formLinks = (dossierId: string, state: string) =>
  (FORMS_BY_STATE[state] ?? (state === 'draft' ? [] : ['mau01'])).map((form) => ({
    form,
    url: `/forms/dossiers/${dossierId}/${form}`,
  }));

type Resolved = {
  decidingAgency: { code: string; name: string; source: 'assignment' | 'procedure' | 'clerk' };
  receivingDepartment: { code: string; name: string };
};

/** `resolved`: what intake decided (a replayed request answers null: see the dossier for it). */
const summarize = (
  row: typeof dossiers.$inferSelect,
  replayed: boolean,
  resolved: Resolved | null = null,
) => {
  const intake = row.intake;
  const feeTotal = (intake?.fees ?? []).reduce((sum, f) => sum + f.amount, 0);
  const postalTariff = row.returnMethod === 1 ? (intake?.postalTariff ?? 0) : 0;
  return {
    dossierId: row.id,
    code: row.code,
    state: row.state,
    receivedAt: row.receivedAt,
    dueAt: row.dueAt,
    fees: { lines: intake?.fees ?? [], postalTariff, total: feeTotal + postalTariff },
    forms: formLinks(row.id, row.state),
    replayed,
    decidingAgency: resolved?.decidingAgency ?? null,
    receivingDepartment: resolved?.receivingDepartment ?? null,
  };
};

/**
 * The result with the dossier's bills: what Mẫu 01 says the citizen owes exists as bills from the moment of
 * receipt, so the desk collects it (or the citizen pays it online) without anyone typing the amounts again.
 */
const billLine = (b: Pick<PaymentRow, 'billCode' | 'kind' | 'amount' | 'state'>) => ({
  billCode: b.billCode,
  kind: b.kind,
  amount: b.amount,
  state: b.state,
});

const withBills = async (db: Db, summary: ReturnType<typeof summarize>) => ({
  ...summary,
  bills: (await billsForDossier(db, summary.dossierId)).map(billLine),
});

const findByClientKey = async (db: Db, clientKey: string) => {
  const [row] = await db.select().from(dossiers).where(eq(dossiers.clientKey, clientKey));
  return row;
};

/** A retried request finds the dossier the first one made; a key reused at another office is refused. */
const replay = async (db: Db, row: typeof dossiers.$inferSelect, officeId: string) => {
  if (row.receivingOfficeId !== officeId) throw appError('IDEMPOTENCY_CONFLICT');
  return { ...(await withBills(db, summarize(row, true))), numbersLeft: null };
};

/** Reused documents must be this citizen's own, digitized, and still valid today. */
const assertReusable = async (db: Db, citizenId: string, ids: string[], today: string) => {
  if (ids.length === 0) return;
  const ok = await db
    .select({ id: documents.id })
    .from(documents)
    .where(
      and(
        inArray(documents.id, ids),
        eq(documents.ownerCitizenId, citizenId),
        isNotNull(documents.digitizedCode),
        or(isNull(documents.validUntil), gte(documents.validUntil, today)),
      ),
    );
  const refused = ids.filter((id) => !ok.some((d) => d.id === id));
  if (refused.length > 0) throw appError('REUSE_NOT_ALLOWED', { documents: refused });
};

/**
 * The dossier's number in its department's daily sequence and its entry in the office's tracking book, both
 * taken in one statement inside the caller's transaction (the counter rows stay locked until it commits).
 */
const nextNumbers = async (
  tx: Db,
  opts: { departmentId: string; day: string; officeId: string; year: number },
) => {
  const [row] = await rows<{ seq: number; book: number }>(
    tx,
    sql`with seq as (
          insert into dossier_counters (agency_id, day, last) values (${opts.departmentId}, ${opts.day}, 1)
          on conflict (agency_id, day) do update set last = dossier_counters.last + 1 returning last),
        book as (
          insert into tracking_book_counters (office_id, year, last) values (${opts.officeId}, ${opts.year}, 1)
          on conflict (office_id, year) do update set last = tracking_book_counters.last + 1 returning last)
        select seq.last as seq, book.last as book from seq, book`,
  );
  return { seq: Number(row!.seq), bookEntry: Number(row!.book) };
};

/**
 * A picked-up dossier already has its own applicant row from the citizen's request, with the phone they
 * confirmed by a code: the desk completes it (id number, name, birth date, address) but does not swap the
 * phone; a different number is a contact change, confirmed by the old phone or the id card (contact/).
 */
const completePickupApplicant = async (
  t: Db,
  applicantId: string,
  values: typeof applicants.$inferInsert,
) => {
  const [current] = await t
    .select({ phone: applicants.phone })
    .from(applicants)
    .where(eq(applicants.id, applicantId))
    .for('update');
  if (current?.phone && current.phone !== values.phone) throw appError('CONTACT_CHANGE_NEEDS_CONFIRMATION');
  const { phone: _phone, ...rest } = values;
  const [row] = await t
    .update(applicants)
    .set(current?.phone ? rest : values)
    .where(eq(applicants.id, applicantId))
    .returning({ id: applicants.id });
  return row;
};

/** A dossier a courier picked up, brought to this office's desk (its receiving office). */
const findPickedUp = async (db: Db, dossierId: string, officeId: string) => {
  const [row] = await db.select().from(dossiers).where(eq(dossiers.id, dossierId));
  if (!row || row.receivingOfficeId !== officeId) throw appError('DOSSIER_NOT_FOUND');
  if (row.state !== 'picked_up' && !row.receivedAt && !row.intake) {
    throw appError('TRANSITION_NOT_ALLOWED', { event: 'start_intake', from: row.state });
  }
  return row;
};

/**
 * `start_intake` on a picked-up dossier instead of creating one: the courier hands it over at the desk now,
 * and that moment is the legal submission time (Decision 45 Art. 7.4), so the clock starts here, not at the
 * pickup. The dossier keeps its id (events, pickup proof) and its client key from the original request.
 */
const startPickedUp =
  (
    row: typeof dossiers.$inferSelect,
    opts: { actor: Parameters<typeof recordEvent>[1]['actor']; now: Date },
  ) =>
  async (t: Db, create: Parameters<typeof createDossier>[1]) => {
    const { receivingOfficeId: _office, clientKey, ...values } = create.values;
    const decidingAgency = create.payload?.decidingAgency;
    const [pickup] = await t
      .select({ at: dossierEvents.at, payload: dossierEvents.payload })
      .from(dossierEvents)
      .where(and(eq(dossierEvents.dossierId, row.id), eq(dossierEvents.event, 'pick_up')))
      .orderBy(desc(dossierEvents.seq))
      .limit(1);
    return recordEvent(t, {
      dossierId: row.id,
      event: 'start_intake',
      actor: opts.actor,
      now: opts.now,
      payload: {
        handOverAt: opts.now.toISOString(),
        pickedUpAt: pickup?.at.toISOString() ?? null,
        sealNumber: (pickup?.payload as { sealNumber?: string } | undefined)?.sealNumber ?? null,
        ...(decidingAgency ? { decidingAgency } : {}),
      },
      patch: { ...values, ...(row.clientKey ? {} : { clientKey }) },
    });
  };

/**
 * The desk's three outcomes for a dossier checked in front of the citizen: receive it (code, due time,
 * Mẫu 01), ask for everything missing at once (Mẫu 02), or refuse it (Mẫu 03). Everything is checked
 * before anything is written; the dossier, its events and its portal message are written together.
 */
export const submitIntake = async (db: Db, opts: { input: IntakeInput; actor: IntakeActor; now?: Date }) => {
  const { input, actor } = opts;
  const officeId = actor.membership.officeId;
  const earlier = await findByClientKey(db, input.clientKey);
  if (earlier) return replay(db, earlier, officeId);
  const pickedUp = input.pickedUpDossierId ? await findPickedUp(db, input.pickedUpDossierId, officeId) : null;
  if (pickedUp && pickedUp.state !== 'picked_up') return replay(db, pickedUp, officeId);

  const now = opts.now ?? new Date();
  const today = vietnamDate(now);
  const procedure = await getProcedure(db, { code: input.procedureCode, day: today });
  const citizen = validateCitizenId(input.applicant.citizenId, { now });
  const phone = normalizePhone(input.applicant.phone);
  const email = normalizeEmail(input.applicant.email);
  if (input.returnMethod === 'post' && !procedure.deliveryAllowed) throw appError('DELIVERY_NOT_ALLOWED');
  if (input.returnMethod === 'post' && !input.delivery) {
    throw appError('VALIDATION_FAILED', {
      fields: [{ path: 'delivery.address', message: 'required for delivery by post' }],
    });
  }
  const addresses = await resolveAddresses(db, [
    input.applicant.address,
    ...(input.delivery ? [input.delivery.address] : []),
    // The event's commune is only checked to exist (refused with the others in one COMMUNE_UNKNOWN).
    ...(input.eventCommuneCode ? [{ line: '', communeCode: input.eventCommuneCode }] : []),
  ]);
  const applicantAddress = addresses[0]!;
  const delivery = input.delivery ? addresses[1]! : null;
  // Decided per dossier (Decree 118/2025): the commune's assigned agency, or the clerk's choice with a reason.
  const deciding = await decideAtIntake(db, {
    procedure,
    residence: input.applicant.address.communeCode,
    eventPlace: input.eventCommuneCode,
    choice: input.decidingAgency,
    day: today,
  });
  // The desk's own office: its hours count the due time, its kind says whom it receives for.
  const [office] = await db
    .select({
      id: offices.id,
      code: offices.code,
      name: offices.name,
      kind: offices.kind,
      officeHours: offices.officeHours,
    })
    .from(offices)
    .where(eq(offices.id, officeId));
  if (!office) throw appError('FORBIDDEN');
  // Received on behalf of a state one-stop department (Decision 468): its id codes the dossier.
  const party = await receivingPartyFor(db, { officeId, departmentId: input.departmentId, office });

  const sent = new Map(input.components.map((c) => [c.code, c]));
  const unknown = input.components.filter((c) => !procedure.components.some((p) => p.code === c.code));
  if (unknown.length > 0) {
    throw appError('VALIDATION_FAILED', {
      fields: unknown.map((c) => ({
        path: `components.${c.code}`,
        message: 'not a component of this procedure',
      })),
    });
  }
  const components: IntakeComponent[] = procedure.components.map((p) => {
    const c = sent.get(p.code);
    return {
      code: p.code,
      name: p.name,
      required: p.required,
      present: Boolean(c?.present || c?.reuseDocumentId),
      form: c?.form ?? (p.form === 'copy' ? 'copy' : 'original'),
      copies: c?.copies ?? p.copies,
      ...(c?.reuseDocumentId ? { reusedDocumentId: c.reuseDocumentId } : {}),
    };
  });
  await assertReusable(
    db,
    citizen.id,
    components.flatMap((c) => (c.reusedDocumentId ? [c.reusedDocumentId] : [])),
    today,
  );

  const absent = components.filter((c) => c.required && !c.present);
  const missing = [
    ...absent.map((c) => ({ item: c.name, note: c.form === 'original' ? 'Bản chính' : 'Bản sao' })),
    ...(input.missing ?? []),
  ];
  const reasons = input.reason?.trim() ? [input.reason.trim()] : [];
  if (input.outcome === 'receive' && absent.length > 0) {
    throw appError('COMPONENTS_INCOMPLETE', { missing: absent.map((c) => ({ code: c.code, name: c.name })) });
  }
  if (input.outcome === 'request_supplement' && missing.length === 0) {
    throw appError('VALIDATION_FAILED', {
      fields: [{ path: 'missing', message: 'nothing is missing: receive the dossier instead' }],
    });
  }
  if (input.outcome === 'refuse' && reasons.length === 0) throw appError('REASON_REQUIRED');

  const holidays = await loadHolidayTables(db);
  const due =
    input.outcome === 'receive'
      ? // In the procedure version's own unit (working days or hours, calendar days, same day).
        processingDue(now, processingTimeOf(procedure), {
          holidays,
          hours: office.officeHours ?? DEFAULT_OFFICE_HOURS,
        })
      : null;
  // Past the last published calendar the due time is computed anyway and marked, never refused.
  const dueProvisional = due !== null && isProvisionalSpan(now, due, holidays);
  const eventActor = { kind: 'clerk' as const, userId: actor.userId, role: 'clerk' as const, officeId };

  try {
    let bills: PaymentRow[] = [];
    /** Set near the end of the department's daily numbers, so the desk can warn before they run out. */
    let numbersLeft: number | null = null;
    const row = await db.transaction(async (tx) => {
      const t = tx as unknown as Db;
      const applicantValues = {
        citizenId: citizen.id,
        fullName: input.applicant.fullName.normalize('NFC'),
        dateOfBirth: input.applicant.dateOfBirth ?? null,
        sex: input.applicant.sex ?? null,
        phone,
        email,
        address: {
          line: applicantAddress.line,
          communeCode: applicantAddress.communeCode,
          provinceCode: applicantAddress.provinceCode,
        },
      };
      if (pickedUp && pickedUp.procedureId !== procedure.id) {
        throw appError('VALIDATION_FAILED', {
          fields: [{ path: 'procedureCode', message: 'not the procedure the courier collected' }],
        });
      }
      // Contact belongs to the dossier it is given for: a new dossier gets its own row and never rewrites the
      // phone or address of the citizen's other dossiers (at this office or any other).
      const applicant = pickedUp?.applicantId
        ? await completePickupApplicant(t, pickedUp.applicantId, applicantValues)
        : (await t.insert(applicants).values(applicantValues).returning({ id: applicants.id }))[0];
      const start = pickedUp ? startPickedUp(pickedUp, { actor: eventActor, now }) : createDossier;
      const draft = await start(t, {
        event: 'start_intake',
        actor: eventActor,
        now,
        payload: { decidingAgency: deciding.record },
        values: {
          procedureId: procedure.id,
          procedureVersionId: procedure.versionId,
          applicantId: applicant!.id,
          receivingOfficeId: officeId,
          receivingDepartmentId: party.department.id,
          agencyId: deciding.agency.id,
          channel: pickedUp ? 3 : 1,
          returnMethod: input.returnMethod === 'post' ? 1 : 0,
          deliveryAddress: delivery
            ? {
                line: delivery.line,
                communeCode: delivery.communeCode,
                provinceCode: delivery.provinceCode,
                ...(input.delivery?.lat !== undefined ? { lat: input.delivery.lat } : {}),
                ...(input.delivery?.lng !== undefined ? { lng: input.delivery.lng } : {}),
                window: input.delivery!.window,
              }
            : null,
          clientKey: input.clientKey,
          intake: {
            components,
            fees: procedure.fees.map((f) => ({ label: f.label, amount: f.amount })),
            postalTariff: procedure.postalTariff,
            missing: input.outcome === 'request_supplement' ? missing : [],
            reasons: input.outcome === 'refuse' ? reasons : [],
            clerkName: actor.fullName,
          },
        },
      });
      if (input.outcome === 'request_supplement') {
        return recordEvent(t, {
          dossierId: draft.id,
          locked: draft,
          event: 'request_supplement_at_desk',
          actor: eventActor,
          now,
          payload: { missing },
        });
      }
      if (input.outcome === 'refuse') {
        return recordEvent(t, {
          dossierId: draft.id,
          locked: draft,
          event: 'refuse_at_desk',
          actor: eventActor,
          now,
          payload: { reasons },
        });
      }
      // The department's own daily sequence: every desk receiving for it (its own and post offices') shares it.
      const year = Number(today.slice(0, 4));
      const { seq, bookEntry } = await nextNumbers(t, {
        departmentId: party.department.id,
        day: today,
        officeId,
        year,
      });
      // Past the fourth digit the code cannot be written: refused, and the rollback gives the number back.
      if (seq > MAX_DAILY_SEQ) throw appError('DAILY_SEQUENCE_FULL', { department: party.department.code });
      if (seq >= DAILY_SEQ_WARNING) numbersLeft = MAX_DAILY_SEQ - seq;
      const code = formatDossierCode({ agencyId: party.department.code, date: now, seq });
      const reused = components.filter((c) => c.reusedDocumentId);
      if (reused.length > 0) {
        await t.insert(documents).values(
          reused.map((c) => ({
            dossierId: draft.id,
            componentCode: c.code,
            source: 'reuse' as const,
            ownerCitizenId: citizen.id,
            reusedFromId: c.reusedDocumentId!,
            title: c.name,
          })),
        );
      }
      const received = await recordEvent(t, {
        dossierId: draft.id,
        locked: draft,
        // The phone this transaction wrote (a picked-up dossier keeps the one the citizen confirmed: read it).
        ...(pickedUp ? {} : { applicantPhone: phone }),
        event: 'receive',
        actor: eventActor,
        now,
        payload: {
          code,
          dueAt: due!.toISOString(),
          ...(dueProvisional ? { dueProvisional: true } : {}),
          components: components.map((c) => ({
            code: c.code,
            present: c.present,
            reused: Boolean(c.reusedDocumentId),
          })),
          returnMethod: input.returnMethod,
          receivingDepartment: party.department.code,
          ...(party.provider ? { serviceProvider: party.provider.code } : {}),
        },
        patch: { code, receivedAt: now, dueAt: due, bookVolume: year, bookEntry },
      });
      bills = await createFirstBills(t, draft.id, [
        { kind: 'fee', amount: procedure.fees.reduce((sum, f) => sum + f.amount, 0) },
        { kind: 'postal_tariff', amount: input.returnMethod === 'post' ? procedure.postalTariff : 0 },
      ]);
      if (dueProvisional)
        await recordProvisionalDue(t, {
          dossierId: draft.id,
          dueAt: due!,
          countedFrom: now,
          workingHours: procedure.processingHours,
        });
      return received;
    });
    return {
      ...summarize(row, false),
      bills: bills.map(billLine),
      numbersLeft: numbersLeft as number | null,
      decidingAgency: {
        code: deciding.agency.code,
        name: deciding.agency.name,
        source: deciding.agency.source,
      },
      receivingDepartment: { code: party.department.code, name: party.department.name },
    };
  } catch (err) {
    // The same key sent twice at once: the second insert waits for the first and then hits the unique key.
    if (sqlState(err) === '23505') {
      const first = await findByClientKey(db, input.clientKey);
      if (first) return replay(db, first, officeId);
    }
    throw err;
  }
};
