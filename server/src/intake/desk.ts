import { appError, vietnamDate } from '@postdesk/shared';
import { and, asc, eq, gte, lt, sql } from 'drizzle-orm';
import { getProcedure } from '../catalog/queries';
import type { Db } from '../db/client';
import { adviceLog, applicants, dossiers, procedures } from '../db/schema';
import { formLinks } from './submit';

/** Vietnam's calendar day `day` as the instants it spans. */
export const vietnamDayRange = (from: string, to: string = from) => {
  const start = new Date(`${from}T00:00:00+07:00`);
  const end = new Date(new Date(`${to}T00:00:00+07:00`).getTime() + 86_400_000);
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime()) || end <= start)
    throw appError('VALIDATION_FAILED');
  return { start, end };
};

/** The desk's day: dossiers started at this office today, newest first, with their forms to reprint. */
export const findTodayAtOffice = async (db: Db, opts: { officeId: string; now?: Date }) => {
  const { start, end } = vietnamDayRange(vietnamDate(opts.now ?? new Date()));
  const list = await db
    .select({
      id: dossiers.id,
      code: dossiers.code,
      state: dossiers.state,
      procedureName: procedures.name,
      applicantName: applicants.fullName,
      receivedAt: dossiers.receivedAt,
      dueAt: dossiers.dueAt,
      returnMethod: dossiers.returnMethod,
      createdAt: dossiers.createdAt,
    })
    .from(dossiers)
    .innerJoin(procedures, eq(procedures.id, dossiers.procedureId))
    .leftJoin(applicants, eq(applicants.id, dossiers.applicantId))
    .where(
      and(
        eq(dossiers.receivingOfficeId, opts.officeId),
        gte(dossiers.createdAt, start),
        lt(dossiers.createdAt, end),
      ),
    )
    .orderBy(sql`${dossiers.createdAt} desc`, asc(dossiers.id));
  return list.map(({ createdAt: _c, ...d }) => ({
    ...d,
    applicantName: d.applicantName ?? '',
    returnMethod: d.returnMethod === 1 ? ('post' as const) : ('desk' as const),
    forms: formLinks(d.id, d.state),
  }));
};

/** One piece of advice given at the desk without a dossier, for the statistics. */
export const recordAdvice = async (
  db: Db,
  opts: { procedureCode: string; officeId: string; userId: string },
) => {
  const procedure = await getProcedure(db, { code: opts.procedureCode });
  await db
    .insert(adviceLog)
    .values({ procedureId: procedure.id, officeId: opts.officeId, userId: opts.userId });
  return { ok: true as const };
};
