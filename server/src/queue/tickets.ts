import {
  appError,
  checkSlot,
  DEFAULT_QUEUE_RULES,
  type DeclaredClaim,
  isOpenForTickets,
  normalizePhone,
  PRIORITY_CLAIMS,
  type QueueRules,
  slotsOfDay,
  ticketLabel,
  vietnamDate,
} from '@postdesk/shared';
import { and, asc, count, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client';
import { offices, procedures, queueCounters, queueGroups, queueSettings, queueTickets } from '../db/schema';
import { loadHolidayTables } from '../intake/holidays';

const storedRules = z
  .object({
    priorityOrder: z.array(z.enum(PRIORITY_CLAIMS)),
    slotMinutes: z.number().int().min(5).max(120),
    slotCapacity: z.number().int().min(1).max(100),
    earlyMinutes: z.number().int().min(0).max(120),
    graceMinutes: z.number().int().min(0).max(120),
    bookingDays: z.number().int().min(1).max(60),
    waitTargetMinutes: z.number().int().min(1).max(240),
  })
  .partial();

/** The office's rules: its stored settings over the documented defaults. */
export const loadQueueRules = async (db: Db, officeId: string): Promise<QueueRules> => {
  const [row] = await db
    .select({ rules: queueSettings.rules })
    .from(queueSettings)
    .where(eq(queueSettings.officeId, officeId));
  const parsed = storedRules.safeParse(row?.rules ?? {});
  return { ...DEFAULT_QUEUE_RULES, ...(parsed.success ? parsed.data : {}) };
};

/** The office with its hours, or QUEUE_GROUP_UNKNOWN when it has no queue. */
const getQueueOffice = async (db: Db, officeId: string) => {
  const [office] = await db
    .select({ id: offices.id, name: offices.name, hours: offices.officeHours })
    .from(offices)
    .where(eq(offices.id, officeId));
  if (!office) throw appError('QUEUE_GROUP_UNKNOWN');
  return office;
};

export const findGroups = (db: Db, officeId: string) =>
  db
    .select({
      id: queueGroups.id,
      code: queueGroups.code,
      nameVi: queueGroups.nameVi,
      nameEn: queueGroups.nameEn,
      fields: queueGroups.fields,
    })
    .from(queueGroups)
    .where(eq(queueGroups.officeId, officeId))
    .orderBy(asc(queueGroups.sort), asc(queueGroups.code));

/** What the kiosk and the phone page show: the office, its groups, and whether numbers are issued now. */
export const queueOffice = async (db: Db, opts: { officeId: string; now: Date }) => {
  const office = await getQueueOffice(db, opts.officeId);
  const groups = await findGroups(db, office.id);
  if (groups.length === 0) throw appError('QUEUE_GROUP_UNKNOWN');
  const open = isOpenForTickets(opts.now, { hours: office.hours, holidays: await loadHolidayTables(db) });
  return { id: office.id, name: office.name, groups, open };
};

/** The group a ticket goes to: the one chosen, else the one serving the named procedure's field. */
const pickGroup = async (db: Db, opts: { officeId: string; groupId?: string; procedureCode?: string }) => {
  const groups = await findGroups(db, opts.officeId);
  let field: string | null = null;
  if (opts.procedureCode) {
    const [p] = await db
      .select({ field: procedures.field })
      .from(procedures)
      .where(eq(procedures.code, opts.procedureCode));
    if (!p) throw appError('PROCEDURE_NOT_FOUND');
    field = p.field;
  }
  const group = opts.groupId
    ? groups.find((g) => g.id === opts.groupId)
    : groups.find((g) => field !== null && g.fields.includes(field));
  if (!group) throw appError('QUEUE_GROUP_UNKNOWN');
  return group;
};

export type TicketRequest = {
  officeId: string;
  groupId?: string | undefined;
  procedureCode?: string | undefined;
  fullName?: string | undefined;
  phone?: string | undefined;
  claims: readonly DeclaredClaim[];
  now: Date;
};

/**
 * Issues the next number of the group for `day`. The counter row is the lock: two citizens at two kiosks get
 * consecutive numbers, never the same one. A phone holds one open number per office at a time.
 */
const issue = async (
  db: Db,
  opts: TicketRequest & { source: 'kiosk' | 'desk_qr' | 'booked'; day: string; slotStart: Date | null },
) => {
  const group = await pickGroup(db, opts);
  const phone = opts.phone ? normalizePhone(opts.phone) : null;
  return db.transaction(async (tx) => {
    if (phone) {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`queue:${opts.officeId}:${phone}`}))`);
      const [open] = await tx
        .select({ n: count() })
        .from(queueTickets)
        .where(
          and(
            eq(queueTickets.officeId, opts.officeId),
            eq(queueTickets.phone, phone),
            inArray(queueTickets.status, ['waiting', 'called']),
            sql`${queueTickets.day} >= ${vietnamDate(opts.now)}`,
          ),
        );
      if ((open?.n ?? 0) > 0) throw appError('QUEUE_ALREADY_WAITING');
    }
    const [counter] = await tx
      .insert(queueCounters)
      .values({ groupId: group.id, day: opts.day, last: 1 })
      .onConflictDoUpdate({
        target: [queueCounters.groupId, queueCounters.day],
        set: { last: sql`${queueCounters.last} + 1` },
      })
      .returning({ last: queueCounters.last });
    const number = counter!.last;
    const [ticket] = await tx
      .insert(queueTickets)
      .values({
        officeId: opts.officeId,
        groupId: group.id,
        day: opts.day,
        number,
        label: ticketLabel(group.code, number),
        source: opts.source,
        claims: [...new Set(opts.claims)],
        fullName: opts.fullName?.trim() || null,
        phone,
        procedureCode: opts.procedureCode ?? null,
        issuedAt: opts.now,
        slotStart: opts.slotStart,
        waitFrom: opts.slotStart ?? opts.now,
      })
      .returning({ id: queueTickets.id, label: queueTickets.label, day: queueTickets.day });
    return { ...ticket!, groupName: { vi: group.nameVi, en: group.nameEn }, slotStart: opts.slotStart };
  });
};

/** A number for now, from the kiosk or the desk's QR; refused while the office is closed. */
export const takeTicket = async (db: Db, opts: TicketRequest & { source: 'kiosk' | 'desk_qr' }) => {
  const office = await getQueueOffice(db, opts.officeId);
  if (!isOpenForTickets(opts.now, { hours: office.hours, holidays: await loadHolidayTables(db) }))
    throw appError('QUEUE_OFFICE_CLOSED');
  return issue(db, { ...opts, day: vietnamDate(opts.now), slotStart: null });
};

/** The bookable slots of one day for a group, with the places left in each. */
export const findSlots = async (
  db: Db,
  opts: { officeId: string; groupId: string; date: string; now: Date },
) => {
  const office = await getQueueOffice(db, opts.officeId);
  const group = await pickGroup(db, opts);
  const rules = await loadQueueRules(db, office.id);
  const slots = slotsOfDay(opts.date, {
    hours: office.hours,
    holidays: await loadHolidayTables(db),
    slotMinutes: rules.slotMinutes,
  });
  const taken = await db
    .select({ slotStart: queueTickets.slotStart, n: count() })
    .from(queueTickets)
    .where(
      and(
        eq(queueTickets.groupId, group.id),
        eq(queueTickets.day, opts.date),
        isNotNull(queueTickets.slotStart),
      ),
    )
    .groupBy(queueTickets.slotStart);
  const used = new Map(taken.map((t) => [t.slotStart!.getTime(), t.n]));
  return slots
    .filter((s) => s.getTime() > opts.now.getTime())
    .map((s) => ({ start: s, left: Math.max(0, rules.slotCapacity - (used.get(s.getTime()) ?? 0)) }));
};

/**
 * Books a number for a slot ahead: a working day (the published holiday calendar), a whole slot inside the
 * office's hours, and a place left in it. The slot's places are counted under a lock of the slot.
 */
export const bookTicket = async (db: Db, opts: TicketRequest & { slotStart: Date; groupId: string }) => {
  const office = await getQueueOffice(db, opts.officeId);
  const rules = await loadQueueRules(db, office.id);
  const day = checkSlot(opts.slotStart, {
    hours: office.hours,
    holidays: await loadHolidayTables(db),
    rules,
    now: opts.now,
  });
  return db.transaction(async (tx) => {
    await tx.execute(
      sql`select pg_advisory_xact_lock(hashtext(${`queue-slot:${opts.groupId}:${opts.slotStart.toISOString()}`}))`,
    );
    const [taken] = await tx
      .select({ n: count() })
      .from(queueTickets)
      .where(and(eq(queueTickets.groupId, opts.groupId), eq(queueTickets.slotStart, opts.slotStart)));
    if ((taken?.n ?? 0) >= rules.slotCapacity) throw appError('QUEUE_SLOT_FULL');
    return issue(tx, { ...opts, source: 'booked', day, slotStart: opts.slotStart });
  });
};
