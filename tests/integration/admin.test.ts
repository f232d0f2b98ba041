import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, memberships, users } from '../../server/src/db/schema';
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

describe('signing key labels', () => {
  it('an admin gives a new clerk a key label at creation, then changes it, then takes it away; each change is audited', async () => {
    const admin = await server.callerAs('admin');
    const username = fresh();
    const created = await admin.admin.createUser({
      username,
      fullName: 'Hồ Thị Ký',
      password: 'mat-khau-du-dai-1',
      memberships: [{ officeCode: await officeCode(), role: 'clerk' }],
      signingKeyLabel: `  ${username}  `,
    });
    expect(created.signingKeyLabel).toBe(username);
    const labelOf = async () =>
      (await database.db.select().from(users).where(eq(users.id, created.id)))[0]!.signingKeyLabel;
    expect(await labelOf()).toBe(username);
    expect((await admin.admin.users()).find((u) => u.id === created.id)?.signingKeyLabel).toBe(username);

    const moved = await admin.admin.setSigningKeyLabel({ userId: created.id, signingKeyLabel: 'token-2:ky' });
    expect(moved).toMatchObject({ signingKeyLabel: 'token-2:ky', changed: true });
    expect(await labelOf()).toBe('token-2:ky');
    // The same label again is a no-op (a retried request), with no second audit row.
    expect(
      await admin.admin.setSigningKeyLabel({ userId: created.id, signingKeyLabel: 'token-2:ky' }),
    ).toMatchObject({ changed: false });
    await admin.admin.setSigningKeyLabel({ userId: created.id, signingKeyLabel: null });
    expect(await labelOf()).toBeNull();
    const audit = await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.target, created.id), eq(auditLog.action, 'signing_key_label_set')))
      .orderBy(asc(auditLog.id));
    expect(audit.map((a) => a.details)).toEqual([
      { from: username, to: 'token-2:ky' },
      { from: 'token-2:ky', to: null },
    ]);
  });

  it('without a label a new user has none; a label with spaces inside or an unknown user is refused', async () => {
    const admin = await server.callerAs('admin');
    const created = await admin.admin.createUser({
      username: fresh(),
      fullName: 'Đoàn Văn Chưa',
      password: 'mat-khau-du-dai-1',
      memberships: [{ officeCode: await officeCode(), role: 'clerk' }],
    });
    expect(created.signingKeyLabel).toBeNull();
    await expect(
      admin.admin.setSigningKeyLabel({ userId: created.id, signingKeyLabel: 'hai tu' }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(
      admin.admin.setSigningKeyLabel({
        userId: '00000000-0000-4000-8000-000000000000',
        signingKeyLabel: 'x',
      }),
    ).rejects.toMatchObject({ cause: { code: 'NOT_FOUND' } });
  });

  it('only an admin may set a key label', async () => {
    const clerk = await server.callerAs('gdv.hang');
    const [hang] = await database.db.select().from(users).where(eq(users.username, 'gdv.hang'));
    await expect(
      clerk.admin.setSigningKeyLabel({ userId: hang!.id, signingKeyLabel: 'gdv.quang' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const [after] = await database.db.select().from(users).where(eq(users.username, 'gdv.hang'));
    expect(after!.signingKeyLabel).toBe(hang!.signingKeyLabel);
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
