import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { serve } from '@hono/node-server';
import { and, eq, like, sql } from 'drizzle-orm';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisLimitStore, type LimitStore } from '../../server/src/auth/rate-limit';
import { auditLog, outbox } from '../../server/src/db/schema';
import { clientIp } from '../../server/src/http/client-ip';
import { createLogger } from '../../server/src/logger';
import { SMS_BUDGET_EXHAUSTED } from '../../server/src/otp/budget';
import { OTP_MAX_SENDS } from '../../server/src/otp/otp';
import { createTestServer } from '../helpers/app';
import { createTestDatabase } from '../helpers/db';

const REDIS = 'redis://127.0.0.1:6379';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
const stores: LimitStore[] = [];
/** A Redis store with this test's own prefix: as two server processes would share one Redis. */
const redisStore = (prefix: string) => {
  const store = createRedisLimitStore({ url: REDIS, prefix });
  stores.push(store);
  return store;
};
const freshPrefix = () => `pdt-${randomBytes(4).toString('hex')}:rl`;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()));
  await database.close();
});

type TrpcBody = { error?: { json: { message: string; data: { appCode: string; httpStatus: number } } } };

const post = async (
  app: { request: (path: string, init: RequestInit) => Response | Promise<Response> },
  path: string,
  input: unknown,
  headers: Record<string, string> = {},
) => {
  const res = await app.request(`/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ json: input }),
  });
  return { status: res.status, body: (await res.json()) as TrpcBody };
};

const codeOf = (r: { body: TrpcBody }) => r.body.error?.json.data.appCode ?? 'ok';

describe('the client address behind reverse proxies', () => {
  it('an attacker who writes a new X-Forwarded-For each time is still one address (1 trusted hop)', async () => {
    const server = createTestServer(database.db, { env: { TRUST_PROXY_HOPS: '1' } });
    const codes: string[] = [];
    for (let i = 0; i < 25; i++) {
      // What the proxy forwards: the client's own header, then the address the proxy saw.
      const forwarded = `198.51.100.${i}, 203.0.113.77`;
      codes.push(
        codeOf(
          await post(
            server.app,
            'auth.login',
            { username: `nobody${i}`, password: 'x' },
            { 'x-forwarded-for': forwarded },
          ),
        ),
      );
    }
    expect(codes.slice(0, 20)).toEqual(Array(20).fill('LOGIN_FAILED'));
    expect(codes.slice(20)).toEqual(Array(5).fill('RATE_LIMITED'));
    // Another client behind the same proxy is not affected.
    const other = await post(
      server.app,
      'auth.login',
      { username: 'nobody', password: 'x' },
      { 'x-forwarded-for': '203.0.113.78' },
    );
    expect(codeOf(other)).toBe('LOGIN_FAILED');
  });

  it('without a trusted proxy, X-Forwarded-For is ignored: a real server counts the socket address', async () => {
    const test = createTestServer(database.db, { env: { TRUST_PROXY: 'false' } });
    expect(test.env.proxyHops).toBe(0);
    const server = serve({ fetch: test.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => server.once('listening', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const codes: string[] = [];
      for (let i = 0; i < 22; i++) {
        const res = await fetch(`${url}/trpc/auth.login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': `198.51.100.${i}` },
          body: JSON.stringify({ json: { username: `nobody${i}`, password: 'x' } }),
        });
        codes.push(codeOf({ body: (await res.json()) as TrpcBody }));
      }
      expect(codes.slice(0, 20)).toEqual(Array(20).fill('LOGIN_FAILED'));
      expect(codes.slice(20)).toEqual(['RATE_LIMITED', 'RATE_LIMITED']);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('counts hops from the right, and an IPv6 client by its /64', async () => {
    const seen: string[] = [];
    const app = new Hono();
    app.get('/:hops', (c) => {
      seen.push(clientIp(c, Number(c.req.param('hops'))));
      return c.text('ok');
    });
    const xff = { 'x-forwarded-for': '6.6.6.6, 192.0.2.10, 10.0.0.2' };
    await app.request('/2', { headers: xff });
    await app.request('/1', { headers: xff });
    await app.request('/9', { headers: xff });
    await app.request('/1', { headers: { 'x-forwarded-for': '2001:db8:1:2:aaaa::1' } });
    await app.request('/1', { headers: { 'x-forwarded-for': '2001:db8:1:2:bbbb::9' } });
    await app.request('/1', { headers: { 'x-forwarded-for': 'not-an-address' } });
    expect(seen).toEqual([
      '192.0.2.10',
      '10.0.0.2',
      '6.6.6.6',
      '2001:db8:1:2::/64',
      '2001:db8:1:2::/64',
      'local',
    ]);
  });
});

