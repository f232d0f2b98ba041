import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer } from '../helpers/app';
import { createTestDatabase } from '../helpers/db';

let database: Awaited<ReturnType<typeof createTestDatabase>>;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

describe('whether pages link to the development mailbox', () => {
  it('yes on a test server, to anyone (the login page asks before signing in)', async () => {
    const anonymous = await createTestServer(database.db).callerAs(null);
    expect(await anonymous.notify.mailboxShown()).toEqual({ shown: true });
  });

  it('no when texts go out through a real provider', async () => {
    const server = createTestServer(database.db, {
      env: { SMS_PROVIDER_URL: 'http://127.0.0.1:9/sms', SMS_PROVIDER_KEY: 'provider-key' },
    });
    expect(await (await server.callerAs(null)).notify.mailboxShown()).toEqual({ shown: false });
  });
});
