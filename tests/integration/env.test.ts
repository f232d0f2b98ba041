import { describe, expect, it } from 'vitest';
import { parseEnv } from '../../server/src/env';

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
