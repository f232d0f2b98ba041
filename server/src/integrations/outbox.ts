import { appError } from '@postdesk/shared';
import { and, asc, eq, gt, inArray, lt, lte, ne, notExists, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import type { Db } from '../db/client';
import { dossiers, outbox } from '../db/schema';
import { defineJob, type JobRunner } from '../jobs/queue';
import type { DeliveryOutcome, PortalClient } from './portal/client';
import { loadPortalSource, type PortalProgressPayload, toPortalMessages } from './portal/messages';

export const PORTAL_TOPIC = 'portal.progress';

export type DeliveryPolicy = {
  /** Attempts before a message that keeps failing goes to the dead letters. */
  maxAttempts: number;
  /** First retry delay; each next one doubles, up to `maxBackoffMs`. */
  baseBackoffMs: number;
  maxBackoffMs: number;
};

// 10 s doubling to 5 min, 60 attempts: about five hours of portal outage before a supervisor has to act. The
// cap is short because a message's delay grows with attempts made while the portal was down; the first
// success to a target makes everything waiting for it due at once (see `wakeTarget`).
export const DEFAULT_POLICY: DeliveryPolicy = {
  maxAttempts: 60,
  baseBackoffMs: 10_000,
  maxBackoffMs: 5 * 60_000,
};

export const backoffMs = (attempts: number, policy: DeliveryPolicy = DEFAULT_POLICY) =>
  Math.min(policy.baseBackoffMs * 2 ** Math.max(0, attempts - 1), policy.maxBackoffMs);

export type OutboxRow = typeof outbox.$inferSelect;

/**
 * Where one topic's messages go: the portal, an agency's webhook, the SMS provider. `send` makes one
 * delivery attempt for a row and says whether it worked, may be retried, or never will.
 */
export type OutboxChannel = {
  topic: string;
  /** Longest a send may take; the claim's lease is twice this plus a margin. */
  timeoutMs: number;
  send: (db: Db, row: OutboxRow) => Promise<DeliveryOutcome>;
  /**
   * What of the payload to keep once the message is sent or dead (delivery needs nothing more): a one-time
   * code is erased here. Absent = kept as it is.
   */
  afterDelivery?: (payload: unknown) => Record<string, unknown>;
};

export type DeliverOptions = {
  /** The portal (the default channel) … */
  client?: PortalClient;
  /** … or any other channel. */
  channel?: OutboxChannel;
  now?: () => Date;
  /** Messages claimed at once (each of a different dossier), sent concurrently. */
  batch?: number;
  /** Only this dossier's messages (a job enqueued right after its state change). */
  dossierId?: string;
  policy?: Partial<DeliveryPolicy>;
  filesBaseUrl?: string | null;
};

export type DeliveryReport = {
  sent: number;
  retrying: number;
  dead: number;
  /** Earliest time a message at the head of its dossier's queue is due; null when none is waiting. */
  nextAttemptAt: Date | null;
};

const earlier = alias(outbox, 'earlier');

/** Nothing earlier of the same dossier is unsent (pending, backing off, or dead). */
const atHead = (db: Db) =>
  notExists(
    db
      .select({ one: sql`1` })
      .from(earlier)
      .where(
        and(
          eq(earlier.dossierId, outbox.dossierId),
          eq(earlier.topic, outbox.topic),
          ne(earlier.state, 'sent'),
          lt(earlier.id, outbox.id),
        ),
      ),
  );

/**
 * Claims due messages that are at the head of their dossier's queue: nothing earlier of that dossier is
 * unsent (pending, backing off, or dead). The claim takes the rows with FOR UPDATE SKIP LOCKED and pushes
 * `next_attempt_at` past the sending time (a lease), so a second deliverer skips them while they are sent
 * outside the transaction; `attempts` is bumped at the claim and fences the result write.
 */
const claim = (
  db: Db,
  opts: { topic: string; now: Date; batch: number; leaseMs: number; dossierId?: string },
) =>
  db.transaction(async (tx) => {
    const due = await tx
      .select({ id: outbox.id })
      .from(outbox)
      .where(
        and(
          eq(outbox.state, 'pending'),
          eq(outbox.topic, opts.topic),
          lte(outbox.nextAttemptAt, opts.now),
          opts.dossierId ? eq(outbox.dossierId, opts.dossierId) : undefined,
          atHead(tx as unknown as Db),
        ),
      )
      .orderBy(asc(outbox.id))
      .limit(opts.batch)
      .for('update', { skipLocked: true });
    if (due.length === 0) return [];
    return tx
      .update(outbox)
      .set({
        attempts: sql`${outbox.attempts} + 1`,
        nextAttemptAt: new Date(opts.now.getTime() + opts.leaseMs),
      })
      .where(
        inArray(
          outbox.id,
          due.map((d) => d.id),
        ),
      )
      .returning();
  });

/** Sends one message's two portal requests, dossier record first, each with its own idempotency key. */
const sendToPortal = async (
  db: Db,
  row: OutboxRow,
  opts: { client: PortalClient; filesBaseUrl?: string | null | undefined },
): Promise<DeliveryOutcome> => {
  const message = row.payload as PortalProgressPayload;
  const [previous] = await db
    .select({ id: outbox.id })
    .from(outbox)
    .where(
      and(eq(outbox.dossierId, message.dossierId), eq(outbox.topic, PORTAL_TOPIC), lt(outbox.id, row.id)),
    )
    .limit(1);
  const source = await loadPortalSource(db, {
    message,
    isUpdating: previous !== undefined,
    filesBaseUrl: opts.filesBaseUrl,
  });
  if (!source) return { kind: 'permanent', error: `dossier ${message.dossierId} not found` };
  const messages = toPortalMessages(source);
  const record = await opts.client.send(
    { service: 'DongBoHoSoMC', isUpdating: messages.isUpdating, data: [messages.dossier] },
    `${row.idempotencyKey}:HoSo`,
  );
  if (record.kind !== 'ok') return record;
  return opts.client.send(
    { service: 'CapNhatTienDoHoSoMC', data: [messages.progress] },
    `${row.idempotencyKey}:TienDo`,
  );
};

/** The public-service portal as an outbox channel. */
export const portalChannel = (opts: {
  client: PortalClient;
  filesBaseUrl?: string | null | undefined;
}): OutboxChannel => ({
  topic: PORTAL_TOPIC,
  timeoutMs: opts.client.timeoutMs,
  send: (db, row) => sendToPortal(db, row, opts),
});

const channelOf = (opts: DeliverOptions): OutboxChannel => {
  if (opts.channel) return opts.channel;
  if (!opts.client) throw new Error('deliverOutbox needs a channel or a portal client');
  return portalChannel({ client: opts.client, filesBaseUrl: opts.filesBaseUrl });
};

/**
 * The target answered: messages of the same channel backing off from failures (made while it was down) are due
 * now instead of after their grown delay. Only delays beyond a claim's lease are pulled in, so a message another
 * deliverer is sending right now (its lease) is left to it.
 */
const wakeTarget = (db: Db, opts: { topic: string; now: Date; leaseMs: number }) =>
  db
    .update(outbox)
    .set({ nextAttemptAt: opts.now })
    .where(
      and(
        eq(outbox.state, 'pending'),
        eq(outbox.topic, opts.topic),
        sql`${outbox.lastError} is not null`,
        gt(outbox.nextAttemptAt, new Date(opts.now.getTime() + opts.leaseMs)),
      ),
    )
    .returning({ id: outbox.id });

const settle = async (
  db: Db,
  row: OutboxRow,
  outcome: DeliveryOutcome,
  now: Date,
  policy: DeliveryPolicy,
  channel: OutboxChannel,
) => {
  // Only the deliverer that made this attempt may record its result.
  const mine = and(eq(outbox.id, row.id), eq(outbox.attempts, row.attempts), eq(outbox.state, 'pending'));
  const kept = channel.afterDelivery ? { payload: channel.afterDelivery(row.payload) } : {};
  if (outcome.kind === 'ok') {
    await db
      .update(outbox)
      .set({ state: 'sent', sentAt: now, lastError: null, ...kept })
      .where(mine);
    return 'sent' as const;
  }
  if (outcome.kind === 'permanent' || row.attempts >= policy.maxAttempts) {
    await db
      .update(outbox)
      .set({ state: 'dead', lastError: outcome.error, ...kept })
      .where(mine);
    return 'dead' as const;
  }
  await db
    .update(outbox)
    .set({
      lastError: outcome.error,
      nextAttemptAt: new Date(now.getTime() + backoffMs(row.attempts, policy)),
    })
    .where(mine);
  return 'retrying' as const;
};

/**
 * Delivers one channel's messages that are due, in order per dossier: a dossier's next message is claimed only
 * after the previous one was acknowledged, so a failing message holds back its own dossier and no other.
 * Safe to run from several workers at once. Returns when nothing more is due now.
 */
export const deliverOutbox = async (db: Db, opts: DeliverOptions): Promise<DeliveryReport> => {
  const now = opts.now ?? (() => new Date());
  const policy = { ...DEFAULT_POLICY, ...opts.policy };
  const channel = channelOf(opts);
  const leaseMs = 2 * channel.timeoutMs + 30_000;
  const report: DeliveryReport = { sent: 0, retrying: 0, dead: 0, nextAttemptAt: null };
  let woken = false;
  for (;;) {
    const claimed = await claim(db, {
      topic: channel.topic,
      now: now(),
      batch: opts.batch ?? 50,
      leaseMs,
      dossierId: opts.dossierId,
    });
    if (claimed.length === 0) break;
    const results = await Promise.all(
      claimed.map(async (row) => settle(db, row, await channel.send(db, row), now(), policy, channel)),
    );
    for (const r of results) report[r] += 1;
    // Back after an outage: the rest of the backlog goes in this same run, not at each message's own delay.
    if (results.includes('sent') && !woken) {
      woken = true;
      await wakeTarget(db, { topic: channel.topic, now: now(), leaseMs });
    }
  }
  const [next] = await db
    .select({ at: sql<string | Date | null>`min(${outbox.nextAttemptAt})` })
    .from(outbox)
    .where(
      and(
        eq(outbox.state, 'pending'),
        eq(outbox.topic, channel.topic),
        opts.dossierId ? eq(outbox.dossierId, opts.dossierId) : undefined,
        atHead(db),
      ),
    );
  report.nextAttemptAt = next?.at ? new Date(next.at) : null;
  return report;
};

/**
 * Messages of dossiers received at these offices (a supervisor's scope); `undefined` = every message (admin).
 * A message without a dossier (an OTP text) is in no office's scope.
 */
const inOffices = (officeIds: readonly string[] | undefined) =>
  officeIds === undefined
    ? undefined
    : officeIds.length === 0
      ? sql`false`
      : inArray(
          outbox.dossierId,
          sql`(select ${dossiers.id} from ${dossiers} where ${inArray(dossiers.receivingOfficeId, [...officeIds])})`,
        );

/** Puts a dead message back at the head of its dossier's queue with fresh attempts (supervisor's retry). */
export const retryDead = async (
  db: Db,
  opts: { id: number; now?: Date; officeIds?: readonly string[] | undefined },
) => {
  const [row] = await db
    .update(outbox)
    .set({ state: 'pending', attempts: 0, nextAttemptAt: opts.now ?? new Date() })
    .where(and(eq(outbox.id, opts.id), eq(outbox.state, 'dead'), inOffices(opts.officeIds)))
    .returning({ id: outbox.id, dossierId: outbox.dossierId, topic: outbox.topic });
  if (!row) throw appError('NOT_FOUND', { outboxId: opts.id });
  return row;
};

/**
 * The dead letters, oldest first, with why they died and how many later messages of the dossier wait behind;
 * `officeIds` limits them to dossiers received at those offices (a supervisor's), absent = all (admin).
 */
export const findDeadLetters = (
  db: Db,
  opts: { limit?: number; officeIds?: readonly string[] | undefined } = {},
) => {
  return db
    .select({
      id: outbox.id,
      topic: outbox.topic,
      dossierId: outbox.dossierId,
      dossierCode: dossiers.code,
      idempotencyKey: outbox.idempotencyKey,
      attempts: outbox.attempts,
      lastError: outbox.lastError,
      createdAt: outbox.createdAt,
      /** The dossier's receiving office (the supervisor's scope). */
      officeId: dossiers.receivingOfficeId,
      blocked: sql<number>`(select count(*)::int from outbox behind
        where behind.dossier_id = ${outbox.dossierId} and behind.topic = ${outbox.topic}
          and behind.state = 'pending' and behind.id > ${outbox.id})`,
    })
    .from(outbox)
    .leftJoin(dossiers, eq(dossiers.id, outbox.dossierId))
    .where(and(eq(outbox.state, 'dead'), inOffices(opts.officeIds)))
    .orderBy(asc(outbox.id))
    .limit(opts.limit ?? 200);
};

/**
 * The backlog per target (channel): messages waiting, how many are due now, the oldest waiting, dead letters.
 * For the admin's view while a backlog drains after an outage; `officeIds` as for the dead letters.
 */
export const findBacklog = async (db: Db, opts: { officeIds?: readonly string[] | undefined } = {}) => {
  const list = await db
    .select({
      topic: outbox.topic,
      waiting: sql<number>`count(*) filter (where ${outbox.state} = 'pending')::int`,
      due: sql<number>`count(*) filter (where ${outbox.state} = 'pending' and ${outbox.nextAttemptAt} <= now())::int`,
      failing: sql<number>`count(*) filter (where ${outbox.state} = 'pending' and ${outbox.lastError} is not null)::int`,
      dead: sql<number>`count(*) filter (where ${outbox.state} = 'dead')::int`,
      oldestWaiting: sql<string | null>`min(${outbox.createdAt}) filter (where ${outbox.state} = 'pending')`,
    })
    .from(outbox)
    .where(and(inArray(outbox.state, ['pending', 'dead']), inOffices(opts.officeIds)))
    .groupBy(outbox.topic)
    .orderBy(outbox.topic);
  return list.map((r) => ({
    ...r,
    waiting: Number(r.waiting),
    due: Number(r.due),
    failing: Number(r.failing),
    dead: Number(r.dead),
    oldestWaiting: r.oldestWaiting ? new Date(r.oldestWaiting) : null,
  }));
};

/** The supervisor's "send now" for one target: its waiting messages (in scope) are due at once. */
export const sendNow = async (
  db: Db,
  opts: { topic: string; now?: Date; officeIds?: readonly string[] | undefined },
) => {
  const woken = await db
    .update(outbox)
    .set({ nextAttemptAt: opts.now ?? new Date() })
    .where(
      and(
        eq(outbox.state, 'pending'),
        eq(outbox.topic, opts.topic),
        gt(outbox.nextAttemptAt, opts.now ?? new Date()),
        inOffices(opts.officeIds),
      ),
    )
    .returning({ id: outbox.id });
  return { due: woken.length };
};

export const outboxDeliverPayload = z.object({ dossierId: z.uuid().optional() }).optional();

/**
 * Delivers what is due (one dossier's, or all). The handler only reads the outbox, so a retry or a second
 * copy of the job is harmless. When messages are left backing off and `jobs` is given, it enqueues itself
 * for when the earliest is due; the job id is that time, so many deliverers schedule one follow-up.
 */
export const outboxDeliverJob = (deps: {
  db: Db;
  client?: PortalClient;
  /** Another channel than the portal; its job is `outbox_deliver_<topic>` (BullMQ names take no `:` or `.`). */
  channel?: OutboxChannel;
  jobs?: () => JobRunner;
  filesBaseUrl?: string | null;
  policy?: Partial<DeliveryPolicy>;
}) => {
  const name = deps.channel
    ? `outbox_deliver_${deps.channel.topic.replace(/[^a-z0-9]/gi, '_')}`
    : 'outbox_deliver';
  return defineJob({
    name,
    payload: outboxDeliverPayload,
    concurrency: 2,
    // Delivery failures are recorded per message in the outbox, not as job failures; these cover the database.
    attempts: 5,
    backoffMs: 5_000,
    handler: async (payload) => {
      const report = await deliverOutbox(deps.db, {
        ...(deps.client ? { client: deps.client } : {}),
        ...(deps.channel ? { channel: deps.channel } : {}),
        dossierId: payload?.dossierId,
        filesBaseUrl: deps.filesBaseUrl,
        policy: deps.policy,
      });
      if (!report.nextAttemptAt || !deps.jobs) return;
      const at = report.nextAttemptAt.getTime();
      await deps.jobs().enqueue(name, {}, { jobId: `${name}-${at}`, delayMs: Math.max(0, at - Date.now()) });
    },
  });
};
