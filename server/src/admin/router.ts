import { z } from 'zod';
import { router, staffProcedure } from '../trpc/init';
import { createUser, deactivateUser, findUsers, setSigningKeyLabel } from './users';

const admin = staffProcedure('admin');

/** CKA_LABEL of a key on the signing token (the seed uses the username): printable, no spaces at the ends. */
const signingKeyLabel = z
  .string()
  .trim()
  .regex(/^[\p{L}\p{N}._:@-]{1,64}$/u);

export const adminRouter = router({
  users: admin.query(({ ctx }) => findUsers(ctx.db)),
  createUser: admin
    .input(
      z.object({
        username: z
          .string()
          .trim()
          .regex(/^[a-z0-9._-]{3,40}$/i),
        fullName: z.string().trim().min(2).max(100),
        password: z.string().min(12).max(200),
        // Role names are checked by the domain (ROLE_UNKNOWN), so a typo gets its own message.
        memberships: z
          .array(z.object({ officeCode: z.string().min(1).max(35), role: z.string().max(40) }))
          .min(1)
          .max(20),
        signingKeyLabel: signingKeyLabel.optional(),
      }),
    )
    .mutation(({ ctx, input }) =>
      createUser(ctx.db, { ...input, actor: { userId: ctx.user.id, requestId: ctx.requestId } }),
    ),
  /** Names (or with null, takes away) the user's own signing key on the token. */
  setSigningKeyLabel: admin
    .input(z.object({ userId: z.uuid(), signingKeyLabel: signingKeyLabel.nullable() }))
    .mutation(({ ctx, input }) =>
      setSigningKeyLabel(ctx.db, { ...input, actor: { userId: ctx.user.id, requestId: ctx.requestId } }),
    ),
  deactivateUser: admin
    .input(z.object({ userId: z.uuid() }))
    .mutation(({ ctx, input }) =>
      deactivateUser(ctx.db, { ...input, actor: { userId: ctx.user.id, requestId: ctx.requestId } }),
    ),
});
