import { mkdirSync } from 'node:fs';
import { isWorkingDay } from '@postdesk/shared';
import { eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { offices } from '../../server/src/db/schema';
import { loadHolidayTables } from '../../server/src/intake/holidays';
import { kioskKey } from '../../server/src/queue/router';
import { violations } from '../helpers/a11y';
import { createTestServer } from '../helpers/app';
import { launchChromium, listen } from '../helpers/browser';
import { createTestDatabase } from '../helpers/db';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: ReturnType<typeof createTestServer>;
let http: Awaited<ReturnType<typeof listen>>;
let browser: Browser;
let officeId: string;
/** The next working day after today, local `YYYY-MM-DD`: the server's clock is set to its morning. */
let day: string;
const SHOTS = '/tmp/shots';

const at = (hhmm: string) => vi.setSystemTime(new Date(`${day}T${hhmm}:00+07:00`));

const signIn = async (page: Page, username: string) => {
  await page.goto(`${http.url}/login`);
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill('postdesk-demo');
  await page.keyboard.press('Enter');
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
};

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  database = await createTestDatabase();
  const holidays = await loadHolidayTables(database.db);
  // Ahead of the real clock (the browser's cookies must not look expired), on a day the office works.
  let d = new Date(Date.now() + 86_400_000);
  while (!isWorkingDay(d, holidays)) d = new Date(d.getTime() + 86_400_000);
  day = new Date(d.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
  vi.useFakeTimers({ toFake: ['Date'] });
  at('08:55');
  const [office] = await database.db
    .select({ id: offices.id })
    .from(offices)
    .where(eq(offices.code, 'H57.90.01'));
  officeId = office!.id;
  // Sessions start at the database's (real) clock; the server's runs up to a long weekend ahead of it.
  server = createTestServer(database.db, { env: { SESSION_TTL_HOURS: '720' } });
  http = await listen(server.app);
  browser = await launchChromium();
});
afterAll(async () => {
  vi.useRealTimers();
  await browser?.close();
  await http?.close();
  await database?.close();
});

