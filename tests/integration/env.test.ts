import { describe, expect, it } from 'vitest';
import { parseEnv } from '../../server/src/env';
import { createTestServer } from '../helpers/app';
import { createTestDatabase } from '../helpers/db';

describe('configuration at start-up', () => {
  it('runs on embedded defaults in development: PGlite in ./data, in-process jobs', () => {
    const env = parseEnv({});
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.REDIS_URL).toBeUndefined();
    expect(env.pgliteDir).toMatch(/data\/pglite$/);
    expect(env.PORT).toBe(3000);
  });

  it('production refuses every development default and names each one', () => {
    expect(() => parseEnv({ NODE_ENV: 'production' })).toThrow(
      /DATABASE_URL[\s\S]*REDIS_URL[\s\S]*PUBLIC_URL[\s\S]*SESSION_SECRET[\s\S]*FILES_DIR[\s\S]*PORTAL_SYNC_URL[\s\S]*SEED_DEMO/,
    );
  });

  it('production starts when everything is set', () => {
    const env = parseEnv({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://app@db/postdesk',
      REDIS_URL: 'redis://cache:6379',
      PUBLIC_URL: 'https://postdesk.hue.gov.vn',
      SESSION_SECRET: 'x'.repeat(40),
      FILES_DIR: '/srv/postdesk/files',
      PORTAL_SYNC_URL: 'https://dichvucong.gov.vn/api',
      SEED_DEMO: 'false',
    });
    expect(env.filesDir).toBe('/srv/postdesk/files');
  });

  it('a malformed value is named, not silently defaulted', () => {
    expect(() => parseEnv({ PORT: 'eighty' })).toThrow(/PORT/);
  });

  it('links follow HOST and PORT when PUBLIC_URL is unset, and PUBLIC_URL wins when set', () => {
    expect(parseEnv({}).PUBLIC_URL).toBe('http://localhost:3000');
    expect(parseEnv({ PORT: '8080' }).PUBLIC_URL).toBe('http://localhost:8080');
    expect(parseEnv({ HOST: '::', PORT: '8081' }).PUBLIC_URL).toBe('http://localhost:8081');
    expect(parseEnv({ HOST: '192.168.1.20', PORT: '4000' }).PUBLIC_URL).toBe('http://192.168.1.20:4000');
    expect(parseEnv({ HOST: 'fe80::1', PORT: '4000' }).PUBLIC_URL).toBe('http://[fe80::1]:4000');
    expect(parseEnv({ PORT: '8080', PUBLIC_URL: 'https://postdesk.hue.gov.vn' }).PUBLIC_URL).toBe(
      'https://postdesk.hue.gov.vn',
    );
  });

  it('a server on PORT=8123 prints desk QR codes that open on port 8123, not 3000', async () => {
    const database = await createTestDatabase();
    try {
      const server = createTestServer(database.db, { env: { PORT: '8123' } });
      const clerk = await server.callerAs('gdv.hang');
      const desks = await clerk.feedback.deskQrs();
      expect(desks.length).toBeGreaterThan(0);
      for (const d of desks) expect(d.url).toMatch(/^http:\/\/localhost:8123\/feedback\?desk=/);
    } finally {
      await database.close();
    }
  });
});

describe('the proxy setting', () => {
  it('TRUST_PROXY=true still means one hop; TRUST_PROXY_HOPS says how many; none by default', () => {
    expect(parseEnv({}).proxyHops).toBe(0);
    expect(parseEnv({ TRUST_PROXY: 'true' }).proxyHops).toBe(1);
    expect(parseEnv({ TRUST_PROXY: 'true', TRUST_PROXY_HOPS: '2' }).proxyHops).toBe(2);
    expect(parseEnv({ TRUST_PROXY_HOPS: '0', TRUST_PROXY: 'true' }).proxyHops).toBe(0);
    expect(() => parseEnv({ TRUST_PROXY_HOPS: '-1' })).toThrow(/TRUST_PROXY_HOPS/);
  });
});
