import { mkdirSync } from 'node:fs';
import { and, eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, dossiers, payments } from '../../server/src/db/schema';
import { countActions } from '../helpers/actions';
import { createTestServer } from '../helpers/app';
import { launchChromium, listen, signInAtDesk } from '../helpers/browser';
import { createTestDatabase } from '../helpers/db';
import { jpeg } from '../helpers/scans';

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

/** Signed in and on the catalogue: not counted (the clerk signs in once a morning). */
const deskPage = async () => {
  const page = await signInAtDesk(browser, http.url);
  await page.getByRole('heading', { name: 'Thủ tục hành chính' }).waitFor();
  return page;
};

const focused = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');

const scans = () =>
  Promise.all(
    [
      'Đơn đề nghị',
      'Giấy chứng nhận quyền sử dụng đất',
      'Quyết định phê duyệt',
      'Bản vẽ thiết kế',
      'Thẩm duyệt PCCC',
    ].map((label) => jpeg(label)),
  );

/**
 * From the procedure search to the dossier forwarded, counting every key, click and dialog: receive with the
 * five components, delivery by post, Mẫu 01 printed, fee and postage collected in cash, five pages scanned in one
 * dialog, everything signed and forwarded in one step.
 */
const walk = async (page: Page, applicant: 'typed' | 'qr', id: string) => {
  const act = countActions(page);
  // Five components, a fee and delivery by post: the building permit for grade I–II works (1.009974).
  await act.type('giay phep xay dung khong theo tuyen', 'procedure search');
  await expect.poll(() => page.locator('tbody tr').count()).toBe(1);
  await act.press('Enter');
  await page.getByRole('button', { name: /Tiếp nhận hồ sơ/ }).waitFor();
  await act.press('Alt+T');
  await expect.poll(() => focused(page)).toBe('applicant-citizenId');

  if (applicant === 'typed') {
    await act.type(id, 'id number');
    await act.press('Enter');
    await expect.poll(() => focused(page)).toBe('applicant-fullName');
    await act.type('Nguyễn Văn Bình', 'full name');
    await act.press('Enter');
    await expect.poll(() => focused(page)).toBe('applicant-dateOfBirth');
    await act.type('12041985', 'birth date'); // complete: moves on by itself
    await expect.poll(() => focused(page)).toBe('applicant-phone');
  } else {
    // The id-card QR as the scanner types it: one line, then Enter.
    await act.type(
      `${id}|191234567|Nguyễn Văn Bình|12041985|Nam|12 Lê Lợi, Phường Thuận Hóa, Thành phố Huế|01082021`,
      'id-card QR',
    );
    await act.press('Enter');
    await expect.poll(() => focused(page)).toBe('applicant-phone');
  }
  await act.type('0905 123 456', 'phone'); // complete: moves on by itself
  if (applicant === 'typed') {
    await expect.poll(() => focused(page)).toBe('applicant-line');
    // The commune is read from the address as typed: no commune field to fill.
    await act.type('12 Lê Lợi, Phường Thuận Hóa', 'address');
    await act.press('Enter');
  }
  await expect.poll(() => focused(page)).toBe('components-all');
  await act.press('Alt+A');
  await act.press('Alt+P');
  expect(await page.locator('#return-post').isChecked()).toBe(true);
  expect(await page.locator('#delivery-same').isChecked()).toBe(true);
  await page.screenshot({ path: `${SHOTS}/counted-desk-${applicant}-before-receive.png` });
  await act.press('Alt+T');

  const code = (await page.locator('#dossier-code').innerText()).trim();
  // Mẫu 01 goes to the printer from a hidden frame: the clerk only presses Print in the browser's dialog.
  await page.locator('#print-frame[data-loaded="true"]').waitFor({ state: 'attached' });
  act.outside('print dialog: Print');
  const collect = page.locator('#result-collect');
  await expect.poll(() => collect.innerText()).toMatch(/Thu tiền mặt/);
  await page.screenshot({ path: `${SHOTS}/counted-desk-${applicant}-received.png` });
  await act.press('Alt+R');
  await expect
    .poll(() => page.locator('.result-bills .bill-state').allInnerTexts())
    .toEqual(['Đã thu', 'Đã thu']);

  const chooser = page.waitForEvent('filechooser');
  await act.press('Alt+S');
  act.outside('file dialog: the five scans, chosen at once');
  await (await chooser).setFiles(await scans());
  await page.waitForURL('**/scan');
  await expect
    .poll(() => page.locator('.page-tile[data-state="ready"]').count(), { timeout: 90_000 })
    .toBe(5);
  for (const panel of await page.locator('.scan-component').all())
    expect(await panel.locator('.page-tile').count()).toBe(1);
  const signForward = page.locator('#scan-sign-forward');
  await expect.poll(() => signForward.isEnabled(), { timeout: 30_000 }).toBe(true);
  await page.screenshot({ path: `${SHOTS}/counted-desk-${applicant}-scanned.png` });
  await act.press('Alt+L');
  await expect.poll(() => page.locator('#scan-state').innerText(), { timeout: 60_000 }).toMatch(/Đã chuyển/);
  await page.screenshot({ path: `${SHOTS}/counted-desk-${applicant}-forwarded.png` });
  return { code, act };
};

describe('the desk flow, counted (issue 16)', () => {
  it('receives, prints, collects, scans, signs and forwards in at most 20 actions with the id typed', async () => {
    const page = await deskPage();
    const { code, act } = await walk(page, 'typed', '046085004321');
    expect(act.log).toHaveLength(19);
    expect(act.count).toBeLessThanOrEqual(20);

    const [dossier] = await database.db.select().from(dossiers).where(eq(dossiers.code, code));
    expect(dossier).toMatchObject({ state: 'forwarded', returnMethod: 1 });
    expect(dossier!.deliveryAddress).toMatchObject({ communeCode: '19789' });
    // What Mẫu 01 totals exists as bills, paid in cash by this clerk, each with a numbered e-receipt.
    const bills = await database.db.select().from(payments).where(eq(payments.dossierId, dossier!.id));
    expect(bills.map((b) => [b.kind, b.state, b.method]).sort()).toEqual([
      ['fee', 'paid', 'cash'],
      ['postal_tariff', 'paid', 'cash'],
    ]);
    for (const bill of bills) {
      expect(bill.recordedBy).not.toBeNull();
      expect(bill).toMatchObject({ receiptForm: '01BLP0-001', payerName: 'Nguyễn Văn Bình' });
      expect(bill.receiptSeries).toMatch(/^BD-\d{2}E$/);
      const audited = await database.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, 'payment.recorded'), eq(auditLog.target, bill.id)));
      expect(audited).toHaveLength(1);
      expect(audited[0]).toMatchObject({ userId: bill.recordedBy, role: 'clerk' });
    }
    await page.close();
  }, 240_000);

  it('takes at most 15 actions with the id-card QR scanner', async () => {
    const page = await deskPage();
    const { code, act } = await walk(page, 'qr', '046085004322');
    expect(act.log).toHaveLength(14);
    expect(act.count).toBeLessThanOrEqual(15);
    const [dossier] = await database.db.select().from(dossiers).where(eq(dossiers.code, code));
    expect(dossier?.state).toBe('forwarded');
    await page.close();
  }, 240_000);
});
