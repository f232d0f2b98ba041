import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base32Decode, totp } from '../../server/src/auth/totp';
import { memberships, users } from '../../server/src/db/schema';
import { createTestServer } from '../helpers/app';
import { createTestDatabase } from '../helpers/db';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: ReturnType<typeof createTestServer>;

beforeAll(async () => {
  database = await createTestDatabase();
  server = createTestServer(database.db);
});
afterAll(() => database.close());

type Answer = {
  result?: { data: { json: Record<string, unknown> } };
  error?: { json: { message: string; data: { appCode: string } } };
};

const trpc = async (path: string, input: unknown, cookie?: string, ip = '10.4.4.4') => {
  const res = await server.app.request(`/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': ip, ...(cookie ? { cookie } : {}) },
    body: JSON.stringify({ json: input }),
  });
  return { res, body: (await res.json()) as Answer };
};

/** A new account holding `role` at the office of a seeded user with that role, demo password. */
const accountWith = async (role: 'supervisor' | 'clerk') => {
  const [source] = await database.db
    .select({ hash: users.passwordHash, officeId: memberships.officeId })
    .from(users)
    .innerJoin(memberships, eq(memberships.userId, users.id))
    .where(eq(memberships.role, role))
    .limit(1);
  const username = `totp${Math.random().toString(36).slice(2, 9)}`;
  const [user] = await database.db
    .insert(users)
    .values({ username, fullName: 'Hoàng Văn Kiểm', passwordHash: source!.hash })
    .returning({ id: users.id });
  await database.db.insert(memberships).values({ userId: user!.id, officeId: source!.officeId, role });
  return username;
};

const signIn = async (username: string, totpCode?: string) =>
  trpc('auth.login', { username, password: 'postdesk-demo', ...(totpCode ? { totp: totpCode } : {}) });

describe('second factor (TOTP) for supervisors and administrators', () => {
  it('enrols with an otpauth:// URI, then sign-in needs a fresh code from the app; a replayed code fails', async () => {
    const username = await accountWith('supervisor');
    const first = await signIn(username);
    const cookie = first.res.headers.get('set-cookie')!.split(';')[0]!;
    const enrol = await trpc('auth.totpEnrol', undefined, cookie);
    const uri = enrol.body.result!.data.json.uri as string;
    expect(uri).toMatch(
      new RegExp(`^otpauth://totp/PostDesk:${username}\\?secret=[A-Z2-7]{32}&issuer=PostDesk`),
    );
    const secret = base32Decode(new URL(uri).searchParams.get('secret')!);
    // The secret is kept sealed, not as the app reads it.
    const [stored] = await database.db
      .select({ s: users.totpSecret })
      .from(users)
      .where(eq(users.username, username));
    expect(stored!.s).not.toContain(new URL(uri).searchParams.get('secret')!);

    const now = new Date();
    const right = totp(secret, now);
    const wrong = right === '000000' ? '111111' : '000000';
    expect((await trpc('auth.totpConfirm', { code: wrong }, cookie)).body.error!.json.data.appCode).toBe(
      'TOTP_INVALID',
    );
    expect((await trpc('auth.totpConfirm', { code: right }, cookie)).res.status).toBe(200);

    // From now on the password alone is not enough.
    const noCode = await signIn(username);
    expect(noCode.res.status).toBe(401);
    expect(noCode.body.error!.json.data.appCode).toBe('TOTP_REQUIRED');
    expect(noCode.res.headers.get('set-cookie')).toBeNull();
    expect((await signIn(username, wrong)).body.error!.json.data.appCode).toBe('TOTP_INVALID');
    // The code used to confirm cannot be used again; the next one can, once.
    expect((await signIn(username, right)).body.error!.json.data.appCode).toBe('TOTP_INVALID');
    const next = totp(secret, new Date(now.getTime() + 30_000));
    const ok = await signIn(username, next);
    expect(ok.res.status).toBe(200);
    expect((await signIn(username, next)).body.error!.json.data.appCode).toBe('TOTP_INVALID');
    // A second enrolment cannot silently move the factor to another phone.
    const again = await trpc('auth.totpEnrol', undefined, ok.res.headers.get('set-cookie')!.split(';')[0]!);
    expect(again.body.error!.json.data.appCode).toBe('TOTP_ALREADY_ENABLED');
  });

  it('a wrong password never reveals whether a code would be asked for', async () => {
    const username = await accountWith('supervisor');
    const r = await trpc('auth.login', { username, password: 'sai-mat-khau', totp: '123456' });
    expect(r.body.error!.json.data.appCode).toBe('LOGIN_FAILED');
  });

  it('a clerk has no enrolment to call', async () => {
    const username = await accountWith('clerk');
    const cookie = (await signIn(username)).res.headers.get('set-cookie')!.split(';')[0]!;
    expect((await trpc('auth.totpEnrol', undefined, cookie)).body.error!.json.data.appCode).toBe('FORBIDDEN');
  });
});
