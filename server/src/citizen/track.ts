import {
  appError,
  EVENT_WORDS,
  isTerminal,
  normalizePhone,
  parseDossierCode,
  STATE_WORDS,
} from '@postdesk/shared';
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { applicants, dossierEvents, dossiers, offices, procedures } from '../db/schema';

/**
 * What the holder of a receipt may know: the dossier's progress in plain words, its due time and what is
 * asked of them. Code and phone must both match; a wrong code and a wrong phone get the same answer, so
 * neither can be probed, and nothing about the applicant is returned.
 */
export const trackDossier = async (db: Db, opts: { code: string; phone: string; now?: Date }) => {
  const { code } = parseDossierCode(opts.code);
  const phone = normalizePhone(opts.phone);
  const [row] = await db
    .select({
      id: dossiers.id,
      code: dossiers.code,
      state: dossiers.state,
      receivedAt: dossiers.receivedAt,
      dueAt: dossiers.dueAt,
      returnMethod: dossiers.returnMethod,
      deliveryAddress: dossiers.deliveryAddress,
      intake: dossiers.intake,
      phone: applicants.phone,
      procedureName: procedures.name,
      officeName: offices.name,
    })
    .from(dossiers)
    .innerJoin(procedures, eq(procedures.id, dossiers.procedureId))
    .innerJoin(offices, eq(offices.id, dossiers.receivingOfficeId))
    .leftJoin(applicants, eq(applicants.id, dossiers.applicantId))
    .where(eq(dossiers.code, code));
  if (!row || row.phone !== phone) throw appError('TRACK_NOT_FOUND');

  const events = await db
    .select({ event: dossierEvents.event, at: dossierEvents.at, payload: dossierEvents.payload })
    .from(dossierEvents)
    .where(eq(dossierEvents.dossierId, row.id))
    .orderBy(asc(dossierEvents.seq));
  const timeline = events.flatMap((e) => {
    const words = EVENT_WORDS[e.event as keyof typeof EVENT_WORDS];
    return words ? [{ at: e.at, vi: words.vi, en: words.en }] : [];
  });
  const now = opts.now ?? new Date();
  const progress = isTerminal(row.state)
    ? ('finished' as const)
    : row.dueAt && now > row.dueAt
      ? ('late' as const)
      : ('on_time' as const);
  const lastOf = (event: string) => [...events].reverse().find((e) => e.event === event)?.payload ?? {};
  const asks =
    row.state === 'supplement_requested'
      ? { kind: 'supplement' as const, items: row.intake?.missing ?? [] }
      : row.state === 'agency_supplement_requested'
        ? {
            kind: 'supplement' as const,
            items: (lastOf('request_supplement').missing as { item: string }[] | undefined) ?? [],
          }
        : row.state === 'awaiting_payment'
          ? {
              kind: 'payment' as const,
              amount: Number(lastOf('request_payment').amount ?? 0),
              reason: String(lastOf('request_payment').reason ?? ''),
            }
          : null;
  return {
    code: row.code!,
    procedureName: row.procedureName,
    officeName: row.officeName,
    state: row.state,
    stateWords: STATE_WORDS[row.state],
    receivedAt: row.receivedAt,
    dueAt: row.dueAt,
    progress,
    asks,
    delivery: row.returnMethod === 1 ? { window: row.deliveryAddress?.window ?? 'any' } : null,
    timeline,
  };
};
