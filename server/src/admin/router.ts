import { z } from 'zod';
import { router, staffProcedure } from '../trpc/init';
import { createUser, deactivateUser, findUsers } from './users';

const admin = staffProcedure('admin');

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
      }),
    )
    .mutation(({ ctx, input }) =>
      createUser(ctx.db, { ...input, actor: { userId: ctx.user.id, requestId: ctx.requestId } }),
    ),
  deactivateUser: admin
    .input(z.object({ userId: z.uuid() }))
    .mutation(({ ctx, input }) =>
      deactivateUser(ctx.db, { ...input, actor: { userId: ctx.user.id, requestId: ctx.requestId } }),
    ),
});
