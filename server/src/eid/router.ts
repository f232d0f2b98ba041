import { isTerminal, STATE_WORDS } from '@postdesk/shared';
import { and, asc, desc, eq, inArray, isNotNull } from 'drizzle-orm';
import type { Db } from '../db/client';
import { applicants, documents, dossiers, offices, payments, procedures } from '../db/schema';
import { citizenProcedure, publicProcedure, router } from '../trpc/init';
import { citizenCookie, closeCitizenSession } from './sessions';

/** The number as the page shows it: first three and last three digits. */
const masked = (id: string) => `${id.slice(0, 3)}${'•'.repeat(6)}${id.slice(-3)}`;

/**
 * Every dossier whose applicant carries the person's id number, at every office, newest first: what the
 * track page shows of each, without the timeline (the dossier opens with `citizen.track` by its code).
 */
export const dossiersOf = async (db: Db, citizenId: string, now = new Date()) => {
  const rows = await db
    .select({
      id: dossiers.id,
      code: dossiers.code,
      state: dossiers.state,
      createdAt: dossiers.createdAt,
      receivedAt: dossiers.receivedAt,
      dueAt: dossiers.dueAt,
      procedureName: procedures.name,
      officeName: offices.name,
    })
    .from(dossiers)
    .innerJoin(applicants, eq(applicants.id, dossiers.applicantId))
    .innerJoin(procedures, eq(procedures.id, dossiers.procedureId))
    .innerJoin(offices, eq(offices.id, dossiers.receivingOfficeId))
    .where(eq(applicants.citizenId, citizenId))
    .orderBy(desc(dossiers.createdAt))
    .limit(200);
  const ids = rows.map((r) => r.id);
  const pending = ids.length
    ? await db
        .select({ dossierId: payments.dossierId })
        .from(payments)
        .where(and(inArray(payments.dossierId, ids), eq(payments.state, 'pending')))
    : [];
  return rows.map((r) => ({
    code: r.code,
    procedureName: r.procedureName,
    officeName: r.officeName,
    state: r.state,
    stateWords: STATE_WORDS[r.state],
    receivedAt: r.receivedAt ?? r.createdAt,
    dueAt: r.dueAt,
    progress: isTerminal(r.state)
      ? ('finished' as const)
      : r.dueAt && now > r.dueAt
        ? ('late' as const)
        : ('on_time' as const),
    billsToPay: pending.filter((p) => p.dossierId === r.id).length,
  }));
};

/** The person's signed electronic copies (the document store), each once, newest first. */
export const documentsOf = async (db: Db, citizenId: string) => {
  const rows = await db
    .select({
      id: documents.id,
      title: documents.title,
      componentCode: documents.componentCode,
      digitizedCode: documents.digitizedCode,
      sha256: documents.signedFileSha256,
      createdAt: documents.createdAt,
      validUntil: documents.validUntil,
      dossierCode: dossiers.code,
    })
    .from(documents)
    .leftJoin(dossiers, eq(dossiers.id, documents.dossierId))
    .where(and(eq(documents.ownerCitizenId, citizenId), isNotNull(documents.signedFileSha256)))
    .orderBy(desc(documents.createdAt), asc(documents.componentCode));
  const seen = new Set<string>();
  return rows
    .filter((r) => !seen.has(r.sha256!) && seen.add(r.sha256!))
    .map(({ sha256: _, ...r }) => ({ ...r, downloadPath: `/citizen/documents/${r.id}` }));
};

/**
 * The citizen signed in with the national e-ID: who they are (masked), all their dossiers across offices,
 * their signed e-copies, and signing out. Following, paying, delivery and rating go through the public
 * procedures (`citizen.*`, `feedback.*`) with the dossier's code alone: the session proves the holder.
 */
export const accountRouter = router({
  me: publicProcedure.query(({ ctx }) => ({
    available: Boolean(ctx.config.EID_ISSUER_URL && ctx.config.EID_CLIENT_ID && ctx.config.EID_CLIENT_SECRET),
    signedIn: Boolean(ctx.citizen),
    fullName: ctx.citizen?.fullName ?? null,
    idNumber: ctx.citizen ? masked(ctx.citizen.citizenId) : null,
    expiresAt: ctx.citizen?.expiresAt ?? null,
  })),
  dossiers: citizenProcedure.query(({ ctx }) => dossiersOf(ctx.db, ctx.citizen.citizenId)),
  documents: citizenProcedure.query(({ ctx }) => documentsOf(ctx.db, ctx.citizen.citizenId)),
  signOut: publicProcedure.mutation(async ({ ctx }) => {
    if (ctx.citizen) await closeCitizenSession(ctx.db, ctx.citizen.sessionId);
    ctx.resHeaders.append(
      'Set-Cookie',
      citizenCookie('', { maxAgeSeconds: 0, secure: ctx.config.NODE_ENV === 'production' }),
    );
    return { ok: true as const };
  }),
});
