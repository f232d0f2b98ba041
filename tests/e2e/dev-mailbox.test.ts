import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer } from '../helpers/app';
import { launchChromium, listen } from '../helpers/browser';
import { createTestDatabase } from '../helpers/db';

const SHOTS = process.env.DESK_SHOTS ?? '/tmp/shots/desk';
mkdirSync(SHOTS, { recursive: true });

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let http: Awaited<ReturnType<typeof listen>>;
let withProvider: Awaited<ReturnType<typeof listen>>;
let browser: Browser;

beforeAll(async () => {
  database = await createTestDatabase();
  http = await listen(createTestServer(database.db).app);
  // A server that sends real texts through a provider has no mailbox to link to.
  withProvider = await listen(
    createTestServer(database.db, {
      env: { SMS_PROVIDER_URL: 'http://127.0.0.1:9/sms', SMS_PROVIDER_KEY: 'provider-key' },
    }).app,
  );
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await http?.close();
  await withProvider?.close();
  await database?.close();
});

describe('the test SMS mailbox can be found by a newcomer', () => {
  it('the login page links to it, and signing in from there opens the mailbox', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await page.goto(`${http.url}/login`);
    const link = page.getByRole('link', { name: 'Hộp thư SMS thử nghiệm' });
    await link.waitFor();
    await page.screenshot({ path: `${SHOTS}/login-mailbox-link.png` });
    await link.click();
    await expect.poll(() => page.url(), { timeout: 10_000 }).toMatch(/\/login\?next=%2Fmailbox$/);
    await page.locator('input[name="username"]').fill('gdv.hang');
    await page.locator('input[type="password"]').fill('postdesk-demo');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/mailbox$/);
    await page.getByRole('heading', { name: 'Hộp thư thử nghiệm' }).waitFor();
    await page.close();
  });

  it('the citizen pages (tracking, home pickup) link to it too', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    for (const path of ['/track', '/request-pickup']) {
      await page.goto(`${http.url}${path}`);
      await page.getByRole('link', { name: 'Hộp thư SMS thử nghiệm' }).waitFor();
    }
    await page.close();
  });

  it('a sign-in never follows a "next" that leaves the app', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await page.goto(`${http.url}/login?next=${encodeURIComponent('//evil.example/x')}`);
    await page.locator('input[name="username"]').fill('gdv.hang');
    await page.locator('input[type="password"]').fill('postdesk-demo');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Thủ tục hành chính' }).waitFor();
    expect(new URL(page.url()).origin).toBe(http.url);
    await page.close();
  });

  it('no link where texts go out through a real provider', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await page.goto(`${withProvider.url}/login`);
    await page.locator('input[name="username"]').waitFor();
    // The answer that hides the link has come back once the page asked for it.
    await page.waitForLoadState('networkidle');
    expect(await page.getByRole('link', { name: 'Hộp thư SMS thử nghiệm' }).count()).toBe(0);
    await page.close();
  });
});
