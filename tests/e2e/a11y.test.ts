import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { violations } from '../helpers/a11y';
import { createTestServer } from '../helpers/app';
import { launchChromium, listen } from '../helpers/browser';
import { createTestDatabase } from '../helpers/db';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let http: Awaited<ReturnType<typeof listen>>;
let browser: Browser;
const SHOTS = process.env.E2E_SHOTS ?? '/tmp/postdesk-e2e';

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  database = await createTestDatabase();
  http = await listen(createTestServer(database.db).app);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await http?.close();
  await database?.close();
});

/** A context of its own per check: @axe-core/playwright refuses pages of the browser's default context. */
const newPage = async () => {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  page.setDefaultTimeout(8_000);
  return page;
};

const signIn = async (page: Page) => {
  await page.goto(`${http.url}/login`);
  await page.keyboard.type('gdv.hang');
  await page.keyboard.press('Tab');
  await page.keyboard.type('postdesk-demo');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Thủ tục hành chính' }).waitFor();
};

const openProcedure = async (page: Page, query: string) => {
  await page.keyboard.type(query);
  await expect.poll(() => page.locator('tbody tr').count()).toBe(1);
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: /Tiếp nhận hồ sơ/ }).waitFor();
};

/** The wizard with an applicant read from an id-card QR, every component ticked and home delivery chosen. */
const intakeWithDelivery = async (page: Page, citizenId: string) => {
  await signIn(page);
  await openProcedure(page, 'ly lich tu phap');
  await page.keyboard.press('Alt+T');
  await page.locator('#applicant-citizenId').focus();
  await page.keyboard.type(
    `${citizenId}|191234567|Trần Thị Bích|12041995|Nữ|12 Lê Lợi, Phường Thuận Hóa, Thành phố Huế|01082021`,
  );
  await page.keyboard.press('Enter');
  await expect.poll(() => page.locator('#applicant-fullName').inputValue()).toBe('Trần Thị Bích');
  await page.locator('#applicant-phone').fill('0905 123 456');
  for (const box of await page.locator('[id^="component-"][id$="-present"]').all()) {
    if (!(await box.isChecked())) await box.check();
  }
  await page.locator('#return-post').check();
  await expect
    .poll(() => page.locator('.delivery-map .map-landmark-label').count())
    .toBeGreaterThanOrEqual(3);
  return page.locator('.delivery-map');
};

describe('the desk passes axe (WCAG 2.x A and AA)', () => {
  it('the login page', async () => {
    const page = await newPage();
    await page.goto(`${http.url}/login`);
    await page.locator('input[name="username"]').waitFor();
    await page.screenshot({ path: `${SHOTS}/a11y-login.png` });
    expect(await violations(page)).toEqual([]);
    await page.context().close();
  });

  it('the catalogue with a procedure open', async () => {
    const page = await newPage();
    await signIn(page);
    await openProcedure(page, 'ly lich tu phap');
    expect(await violations(page)).toEqual([]);
    await page.context().close();
  });

  it('the intake wizard with home delivery, its map and a field error', async () => {
    const page = await newPage();
    const map = await intakeWithDelivery(page, '046195007001');
    await page.locator('#delivery-same').uncheck();
    await page.locator('#delivery-line').fill('5 Đống Đa');
    await map.click();
    await expect.poll(() => page.locator('#delivery-lat').inputValue()).not.toBe('');
    expect(await violations(page)).toEqual([]);

    await page.locator('#delivery-lng').fill('130');
    await page.keyboard.press('Tab');
    await expect.poll(() => page.locator('#delivery-lng-error').innerText()).toMatch(/từ 102 đến 118/);
    expect(await violations(page)).toEqual([]);
    await page.context().close();
  });

  it('the result after receiving', async () => {
    const page = await newPage();
    await intakeWithDelivery(page, '046195007002');
    await page.keyboard.press('Alt+T');
    await page.locator('#dossier-code').waitFor();
    expect(await violations(page)).toEqual([]);
    await page.context().close();
  });

  it('the desk’s day', async () => {
    const page = await newPage();
    await signIn(page);
    await page.keyboard.press('Alt+H');
    await page.waitForURL(/\/today$/);
    await page.locator('table').first().waitFor();
    expect(await violations(page)).toEqual([]);
    await page.context().close();
  });
});

describe('the delivery map, with no tile server', () => {
  it('a click or a drag sets the coordinates, typed coordinates move the pin, and Tab never stops in the map', async () => {
    const page = await newPage();
    const map = await intakeWithDelivery(page, '046195007003');
    await page.locator('#step-fees').evaluate((section) => section.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: `${SHOTS}/map-opened.png` });
    // Opens on the applicant's commune (Phường Thuận Hóa, about 16.464, 107.593).
    await map.click();
    const lat = Number(await page.locator('#delivery-lat').inputValue());
    const lng = Number(await page.locator('#delivery-lng').inputValue());
    expect(lat).toBeGreaterThan(16.43);
    expect(lat).toBeLessThan(16.5);
    expect(lng).toBeGreaterThan(107.55);
    expect(lng).toBeLessThan(107.63);
    const pin = page.locator('.delivery-map .leaflet-marker-icon');
    await expect.poll(() => pin.count()).toBe(1);

    const box = (await pin.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height - 4);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 60, box.y + box.height - 4 + 30, { steps: 8 });
    await page.mouse.up();
    await expect
      .poll(async () => Number(await page.locator('#delivery-lng').inputValue()))
      .toBeGreaterThan(lng);
    expect(Number(await page.locator('#delivery-lat').inputValue())).toBeLessThan(lat);
    await page.screenshot({ path: `${SHOTS}/map-pinned.png` });

    const before = (await pin.boundingBox())!;
    await page.locator('#delivery-lat').fill(String(lat + 0.01));
    await expect.poll(async () => (await pin.boundingBox())!.y).toBeLessThan(before.y - 20);

    await page.locator('#delivery-lat').focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('delivery-lng');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => Boolean(document.activeElement?.closest('.delivery-map')))).toBe(false);

    await page.locator('#delivery-lat').fill('30');
    await page.keyboard.press('Tab');
    await expect.poll(() => page.locator('#delivery-lat-error').innerText()).toMatch(/từ 8 đến 24/);
    await page.screenshot({ path: `${SHOTS}/map-error.png` });

    // Another delivery commune: the map moves there.
    await page.locator('#delivery-same').uncheck();
    await page.locator('#delivery-line').fill('3 Nguyễn Phúc Nguyên');
    await page.locator('#delivery-communeCode').focus();
    await page.keyboard.type('kim long');
    await page.keyboard.press('Enter');
    const centre = (await map.boundingBox())!;
    const kimLong = page.locator('.delivery-map .map-landmark-label', { hasText: /^Kim Long$/ });
    await expect
      .poll(async () => Math.abs((await kimLong.boundingBox())!.y - (centre.y + centre.height / 2)))
      .toBeLessThan(30);
    await page.screenshot({ path: `${SHOTS}/map-other-commune.png` });
    await page.context().close();
  });

  it('opens on the whole province, points without names, while the applicant has no commune yet', async () => {
    const page = await newPage();
    await signIn(page);
    await openProcedure(page, 'ly lich tu phap');
    await page.keyboard.press('Alt+T');
    await page.locator('#return-post').check();
    await expect.poll(() => page.locator('.delivery-map path').count()).toBeGreaterThanOrEqual(30);
    await expect.poll(() => page.locator('.delivery-map .map-landmark-label').count()).toBe(0);
    await page.locator('#step-fees').evaluate((section) => section.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: `${SHOTS}/map-province.png` });
    await page.context().close();
  });
});
