import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dossierEvents,
  dossiers,
  memberships,
  offices,
  outbox,
  procedures,
  procedureVersions,
  users,
} from '../../server/src/db/schema';
import { createDossier, nextDossierSeq, recordEvent, verifyChain } from '../../server/src/dossiers/engine';
import { createTestServer } from '../helpers/app';
import { createTestDatabase } from '../helpers/db';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: ReturnType<typeof createTestServer>;
let clerk: { userId: string; officeId: string };
let procedure: { id: string; agencyId: string; versionId: string };

beforeAll(async () => {
  database = await createTestDatabase();
  server = createTestServer(database.db);
  const [m] = await database.db
    .select({ userId: memberships.userId, officeId: memberships.officeId })
    .from(memberships)
    .where(eq(memberships.role, 'clerk'))
    .limit(1);
  clerk = m!;
  const [p] = await database.db
    .select({ id: procedures.id, agencyId: procedures.agencyId, versionId: procedureVersions.id })
    .from(procedures)
    .innerJoin(procedureVersions, eq(procedureVersions.procedureId, procedures.id))
    .limit(1);
  procedure = p!;
});
afterAll(() => database.close());

const clerkActor = () => ({
  kind: 'clerk' as const,
  userId: clerk.userId,
  role: 'clerk' as const,
  officeId: clerk.officeId,
});

const newDraft = () =>
  createDossier(database.db, {
    event: 'start_intake',
    actor: clerkActor(),
    payload: { note: 'walk-in' },
    values: {
      procedureId: procedure.id,
      procedureVersionId: procedure.versionId,
      receivingOfficeId: clerk.officeId,
      agencyId: procedure.agencyId,
      channel: 1,
    },
  });

const eventCount = async (dossierId: string) =>
  (await database.db.select().from(dossierEvents).where(eq(dossierEvents.dossierId, dossierId))).length;

describe('the dossier engine', () => {
  it('creates a draft with its first event and moves it on with a hash-chained second one', async () => {
    const draft = await newDraft();
    expect(draft.state).toBe('draft');
    const received = await recordEvent(database.db, {
      dossierId: draft.id,
      event: 'receive',
      actor: clerkActor(),
      payload: { components: ['TP01'] },
      patch: { code: `TEST-${draft.id.slice(0, 8)}`, receivedAt: new Date() },
    });
    expect(received.state).toBe('received');
    expect(received.lastSeq).toBe(2);
    const events = await database.db
      .select()
      .from(dossierEvents)
      .where(eq(dossierEvents.dossierId, draft.id))
      .orderBy(dossierEvents.seq);
    expect(events.map((e) => [e.event, e.fromState, e.toState])).toEqual([
      ['start_intake', null, 'draft'],
      ['receive', 'draft', 'received'],
    ]);
    expect(events[1]!.prevHash).toBe(events[0]!.hash);
    expect(events.every((e) => e.actorUserId === clerk.userId && e.officeId === clerk.officeId)).toBe(true);
    expect(await verifyChain(database.db, draft.id)).toEqual({ ok: true, events: 2 });
  });

  it('writes the portal message in the same transaction as a visible state change', async () => {
    const draft = await newDraft();
    const drafts = await database.db.select().from(outbox).where(eq(outbox.dossierId, draft.id));
    expect(drafts).toHaveLength(0); // a desk draft is not synced
    await recordEvent(database.db, { dossierId: draft.id, event: 'receive', actor: clerkActor() });
    const messages = await database.db.select().from(outbox).where(eq(outbox.dossierId, draft.id));
    expect(messages).toHaveLength(1);
    expect(messages[0]!.payload).toMatchObject({ status: 2, event: 'receive' });
  });

  it('refuses an event outside its from-states and changes nothing', async () => {
    const draft = await newDraft();
    await expect(
      recordEvent(database.db, { dossierId: draft.id, event: 'forward', actor: clerkActor() }),
    ).rejects.toMatchObject({
      code: 'TRANSITION_NOT_ALLOWED',
    });
    const [row] = await database.db.select().from(dossiers).where(eq(dossiers.id, draft.id));
    expect(row!.state).toBe('draft');
    expect(await eventCount(draft.id)).toBe(1);
  });

  it('refuses a clerk deciding a dossier: postal staff never take the decision step', async () => {
    const draft = await newDraft();
    for (const event of ['receive', 'complete_digitization', 'forward'] as const) {
      await recordEvent(database.db, { dossierId: draft.id, event, actor: clerkActor() });
    }
    await expect(
      recordEvent(database.db, { dossierId: draft.id, event: 'accept', actor: clerkActor() }),
    ).rejects.toMatchObject({
      code: 'ROLE_NOT_ALLOWED',
    });
    expect(await eventCount(draft.id)).toBe(4);
  });

  it('of two clerks acting on the same dossier at once, exactly one succeeds', async () => {
    const draft = await newDraft();
    const results = await Promise.allSettled([
      recordEvent(database.db, { dossierId: draft.id, event: 'receive', actor: clerkActor() }),
      recordEvent(database.db, {
        dossierId: draft.id,
        event: 'refuse_at_desk',
        actor: clerkActor(),
        payload: { reason: 'thiếu' },
      }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await eventCount(draft.id)).toBe(2);
    expect(await verifyChain(database.db, draft.id)).toMatchObject({ ok: true });
  });

  it('detects an event rewritten behind the application’s back', async () => {
    const draft = await newDraft();
    await recordEvent(database.db, { dossierId: draft.id, event: 'receive', actor: clerkActor() });
    // Only a superuser can do this: switch the append-only trigger off for one statement.
    await database.db.transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`);
      await tx.execute(
        sql`update dossier_events set payload = '{"forged":true}' where dossier_id = ${draft.id} and seq = 1`,
      );
    });
    expect(await verifyChain(database.db, draft.id)).toEqual({ ok: false, brokenAtSeq: 1, events: 2 });
  });

  it('hands out each number of an agency’s daily sequence once, under concurrency', async () => {
    const day = '2026-11-23';
    const seqs = await Promise.all(
      Array.from({ length: 20 }, () =>
        database.db.transaction((tx) => nextDossierSeq(tx as never, { agencyId: procedure.agencyId, day })),
      ),
    );
    expect([...seqs].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });
});

describe('staff see dossiers of their own office only', () => {
  it('a clerk of another post office gets DOSSIER_NOT_FOUND; the receiving clerk sees it', async () => {
    const draft = await newDraft();
    const [own] = await database.db
      .select({ username: users.username })
      .from(users)
      .where(eq(users.id, clerk.userId));
    const [other] = await database.db
      .select({ username: users.username })
      .from(users)
      .innerJoin(memberships, eq(memberships.userId, users.id))
      .innerJoin(offices, eq(offices.id, memberships.officeId))
      .where(and(eq(memberships.role, 'clerk'), sql`${memberships.officeId} <> ${clerk.officeId}`))
      .limit(1);
    const mine = await server.callerAs(own!.username);
    expect((await mine.dossiers.get({ idOrCode: draft.id })).state).toBe('draft');
    const timeline = await mine.dossiers.timeline({ idOrCode: draft.id });
    expect(timeline.chainIntact).toBe(true);
    expect(timeline.events).toHaveLength(1);
    const theirs = await server.callerAs(other!.username);
    await expect(theirs.dossiers.get({ idOrCode: draft.id })).rejects.toMatchObject({
      cause: { code: 'DOSSIER_NOT_FOUND' },
    });
  });
});