describe('the counter queue in Chromium', () => {
  it('three numbers taken, the desk calls next twice, the screen shows and says the call, the board shows the waits', async () => {
    // The waiting room's TV, with the browser's speech synthesis recorded.
    const screen = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
    await screen.addInitScript(() => {
      const said: string[] = [];
      (window as unknown as { said: string[] }).said = said;
      Object.defineProperty(window, 'speechSynthesis', {
        value: { speak: (u: { text: string }) => said.push(u.text), getVoices: () => [] },
      });
    });
    await screen.goto(`${http.url}/queue/screen/${officeId}`);
    await screen.getByText('Chưa có số nào được gọi.').waitFor();
    await screen.getByRole('button', { name: 'Bật âm thanh gọi số' }).click();

    // Two numbers from the kiosk at the door…
    const kiosk = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
    await kiosk.goto(
      `${http.url}/queue/kiosk/${officeId}?key=${kioskKey(server.env.SESSION_SECRET, officeId)}`,
    );
    const groupA = kiosk.getByRole('button', { name: /Tư pháp – hộ tịch/ });
    await groupA.waitFor();
    await kiosk.screenshot({ path: `${SHOTS}/queue-kiosk.png` });
    expect(await violations(kiosk)).toEqual([]);
    at('09:00');
    await groupA.click();
    await expect.poll(() => kiosk.locator('.kiosk-issued-number').textContent()).toBe('A001');
    await kiosk.screenshot({ path: `${SHOTS}/queue-kiosk-issued.png` });
    await kiosk.getByRole('button', { name: 'Xong — lấy số khác' }).click();
    at('09:02');
    await groupA.click();
    await expect.poll(() => kiosk.locator('.kiosk-issued-number').textContent()).toBe('A002');

    // …and one from an elderly citizen's phone, through the desk's QR code, naming the procedure.
    const phone = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
    at('09:04');
    await phone.goto(`${http.url}/queue/take/${officeId}?procedure=3.000333`);
    await phone.getByLabel('Họ và tên (không bắt buộc)').fill('Trần Thị Mai');
    await phone.getByLabel('Số điện thoại').fill('0905 123 456');
    await phone.getByLabel('Người cao tuổi (từ 60 tuổi)').check();
    await phone.getByRole('button', { name: 'Lấy số ngay' }).last().click();
    await phone.waitForURL(/\/queue\/ticket\//);
    await expect.poll(() => phone.locator('.queue-ticket-number').textContent()).toBe('A003');
    await expect
      .poll(() => phone.locator('.queue-ticket-status').textContent())
      .toBe('2 người lấy số trước bạn (người được ưu tiên có thể được gọi trước)');
    await phone.screenshot({ path: `${SHOTS}/queue-phone-ticket.png` });
    expect(await violations(phone)).toEqual([]);

    // The clerk at Quầy 1 calls next: the elderly citizen first, and intake opens with her name and phone.
    const desk = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
    await signIn(desk, 'gdv.hang');
    await desk.goto(`${http.url}/queue`);
    await desk.getByLabel('Quầy của bạn').selectOption({ label: 'Quầy 1' });
    await desk.screenshot({ path: `${SHOTS}/queue-desk.png` });
    at('09:10');
    await desk.getByRole('button', { name: /Gọi số tiếp theo/ }).click();
    await desk.waitForURL(/\/intake\/3\.000333/);
    await expect.poll(() => desk.locator('#applicant-fullName').inputValue()).toBe('Trần Thị Mai');
    expect(await desk.locator('#applicant-phone').inputValue()).toBe('0905123456');
    await desk.getByText('Từ số A003').waitFor();
    await expect
      .poll(() => phone.locator('.queue-ticket-status').textContent(), { timeout: 15_000 })
      .toBe('Mời bạn đến Quầy 1');

    // Served; the next call (F2) finishes A003 and calls the longest wait, A001.
    await desk.goto(`${http.url}/queue`);
    await desk.locator('.queue-serving-number').getByText('A003').waitFor();
    at('09:15');
    await desk.keyboard.press('F2');
    await desk.locator('.queue-serving-number').getByText('A001').waitFor();
    await desk.screenshot({ path: `${SHOTS}/queue-desk-serving.png` });
    expect(await violations(desk)).toEqual([]);

    // The waiting room sees and hears the call.
    await expect
      .poll(() => screen.locator('.screen-latest-number').textContent(), { timeout: 15_000 })
      .toBe('A001');
    expect(await screen.locator('.screen-latest-desk').textContent()).toBe('Quầy 1');
    expect(await screen.locator('tr[data-ticket="A003"]').count()).toBe(1);
    await expect
      .poll(() => screen.evaluate(() => (window as unknown as { said: string[] }).said), { timeout: 15_000 })
      .toContain('Mời số A không không một đến Quầy 1');
    await screen.screenshot({ path: `${SHOTS}/queue-screen.png` });
    expect(await violations(screen)).toEqual([]);

    // The supervisor's board: A003 waited 6 minutes, A001 15: 10.5 on average at Quầy 1, one still waiting.
    at('09:20');
    const board = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    await signIn(board, 'giamsat.nguyet');
    await board.goto(`${http.url}/board`);
    const row = board.locator('tr[data-queue-row="Bưu điện thành phố Huế — Quầy 1"]');
    await row.waitFor();
    expect(await row.locator('[data-figure="avg-wait"]').textContent()).toBe('10.5 phút');
    const group = board.locator('tr[data-queue-row^="Bưu điện thành phố Huế — A "]');
    expect(await group.locator('td').nth(6).textContent()).toBe('1');
    await board.locator('#board-queue-title').scrollIntoViewIfNeeded();
    await board.screenshot({ path: `${SHOTS}/queue-board.png` });
  }, 240_000);
});
