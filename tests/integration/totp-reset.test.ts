import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base32Decode, totp } from '../../server/src/auth/totp';
import { auditLog, memberships, users } from '../../server/src/db/schema';
import { createTestServer } from '../helpers/app';
import { createTestDatabase } from '../helpers/db';

// SESSION_SECRET seals the TOTP secrets. After it is rotated, an enrolled supervisor's sign-in used to end in
// an internal error (the GCM tag no longer checks) and nobody could turn the second factor off short of SQL.

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let before: ReturnType<typeof createTestServer>;
let after: ReturnType<typeof createTestServer>;

const OLD_SECRET = 'old-session-secret-0123456789-abcdefghij';
const NEW_SECRET = 'new-session-secret-9876543210-zyxwvutsrq';

type Answer = {
  result?: { data: { json: Record<string, unknown> } };
  error?: { json: { data: { appCode: string } } };
};

const trpc = async (
  server: ReturnType<typeof createTestServer>,
  path: string,
  input: unknown,
  cookie?: string,
) => {
  const res = await server.app.request(`/trpc/${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-forwarded-for': '10.7.7.7',
      ...(cookie ? { cookie } : {}),
    },
    body: JSON.stringify({ json: input }),
  });
  return { res, body: (await res.json()) as Answer };
};

const signIn = (server: ReturnType<typeof createTestServer>, username: string, code?: string) =>
  trpc(server, 'auth.login', { username, password: 'postdesk-demo', ...(code ? { totp: code } : {}) });

const supervisor = async () => {
  const [row] = await database.db
    .select({ id: users.id, username: users.username })
    .from(users)
    .innerJoin(memberships, eq(memberships.userId, users.id))
    .where(eq(memberships.role, 'supervisor'))
    .limit(1);
  return row!;
};

beforeAll(async () => {
  database = await createTestDatabase();
  before = createTestServer(database.db, { env: { SESSION_SECRET: OLD_SECRET } });
  after = createTestServer(database.db, { env: { SESSION_SECRET: NEW_SECRET } });
});
afterAll(() => database.close());

describe('two-step verification after SESSION_SECRET is rotated', () => {
  it('tells the user to have it reset (not a 500), and another administrator turns it off', async () => {
    const user = await supervisor();
    const first = await signIn(before, user.username);
    const cookie = first.res.headers.get('set-cookie')!.split(';')[0]!;
    const enrol = await trpc(before, 'auth.totpEnrol', undefined, cookie);
    const secret = base32Decode(enrol.body.result!.data.json.secret as string);
    const confirmed = await trpc(before, 'auth.totpConfirm', { code: totp(secret, new Date()) }, cookie);
    expect(confirmed.res.status).toBe(200);

    // The secret is rotated: the right password and the app's next code cannot be checked any more.
    const next = totp(secret, new Date(Date.now() + 30_000));
    const refused = await signIn(after, user.username, next);
    expect(refused.res.status).toBe(409);
    expect(refused.body.error!.json.data.appCode).toBe('TOTP_RESET_NEEDED');
    expect(refused.res.headers.get('set-cookie')).toBeNull();
    // A wrong password still gets the plain LOGIN_FAILED: the reset notice is only for the account's holder.
    const wrong = await trpc(after, 'auth.login', {
      username: user.username,
      password: 'not-it',
      totp: next,
    });
    expect(wrong.body.error!.json.data.appCode).toBe('LOGIN_FAILED');

    // Nobody resets their own second factor, a clerk cannot reset anyone's; an administrator can.
    const own = await after.callerAs(user.username);
    await expect(own.admin.resetTotp({ userId: user.id })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const admin = await after.callerAs(await after.usernameWithRole('admin'));
    const [adminRow] = await database.db
      .select({ id: users.id })
      .from(users)
      .where(eq(users.username, await after.usernameWithRole('admin')));
    await expect(admin.admin.resetTotp({ userId: adminRow!.id })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(await admin.admin.resetTotp({ userId: user.id })).toEqual({ ok: true });
    const audited = await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'totp_reset'), eq(auditLog.target, user.id)));
    expect(audited).toHaveLength(1);

    // Password alone now, and enrolling again works under the new secret.
    const again = await signIn(after, user.username);
    expect(again.res.status).toBe(200);
    const cookie2 = again.res.headers.get('set-cookie')!.split(';')[0]!;
    const enrol2 = await trpc(after, 'auth.totpEnrol', undefined, cookie2);
    expect(enrol2.res.status).toBe(200);
  });
});
