import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer } from '../helpers/app';
import { createTestDatabase } from '../helpers/db';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: ReturnType<typeof createTestServer>;
let clerkCookie: string;

beforeAll(async () => {
  database = await createTestDatabase();
  server = createTestServer(database.db, {
    env: {
      PUBLIC_URL: 'https://postdesk.example.vn',
      COURIER_TILE_URL: 'https://{s}.tiles.example.vn/{z}/{x}/{y}.png',
    },
  });
  const login = await server.app.request('/trpc/auth.login', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.8.0.1' },
    body: JSON.stringify({ json: { username: 'gdv.hang', password: 'postdesk-demo' } }),
  });
  clerkCookie = login.headers.get('set-cookie')!.split(';')[0]!;
});
afterAll(() => database.close());

describe('security headers', () => {
  it('pages carry a CSP without inline scripts, no framing, camera and geolocation for our own pages only', async () => {
    const res = await server.app.request('/');
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain('https://*.tiles.example.vn');
    expect(res.headers.get('permissions-policy')).toContain('camera=(self)');
    expect(res.headers.get('permissions-policy')).toContain('geolocation=(self)');
    expect(res.headers.get('permissions-policy')).toContain('microphone=()');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    // HSTS only where the site is served over HTTPS for good (production).
    expect(res.headers.get('strict-transport-security')).toBeNull();
  });

  it('production adds HSTS', async () => {
    const production = createTestServer(database.db, {
      env: {
        NODE_ENV: 'production',
        DATABASE_URL: 'postgres://unused',
        REDIS_URL: 'redis://127.0.0.1:6379',
        PUBLIC_URL: 'https://postdesk.example.vn',
        SESSION_SECRET: 'p'.repeat(40),
        FILES_DIR: '/tmp/postdesk-files-unused',
        PORTAL_SYNC_URL: 'https://portal.example.vn/api',
        SEED_DEMO: 'false',
        SMS_PROVIDER_URL: 'https://sms.example.vn/send',
        SMS_PROVIDER_KEY: 'k'.repeat(20),
      },
    });
    const res = await production.app.request('/api/health');
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d{8}/);
    // JSON is not a page: no CSP to get in a viewer's way, the other headers stay.
    expect(res.headers.get('content-security-policy')).toBeNull();
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('cookie-authenticated writes come from our own pages', () => {
  const upload = (headers: Record<string, string>) => {
    const form = new FormData();
    form.set('file', new File([new Uint8Array([1, 2, 3])], 'x.pdf', { type: 'application/pdf' }));
    return server.app.request('/desk/verify', {
      method: 'POST',
      headers: { cookie: clerkCookie, ...headers },
      body: form,
    });
  };

  it('a multipart upload from another site is refused before it is read', async () => {
    for (const headers of [
      { origin: 'https://evil.example' } as Record<string, string>,
      { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
      { 'sec-fetch-site': 'same-site', origin: 'https://sub.postdesk.example.vn' },
    ]) {
      const res = await upload(headers);
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({
        code: 'ORIGIN_REFUSED',
        messageEn: expect.stringContaining('PostDesk'),
      });
    }
  });

  it('the same upload from our own page goes through to the route', async () => {
    for (const headers of [
      { 'sec-fetch-site': 'same-origin', origin: 'https://postdesk.example.vn' } as Record<string, string>,
      { origin: 'https://postdesk.example.vn' },
    ]) {
      const res = await upload(headers);
      expect(((await res.json()) as { code: string }).code).toBe('PDF_INVALID');
    }
  });

  it('a cross-site tRPC mutation riding the cookie is refused too', async () => {
    const res = await server.app.request('/trpc/auth.logout', {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: clerkCookie, 'sec-fetch-site': 'cross-site' },
      body: '{}',
    });
    expect(res.status).toBe(403);
    const me = await server.app.request('/trpc/auth.me', { headers: { cookie: clerkCookie } });
    expect(((await me.json()) as { result: { data: { json: unknown } } }).result.data.json).not.toBeNull();
  });
});
