import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer } from '../helpers/app';
import { createTestDatabase } from '../helpers/db';

// The built apps (`npm run build`, which `npm test` runs first): what a browser gets and may keep.
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: ReturnType<typeof createTestServer>;

beforeAll(async () => {
  database = await createTestDatabase();
  server = createTestServer(database.db);
});
afterAll(() => database.close());

const DIST = join(import.meta.dirname, '../../web-counter/dist');

describe('the built web apps', () => {
  it('index.html is checked on every visit, at / and on a client-side route', async () => {
    for (const path of ['/', '/track/H57-261208-0001', '/courier/']) {
      const res = await server.app.request(path);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-cache');
    }
  });

  it('hashed assets are kept a year and sent precompressed to browsers that accept it', async () => {
    const html = await (await server.app.request('/')).text();
    const asset = html.match(/\/assets\/[^"]+\.js/)?.[0];
    expect(asset).toBeDefined();
    const raw = readFileSync(join(DIST, asset!));

    const br = await server.app.request(asset!, { headers: { 'accept-encoding': 'gzip, br' } });
    expect(br.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('content-type')).toMatch(/javascript/);
    const brBytes = Buffer.from(await br.arrayBuffer());
    expect(brBytes.length).toBeLessThan(raw.length / 2);
    expect(Buffer.compare(brotliDecompressSync(brBytes), raw)).toBe(0);

    const gz = await server.app.request(asset!, { headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(Buffer.compare(gunzipSync(Buffer.from(await gz.arrayBuffer())), raw)).toBe(0);

    const plain = await server.app.request(asset!);
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(Buffer.compare(Buffer.from(await plain.arrayBuffer()), raw)).toBe(0);
  });
});
