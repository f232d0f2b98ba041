import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { DEFAULT_OFFICE_HOURS, workingHoursBetween } from '@postdesk/shared';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHandMade, FEBRUARY_2026, type HandMadeCase } from '../../server/src/board/hand-made';
import { monthOf, monthsBack, refreshRollups, warnDeadlines } from '../../server/src/board/service';
import { loadHolidayTables } from '../../server/src/intake/holidays';
import { createTestServer } from '../helpers/app';
import { launchChromium, listen } from '../helpers/browser';
import { createTestDatabase } from '../helpers/db';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: ReturnType<typeof createTestServer>;
let http: Awaited<ReturnType<typeof listen>>;
let browser: Browser;
let page: Page;
let built: Awaited<ReturnType<typeof buildHandMade>>;
const SHOTS = '/tmp/shots';

/** Local `YYYY-MM-DD HH:MM` of an instant. */
const localText = (d: Date) =>
  new Date(d.getTime() + 7 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  database = await createTestDatabase();
  const now = new Date();
  const calendar = { holidays: await loadHolidayTables(database.db), hours: DEFAULT_OFFICE_HOURS };
  // One dossier with about 12 working hours left (at risk), one received now (on track).
  let t = new Date(now.getTime());
  while (workingHoursBetween(t, now, calendar) < 12) t = new Date(t.getTime() - 30 * 60_000);
  const live: HandMadeCase[] = [
    { name: 'L at risk now', received: localText(t), steps: [] },
    { name: 'M received now', received: localText(new Date(now.getTime() - 60_000)), steps: [] },
  ];
  built = await buildHandMade(database.db, [...FEBRUARY_2026, ...live]);
  // E went by post: its courier found nobody at home once in February before delivering.
  await database.db.execute(sql`
    with t as (
      insert into courier_tasks (dossier_id, office_id, kind, state, address, attempts, created_at, completed_at)
      select id, ${built.officeId}, 'delivery', 'done', 'Thôn 1, xã Phú Mậu', 2, '2026-02-24T02:00:00Z',
             '2026-02-26T03:00:00Z'
      from dossiers where code = ${codeOf('E')} returning id, dossier_id)
    insert into courier_proofs (client_action_id, task_id, dossier_id, courier_id, kind, payload, server_at)
    select 'board-e2e-fail-1', t.id, t.dossier_id, u.id, 'failed_delivery', '{"reason":"absent"}',
           '2026-02-25T03:00:00Z'
    from t, users u where u.username = 'buuta.hung'`);
  await refreshRollups(database.db, monthsBack(monthOf(now), 12), now);
  await refreshRollups(database.db, ['2026-01', '2026-02'], now);
  await warnDeadlines(database.db, now);
  server = createTestServer(database.db);
  http = await listen(server.app);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.setDefaultTimeout(10_000);
  await page.goto(`${http.url}/login`);
  await page.keyboard.type('giamsat.nguyet');
  await page.keyboard.press('Tab');
  await page.keyboard.type('postdesk-demo');
  await page.keyboard.press('Enter');
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
});
afterAll(async () => {
  await browser?.close();
  await http?.close();
  await database?.close();
});

const codeOf = (name: string) => Object.entries(built.made).find(([k]) => k.startsWith(name))![1].code!;

describe('the supervisor’s deadline board in Chromium', () => {
  it('lists the open dossiers with their risk, sortable and filterable, each linking to the dossier', async () => {
    await page.goto(`${http.url}/board`);
    await page.getByRole('heading', { level: 1, name: 'Theo dõi hạn xử lý' }).waitFor();
    const row = (name: string) => page.locator(`tr[data-dossier="${codeOf(name)}"]`);
    await row('H').waitFor();
    await expect.poll(() => row('H').locator('.risk').textContent()).toBe('Quá hạn');
    expect(await row('I').locator('.risk').textContent()).toBe('Quá hạn');
    expect(await row('L').locator('.risk').textContent()).toBe('Sắp trễ');
    expect(await row('M').locator('.risk').textContent()).toBe('Trong hạn');
    expect(await row('H').locator('td').nth(5).textContent()).toBe('Cơ quan');
    expect(await row('M').locator('td').nth(5).textContent()).toBe('Quầy');
    expect(await row('H').getByRole('link').getAttribute('href')).toBe(
      `/dossiers/${built.made['H unfinished and overdue at the month end']!.id}`,
    );
    // The closest to its due time comes first.
    const first = await page.locator('tbody tr').first().getAttribute('data-dossier');
    expect([codeOf('H'), codeOf('I')]).toContain(first);
    await page.screenshot({ path: `${SHOTS}/board.png`, fullPage: true });

    await page.getByLabel('Mức rủi ro').selectOption('at_risk');
    await expect.poll(() => page.locator('tbody tr').count()).toBe(1);
    await row('L').waitFor();
    await page.getByLabel('Mức rủi ro').selectOption('');
    await page.getByRole('columnheader', { name: 'Còn lại' }).getByRole('button').click();
    await expect.poll(() => page.locator('tbody tr').first().getAttribute('data-dossier')).toBe(codeOf('M'));
    await page.getByText('Cảnh báo đã gửi').waitFor();
    expect(await page.locator('.board-warnings li').count()).toBeGreaterThanOrEqual(3);
  });
});

