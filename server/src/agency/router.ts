import { z } from 'zod';
import { AGENCY_WEBHOOK_JOB } from '../agency-api/webhooks';
import { type Context, router, staffProcedure } from '../trpc/init';
import {
  acceptDossier,
  agencyTrustRoots,
  apologizeAndExtend,
  completeSupplement,
  decideDossier,
  forwardDossier,
  handBack,
  releaseResult,
  requestAgencySupplement,
  stopProcessing,
} from './actions';
import { AGENCY_INBOX_STATES, getAgencyDossier, getDeskDossier, listAgencyInbox } from './queries';

/**
 * Starts the webhook delivery now rather than at the next sweep. The message is already in the outbox
 * (committed with the forward), so a failure here loses nothing and must not fail the clerk's action.
 */
const wakeWebhooks = async (ctx: { jobs: Context['jobs']; log: Context['log'] }, dossierId: string) => {
  try {
    await ctx.jobs.enqueue(AGENCY_WEBHOOK_JOB, { dossierId });
  } catch (err) {
    ctx.log.warn({ err: (err as Error).message }, 'could not start webhook delivery; the sweep will');
  }
};

const official = staffProcedure('agency_official');
const clerk = staffProcedure('clerk');
const dossierRef = z.object({ dossierId: z.uuid() });
const text = (max: number) => z.string().trim().min(1).max(max);

/** The actor of an event caused through this router: the signed-in user in the role and office they act in. */
const actorOf = (
  ctx: { user: { id: string }; membership: { officeId: string } },
  role: 'agency_official' | 'clerk',
) => ({ kind: role, userId: ctx.user.id, role, officeId: ctx.membership.officeId });

/** The agency official's inbox and decisions, and the desk's forwarding and hand-back. */
export const agencyRouter = router({
  // --- the agency official, scoped to their agency (membership.officeId) ---
  inbox: official
    .input(
      z.object({
        states: z.array(z.enum(AGENCY_INBOX_STATES)).max(AGENCY_INBOX_STATES.length).optional(),
        q: z.string().trim().max(80).optional(),
        due: z.enum(['all', 'overdue', 'due_soon']).optional(),
      }),
    )
    .query(({ ctx, input }) =>
      listAgencyInbox(ctx.db, {
        agencyId: ctx.membership.officeId,
        ...(input.states ? { states: input.states } : {}),
        ...(input.q ? { q: input.q } : {}),
        ...(input.due ? { due: input.due } : {}),
      }),
    ),
  dossier: official
    .input(dossierRef)
    .query(({ ctx, input }) =>
      getAgencyDossier(ctx.db, { dossierId: input.dossierId, agencyId: ctx.membership.officeId }),
    ),
  accept: official.input(dossierRef).mutation(({ ctx, input }) =>
    acceptDossier(ctx.db, {
      dossierId: input.dossierId,
      agencyId: ctx.membership.officeId,
      actor: actorOf(ctx, 'agency_official'),
    }),
  ),
  requestSupplement: official
    .input(
      dossierRef.extend({
        items: z
          .array(z.object({ item: text(300), note: z.string().trim().max(500).optional() }))
          .min(1)
          .max(30),
      }),
    )
    .mutation(({ ctx, input }) =>
      requestAgencySupplement(ctx.db, {
        dossierId: input.dossierId,
        agencyId: ctx.membership.officeId,
        actor: actorOf(ctx, 'agency_official'),
        items: input.items,
        officialName: ctx.user.fullName,
      }),
    ),
  /** Refusal after appraisal, with written reasons; an approval with its result PDF goes through `/agency-desk`. */
  refuse: official
    .input(dossierRef.extend({ reasons: z.array(text(1000)).min(1).max(20) }))
    .mutation(async ({ ctx, input }) =>
      decideDossier(ctx.db, {
        dossierId: input.dossierId,
        agencyId: ctx.membership.officeId,
        actor: actorOf(ctx, 'agency_official'),
        outcome: 'refused',
        reasons: input.reasons,
        files: ctx.files,
      }),
    ),
  release: official
    .input(dossierRef.extend({ paperResult: z.boolean().optional() }))
    .mutation(async ({ ctx, input }) =>
      releaseResult(ctx.db, {
        dossierId: input.dossierId,
        agencyId: ctx.membership.officeId,
        actor: actorOf(ctx, 'agency_official'),
        files: ctx.files,
        signer: ctx.signer,
        trustRoots: await agencyTrustRoots({
          signingTrustRoots: ctx.config.SIGNING_TRUST_ROOTS,
          signer: ctx.signer,
        }),
        ...(input.paperResult === undefined ? {} : { paperResult: input.paperResult }),
      }),
    ),
  stop: official.input(dossierRef.extend({ reason: text(1000) })).mutation(({ ctx, input }) =>
    stopProcessing(ctx.db, {
      dossierId: input.dossierId,
      agencyId: ctx.membership.officeId,
      actor: actorOf(ctx, 'agency_official'),
      reason: input.reason,
    }),
  ),
  apologize: official
    .input(dossierRef.extend({ reason: text(1000), newDueAt: z.coerce.date() }))
    .mutation(({ ctx, input }) =>
      apologizeAndExtend(ctx.db, {
        dossierId: input.dossierId,
        agencyId: ctx.membership.officeId,
        actor: actorOf(ctx, 'agency_official'),
        reason: input.reason,
        newDueAt: input.newDueAt,
        officialName: ctx.user.fullName,
      }),
    ),

  // --- the desk, scoped to the receiving office ---
  deskDossier: clerk
    .input(dossierRef)
    .query(({ ctx, input }) =>
      getDeskDossier(ctx.db, { dossierId: input.dossierId, officeId: ctx.membership.officeId }),
    ),
  forward: clerk.input(dossierRef).mutation(async ({ ctx, input }) => {
    const result = await forwardDossier(ctx.db, {
      dossierId: input.dossierId,
      officeId: ctx.membership.officeId,
      actor: actorOf(ctx, 'clerk'),
    });
    await wakeWebhooks(ctx, input.dossierId);
    return result;
  }),
  completeSupplement: clerk.input(dossierRef).mutation(async ({ ctx, input }) => {
    const result = await completeSupplement(ctx.db, {
      dossierId: input.dossierId,
      officeId: ctx.membership.officeId,
      actor: actorOf(ctx, 'clerk'),
    });
    await wakeWebhooks(ctx, input.dossierId);
    return result;
  }),
  handBack: clerk
    .input(
      dossierRef.extend({
        recipient: z.discriminatedUnion('kind', [
          z.object({ kind: z.literal('applicant'), citizenId: z.string().trim().max(20) }),
          z.object({
            kind: z.literal('proxy'),
            citizenId: z.string().trim().max(20),
            fullName: text(120),
            authorisation: text(120),
          }),
        ]),
      }),
    )
    .mutation(({ ctx, input }) =>
      handBack(ctx.db, {
        dossierId: input.dossierId,
        officeId: ctx.membership.officeId,
        actor: actorOf(ctx, 'clerk'),
        recipient: input.recipient,
      }),
    ),
});
