import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Role } from '@postdesk/shared';
import { eq } from 'drizzle-orm';
import { createApp } from '../../server/src/app';
import { createLimits, createMemoryLimitStore, type LimitStore } from '../../server/src/auth/rate-limit';
import { type AuthUser, loadUser } from '../../server/src/auth/sessions';
import type { Db } from '../../server/src/db/client';
import { memberships, users } from '../../server/src/db/schema';
import { parseEnv } from '../../server/src/env';
import { fileStoreFromEnv } from '../../server/src/files/store';
import { createInProcessRunner, type JobRunner } from '../../server/src/jobs/queue';
import { jobDefinitions } from '../../server/src/jobs/registry';
import { createSigner, type Signer } from '../../server/src/signing';
import { createLogger, type Logger } from '../../server/src/logger';
import { type Context, createCallerFactory } from '../../server/src/trpc/init';
import { appRouter } from '../../server/src/trpc/router';

/** The server's pieces over a test database: in-process jobs, a temporary file store, a silent logger. */
export const createTestServer = (
  db: Db,
  opts: { signer?: Signer; env?: Record<string, string>; limitStore?: LimitStore; log?: Logger } = {},
) => {
  const env = parseEnv({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    TRUST_PROXY: 'true',
    ...opts.env,
    DATA_DIR: mkdtempSync(join(tmpdir(), 'postdesk-')),
  });
  const log = opts.log ?? createLogger(process.env.TEST_LOG ?? 'silent');
  const files = fileStoreFromEnv(env);
  const jobs: JobRunner = createInProcessRunner({
    defs: jobDefinitions({ db, files, env, jobs: () => jobs }),
    log,
  });
  const signer = opts.signer ?? createSigner({ NODE_ENV: 'test', DATA_DIR: env.DATA_DIR });
  const limitStore = opts.limitStore ?? createMemoryLimitStore();
  const app = createApp({ db, env, log, jobs, files, signer, limitStore });
  // In-process callers get budgets no test reaches (HTTP tests meet the real ones through `app`).
  const generous = { limit: 1000, windowMs: 60_000 };
  const createCaller = createCallerFactory(appRouter);

  const context = (user: AuthUser | null, extra: Partial<Context> = {}): Context => ({
    db,
    config: env,
    log,
    jobs,
    files,
    signer,
    requestId: 'test',
    ip: `10.0.0.${Math.floor(Math.random() * 250)}`,
    limits: createLimits(createMemoryLimitStore(), {
      login: generous,
      track: generous,
      trackCode: generous,
      trackPhone: generous,
      lookup: generous,
      smsPerAddress: generous,
      smsPerDay: 1000,
    }),
    user,
    sessionId: null,
    officeHint: null,
    resHeaders: new Headers(),
    internal: false,
    ...extra,
  });

  /** A tRPC caller acting as the seeded user with `username`, or anonymously. */
  const callerAs = async (username: string | null, extra: Partial<Context> = {}) => {
    if (!username) return createCaller(context(null, extra));
    const [row] = await db.select({ id: users.id }).from(users).where(eq(users.username, username));
    if (!row) throw new Error(`no seeded user ${username}`);
    return createCaller(context(await loadUser(db, row.id), extra));
  };

  /** Any seeded user holding `role`. */
  const usernameWithRole = async (role: Role) => {
    const [row] = await db
      .select({ username: users.username })
      .from(users)
      .innerJoin(memberships, eq(memberships.userId, users.id))
      .where(eq(memberships.role, role))
      .limit(1);
    if (!row) throw new Error(`no seeded user with role ${role}`);
    return row.username;
  };

  return { app, env, jobs, files, signer, context, createCaller, callerAs, usernameWithRole };
};
