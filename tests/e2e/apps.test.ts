import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer } from '../helpers/app';
import { launchChromium, listen } from '../helpers/browser';
import { createTestDatabase } from '../helpers/db';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let http: Awaited<ReturnType<typeof listen>>;
let browser: Browser;

beforeAll(async () => {
  database = await createTestDatabase();
  http = await listen(createTestServer(database.db).app);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await http?.close();
  await database?.close();
});

describe('the desk app in Chromium', () => {
  it('a clerk signs in with the keyboard alone and finds a procedure typed without diacritics', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await page.goto(`${http.url}/`);
    await page.waitForURL(/\/login$/);
    // Focus starts in the username field; Tab and Enter do the rest.
    await page.keyboard.type('gdv.hang');
    await page.keyboard.press('Tab');
    await page.keyboard.type('postdesk-demo');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Thủ tục hành chính' }).waitFor();
    await expect.poll(() => page.locator('tbody tr').count()).toBeGreaterThanOrEqual(15);
    await expect.poll(() => page.locator('header').innerText()).toContain('Nguyễn Thị Thu Hằng');

    // The search box takes the focus when the page mounts; type only once it has it (a loaded machine can
    // still be rendering when the rows appear).
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('INPUT');
    await page.keyboard.type('ly lich tu phap');
    await expect.poll(() => page.locator('tbody tr').count()).toBe(1);
    await page.keyboard.press('Enter');
    const detail = page.locator('aside, [role="region"], .detail').first();
    await expect.poll(() => detail.innerText()).toContain('Thành phần hồ sơ');
    expect(await detail.innerText()).toContain('200.000');
    await page.close();
  });

  it('a wrong password shows what to do in Vietnamese only (English when picked), and stays on the login page', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await page.goto(`${http.url}/login`);
    await page.keyboard.type('gdv.quang');
    await page.keyboard.press('Tab');
    await page.keyboard.type('sai-mat-khau');
    await page.keyboard.press('Enter');
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.innerText()).toMatch(/mật khẩu/i);
    // Vietnamese only: no second English line unless the user picks English.
    expect(await alert.innerText()).not.toMatch(/password/i);
    expect(page.url()).toMatch(/\/login$/);
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await expect.poll(() => alert.innerText()).toMatch(/password/i);
    expect(await alert.innerText()).not.toMatch(/mật khẩu/i);
    await page.close();
  });

  it('the tab shows the PostDesk icon; /favicon.ico is a 404, not the app page', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await page.goto(`${http.url}/login`);
    const href = await page.locator('link[rel="icon"]').getAttribute('href');
    expect(href).toBe('/favicon.svg');
    const icon = await page.request.get(`${http.url}${href}`);
    expect(icon.status()).toBe(200);
    expect(icon.headers()['content-type']).toMatch(/image\/svg\+xml/);
    expect(await icon.text()).toMatch(/^<svg /);
    const ico = await page.request.get(`${http.url}/favicon.ico`);
    expect(ico.status()).toBe(404);
    expect(ico.headers()['content-type'] ?? '').not.toMatch(/html/);
    await page.close();
  });
});

describe('the courier app in Chromium', () => {
  it('a courier signs in on a phone-sized screen and sees who they are and that they are online', async () => {
    const page = await browser.newPage({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    await page.goto(`${http.url}/courier/`);
    await page.locator('input[name="username"]').fill('buuta.hung');
    await page.locator('input[name="password"]').fill('postdesk-demo');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('body').innerText()).toContain('Võ Văn Hùng');
    expect(await page.locator('body').innerText()).toContain('Trực tuyến');
    const logout = page.getByRole('button', { name: /Đăng xuất/ });
    const box = await logout.boundingBox();
    expect(box!.height).toBeGreaterThanOrEqual(48);
    await page.close();
  });
});
