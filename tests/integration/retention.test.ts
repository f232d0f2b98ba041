// The retention job: sent outbox messages, expired one-time codes and the development mailbox past their days
// are deleted; what is still waiting, still valid, or needed (the first message of a dossier's portal
// record, which tells an update from a new record) stays.
import { inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  devMailbox,
  offices,
  otpCodes,
  outbox,
  procedures,
  procedureVersions,
} from '../../server/src/db/schema';
import { createDossier } from '../../server/src/dossiers/engine';
import { applyRetention } from '../../server/src/jobs/maintenance';
import { createTestDatabase } from '../helpers/db';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  database = await createTestDatabase();
}, 120_000);
afterAll(() => database?.close());

const DAY = 86_400_000;

describe('retention', () => {
  it('deletes what is past its days and keeps the rest', async () => {
    const now = new Date();
    const old = new Date(now.getTime() - 100 * DAY);
    const [procedure] = await database.db
      .select({ id: procedures.id, agencyId: procedures.agencyId })
      .from(procedures)
      .limit(1);
    const [version] = await database.db.select({ id: procedureVersions.id }).from(procedureVersions).limit(1);
    const [office] = await database.db.select({ id: offices.id }).from(offices).limit(1);
    const dossier = await createDossier(database.db, {
      event: 'start_intake',
      actor: { kind: 'clerk' },
      values: {
        procedureId: procedure!.id,
        procedureVersionId: version!.id,
        receivingOfficeId: office!.id,
        agencyId: procedure!.agencyId,
        channel: 1,
      },
    });
    const dossierId = dossier.id;
    await database.db.delete(outbox).where(sql`dossier_id = ${dossierId}`);
    const tag = `ret-${now.getTime()}`;
    const rows = await database.db
      .insert(outbox)
      .values([
        // The first of the dossier's portal messages: kept however old.
        {
          topic: 'portal.progress',
          dossierId,
          idempotencyKey: `${tag}-1`,
          payload: {},
          state: 'sent',
          sentAt: old,
        },
        {
          topic: 'portal.progress',
          dossierId,
          idempotencyKey: `${tag}-2`,
          payload: {},
          state: 'sent',
          sentAt: old,
        },
        // Recent, pending and dead messages stay.
        {
          topic: 'portal.progress',
          dossierId,
          idempotencyKey: `${tag}-3`,
          payload: {},
          state: 'sent',
          sentAt: now,
        },
        { topic: 'portal.progress', dossierId, idempotencyKey: `${tag}-4`, payload: {}, state: 'dead' },
        {
          topic: 'notify.sms',
          dossierId: null,
          idempotencyKey: `${tag}-5`,
          payload: {},
          state: 'sent',
          sentAt: old,
        },
        { topic: 'notify.sms', dossierId: null, idempotencyKey: `${tag}-6`, payload: {}, state: 'pending' },
      ])
      .returning({ id: outbox.id, key: outbox.idempotencyKey });
    await database.db.insert(otpCodes).values([
      {
        purpose: tag,
        phone: '0905000001',
        codeHash: 'a'.repeat(64),
        expiresAt: new Date(now.getTime() - 3 * DAY),
      },
      {
        purpose: tag,
        phone: '0905000002',
        codeHash: 'b'.repeat(64),
        expiresAt: new Date(now.getTime() + 60_000),
      },
    ]);
    await database.db.insert(devMailbox).values([
      { channel: 'sms', recipient: tag, body: 'old', createdAt: new Date(now.getTime() - 8 * DAY) },
      { channel: 'sms', recipient: tag, body: 'new', createdAt: now },
    ]);

    const report = await applyRetention(database.db, { outboxDays: 90, mailboxDays: 7, otpDays: 2 }, now);
    // (Other rows of the seeded database may go too: only this test's rows are checked one by one.)
    expect(report.outbox).toBeGreaterThanOrEqual(2);
    expect(report).toMatchObject({ otpCodes: 1, mailbox: 1 });
    const left = await database.db
      .select({ key: outbox.idempotencyKey })
      .from(outbox)
      .where(
        inArray(
          outbox.id,
          rows.map((r) => r.id),
        ),
      );
    expect(left.map((r) => r.key).sort()).toEqual([`${tag}-1`, `${tag}-3`, `${tag}-4`, `${tag}-6`]);
    const codes = await database.db
      .select({ phone: otpCodes.phone })
      .from(otpCodes)
      .where(sql`purpose = ${tag}`);
    expect(codes.map((c) => c.phone)).toEqual(['0905000002']);
    const mail = await database.db
      .select({ body: devMailbox.body })
      .from(devMailbox)
      .where(sql`recipient = ${tag}`);
    expect(mail.map((m) => m.body)).toEqual(['new']);
  });
});
