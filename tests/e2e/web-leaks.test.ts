// Two leaks through the web apps, in Chromium against the built apps (`npm run build`): a staff name rendered
// as HTML in the dispatch map (stored XSS), and the courier's offline data left on the phone after sign-out.
import { eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDeliveryTask } from '../../server/src/courier/tasks';
import type { Db } from '../../server/src/db/client';
import { users } from '../../server/src/db/schema';
import { createTestServer } from '../helpers/app';
import { launchChromium, listen } from '../helpers/browser';
import { createTestDatabase } from '../helpers/db';
import { officeId, resultReadyDossier } from '../integration/courier-setup';

const EVIL = '<img src=x id=pwned onerror="window.__pwned=1">Phan Văn Độc';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: ReturnType<typeof createTestServer>;
let http: Awaited<ReturnType<typeof listen>>;
let browser: Browser;
let hue: string;

beforeAll(async () => {
  database = await createTestDatabase();
  const db = database.db;
  server = createTestServer(db);
  hue = await officeId(db);
  for (const [lat, lng] of [
    [16.4702, 107.5961],
    [16.4601, 107.5803],
    [16.4755, 107.6012],
  ] as const) {
    const d = await resultReadyDossier(server, db, { lat, lng, window: 'any' });
    await db.transaction((tx) => ensureDeliveryTask(tx as unknown as Db, { dossierId: d.dossierId }));
  }
  http = await listen(server.app);
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.jobs.close();
  await http?.close();
  await database?.close();
});

describe('the dispatch map', () => {
  it('shows a courier’s name as text: markup in a stored name never becomes an element', async () => {
    // The only courier of the Huế post office, named by someone with access to the account.
    await database.db.update(users).set({ fullName: EVIL }).where(eq(users.username, 'buuta.hung'));
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'vi-VN' });
    await context.addInitScript(
      (key) => localStorage.setItem('postdesk.counter.membership', key),
      `${hue}:supervisor`,
    );
    const page = await context.newPage();
    await page.goto(`${http.url}/login`);
    await page.keyboard.type('giamsat.nguyet');
    await page.keyboard.press('Tab');
    await page.keyboard.type('postdesk-demo');
    await page.keyboard.press('Enter');
    await page.locator('.shell-main').waitFor();
    await page.goto(`${http.url}/dispatch`);
    await page.locator('.dispatch-pin').first().waitFor();
    await page.getByRole('button', { name: 'Lập đề xuất lộ trình' }).click();
    await page.locator('.dispatch-proposal').waitFor();
    // The route line's tooltip carries the courier's name.
    await page.locator('.dispatch-map path.leaflet-interactive').first().hover({ force: true });
    const tooltip = page.locator('.leaflet-tooltip');
    await tooltip.waitFor();
    expect(await tooltip.textContent()).toContain('<img src=x');
    expect(await page.locator('#pwned').count()).toBe(0);
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    await context.close();
  }, 120_000);
});

describe('the courier app', () => {
  it('leaves nothing of the courier on the phone after sign-out', async () => {
    await database.db.update(users).set({ fullName: 'Lê Văn Hùng' }).where(eq(users.username, 'buuta.hung'));
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'vi-VN' });
    const page = await context.newPage();
    await page.goto(`${http.url}/courier/`);
    await page.locator('input[name="username"]').fill('buuta.hung');
    await page.locator('input[name="password"]').fill('postdesk-demo');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Tuyến hôm nay' }).waitFor();
    // What the app keeps for the road: the day's route (addresses, phones) in IndexedDB.
    const stored = () =>
      page.evaluate(
        () =>
          new Promise<Record<string, number>>((resolve, reject) => {
            const open = indexedDB.open('postdesk-courier');
            open.onerror = () => reject(open.error);
            open.onsuccess = () => {
              const db = open.result;
              const names = ['actions', 'blobs', 'kv'].filter((n) => db.objectStoreNames.contains(n));
              if (names.length === 0) return resolve({});
              const tx = db.transaction(names, 'readonly');
              const counts: Record<string, number> = {};
              for (const name of names) {
                const req = tx.objectStore(name).count();
                req.onsuccess = () => {
                  counts[name] = req.result;
                };
              }
              tx.oncomplete = () => {
                db.close();
                resolve(counts);
              };
            };
          }),
      );
    await expect.poll(async () => (await stored()).kv ?? 0).toBeGreaterThan(0);
    const remembered = await page.evaluate(() => localStorage.getItem('postdesk.courier.user'));
    expect(remembered).toContain('buuta.hung');

    await page.getByRole('button', { name: /Đăng xuất/ }).click();
    await page.locator('input[name="username"]').waitFor();
    expect(await stored()).toEqual({ actions: 0, blobs: 0, kv: 0 });
    expect(await page.evaluate(() => localStorage.getItem('postdesk.courier.user'))).toBeNull();
    await context.close();
  }, 120_000);
});
