import { DEFAULT_OFFICE_HOURS, dueAt, formatDossierCode, workingHoursBetween } from '@postdesk/shared';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import {
  documents,
  feedback,
  memberships,
  offices,
  procedures,
  procedureVersions,
  users,
} from '../db/schema';
import { createDossier, type EventActor, recordEvent } from '../dossiers/engine';
import { loadHolidayTables } from '../intake/holidays';

/** Local Vietnam time `YYYY-MM-DD HH:MM` as an instant. */
export const vn = (local: string) => new Date(`${local.replace(' ', 'T')}:00+07:00`);

type Step =
  | { at: string; event: 'complete_digitization' | 'forward' | 'accept' | 'complete_supplement' | 'withdraw' }
  | { at: string; event: 'request_supplement' | 'stop' }
  | { at: string; event: 'decide'; resultFile?: boolean }
  | { at: string; event: 'apologize_and_extend'; newDue: string }
  | { at: string; event: 'release_result' | 'hand_back' };

export type HandMadeCase = {
  name: string;
  received: string;
  channel?: 1 | 2 | 3;
  steps: Step[];
  /** Documents attached: `scan` = a signed digitized copy, `reuse` = taken from the citizen's store. */
  docs?: ('scan' | 'reuse')[];
  complaint?: boolean;
  refusedAtDesk?: boolean;
};

/**
 * The hand-made set of February 2026 (Tết 16–20/02) at Bưu điện thành phố Huế, procedure 1.004873 (3 working
 * days), with the answers worked out by hand in tests/integration/indicators.test.ts.
 */
export const FEBRUARY_2026: HandMadeCase[] = [
  {
    name: 'A on time',
    received: '2026-02-02 08:00',
    docs: ['scan'],
    complaint: true,
    steps: [
      { at: '2026-02-02 09:00', event: 'complete_digitization' },
      { at: '2026-02-02 10:00', event: 'forward' },
      { at: '2026-02-02 14:00', event: 'accept' },
      { at: '2026-02-04 10:00', event: 'decide', resultFile: true },
    ],
  },
  {
    name: 'B on time by the supplement pause',
    received: '2026-02-02 08:00',
    channel: 2,
    docs: ['scan'],
    steps: [
      { at: '2026-02-02 09:00', event: 'complete_digitization' },
      { at: '2026-02-02 10:00', event: 'forward' },
      { at: '2026-02-03 09:00', event: 'request_supplement' },
      { at: '2026-02-04 09:00', event: 'complete_supplement' },
      { at: '2026-02-04 10:00', event: 'accept' },
      { at: '2026-02-05 15:00', event: 'decide', resultFile: true },
    ],
  },
  {
    name: 'C late: second supplement',
    received: '2026-02-02 08:00',
    docs: ['reuse'],
    steps: [
      { at: '2026-02-02 09:00', event: 'complete_digitization' },
      { at: '2026-02-02 10:00', event: 'forward' },
      { at: '2026-02-02 11:00', event: 'request_supplement' },
      { at: '2026-02-02 14:00', event: 'complete_supplement' },
      { at: '2026-02-02 15:00', event: 'request_supplement' },
      { at: '2026-02-03 08:00', event: 'complete_supplement' },
      { at: '2026-02-03 09:00', event: 'accept' },
      { at: '2026-02-04 16:00', event: 'decide' },
    ],
  },
  {
    name: 'D late: pause across Tết gives back working hours, not the holiday',
    received: '2026-02-12 08:00',
    steps: [
      { at: '2026-02-12 09:00', event: 'complete_digitization' },
      { at: '2026-02-12 10:00', event: 'forward' },
      { at: '2026-02-13 09:00', event: 'request_supplement' },
      { at: '2026-02-23 09:00', event: 'complete_supplement' },
      { at: '2026-02-23 10:00', event: 'accept' },
      { at: '2026-02-25 10:00', event: 'decide' },
    ],
  },
  {
    name: 'E on time: re-appointed with Mẫu 04',
    received: '2026-02-02 08:00',
    channel: 3,
    docs: ['scan'],
    steps: [
      { at: '2026-02-02 09:00', event: 'complete_digitization' },
      { at: '2026-02-02 10:00', event: 'forward' },
      { at: '2026-02-02 14:00', event: 'accept' },
      { at: '2026-02-03 10:00', event: 'apologize_and_extend', newDue: '2026-02-10 17:00' },
      { at: '2026-02-09 10:00', event: 'decide', resultFile: true },
    ],
  },
  {
    name: 'F withdrawn before the due time',
    received: '2026-02-02 08:00',
    steps: [{ at: '2026-02-03 10:00', event: 'withdraw' }],
  },
  {
    name: 'G stopped after the due time',
    received: '2026-02-02 08:00',
    steps: [
      { at: '2026-02-02 09:00', event: 'complete_digitization' },
      { at: '2026-02-02 10:00', event: 'forward' },
      { at: '2026-02-02 14:00', event: 'accept' },
      { at: '2026-02-06 10:00', event: 'stop' },
    ],
  },
  {
    name: 'H unfinished and overdue at the month end',
    received: '2026-02-09 08:00',
    steps: [
      { at: '2026-02-09 09:00', event: 'complete_digitization' },
      { at: '2026-02-09 10:00', event: 'forward' },
      { at: '2026-02-09 14:00', event: 'accept' },
    ],
  },
  {
    name: 'I unfinished, still in time at the month end',
    received: '2026-02-27 08:00',
    steps: [
      { at: '2026-02-27 09:00', event: 'complete_digitization' },
      { at: '2026-02-27 10:00', event: 'forward' },
    ],
  },
  { name: 'J refused at the desk', received: '2026-02-03 08:00', refusedAtDesk: true, steps: [] },
  {
    name: 'K finished in January',
    received: '2026-01-05 08:00',
    steps: [
      { at: '2026-01-05 09:00', event: 'complete_digitization' },
      { at: '2026-01-05 10:00', event: 'forward' },
      { at: '2026-01-05 14:00', event: 'accept' },
      { at: '2026-01-06 10:00', event: 'decide' },
    ],
  },
];

