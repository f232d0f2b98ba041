import { appError, vietnamDate } from '@postdesk/shared';
import { and, asc, desc, eq, gte, isNotNull, lt, or, sql } from 'drizzle-orm';
import { type Db, rows } from '../db/client';
import { desks, offices, queueDeskGroups, queueGroups, queueTickets } from '../db/schema';
import { loadQueueRules } from './tickets';

const ticketColumns = {
  id: queueTickets.id,
  label: queueTickets.label,
  status: queueTickets.status,
  source: queueTickets.source,
  claims: queueTickets.claims,
  fullName: queueTickets.fullName,
  phone: queueTickets.phone,
  procedureCode: queueTickets.procedureCode,
  groupId: queueTickets.groupId,
  deskId: queueTickets.deskId,
  issuedAt: queueTickets.issuedAt,
  slotStart: queueTickets.slotStart,
  waitFrom: queueTickets.waitFrom,
  calledAt: queueTickets.calledAt,
  recalls: queueTickets.recalls,
};

/** The desk, when it belongs to the office the clerk acts for; QUEUE_DESK_UNKNOWN otherwise. */
const getDesk = async (db: Db, opts: { deskId: string; officeId: string }) => {
  const [desk] = await db
    .select({ id: desks.id, name: desks.name })
    .from(desks)
    .where(and(eq(desks.id, opts.deskId), eq(desks.officeId, opts.officeId)));
  if (!desk) throw appError('QUEUE_DESK_UNKNOWN');
  return desk;
};

/** The groups a desk calls: those linked to it, or every group of its office when none is. */
const groupsOfDesk = async (db: Db, opts: { deskId: string; officeId: string }) => {
  const linked = await db
    .select({ id: queueDeskGroups.groupId })
    .from(queueDeskGroups)
    .where(eq(queueDeskGroups.deskId, opts.deskId));
  if (linked.length > 0) return linked.map((g) => g.id);
  const all = await db
    .select({ id: queueGroups.id })
    .from(queueGroups)
    .where(eq(queueGroups.officeId, opts.officeId));
  return all.map((g) => g.id);
};

/** A ticket of the clerk's office; another office's ticket is as unknown as a made-up one. */
const getOfficeTicket = async (db: Db, opts: { ticketId: string; officeId: string }) => {
  const [ticket] = await db
    .select(ticketColumns)
    .from(queueTickets)
    .where(and(eq(queueTickets.id, opts.ticketId), eq(queueTickets.officeId, opts.officeId)));
  if (!ticket) throw appError('QUEUE_TICKET_NOT_FOUND');
  return ticket;
};

type DeskCall = { deskId: string; officeId: string; now: Date };

/**
 * "Gọi số tiếp theo": finishes the desk's current number and calls the next one of its groups: priority
 * claims in the office's order, a booking in its window, then the longest wait. `for update skip locked`
 * lets two desks call at the same moment: each takes a different row, neither waits for the other.
 */
export const callNext = async (db: Db, opts: DeskCall) => {
  const desk = await getDesk(db, opts);
  const groupIds = await groupsOfDesk(db, opts);
  const rules = await loadQueueRules(db, opts.officeId);
  const order = `{${rules.priorityOrder.join(',')}}`;
  const day = vietnamDate(opts.now);
  const now = opts.now.toISOString();
  return db.transaction(async (tx) => {
    await tx
      .update(queueTickets)
      .set({ status: 'done', finishedAt: opts.now })
      .where(and(eq(queueTickets.deskId, desk.id), eq(queueTickets.status, 'called')));
    if (groupIds.length === 0) return null;
    const [next] = await rows<{ id: string }>(
      tx,
      sql`select t.id from queue_tickets t
          where t.office_id = ${opts.officeId} and t.day = ${day} and t.status = 'waiting'
            and t.group_id in (${sql.join(
              groupIds.map((g) => sql`${g}`),
              sql`, `,
            )})
            and (t.slot_start is null or t.slot_start - make_interval(mins => ${rules.earlyMinutes}) <= ${now}::timestamptz)
          order by least(
              coalesce((select min(array_position(${order}::text[], c)) from unnest(t.claims) c), 99),
              case when t.slot_start is not null
                    and ${now}::timestamptz <= t.slot_start + make_interval(mins => ${rules.graceMinutes})
                   then coalesce(array_position(${order}::text[], 'booked_on_time'), 99) else 99 end),
            -- Equal waits and numbers (two groups issued in the same instant): the group letter decides, so a
            -- call never depends on the order PostgreSQL happens to read the rows in.
            t.wait_from, t.number, t.label
          limit 1
          for update of t skip locked`,
    );
    if (!next) return null;
    const [called] = await tx
      .update(queueTickets)
      .set({ status: 'called', deskId: desk.id, calledAt: opts.now, announcedAt: opts.now })
      .where(eq(queueTickets.id, next.id))
      .returning(ticketColumns);
    return { ...called!, deskName: desk.name };
  });
};

