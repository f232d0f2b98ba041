import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer } from '../helpers/app';
import { launchChromium, listen } from '../helpers/browser';
import { createTestDatabase } from '../helpers/db';
import { intakeFor } from '../helpers/intake';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let http: Awaited<ReturnType<typeof listen>>;
let browser: Browser;

beforeAll(async () => {
  database = await createTestDatabase();
  const server = createTestServer(database.db);
  // Open dossiers at Bưu điện … (H57.90.04), one of the supervisor's five offices.
  const clerk = await server.callerAs('gdv.duyen');
  const lltp = await clerk.catalog.procedure({ code: '3.000333' });
  const commune = (await clerk.catalog.communes())[0]!.code;
  for (let i = 0; i < 3; i++) await clerk.intake.submit(intakeFor(lltp, commune));
  http = await listen(server.app);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await http?.close();
  await database?.close();
});

const signIn = async (username: string) => {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  await page.goto(`${http.url}/login`);
  await page.locator('input[autocomplete="username"], input[name="username"]').first().fill(username);
  await page.locator('input[type="password"]').fill('postdesk-demo');
  await page.keyboard.press('Enter');
  return page;
};

describe('each role lands on its own work', () => {
  it('the supervisor lands on the deadline board of an office with open dossiers', async () => {
    const page = await signIn('giamsat.nguyet');
    await page.waitForURL(/\/board$/);
    const office = page.locator('.office-select select');
    await expect.poll(() => office.inputValue()).not.toBe('');
    const chosen = await office.locator('option:checked').innerText();
    const first = await office.locator('option').first().innerText();
    expect(chosen).not.toBe(first);
    expect(chosen).toContain('Phú Lộc');
    await page.close();
  });

  it('the agency official lands on the agency inbox, not the catalogue', async () => {
    const page = await signIn('stp.lan');
    await page.waitForURL(/\/agency$/);
    expect(page.url()).toMatch(/\/agency$/);
    await page.goto(`${http.url}/`);
    await page.waitForURL(/\/agency$/);
    await page.close();
  });

  it('the courier who signs in at the desk is taken to the courier app', async () => {
    const page = await signIn('buuta.hung');
    await page.waitForURL(/\/courier\/$/);
    await page.close();
  });

  it('the clerk still lands on the catalogue', async () => {
    const page = await signIn('gdv.hang');
    await page.getByRole('heading', { name: 'Thủ tục hành chính' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    await page.close();
  });
});
