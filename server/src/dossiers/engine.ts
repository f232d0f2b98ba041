import { createHash } from 'node:crypto';
import {
  type Actor,
  appError,
  applyEvent,
  type DossierEvent,
  type DossierState,
  type GuardContext,
  portalStatusOf,
  type Role,
} from '@postdesk/shared';
import { asc, eq, sql } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import { type Db, rows } from '../db/client';
import { dossierEvents, dossiers, outbox } from '../db/schema';
import { queueNotificationsFor } from '../notify/triggers';

export type EventActor = {
  kind: Actor;
  userId?: string | null;
  role?: Role | null;
  officeId?: string | null;
};

type DossierRow = typeof dossiers.$inferSelect;
type DossierInsert = typeof dossiers.$inferInsert;

/** Stable JSON: keys sorted at every level, so a hash can be recomputed from the stored row. */
export const canonicalJson = (value: unknown): string => {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
};

type HashedFields = {
  dossierId: string;
  seq: number;
  event: string;
  fromState: string | null;
  toState: string;
  actorKind: string;
  actorUserId: string | null;
  role: string | null;
  officeId: string | null;
  at: Date;
  deviceAt: Date | null;
  payload: Record<string, unknown>;
  prevHash: string | null;
};

/** sha256 over exactly the hashed fields, whatever else the row carries (id, hash). */
export const eventHash = (e: HashedFields) =>
  createHash('sha256')
    .update(
      canonicalJson({
        dossierId: e.dossierId,
        seq: e.seq,
        event: e.event,
        fromState: e.fromState,
        toState: e.toState,
        actorKind: e.actorKind,
        actorUserId: e.actorUserId,
        role: e.role,
        officeId: e.officeId,
        at: e.at.toISOString(),
        deviceAt: e.deviceAt ? e.deviceAt.toISOString() : null,
        payload: e.payload,
        prevHash: e.prevHash,
      }),
    )
    .digest('hex');

export type RecordEventInput = {
  event: DossierEvent;
  actor: EventActor;
  payload?: Record<string, unknown>;
  deviceAt?: Date | null;
  /** What the event's guard needs (due time, counts, the clock); the engine adds `now`. */
  guard?: Omit<GuardContext, 'now'>;
  /** Columns of the dossier row this event changes besides its state. */
  patch?: Partial<DossierInsert>;
  /** The applicant's phone on file, when the caller wrote it in this transaction (its text is not re-read). */
  applicantPhone?: string | null;
  now?: Date;
};

const appendEvent = async (
  tx: Db,
  dossier: Pick<DossierRow, 'id' | 'state' | 'lastSeq' | 'lastHash' | 'code' | 'fromPortal'>,
  fromState: DossierState | null,
  input: RecordEventInput,
) => {
  const at = input.now ?? new Date();
  const { to } = applyEvent(fromState, input.event, input.actor.kind, {
    ...(input.guard ?? {}),
    now: at,
  } as GuardContext);
  const fields: HashedFields = {
    dossierId: dossier.id,
    seq: dossier.lastSeq + 1,
    event: input.event,
    fromState,
    toState: to,
    actorKind: input.actor.kind,
    actorUserId: input.actor.userId ?? null,
    role: input.actor.role ?? null,
    officeId: input.actor.officeId ?? null,
    at,
    deviceAt: input.deviceAt ?? null,
    payload: input.payload ?? {},
    prevHash: dossier.lastHash,
  };
  const hash = eventHash(fields);
  await tx
    .insert(dossierEvents)
    .values({ ...fields, fromState, toState: to, role: input.actor.role ?? null, hash });
  const [row] = await tx
    .update(dossiers)
    .set({ ...input.patch, state: to, lastSeq: fields.seq, lastHash: hash, updatedAt: at })
    .where(eq(dossiers.id, dossier.id))
    .returning();
  const status = row ? portalStatusOf(row.state, { fromPortal: row.fromPortal }) : null;
  if (row && status !== null) {
    // The portal learns of every visible change; the outbox job delivers it in order per dossier.
    await tx.insert(outbox).values({
      topic: 'portal.progress',
      dossierId: dossier.id,
      idempotencyKey: `portal.progress:${dossier.id}:${fields.seq}`,
      payload: {
        dossierId: dossier.id,
        code: row.code,
        seq: fields.seq,
        event: input.event,
        status,
        at: at.toISOString(),
      },
    });
  }
  if (row) await queueNotificationsFor(tx, row, input.event, input.applicantPhone);
  return row!;
};

/**
 * Runs `fn` in a transaction: the caller's when `db` already is one (its writes then commit or roll back with
 * the caller's), otherwise a new one. A savepoint would cost two more round trips for nothing: no caller
 * catches a failed statement inside its transaction and goes on.
 */
const inTransaction = <T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> =>
  db instanceof PgTransaction ? fn(db as unknown as Db) : db.transaction((tx) => fn(tx as unknown as Db));

/** Creates a dossier with its first event (`start_intake` at the desk, `request_pickup` from home). */
export const createDossier = async (
  db: Db,
  opts: RecordEventInput & { values: Omit<DossierInsert, 'state' | 'lastSeq' | 'lastHash'> },
) =>
  inTransaction(db, async (tx) => {
    const initial = applyEvent(null, opts.event, opts.actor.kind, {
      now: opts.now ?? new Date(),
    } as GuardContext);
    const [created] = await tx
      .insert(dossiers)
      .values({ ...opts.values, state: initial.to, lastSeq: 0 })
      .returning();
    return appendEvent(tx, created!, null, opts);
  });

/**
 * Applies one event to a dossier: the event row and the new state are written together, or neither is.
 * `locked` is the dossier's row as the caller's transaction holds it (it created or locked the row there), so
 * it is not read again.
 */
export const recordEvent = async (
  db: Db,
  opts: RecordEventInput & { dossierId: string; locked?: DossierRow },
) =>
  inTransaction(db, async (tx) => {
    const [current] =
      opts.locked && opts.locked.id === opts.dossierId && db instanceof PgTransaction
        ? [opts.locked]
        : await tx.select().from(dossiers).where(eq(dossiers.id, opts.dossierId)).for('update');
    if (!current) throw appError('DOSSIER_NOT_FOUND');
    return appendEvent(tx, current, current.state, opts);
  });

export const findEvents = (db: Db, dossierId: string) =>
  db
    .select()
    .from(dossierEvents)
    .where(eq(dossierEvents.dossierId, dossierId))
    .orderBy(asc(dossierEvents.seq));

/** Recomputes the hash chain; the first event whose hash or link does not match is where tampering happened. */
export const verifyChain = async (db: Db, dossierId: string) => {
  const events = await findEvents(db, dossierId);
  let prev: string | null = null;
  for (const e of events) {
    const expected = eventHash({ ...e, payload: e.payload, prevHash: prev });
    if (e.prevHash !== prev || e.hash !== expected)
      return { ok: false as const, brokenAtSeq: e.seq, events: events.length };
    prev = e.hash;
  }
  return { ok: true as const, events: events.length };
};

/** Next number in an agency's daily sequence, taken inside the caller's transaction. */
export const nextDossierSeq = async (tx: Db, opts: { agencyId: string; day: string }) => {
  const [row] = await rows<{ last: number }>(
    tx,
    sql`insert into dossier_counters (agency_id, day, last) values (${opts.agencyId}, ${opts.day}, 1)
        on conflict (agency_id, day) do update set last = dossier_counters.last + 1
        returning last`,
  );
  return Number(row!.last);
};