/** A number being served at this desk, or QUEUE_TICKET_NOT_AT_DESK. */
const atDesk = async (db: Db, opts: DeskCall & { ticketId: string }) => {
  const ticket = await getOfficeTicket(db, opts);
  if (ticket.status !== 'called' || ticket.deskId !== opts.deskId) throw appError('QUEUE_TICKET_NOT_AT_DESK');
  return ticket;
};

const moveTicket = async (
  db: Db,
  opts: DeskCall & { ticketId: string },
  set: Partial<typeof queueTickets.$inferInsert>,
) => {
  await getDesk(db, opts);
  await atDesk(db, opts);
  const [moved] = await db
    .update(queueTickets)
    .set(set)
    .where(
      and(
        eq(queueTickets.id, opts.ticketId),
        eq(queueTickets.status, 'called'),
        eq(queueTickets.deskId, opts.deskId),
      ),
    )
    .returning(ticketColumns);
  if (!moved) throw appError('QUEUE_TICKET_NOT_AT_DESK');
  return moved;
};

/** Calls the same number again (the screen announces it again). */
export const recallTicket = (db: Db, opts: DeskCall & { ticketId: string }) =>
  moveTicket(db, opts, { announcedAt: opts.now, recalls: sql`${queueTickets.recalls} + 1` as never });

/** The citizen did not come to the desk. */
export const skipTicket = (db: Db, opts: DeskCall & { ticketId: string }) =>
  moveTicket(db, opts, { status: 'no_show', finishedAt: opts.now });

/** Served: the desk is free for the next number. */
export const finishTicket = (db: Db, opts: DeskCall & { ticketId: string }) =>
  moveTicket(db, opts, { status: 'done', finishedAt: opts.now });

/**
 * Sends the number to another group of the office: it waits there keeping its place (its wait still counts
 * from when it was first issued), since the citizen has already waited once.
 */
export const transferTicket = async (db: Db, opts: DeskCall & { ticketId: string; groupId: string }) => {
  const [group] = await db
    .select({ id: queueGroups.id })
    .from(queueGroups)
    .where(and(eq(queueGroups.id, opts.groupId), eq(queueGroups.officeId, opts.officeId)));
  if (!group) throw appError('QUEUE_GROUP_UNKNOWN');
  return moveTicket(db, opts, {
    status: 'waiting',
    groupId: group.id,
    deskId: null,
    calledAt: null,
    announcedAt: null,
  });
};

/** The clerk's view: the office's desks with the groups each calls and the number each is serving. */
export const deskBoard = async (db: Db, opts: { officeId: string; now: Date }) => {
  const deskRows = await db
    .select({ id: desks.id, name: desks.name })
    .from(desks)
    .where(eq(desks.officeId, opts.officeId))
    .orderBy(asc(desks.name));
  const links = await db
    .select({ deskId: queueDeskGroups.deskId, groupId: queueDeskGroups.groupId })
    .from(queueDeskGroups)
    .innerJoin(desks, eq(desks.id, queueDeskGroups.deskId))
    .where(eq(desks.officeId, opts.officeId));
  const groups = await db
    .select({
      id: queueGroups.id,
      code: queueGroups.code,
      nameVi: queueGroups.nameVi,
      nameEn: queueGroups.nameEn,
    })
    .from(queueGroups)
    .where(eq(queueGroups.officeId, opts.officeId))
    .orderBy(asc(queueGroups.sort));
  const serving = await db
    .select(ticketColumns)
    .from(queueTickets)
    .where(and(eq(queueTickets.officeId, opts.officeId), eq(queueTickets.status, 'called')));
  const waiting = await db
    .select({ groupId: queueTickets.groupId, n: sql<number>`count(*)::int` })
    .from(queueTickets)
    .where(
      and(
        eq(queueTickets.officeId, opts.officeId),
        eq(queueTickets.day, vietnamDate(opts.now)),
        eq(queueTickets.status, 'waiting'),
      ),
    )
    .groupBy(queueTickets.groupId);
  return {
    groups: groups.map((g) => ({ ...g, waiting: waiting.find((w) => w.groupId === g.id)?.n ?? 0 })),
    desks: deskRows.map((d) => {
      const own = links.filter((l) => l.deskId === d.id).map((l) => l.groupId);
      return {
        ...d,
        groupIds: own.length > 0 ? own : groups.map((g) => g.id),
        serving: serving.find((t) => t.deskId === d.id) ?? null,
      };
    }),
  };
};