describe('rate limits shared by every server process (Redis)', () => {
  it('while Redis is unreachable, each process still counts (in memory) instead of letting everything through', async () => {
    const probe = serve({ fetch: () => new Response(''), port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => probe.once('listening', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const store = createRedisLimitStore({ url: `redis://127.0.0.1:${port}`, prefix: freshPrefix() });
    stores.push(store);
    const limiter = store.limiter('outage', { limit: 2, windowMs: 60_000 });
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await limiter.consume('198.51.100.9'));
    expect(answers).toEqual([true, true, false]);
  });

  it('two processes on one Redis share one budget per address', async () => {
    const prefix = freshPrefix();
    const a = createTestServer(database.db, { limitStore: redisStore(prefix) });
    const b = createTestServer(database.db, { limitStore: redisStore(prefix) });
    const codes: string[] = [];
    for (let i = 0; i < 24; i++) {
      const app = i % 2 === 0 ? a.app : b.app;
      codes.push(
        codeOf(
          await post(
            app,
            'auth.login',
            { username: `nobody${i}`, password: 'x' },
            { 'x-forwarded-for': '198.51.100.200' },
          ),
        ),
      );
    }
    expect(codes.filter((c) => c === 'LOGIN_FAILED')).toHaveLength(20);
    expect(codes.slice(20)).toEqual(Array(4).fill('RATE_LIMITED'));
  });
});

const textsTo = async (phone: string) => {
  const rows = await database.db
    .select({ payload: outbox.payload })
    .from(outbox)
    .where(and(eq(outbox.topic, 'notify.sms'), like(outbox.idempotencyKey, 'notify.sms:otp:%')));
  return rows.filter((r) => (r.payload as { to: string }).to === phone).length;
};

const capture = () => {
  const lines: string[] = [];
  const sink = new Writable({
    write: (chunk, _enc, done) => {
      lines.push(String(chunk));
      done();
    },
  });
  return { log: createLogger('info', sink), lines };
};

describe('text-message budgets are atomic', () => {
  it('20 concurrent code requests for one phone, from 20 addresses and two processes, send exactly the budget', async () => {
    const prefix = freshPrefix();
    const a = createTestServer(database.db, { limitStore: redisStore(prefix) });
    const b = createTestServer(database.db, { limitStore: redisStore(prefix) });
    const phone = '0386001122';
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        post(
          i % 2 ? a.app : b.app,
          'citizen.pickupCode',
          { procedureCode: '3.000333', phone },
          {
            'x-forwarded-for': `198.51.100.${i + 1}`,
          },
        ),
      ),
    );
    const sent = answers.filter((r) => r.status === 200).length;
    expect(sent).toBe(OTP_MAX_SENDS);
    expect(await textsTo(phone)).toBe(OTP_MAX_SENDS);
    expect(new Set(answers.filter((r) => r.status !== 200).map(codeOf))).toEqual(
      new Set(['OTP_TOO_MANY_REQUESTS']),
    );
  });

  it('one address cannot text many numbers', async () => {
    const server = createTestServer(database.db, { limitStore: redisStore(freshPrefix()) });
    const codes: string[] = [];
    for (let i = 0; i < 12; i++) {
      const phone = `03870011${String(i).padStart(2, '0')}`;
      codes.push(
        codeOf(
          await post(
            server.app,
            'citizen.pickupCode',
            { procedureCode: '3.000333', phone },
            { 'x-forwarded-for': '198.51.100.250' },
          ),
        ),
      );
    }
    expect(codes.slice(0, 10)).toEqual(Array(10).fill('ok'));
    expect(codes.slice(10)).toEqual(['RATE_LIMITED', 'RATE_LIMITED']);
  });

  it('the province-wide daily budget stops a flood spread over numbers and addresses, and raises one alert', async () => {
    const { log, lines } = capture();
    const server = createTestServer(database.db, {
      limitStore: redisStore(freshPrefix()),
      env: { SMS_DAILY_BUDGET: '5' },
      log,
    });
    const before = await database.db
      .select({ n: sql<number>`count(*)::int` })
      .from(auditLog)
      .where(eq(auditLog.action, SMS_BUDGET_EXHAUSTED));
    const answers = await Promise.all(
      Array.from({ length: 9 }, (_, i) =>
        post(
          server.app,
          'citizen.pickupCode',
          { procedureCode: '3.000333', phone: `03880011${i}0` },
          {
            'x-forwarded-for': `192.0.2.${i + 1}`,
          },
        ),
      ),
    );
    expect(answers.filter((r) => r.status === 200)).toHaveLength(5);
    const refused = answers.filter((r) => r.status !== 200);
    expect(refused.map(codeOf)).toEqual(Array(4).fill('SMS_DAILY_BUDGET_EXHAUSTED'));
    expect(refused[0]!.status).toBe(503);
    expect(refused[0]!.body.error!.json.message).toContain('ngày mai');
    const alerts = lines
      .map((l) => JSON.parse(l) as { level: number; msg: string })
      .filter((l) => l.msg.startsWith('sms daily budget exhausted'));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.level).toBe(50);
    const after = await database.db
      .select({ n: sql<number>`count(*)::int` })
      .from(auditLog)
      .where(eq(auditLog.action, SMS_BUDGET_EXHAUSTED));
    expect(after[0]!.n - before[0]!.n).toBe(1);
  });

  it('a code goes to a mobile number only, never a landline', async () => {
    const server = createTestServer(database.db);
    const r = await post(
      server.app,
      'citizen.pickupCode',
      { procedureCode: '3.000333', phone: '0234 3822 123' },
      { 'x-forwarded-for': '192.0.2.200' },
    );
    expect(r.status).toBe(400);
    expect(codeOf(r)).toBe('OTP_PHONE_NOT_MOBILE');
    expect(await textsTo('02343822123')).toBe(0);
  });
});
