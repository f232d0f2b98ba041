import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, sessions, users } from '../../server/src/db/schema';
import { createTestDatabase } from '../helpers/db';
import { createTestServer } from '../helpers/app';
import { lockMsAfter } from '../../server/src/auth/login';

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

  it('five wrong passwords from one address hold back that address only, with one answer for every failure', async () => {
    const username = await makeUser();
    const attacker = '10.66.0.1';
    const answers: string[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await trpc('auth.login', { username, password: `wrong-${i}` }, undefined, attacker);
      answers.push(`${res.status} ${JSON.stringify((await json(res)).error!.json)}`);
    }
    // Held back now: even the right password from the attacker's address fails, with the same answer.
    const held = await trpc('auth.login', { username, password: 'postdesk-demo' }, undefined, attacker);
    answers.push(`${held.status} ${JSON.stringify((await json(held)).error!.json)}`);
    const unknown = await trpc(
      'auth.login',
      { username: 'khong-ton-tai-2', password: 'x' },
      undefined,
      '10.66.0.9',
    );
    answers.push(`${unknown.status} ${JSON.stringify((await json(unknown)).error!.json)}`);
    expect(new Set(answers).size).toBe(1);
    expect(answers[0]).toMatch(/^401 .*LOGIN_FAILED/);
    expect(held.headers.get('set-cookie')).toBeNull();
    // The owner, at their own desk, signs in as usual: nobody can lock a colleague out.
    const owner = await trpc('auth.login', { username, password: 'postdesk-demo' }, undefined, '10.66.0.2');
    expect(owner.status).toBe(200);
    const [row] = await database.db.select().from(users).where(eq(users.username, username));
    expect(row!.lockedUntil).toBeNull();
  });

  it('the back-off doubles with each failure after the fifth', () => {
    expect([4, 5, 6, 7, 10].map(lockMsAfter)).toEqual([0, 60_000, 120_000, 240_000, 1_920_000]);
    expect(lockMsAfter(40)).toBe(24 * 3_600_000);
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

describe('own password and idle sessions', () => {
  const signIn = async (username: string, password = 'postdesk-demo', ip = '10.2.2.2') => {
    const res = await trpc('auth.login', { username, password }, undefined, ip);
    expect(res.status).toBe(200);
    return res.headers.get('set-cookie')!.split(';')[0]!;
  };
  const sessionOf = async (cookie: string) => {
    const token = cookie.split('=')[1]!;
    const id = createHash('sha256').update(token).digest('hex');
    const [row] = await database.db.select().from(sessions).where(eq(sessions.id, id));
    return row!;
  };
  const me = async (cookie: string) =>
    (await json(await get('auth.me', cookie))).result!.data.json as { username: string } | null;

  it('the signed-in user changes their password with the old one; weak ones are refused; other sessions end', async () => {
    const username = await makeUser();
    const desk = await signIn(username);
    const phone = await signIn(username, 'postdesk-demo', '10.2.2.3');
    const change = (currentPassword: string, newPassword: string) =>
      trpc('auth.changePassword', { currentPassword, newPassword }, desk);
    const wrongOld = await json(await change('not-my-password', 'Một mật khẩu đủ dài 2026'));
    expect(wrongOld.error!.json.data.appCode).toBe('PASSWORD_CURRENT_WRONG');
    for (const weak of [
      'ngan-qua',
      `${username}-2026-abc`,
      'matkhau123456',
      'Password1234',
      'aaaaaaaaaaaaaaaa',
    ]) {
      const r = await json(await change('postdesk-demo', weak));
      expect(r.error!.json.data.appCode).toBe('PASSWORD_WEAK');
      expect(r.error!.json.message).toContain('12 ký tự');
    }
    const ok = await change('postdesk-demo', 'Hoa sen nở giữa hồ 2026');
    expect(ok.status).toBe(200);
    expect((await me(desk))?.username).toBe(username);
    expect(await me(phone)).toBeNull();
    expect(
      (await trpc('auth.login', { username, password: 'postdesk-demo' }, undefined, '10.2.2.4')).status,
    ).toBe(401);
    await signIn(username, 'Hoa sen nở giữa hồ 2026', '10.2.2.5');
    const audit = await database.db.select().from(auditLog).where(eq(auditLog.action, 'password_changed'));
    expect(audit.length).toBeGreaterThan(0);
  });

  it('changing the password needs a session', async () => {
    const r = await json(
      await trpc('auth.changePassword', { currentPassword: 'x', newPassword: 'y'.repeat(20) }),
    );
    expect(r.error!.json.data.appCode).toBe('UNAUTHENTICATED');
  });

  it('a staff session ends after 30 idle minutes, each request moves the end, and the absolute TTL still holds', async () => {
    const cookie = await signIn(await server.usernameWithRole('clerk'));
    const fresh = await sessionOf(cookie);
    // Idle end, not the 12-hour end.
    expect(fresh.expiresAt.getTime() - fresh.createdAt.getTime()).toBeLessThanOrEqual(31 * 60_000);
    // Ten idle minutes later (as the database sees it), a request moves the end 30 minutes on.
    await database.db
      .update(sessions)
      .set({ expiresAt: new Date(Date.now() + 20 * 60_000) })
      .where(eq(sessions.id, fresh.id));
    expect(await me(cookie)).not.toBeNull();
    expect((await sessionOf(cookie)).expiresAt.getTime()).toBeGreaterThan(Date.now() + 29 * 60_000);
    // Past the idle end: signed out.
    await database.db
      .update(sessions)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(sessions.id, fresh.id));
    expect(await me(cookie)).toBeNull();
    // Busy all day but signed in 13 hours ago: signed out too.
    const busy = await signIn(await server.usernameWithRole('clerk'));
    const row = await sessionOf(busy);
    await database.db
      .update(sessions)
      .set({ createdAt: new Date(Date.now() - 13 * 3_600_000) })
      .where(eq(sessions.id, row.id));
    expect(await me(busy)).toBeNull();
  });

  it("a courier's session is not cut by the idle timeout (the app works offline for hours)", async () => {
    const cookie = await signIn(await server.usernameWithRole('courier'));
    const row = await sessionOf(cookie);
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBeGreaterThan(11 * 3_600_000);
  });
});

describe('passwords an administrator gives', () => {
  it('follow the same policy as a user’s own change', async () => {
    const admin = await server.callerAs(await server.usernameWithRole('admin'));
    const office = (await admin.admin.users()).find((u) => u.memberships.length > 0)!.memberships[0]!
      .officeCode;
    await expect(
      admin.admin.createUser({
        username: 'nv.moi',
        fullName: 'Nhân Viên Mới',
        password: 'password1234',
        memberships: [{ officeCode: office, role: 'clerk' }],
      }),
    ).rejects.toMatchObject({ cause: { code: 'PASSWORD_WEAK' } });
  });
});
