import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

const officeCode = async () =>
  (await (await server.callerAs(null)).catalog.offices()).find((o) => o.kind === 'post_office')!.code;
const fresh = () => `gdv.${Math.random().toString(36).slice(2, 9)}`;

describe('staff accounts', () => {
  it('an admin creates a clerk who can then sign in with a role at that office', async () => {
    const admin = await server.callerAs('admin');
    const username = fresh();
    const code = await officeCode();
    await admin.admin.createUser({
      username,
      fullName: 'Trần Thị Mới',
      password: 'mat-khau-du-dai-1',
      memberships: [{ officeCode: code, role: 'clerk' }],
    });
    const anonymous = await server.callerAs(null);
    const { user } = await anonymous.auth.login({ username, password: 'mat-khau-du-dai-1' });
    expect(user.memberships).toEqual([expect.objectContaining({ officeCode: code, role: 'clerk' })]);
  });

  it('an unknown role is ROLE_UNKNOWN and no account is created', async () => {
    const admin = await server.callerAs('admin');
    const username = fresh();
    await expect(
      admin.admin.createUser({
        username,
        fullName: 'Lê Văn Sai',
        password: 'mat-khau-du-dai-1',
        memberships: [{ officeCode: await officeCode(), role: 'approver' }],
      }),
    ).rejects.toMatchObject({ cause: { code: 'ROLE_UNKNOWN' } });
    expect(await database.db.select().from(users).where(eq(users.username, username))).toHaveLength(0);
  });

  it('an unknown office is NOT_FOUND and no account is created', async () => {
    const admin = await server.callerAs('admin');
    const username = fresh();
    await expect(
      admin.admin.createUser({
        username,
        fullName: 'Lê Văn Sai',
        password: 'mat-khau-du-dai-1',
        memberships: [{ officeCode: 'H99.99', role: 'clerk' }],
      }),
    ).rejects.toMatchObject({ cause: { code: 'NOT_FOUND', details: { offices: ['H99.99'] } } });
    expect(await database.db.select().from(users).where(eq(users.username, username))).toHaveLength(0);
  });

  it('a taken username is CONFLICT', async () => {
    const admin = await server.callerAs('admin');
    await expect(
      admin.admin.createUser({
        username: 'gdv.hang',
        fullName: 'Trùng Tên',
        password: 'mat-khau-du-dai-1',
        memberships: [{ officeCode: await officeCode(), role: 'clerk' }],
      }),
    ).rejects.toMatchObject({ cause: { code: 'CONFLICT' } });
  });

  it('deactivating a user ends their sessions at once', async () => {
    const admin = await server.callerAs('admin');
    const username = fresh();
    const created = await admin.admin.createUser({
      username,
      fullName: 'Phạm Văn Nghỉ',
      password: 'mat-khau-du-dai-1',
      memberships: [{ officeCode: await officeCode(), role: 'courier' }],
    });
    const login = await server.app.request('/trpc/auth.login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ json: { username, password: 'mat-khau-du-dai-1' } }),
    });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    await admin.admin.deactivateUser({ userId: created.id });
    const me = (await (await server.app.request('/trpc/auth.me', { headers: { cookie } })).json()) as {
      result: { data: { json: unknown } };
    };
    expect(me.result.data.json).toBeNull();
    const left = await database.db.select().from(memberships).where(eq(memberships.userId, created.id));
    expect(left).toHaveLength(1);
  });
});

describe('dossier references', () => {
  it('a malformed dossier code is DOSSIER_CODE_INVALID, a well-formed unknown one DOSSIER_NOT_FOUND', async () => {
    const clerk = await server.callerAs('gdv.hang');
    await expect(clerk.dossiers.get({ idOrCode: 'H57.90.01-261399-0001' })).rejects.toMatchObject({
      cause: { code: 'DOSSIER_CODE_INVALID' },
    });
    await expect(clerk.dossiers.get({ idOrCode: 'H57.90.01-261123-0001' })).rejects.toMatchObject({
      cause: { code: 'DOSSIER_NOT_FOUND' },
    });
  });
});
