import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHandMade, vn } from '../../server/src/board/hand-made';
import { deadlineBoard } from '../../server/src/board/service';
import {
  dossiers,
  memberships,
  offices,
  procedures,
  procedureVersions,
  users,
} from '../../server/src/db/schema';
import { submitIntake } from '../../server/src/intake/submit';
import { intakeFor } from '../helpers/intake';
import { getProcedure } from '../../server/src/catalog/queries';
import { loadPortalSource, toDossierRecord } from '../../server/src/integrations/portal/messages';
import { createTestDatabase } from '../helpers/db';

let database: Awaited<ReturnType<typeof createTestDatabase>>;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

describe('one meaning of the due time after a supplement', () => {
  it('the board judges "overdue" by the legal appointment restarted after the supplement, and shows 766’s due time beside it', async () => {
    // 3 working days, received Mon 02/02 08:00 (due Thu 05/02 08:00). The agency asks for a supplement on
    // Tue 03/02 08:00; the complete dossier is back Tue 10/02 08:00: the appointment restarts, Fri 13/02 08:00.
    // Decision 766 instead gives back the 40 working hours of the pause: Thu 12/02 08:00.
    const { made, officeId } = await buildHandMade(database.db, [
      {
        name: 'restarted',
        received: '2026-02-02 08:00',
        steps: [
          { at: '2026-02-02 09:00', event: 'complete_digitization' },
          { at: '2026-02-02 10:00', event: 'forward' },
          { at: '2026-02-02 14:00', event: 'accept' },
          { at: '2026-02-03 08:00', event: 'request_supplement' },
          { at: '2026-02-10 08:00', event: 'complete_supplement' },
        ],
      },
    ]);
    const id = made.restarted!.id;
    const [row] = await database.db.select().from(dossiers).where(eq(dossiers.id, id));
    expect(row!.dueAt).toEqual(vn('2026-02-13 08:00'));

    // Thursday noon: past 766's due time, not past the citizen's appointment.
    const board = await deadlineBoard(database.db, { officeIds: [officeId], now: vn('2026-02-12 12:00') });
    const mine = board.rows.find((r) => r.id === id)!;
    expect(mine.effectiveDueAt).toBe(vn('2026-02-13 08:00').toISOString());
    expect(mine.measureDueAt).toBe(vn('2026-02-12 08:00').toISOString());
    expect(mine.risk).toBe('at_risk');
    expect(mine.risk).not.toBe('overdue');

    // Friday 09:00: now past the appointment, so overdue.
    const later = await deadlineBoard(database.db, { officeIds: [officeId], now: vn('2026-02-13 09:00') });
    expect(later.rows.find((r) => r.id === id)!.risk).toBe('overdue');

    // The portal's NgayHenTra is the same appointment.
    const source = await loadPortalSource(database.db, {
      message: {
        dossierId: id,
        code: row!.code,
        seq: row!.lastSeq,
        event: 'complete_supplement',
        status: 4,
        at: '',
      },
      isUpdating: true,
    });
    expect(toDossierRecord(source!).NgayHenTra).toBe('20260213080000');
    const [office] = await database.db.select().from(offices).where(eq(offices.id, officeId));
    expect(office!.code).toBe('H57.90.01');
  });
});

describe('processing-time units are procedure data', () => {
  it('a version counted in working hours (3.5 h) and one counted as "same day" give those due times at intake', async () => {
    const [m] = await database.db
      .select({ userId: memberships.userId, officeId: memberships.officeId, fullName: users.fullName })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(users.username, 'gdv.hang'), eq(memberships.role, 'clerk')));
    const actor = {
      userId: m!.userId,
      fullName: m!.fullName,
      membership: { officeId: m!.officeId, officeCode: '', officeName: '', role: 'clerk' as const },
    };
    const [proc] = await database.db.select().from(procedures).where(eq(procedures.code, '3.000333'));
    const setUnit = (processingUnit: 'working_hours' | 'same_day', processingAmount: number) =>
      database.db
        .update(procedureVersions)
        .set({ processingUnit, processingAmount })
        .where(eq(procedureVersions.procedureId, proc!.id));
    const detail = await getProcedure(database.db, { code: '3.000333', day: '2026-03-06' });
    const input = () =>
      intakeFor(detail, '19774', { absent: detail.components.filter((c) => !c.required).map((c) => c.code) });

    await setUnit('working_hours', 3.5);
    const hours = await submitIntake(database.db, { input: input(), actor, now: vn('2026-03-06 10:00') });
    expect(hours.dueAt).toEqual(vn('2026-03-06 15:30'));

    await setUnit('same_day', 0);
    const late = await submitIntake(database.db, { input: input(), actor, now: vn('2026-03-06 15:10') });
    expect(late.dueAt).toEqual(vn('2026-03-09 17:00'));
  });
});
