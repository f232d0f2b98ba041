import { z } from 'zod';
import { router, staffProcedure } from '../trpc/init';
import { completeDigitization, finishComponent } from './finish';
import { changePage, deletePage, findDigitization, reorderPages, retryPage } from './pages';

const clerk = staffProcedure('clerk');

export const digitizeRouter = router({
  dossier: clerk
    // `search`: pages of this dossier whose OCR text holds the words (case and marks ignored).
    .input(z.object({ dossierId: z.uuid(), search: z.string().max(100).optional() }))
    .query(({ ctx, input }) => findDigitization(ctx.db, { ...input, officeId: ctx.membership.officeId })),
  changePage: clerk
    .input(
      z.object({
        pageId: z.uuid(),
        rotation: z.union([z.literal(0), z.literal(90), z.literal(180), z.literal(270)]).optional(),
        mode: z.enum(['auto', 'bilevel', 'grey', 'colour']).optional(),
        /** OCR of this page on (the text is stored for search, and laid invisibly in the PDF) or off. */
        ocr: z.boolean().optional(),
      }),
    )
    .mutation(({ ctx, input: { pageId, ...change } }) =>
      changePage(ctx.db, { pageId, change, officeId: ctx.membership.officeId, jobs: ctx.jobs }),
    ),
  /** A failed page processed again from its original scan (the button on a failed page). */
  retryPage: clerk
    .input(z.object({ pageId: z.uuid() }))
    .mutation(({ ctx, input }) =>
      retryPage(ctx.db, { ...input, officeId: ctx.membership.officeId, jobs: ctx.jobs }),
    ),
  deletePage: clerk
    .input(z.object({ pageId: z.uuid() }))
    .mutation(({ ctx, input }) => deletePage(ctx.db, { ...input, officeId: ctx.membership.officeId })),
  reorderPages: clerk
    .input(z.object({ documentId: z.uuid(), pageIds: z.array(z.uuid()).min(1).max(500) }))
    .mutation(({ ctx, input }) => reorderPages(ctx.db, { ...input, officeId: ctx.membership.officeId })),
  finishComponent: clerk
    .input(z.object({ documentId: z.uuid(), pin: z.string().min(4).max(32).optional() }))
    .mutation(({ ctx, input }) =>
      finishComponent(ctx.db, {
        ...input,
        officeId: ctx.membership.officeId,
        userId: ctx.user.id,
        clerkName: ctx.user.fullName,
        files: ctx.files,
        signer: ctx.signer,
        ...(ctx.sessionId ? { session: { userId: ctx.user.id, sessionId: ctx.sessionId } } : {}),
      }),
    ),
  complete: clerk.input(z.object({ dossierId: z.uuid() })).mutation(({ ctx, input }) =>
    completeDigitization(ctx.db, {
      ...input,
      officeId: ctx.membership.officeId,
      actor: { userId: ctx.user.id },
    }),
  ),
});
