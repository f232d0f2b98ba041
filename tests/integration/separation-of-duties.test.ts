import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlState } from '../../server/src/db/client';
import { courierTasks, memberships, offices, payments, users } from '../../server/src/db/schema';
import { createTestServer } from '../helpers/app';
import { createTestDatabase } from '../helpers/db';
import { intakeFor } from '../helpers/intake';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: ReturnType<typeof createTestServer>;
let adminCookie: string;

const login = async (username: string, password = 'postdesk-demo') => {
  const res = await server.app.request('/trpc/auth.login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ json: { username, password } }),
  });
  return res.headers.get('set-cookie')!.split(';')[0]!;
};

beforeAll(async () => {
  database = await createTestDatabase();
  server = createTestServer(database.db);
  adminCookie = await login('admin');
});
afterAll(() => database.close());

const fresh = () => `nv.${Math.random().toString(36).slice(2, 9)}`;
const PASSWORD = 'mat-khau-du-dai-1';

const officeOf = async (kind: 'post_office' | 'agency' | 'commune_committee' | 'service_centre') => {
  const [row] = await database.db
    .select({ id: offices.id, code: offices.code })
    .from(offices)
    .where(eq(offices.kind, kind))
    .limit(1);
  return row!;
};

describe('separation of duties when an admin gives roles', () => {
  it.each([
    [
      'a postal and an agency role in one account',
      [
        ['post_office', 'clerk'],
        ['agency', 'agency_official'],
      ],
    ],
    ['an agency role at a post office', [['post_office', 'agency_official']]],
    ['a clerk role at an agency', [['agency', 'clerk']]],
    [
      'a supervisor who also decides at a commune committee',
      [
        ['service_centre', 'supervisor'],
        ['commune_committee', 'agency_official'],
      ],
    ],
  ] as const)('refuses %s with DUTIES_CONFLICT, and creates no account', async (_, wanted) => {
    const username = fresh();
    const list = [];
    for (const [kind, role] of wanted) list.push({ officeCode: (await officeOf(kind)).code, role });
    const res = await server.app.request('/trpc/admin.createUser', {
      method: 'POST',
      headers: { cookie: adminCookie, 'content-type': 'application/json' },
      body: JSON.stringify({
        json: { username, fullName: 'Lê Văn Hai Vai', password: PASSWORD, memberships: list },
      }),
    });
    expect(res.status).toBe(422);
    const body = (await res.json()) as {
      error: { json: { message: string; data: Record<string, unknown> } };
    };
    expect(body.error.json.message).toContain('tài khoản riêng');
    expect(body.error.json.data).toMatchObject({
      appCode: 'DUTIES_CONFLICT',
      messageEn: expect.stringContaining('separate account'),
    });
    expect(await database.db.select().from(users).where(eq(users.username, username))).toEqual([]);
  });

  it('still lets an admin give an agency official a role at two deciding offices', async () => {
    const admin = await server.callerAs('admin');
    const username = fresh();
    await admin.admin.createUser({
      username,
      fullName: 'Hồ Thị Quyết',
      password: PASSWORD,
      memberships: [
        { officeCode: (await officeOf('agency')).code, role: 'agency_official' },
        { officeCode: (await officeOf('commune_committee')).code, role: 'agency_official' },
      ],
    });
    const { user } = await (await server.callerAs(null)).auth.login({ username, password: PASSWORD });
    expect(user.memberships.map((m) => m.role)).toEqual(['agency_official', 'agency_official']);
  });

  it('the database refuses a membership that breaks it, whatever path writes it', async () => {
    const [clerk] = await database.db
      .select({ id: users.id })
      .from(users)
      .where(eq(users.username, 'gdv.hang'));
    const agency = await officeOf('agency');
    const error = await database.db
      .insert(memberships)
      .values({ userId: clerk!.id, officeId: agency.id, role: 'agency_official' })
      .catch((err: unknown) => err);
    expect(sqlState(error)).toBe('PD001');
    const post = await officeOf('post_office');
    const [official] = await database.db
      .select({ id: users.id })
      .from(users)
      .where(eq(users.username, 'stp.lan'));
    const second = await database.db
      .insert(memberships)
      .values({ userId: official!.id, officeId: post.id, role: 'courier' })
      .catch((err: unknown) => err);
    expect(sqlState(second)).toBe('PD001');
    const [{ count }] = (await database.db.execute(
      sql`select count(*)::int as count from memberships where user_id = ${clerk!.id} and role = 'agency_official'`,
    )) as unknown as [{ count: number }];
    expect(count).toBe(0);
  });
});

describe('cash at the door', () => {
  it('a courier of the same office cannot record cash on a bill whose task is another courier’s', async () => {
    const clerk = await server.callerAs('gdv.hang');
    const procedure = await clerk.catalog.procedure({ code: '3.000333' });
    const input = intakeFor(procedure, (await clerk.catalog.communes())[0]!.code);
    input.applicant.citizenId = `0461950${String(Math.floor(Math.random() * 1e5)).padStart(5, '0')}`;
    const { dossierId } = await clerk.intake.submit(input);
    const { billCode } = await clerk.payments.createBill({
      dossierId,
      kind: 'postal_tariff',
      amount: 26_000,
    });

    // The task carrying the bill is buuta.hung's; a second courier joins the same post office.
    const [hang] = await database.db
      .select({ officeId: memberships.officeId })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(eq(users.username, 'gdv.hang'));
    const [hung] = await database.db
      .select({ id: users.id })
      .from(users)
      .where(eq(users.username, 'buuta.hung'));
    await database.db.insert(courierTasks).values({
      dossierId,
      officeId: hang!.officeId,
      kind: 'delivery',
      address: '12 Lê Lợi',
      courierId: hung!.id,
      state: 'assigned',
    });
    const admin = await server.callerAs('admin');
    const [office] = await database.db
      .select({ code: offices.code })
      .from(offices)
      .where(eq(offices.id, hang!.officeId));
    const other = fresh();
    await admin.admin.createUser({
      username: other,
      fullName: 'Phan Văn Khác',
      password: PASSWORD,
      memberships: [{ officeCode: office!.code, role: 'courier' }],
    });

    // The attack over HTTP, as the other courier's app would send it.
    const cookie = await login(other, PASSWORD);
    const res = await server.app.request('/trpc/payments.recordCash', {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ json: { billCode } }),
    });
    expect(res.status).toBe(404);
    const [bill] = await database.db.select().from(payments).where(eq(payments.billCode, billCode!));
    expect(bill).toMatchObject({ state: 'pending', recordedBy: null });

    // The courier the task belongs to does take it.
    const paid = await (await server.callerAs('buuta.hung')).payments.recordCash({ billCode: billCode! });
    expect(paid).toMatchObject({ state: 'paid', changed: true });
  });
});