/** What the waiting room sees: the latest calls (number and desk only, never a name) and the queue lengths. */
export const waitingScreen = async (db: Db, opts: { officeId: string; now: Date }) => {
  const [office] = await db
    .select({ id: offices.id, name: offices.name })
    .from(offices)
    .where(eq(offices.id, opts.officeId));
  if (!office) throw appError('QUEUE_GROUP_UNKNOWN');
  const day = vietnamDate(opts.now);
  const calls = await db
    .select({
      id: queueTickets.id,
      label: queueTickets.label,
      deskName: desks.name,
      announcedAt: queueTickets.announcedAt,
      recalls: queueTickets.recalls,
    })
    .from(queueTickets)
    .innerJoin(desks, eq(desks.id, queueTickets.deskId))
    .where(
      and(
        eq(queueTickets.officeId, office.id),
        eq(queueTickets.day, day),
        isNotNull(queueTickets.announcedAt),
        or(
          eq(queueTickets.status, 'called'),
          gte(queueTickets.announcedAt, new Date(opts.now.getTime() - 600_000)),
        ),
      ),
    )
    .orderBy(desc(queueTickets.announcedAt))
    .limit(8);
  const groups = await db
    .select({
      code: queueGroups.code,
      nameVi: queueGroups.nameVi,
      nameEn: queueGroups.nameEn,
      waiting: sql<number>`count(${queueTickets.id})::int`,
    })
    .from(queueGroups)
    .leftJoin(
      queueTickets,
      and(
        eq(queueTickets.groupId, queueGroups.id),
        eq(queueTickets.day, day),
        eq(queueTickets.status, 'waiting'),
        or(
          sql`${queueTickets.slotStart} is null`,
          lt(queueTickets.slotStart, new Date(opts.now.getTime() + 900_000)),
        ),
      ),
    )
    .where(eq(queueGroups.officeId, office.id))
    .groupBy(queueGroups.id)
    .orderBy(asc(queueGroups.sort));
  return { office, now: opts.now, calls, groups };
};

/** A citizen's own number, by its id (the link on their phone): where it stands. */
export const ticketProgress = async (db: Db, opts: { ticketId: string }) => {
  const [ticket] = await db
    .select({
      id: queueTickets.id,
      label: queueTickets.label,
      status: queueTickets.status,
      day: queueTickets.day,
      groupId: queueTickets.groupId,
      groupVi: queueGroups.nameVi,
      groupEn: queueGroups.nameEn,
      officeId: queueTickets.officeId,
      officeName: offices.name,
      slotStart: queueTickets.slotStart,
      waitFrom: queueTickets.waitFrom,
      deskName: desks.name,
    })
    .from(queueTickets)
    .innerJoin(queueGroups, eq(queueGroups.id, queueTickets.groupId))
    .innerJoin(offices, eq(offices.id, queueTickets.officeId))
    .leftJoin(desks, eq(desks.id, queueTickets.deskId))
    .where(eq(queueTickets.id, opts.ticketId));
  if (!ticket) throw appError('QUEUE_TICKET_NOT_FOUND');
  const [ahead] =
    ticket.status === 'waiting'
      ? await db
          .select({ n: sql<number>`count(*)::int` })
          .from(queueTickets)
          .where(
            and(
              eq(queueTickets.groupId, ticket.groupId),
              eq(queueTickets.day, ticket.day),
              eq(queueTickets.status, 'waiting'),
              lt(queueTickets.waitFrom, ticket.waitFrom),
            ),
          )
      : [{ n: 0 }];
  const { groupId: _g, waitFrom: _w, ...shown } = ticket;
  return { ...shown, ahead: ahead?.n ?? 0 };
};

/** A number of the clerk's office with the citizen's details, for the intake form it opens. */
export const ticketForIntake = (db: Db, opts: { ticketId: string; officeId: string }) =>
  getOfficeTicket(db, opts);
