import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer } from '../helpers/app';
import { createTestDatabase } from '../helpers/db';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: ReturnType<typeof createTestServer>;

beforeAll(async () => {
  database = await createTestDatabase();
  server = createTestServer(database.db);
});
afterAll(() => database.close());

describe('paths the web apps do not hold', () => {
  it('a missing icon, script or stylesheet is a 404, never the app page', async () => {
    for (const path of [
      '/favicon.ico',
      '/apple-touch-icon.png',
      '/assets/index-deadbeef.js',
      '/assets/index-deadbeef.css',
      '/robots.txt',
      '/courier/assets/missing.js',
      '/courier/favicon.ico',
    ]) {
      const res = await server.app.request(path);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
      expect(res.headers.get('content-type') ?? '').not.toMatch(/html/);
    }
  });

  it('client-side routes, including ones with dots in a procedure code, still get the app page', async () => {
    for (const path of ['/', '/login', '/intake/3.000333', '/pay/HDABCDEFGHJKMNPQRS', '/courier/task/1']) {
      const res = await server.app.request(path);
      // 200 with the page when the apps are built, 503 "not built" otherwise: never a 404.
      expect({ path, ok: [200, 503].includes(res.status) }).toEqual({ path, ok: true });
    }
  });
});
