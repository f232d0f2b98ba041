import { inArray } from 'drizzle-orm';
import { z } from 'zod';
import { offices } from '../db/schema';
import { router, staffProcedure } from '../trpc/init';
import { createApiKey, getWebhook, listApiKeys, revokeApiKey, setWebhook } from './keys';

// Keys and webhooks open an agency's dossiers to a machine: only the administrator manages them.
const admin = staffProcedure('admin');

/** Staff-side management of agency API keys and webhooks. */
export const agencyApiRouter = router({
  /** The agencies that may be given keys, with how many active keys each has and its webhook. */
  agencies: admin.query(async ({ ctx }) => {
    const list = await ctx.db
      .select({ id: offices.id, code: offices.code, name: offices.name })
      .from(offices)
      .where(inArray(offices.kind, ['agency', 'commune_committee']))
      .orderBy(offices.name);
    return Promise.all(
      list.map(async (a) => ({
        ...a,
        activeKeys: (await listApiKeys(ctx.db, a.id)).filter((k) => !k.revokedAt).length,
        webhook: await getWebhook(ctx.db, a.id),
      })),
    );
  }),
  keys: admin
    .input(z.object({ agencyId: z.uuid() }))
    .query(({ ctx, input }) => listApiKeys(ctx.db, input.agencyId)),
  /** The key is in this answer only; the server keeps its sha256. */
  createKey: admin
    .input(z.object({ agencyId: z.uuid(), label: z.string().trim().min(1).max(100) }))
    .mutation(async ({ ctx, input }) => {
      const created = await createApiKey(ctx.db, input);
      ctx.log.info(
        { agencyId: input.agencyId, keyId: created.id, prefix: created.keyPrefix },
        'agency api key created',
      );
      return created;
    }),
  revokeKey: admin.input(z.object({ id: z.uuid() })).mutation(async ({ ctx, input }) => {
    const revoked = await revokeApiKey(ctx.db, input);
    ctx.log.info({ keyId: input.id }, 'agency api key revoked');
    return revoked;
  }),
  webhook: admin
    .input(z.object({ agencyId: z.uuid() }))
    .query(({ ctx, input }) => getWebhook(ctx.db, input.agencyId)),
  /** Sets the URL; the secret (given, or generated when empty) is in this answer only. */
  setWebhook: admin
    .input(
      z.object({
        agencyId: z.uuid(),
        url: z.string().trim().min(1).max(500),
        secret: z.string().max(200).optional().nullable(),
        active: z.boolean().optional(),
      }),
    )
    .mutation(({ ctx, input }) =>
      setWebhook(ctx.db, { ...input, allowHttp: ctx.config.NODE_ENV !== 'production' }),
    ),
});
