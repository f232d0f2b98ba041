import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, sessions, users } from '../../server/src/db/schema';
import { createTestDatabase } from '../helpers/db';
import { createTestServer } from '../helpers/app';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: ReturnType<typeof createTestServer>;

beforeAll(async () => {
  database = await createTestDatabase();
  server = createTestServer(database.db);
});
afterAll(() => database.close());

const trpc = (path: string, body: unknown, cookie?: string, ip = '10.1.1.1') =>
  server.app.request(`/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': ip, ...(cookie ? { cookie } : {}) },
    body: JSON.stringify({ json: body }),
  });

const get = (path: string, cookie?: string) =>
  server.app.request(`/trpc/${path}`, { headers: cookie ? { cookie } : {} });

const json = async (res: Response) =>
  (await res.json()) as {
    result?: { data: { json: unknown } };
    error?: { json: { message: string; data: { appCode: string; messageEn: string; httpStatus: number } } };
  };

const makeUser = async () => {
  const clerk = await server.usernameWithRole('clerk');
  const [source] = await database.db.select().from(users).where(eq(users.username, clerk));
  const username = `t${Math.random().toString(36).slice(2, 10)}`;
  await database.db
    .insert(users)
    .values({ username, fullName: 'Nguyễn Văn Thử', passwordHash: source!.passwordHash });
  return username;
};

describe('login', () => {
  it('signs in with the demo password and sets an httpOnly SameSite session cookie', async () => {
    const username = await server.usernameWithRole('clerk');
    const res = await trpc('auth.login', { username, password: 'postdesk-demo' });
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^pd_session=[\w-]{40,};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    const body = await json(res);
    expect(
      (body.result!.data.json as { user: { memberships: { role: string }[] } }).user.memberships.map(
        (m) => m.role,
      ),
    ).toContain('clerk');

    const me = await json(await get('auth.me', cookie.split(';')[0]));
    expect((me.result!.data.json as { username: string }).username).toBe(username);
  });

  it('refuses a wrong password with a Vietnamese message, then English, and no cookie', async () => {
    const username = await makeUser();
    const res = await trpc('auth.login', { username, password: 'sai-mat-khau' });
    expect(res.status).toBe(401);
    expect(res.headers.get('set-cookie')).toBeNull();
    const body = await json(res);
    expect(body.error!.json.data.appCode).toBe('LOGIN_FAILED');
    expect(body.error!.json.message).toMatch(/mật khẩu/i);
    expect(body.error!.json.data.messageEn).toMatch(/password/i);
    const rows = await database.db.select().from(auditLog).where(eq(auditLog.action, 'login_failed'));
    expect(rows.length).toBeGreaterThan(0);
  });

  it('answers an unknown user exactly like a wrong password', async () => {
    const body = await json(await trpc('auth.login', { username: 'khong-ton-tai', password: 'x' }));
    expect(body.error!.json.data.appCode).toBe('LOGIN_FAILED');
  });

  it('locks the account after five wrong passwords, even for the right one', async () => {
    const username = await makeUser();
    const codes: string[] = [];
    for (let i = 0; i < 5; i++)
      codes.push(
        (await json(await trpc('auth.login', { username, password: `wrong-${i}` }))).error!.json.data.appCode,
      );
    expect(codes).toEqual(['LOGIN_FAILED', 'LOGIN_FAILED', 'LOGIN_FAILED', 'LOGIN_FAILED', 'ACCOUNT_LOCKED']);
    const right = await json(await trpc('auth.login', { username, password: 'postdesk-demo' }));
    expect(right.error!.json.data.appCode).toBe('ACCOUNT_LOCKED');
    const [row] = await database.db.select().from(users).where(eq(users.username, username));
    expect(row!.lockedUntil!.getTime()).toBeGreaterThan(Date.now() + 14 * 60_000);
  });

  it('rate-limits one address that tries many accounts', async () => {
    const codes = new Set<string>();
    for (let i = 0; i < 22; i++) {
      codes.add(
        (
          await json(
            await trpc('auth.login', { username: `nobody${i}`, password: 'x' }, undefined, '10.9.9.9'),
          )
        ).error!.json.data.appCode,
      );
    }
    expect(codes.has('RATE_LIMITED')).toBe(true);
  });

  it('rejects an empty username as a validation error and changes nothing', async () => {
    const before = await database.db.select().from(sessions);
    const body = await json(await trpc('auth.login', { username: '', password: '' }));
    expect(body.error!.json.data.appCode).toBe('VALIDATION_FAILED');
    expect(await database.db.select().from(sessions)).toHaveLength(before.length);
  });
});

describe('sessions', () => {
  it('logout deletes the session: the old cookie no longer signs in', async () => {
    const username = await server.usernameWithRole('supervisor');
    const login = await trpc('auth.login', { username, password: 'postdesk-demo' });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const out = await trpc('auth.logout', undefined, cookie);
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
    const me = await json(await get('auth.me', cookie));
    expect(me.result!.data.json).toBeNull();
  });

  it('a request without a session gets UNAUTHENTICATED on a staff procedure', async () => {
    const res = await get(
      `dossiers.get?input=${encodeURIComponent(JSON.stringify({ json: { idOrCode: 'x' } }))}`,
    );
    expect(res.status).toBe(401);
    const body = await json(res);
    expect(body.error!.json.data.appCode).toBe('UNAUTHENTICATED');
    expect(body.error!.json.message).toMatch(/đăng nhập/i);
  });

  it('a forged cookie is just no session', async () => {
    const me = await json(await get('auth.me', 'pd_session=forged-token-value'));
    expect(me.result!.data.json).toBeNull();
  });
});
