import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dossiers } from '../../server/src/db/schema';
import { createTestServer } from '../helpers/app';
import { launchChromium, listen } from '../helpers/browser';
import { createTestDatabase } from '../helpers/db';
import { inspectPdf } from '../helpers/pdf';

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

/** A clerk at the desk: signs in with the keyboard, finds the procedure typed without diacritics, opens the wizard. */
const startIntake = async (query: string) => {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  // A step that cannot happen fails in seconds with its name, instead of the test's timeout.
  page.setDefaultTimeout(8_000);
  await page.goto(`${http.url}/login`);
  await page.keyboard.type('gdv.hang');
  await page.keyboard.press('Tab');
  await page.keyboard.type('postdesk-demo');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Thủ tục hành chính' }).waitFor();
  await page.keyboard.type(query);
  await expect.poll(() => page.locator('tbody tr').count()).toBe(1);
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: /Tiếp nhận hồ sơ/ }).waitFor();
  await page.keyboard.press('Alt+T');
  await page.locator('#applicant-citizenId').waitFor();
  await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('applicant-citizenId');
  return page;
};

/** The id-card QR as a scanner types it: the whole string, then Enter. */
const scanIdCard = async (page: Page, id: string, name: string) => {
  await page.keyboard.type(
    `${id}|191234567|${name}|12041995|Nữ|12 Lê Lợi, Phường Thuận Hóa, Thành phố Huế|01082021`,
  );
  await page.keyboard.press('Enter');
  await expect.poll(() => page.locator('#applicant-fullName').inputValue()).toBe(name);
  await page.locator('#applicant-phone').fill('0905 123 456');
};

const formPdf = async (page: Page, name: RegExp) => {
  const href = await page.getByRole('link', { name }).getAttribute('href');
  const res = await page.request.get(new URL(href!, http.url).toString());
  expect(res.headers()['content-type']).toBe('application/pdf');
  return inspectPdf(new Uint8Array(await res.body()));
};

describe('the desk receives a dossier in Chromium', () => {
  it('receives with home delivery and hands over a Mẫu 01 with the code, applicant, components and due time', async () => {
    const page = await startIntake('ly lich tu phap');
    await scanIdCard(page, '046195004321', 'Trần Thị Bích');
    for (const box of await page.locator('[id^="component-"][id$="-present"]').all()) {
      if (!(await box.isChecked())) await box.check();
    }
    await page.locator('#return-post').check();
    // Delivered to the address read from the id card.
    expect(await page.locator('#delivery-same').isChecked()).toBe(true);
    await page.screenshot({ path: `${SHOTS}/intake-before-receive.png` });
    await page.keyboard.press('Alt+T');
    const code = (await page.locator('#dossier-code').innerText()).trim();
    expect(code).toMatch(/^H57\.36-\d{6}-\d{4}$/); // the department received for (Decision 468)
    const due = (await page.locator('#dossier-due').innerText()).trim();
    await page.screenshot({ path: `${SHOTS}/intake-received.png` });

    const pdf = await formPdf(page, /Mẫu 01/);
    expect(pdf.qpdfOk).toBe(true);
    expect(pdf.pages).toBe(2);
    expect(pdf.flat).toContain(code);
    expect(pdf.flat).toContain('Trần Thị Bích');
    expect(pdf.flat).toContain('Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp');
    expect(pdf.flat).toContain(due.slice(0, 10)); // dd/MM/yyyy of the due time shown on screen
    expect(pdf.flat).toMatch(/Qua dịch vụ Bưu chính công ích: 12 Lê Lợi/i);
    execFileSync('pdftoppm', ['-r', '70', '-png', '-f', '1', '-l', '1', pdf.path, `${SHOTS}/mau01`]);

    const [row] = await database.db.select().from(dossiers).where(eq(dossiers.code, code));
    expect(row).toMatchObject({ state: 'received', returnMethod: 1 });
    await page.close();
  }, 90_000);

  it('an id number of 11 digits is refused next to the field and nothing is sent', async () => {
    const page = await startIntake('ly lich tu phap');
    await page.keyboard.type('04619500432');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#applicant-citizenId-error').innerText()).toMatch(/12 chữ số/);
    await page.close();
  });

  it('asks for a supplement listing the missing component, and hands over Mẫu 02', async () => {
    const page = await startIntake('ly lich tu phap');
    await scanIdCard(page, '046195004322', 'Lê Văn Cường');
    const boxes = await page.locator('[id^="component-"][id$="-present"]').all();
    await boxes[0]!.check();
    await page.keyboard.press('Alt+B');
    await expect.poll(() => page.locator('#supplement-absent').innerText()).toMatch(/Căn cước/);
    await page.locator('#supplement-extra').fill('Bản sao giấy khai sinh');
    await page.keyboard.press('Control+Enter');
    await page.getByRole('link', { name: /Mẫu 02/ }).waitFor();
    await page.screenshot({ path: `${SHOTS}/intake-supplement.png` });
    const pdf = await formPdf(page, /Mẫu 02/);
    expect(pdf.flat).toMatch(/Căn cước/);
    expect(pdf.flat).toContain('Bản sao giấy khai sinh');
    await page.close();
  });

  it('refuses with the reason and hands over Mẫu 03; without a reason it says what to do', async () => {
    const page = await startIntake('ly lich tu phap');
    await scanIdCard(page, '046195004323', 'Phạm Thị Dung');
    await page.keyboard.press('Alt+C');
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => page.locator('#refuse-reason-error').innerText()).toMatch(/lý do/i);
    await page.locator('#refuse-reason').fill('Người nộp không phải công dân cư trú tại địa phương');
    await page.keyboard.press('Control+Enter');
    await page.getByRole('link', { name: /Mẫu 03/ }).waitFor();
    const pdf = await formPdf(page, /Mẫu 03/);
    expect(pdf.flat).toContain('Người nộp không phải công dân cư trú tại địa phương');
    await page.close();
  });
});