/** Builds the cases through the dossier engine (events with explicit times), as the desk and agency would. */
export const buildHandMade = async (
  db: Db,
  cases: HandMadeCase[] = FEBRUARY_2026,
  opts: { officeCode?: string; procedureCode?: string; clerk?: string } = {},
) => {
  const [office] = await db
    .select({ id: offices.id, code: offices.code })
    .from(offices)
    .where(eq(offices.code, opts.officeCode ?? 'H57.90.01'));
  const [procedure] = await db
    .select({ id: procedures.id, agencyId: procedures.agencyId, versionId: procedureVersions.id })
    .from(procedures)
    .innerJoin(procedureVersions, eq(procedureVersions.procedureId, procedures.id))
    .where(eq(procedures.code, opts.procedureCode ?? '1.004873'));
  const [clerkUser] = await db
    .select({ id: users.id })
    .from(users)
    .where(eq(users.username, opts.clerk ?? 'gdv.hang'));
  const [official] = await db
    .select({ id: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.officeId, procedure!.agencyId), eq(memberships.role, 'agency_official')));
  const calendar = { holidays: await loadHolidayTables(db), hours: DEFAULT_OFFICE_HOURS };
  const clerk: EventActor = {
    kind: 'clerk',
    userId: clerkUser?.id ?? null,
    role: 'clerk',
    officeId: office!.id,
  };
  const agency: EventActor = {
    kind: 'agency_official',
    userId: official?.id ?? null,
    role: 'agency_official',
    officeId: procedure!.agencyId,
  };
  const made: Record<string, { id: string; code: string | null }> = {};
  let seq = 9000;
  for (const c of cases) {
    const received = vn(c.received);
    const draft = await createDossier(db, {
      event: 'start_intake',
      actor: clerk,
      now: received,
      values: {
        procedureId: procedure!.id,
        procedureVersionId: procedure!.versionId,
        receivingOfficeId: office!.id,
        agencyId: procedure!.agencyId,
        channel: c.channel ?? 1,
        createdAt: received,
      },
    });
    if (c.refusedAtDesk) {
      await recordEvent(db, {
        dossierId: draft.id,
        event: 'refuse_at_desk',
        actor: clerk,
        now: received,
        payload: { reasons: ['hand-made'] },
      });
      made[c.name] = { id: draft.id, code: null };
      continue;
    }
    const due = dueAt(received, 24, calendar);
    const code = formatDossierCode({ agencyId: office!.code, date: received, seq: seq++ });
    await recordEvent(db, {
      dossierId: draft.id,
      event: 'receive',
      actor: clerk,
      now: received,
      payload: { code, dueAt: due.toISOString() },
      patch: { code, receivedAt: received, dueAt: due },
    });
    let supplements = 0;
    for (const step of c.steps) {
      const at = vn(step.at);
      const actor = ['accept', 'request_supplement', 'decide', 'stop', 'apologize_and_extend'].includes(
        step.event,
      )
        ? agency
        : clerk;
      if (step.event === 'request_supplement') supplements++;
      await recordEvent(db, {
        dossierId: draft.id,
        event: step.event,
        actor,
        now: at,
        payload:
          step.event === 'apologize_and_extend'
            ? { newDueAt: vn(step.newDue).toISOString(), reason: 'hand-made' }
            : step.event === 'decide'
              ? { outcome: 'approved' }
              : {},
        ...(step.event === 'apologize_and_extend'
          ? {
              guard: {
                apologyCount: 0,
                dueAt: due,
                workingHoursBetween: (a: Date, b: Date) => workingHoursBetween(a, b, calendar),
              },
              patch: { dueAt: vn(step.newDue), apologyCount: 1 },
            }
          : step.event === 'decide' && step.resultFile
            ? { patch: { resultFileSha256: 'f'.repeat(64) } }
            : step.event === 'request_supplement'
              ? { patch: { supplementCount: supplements, clockPausedAt: at } }
              : step.event === 'complete_supplement'
                ? // The legal appointment restarts from the complete dossier (as agency/actions.ts does).
                  { patch: { clockPausedAt: null, dueAt: dueAt(at, 24, calendar) } }
                : {}),
      });
    }
    if (c.docs?.length) {
      await db.insert(documents).values(
        c.docs.map((kind, i) => ({
          dossierId: draft.id,
          componentCode: `TP0${i + 1}`,
          source: kind,
          title: 'hand-made',
          createdAt: received,
          ...(kind === 'scan' ? { signedFileSha256: 'e'.repeat(64) } : { reusedFromId: draft.id }),
        })),
      );
    }
    if (c.complaint) {
      await db.insert(feedback).values({ dossierId: draft.id, kind: 'complaint', reasons: ['slow'] });
    }
    made[c.name] = { id: draft.id, code };
  }
  return { officeId: office!.id, agencyId: procedure!.agencyId, made };
};