describe('the indicators page in Chromium', () => {
  it('shows the hand-made figures of February 2026 and opens the dossiers behind a figure', async () => {
    await page.goto(`${http.url}/indicators`);
    await page.getByRole('heading', { level: 1, name: 'Chỉ số phục vụ (Quyết định 766)' }).waitFor();
    const month = page.getByRole('textbox', { name: 'Tháng' });
    await month.fill('2026-02');
    await month.dispatchEvent('change');
    await page.getByRole('heading', { name: 'Xếp hạng tháng 02/2026' }).waitFor();
    const unit = page.locator(`tr[data-unit="${built.officeId}"]`);
    await expect.poll(() => unit.locator('[data-indicator="onTime"] .ind-rate').textContent()).toBe('55,56%');
    expect(await unit.locator('[data-indicator="onTime"] .ind-frac').textContent()).toBe('5/9 · 11,11/20');
    expect(await unit.locator('[data-indicator="digitization"] .ind-rate').textContent()).toBe('66,67%');
    expect(await unit.locator('[data-indicator="electronicResult"] .ind-frac').textContent()).toBe(
      '3/5 · 13,2/22',
    );
    expect(await unit.locator('[data-indicator="onlinePayment"] .ind-rate').textContent()).toBe('N/A');
    expect(await unit.locator('[data-indicator="satisfaction"] .ind-rate').textContent()).toBe('44,44%');
    // Online services (12) and online payment (10) are two groups; publicity is not entered, so the unit is
    // scored on the dossier groups that apply (72 of 82 here, online payment being N/A) and the page says so.
    expect(await unit.textContent()).toContain('34,2/72 (chưa nhập điểm công khai: tính trên 82)');
    expect(await unit.textContent()).toContain('47,5%');
    expect(await page.locator('[data-indicator="postal"] .ind-frac').textContent()).toBe('1/9');
    // The courier's failed attempt, with its reason in words.
    await page.getByRole('heading', { name: 'Lý do không phát được' }).waitFor();
    expect(await page.getByText('Không có người ở nhà: 1').count()).toBe(1);
    await page.screenshot({ path: `${SHOTS}/indicators.png`, fullPage: true });

    await unit.locator('[data-indicator="onTime"]').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('heading', { name: /Đúng hạn — Bưu điện thành phố Huế/ }).waitFor();
    await dialog.getByRole('heading', { name: 'Ở tử số (5)' }).waitFor();
    await dialog.getByRole('heading', { name: 'Chỉ ở mẫu số (4)' }).waitFor();
    for (const name of ['A', 'B', 'E', 'F', 'I', 'C', 'D', 'G', 'H'])
      await dialog.locator(`tr[data-dossier="${codeOf(name)}"]`).waitFor();
    expect(await dialog.locator(`tr[data-dossier="${codeOf('C')}"]`).textContent()).toContain(
      'Yêu cầu bổ sung lần 2',
    );
    expect(await dialog.locator(`tr[data-dossier="${codeOf('H')}"]`).textContent()).toContain(
      'Chưa xong, đã quá hạn',
    );
    await page.screenshot({ path: `${SHOTS}/indicators-drilldown.png`, fullPage: false });
    await dialog.getByRole('button', { name: 'Đóng' }).click();

    // The trend charts of the roll-ups (uPlot draws on a canvas).
    await page.locator('.trend-chart canvas').first().waitFor();
    expect(await page.locator('.trend-chart').count()).toBe(2);
    await page.locator('.ind-trends').screenshot({ path: `${SHOTS}/indicators-trend.png` });
  });

  it('downloads the tables as CSV and XLSX and the monthly report as a clean PDF', async () => {
    const download = page.waitForEvent('download');
    await page.locator('.board-filters .board-export a', { hasText: 'CSV' }).click();
    const file = await (await download).path();
    const { readFileSync } = await import('node:fs');
    const csv = readFileSync(file, 'utf8');
    expect(csv.startsWith('\uFEFFHạng,Đơn vị')).toBe(true);
    expect(csv).toContain('Bưu điện thành phố Huế,55.56,5/9');

    const xlsx = await page.request.get(
      `${http.url}/reports/drilldown.xlsx?month=2026-02&groupBy=office&key=${built.officeId}&indicator=onTime`,
    );
    expect(xlsx.status()).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await xlsx.body()) as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    expect(sheet.rowCount).toBe(2 + 9);
    const codes = sheet.getColumn(1).values.slice(3).map(String).sort();
    expect(codes).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I'].map(codeOf).sort());

    const pdf = await page.request.get(`${http.url}/reports/monthly.pdf?month=2026-02`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    const path = `${SHOTS}/monthly-2026-02.pdf`;
    writeFileSync(path, await pdf.body());
    expect(() => execFileSync('qpdf', ['--check', path])).not.toThrow();
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', path, '-']).toString();
    expect(text).toContain('BÁO CÁO CHỈ SỐ CHẤT LƯỢNG PHỤC VỤ');
    expect(text).toContain('Bưu điện thành phố Huế');
    expect(text).toContain('55,56%');
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', path, `${SHOTS}/monthly-2026-02`]);

    const clerk = await browser.newContext();
    const denied = await clerk.request.get(`${http.url}/reports/monthly.pdf?month=2026-02`);
    expect(denied.status()).toBe(401);
    await clerk.close();
  });
});
