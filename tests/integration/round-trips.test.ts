// Statements sent to PostgreSQL on the hot paths (issue 22), counted on the real HTTP path: every
// statement the driver sends, transaction control included. A count, not a timing: a change that adds a
// round trip to every request or every dossier fails here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/src/db/client';
import { createTestServer } from '../helpers/app';
import { createTestDatabase } from '../helpers/db';
import { intakeFor } from '../helpers/intake';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let counted: Awaited<ReturnType<typeof openDatabase>>;
let server: ReturnType<typeof createTestServer>;
let sent: string[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  counted = await openDatabase({ url: database.url, pool: { onQuery: (q) => void sent.push(q) } });
  server = createTestServer(counted.db);
});
afterAll(async () => {
  await counted.close();
  await database.close();
});

/** The statements `fn` sends, without the driver's one-off type lookup of a new connection. */
const statementsOf = async (fn: () => Promise<unknown>) => {
  sent = [];
  await fn();
  return sent.filter((q) => !q.includes('pg_catalog.pg_type'));
};

const login = async () => {
  const res = await server.app.request('/trpc/auth.login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ json: { username: 'gdv.hang', password: 'postdesk-demo' } }),
  });
  expect(res.status).toBe(200);
  return res.headers.get('set-cookie')!.split(';')[0]!;
};

const call = async (cookie: string, path: string, input: unknown, method: 'GET' | 'POST') => {
  const res =
    method === 'GET'
      ? await server.app.request(
          `/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`,
          {
            headers: { cookie },
          },
        )
      : await server.app.request(`/trpc/${path}`, {
          method: 'POST',
          headers: { cookie, 'content-type': 'application/json' },
          body: JSON.stringify({ json: input }),
        });
  const body = (await res.json()) as { result?: { data: { json: unknown } } };
  expect(res.status, JSON.stringify(body)).toBe(200);
  return body.result!.data.json;
};

describe('round trips to PostgreSQL', () => {
  it('an authenticated request looks its session, user and offices up in one statement', async () => {
    const cookie = await login();
    await call(cookie, 'auth.me', undefined, 'GET'); // the first request may move the idle end once
    const statements = await statementsOf(() => call(cookie, 'auth.me', undefined, 'GET'));
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatch(/from sessions s join users u/);
  });

  it('a dossier received at the desk costs at most 20 statements, with no savepoint and no re-read of the row it just wrote', async () => {
    const cookie = await login();
    const procedure = (await call(cookie, 'catalog.procedure', { code: '3.000333' }, 'GET')) as Parameters<
      typeof intakeFor
    >[0];
    const commune = ((await call(cookie, 'catalog.communes', undefined, 'GET')) as { code: string }[])[0]!
      .code;
    const input = intakeFor(procedure, commune, {
      absent: [],
      applicant: { ...intakeFor(procedure, commune).applicant, citizenId: '046195012345' },
    });
    const statements = await statementsOf(() => call(cookie, 'intake.submit', input, 'POST'));
    expect(statements.filter((q) => /savepoint/i.test(q))).toEqual([]);
    expect(statements.filter((q) => /for update/i.test(q))).toEqual([]);
    expect(statements.length, statements.join('\n')).toBeLessThanOrEqual(20);
  });
});
