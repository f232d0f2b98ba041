import { mkdirSync, readFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { AxeBuilder } from '@axe-core/playwright';
import { serve } from '@hono/node-server';
import { eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dossiers, payments } from '../../server/src/db/schema';
import { createTestServer } from '../helpers/app';
import { launchChromium, phonePage } from '../helpers/browser';
import { createTestDatabase } from '../helpers/db';
import { intakeFor } from '../helpers/intake';
import { inspectPdf } from '../helpers/pdf';
import { type PaymentGatewaySim, startPaymentGatewaySim } from '../sim/payment-gateway-sim';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: ReturnType<typeof createTestServer>;
let sim: PaymentGatewaySim;
let url: string;
let closeHttp: () => Promise<void>;
let browser: Browser;
const SHOTS = '/tmp/shots';
const RULES = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa', 'best-practice'];

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  database = await createTestDatabase();
  sim = await startPaymentGatewaySim({ secret: 'e2e-gateway-secret-0123456789' });
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  server = createTestServer(database.db, {
    env: {
      PUBLIC_URL: url,
      PAYMENT_GATEWAY_URL: sim.url,
      PAYMENT_MERCHANT_ID: sim.merchantId,
      PAYMENT_SECRET: sim.secret,
    },
  });
  const http = serve({ fetch: server.app.fetch, port, hostname: '127.0.0.1' });
  closeHttp = () => new Promise<void>((r) => http.close(() => r()));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.jobs.close();
  await closeHttp?.();
  await sim?.close();
  await database?.close();
});

const citizenId = () => `0461950${String(Math.floor(Math.random() * 1e5)).padStart(5, '0')}`;

/** A dossier received at gdv.hang's desk and a bill for it. */
const billFor = async (kind: 'fee' | 'postal_tariff', amount: number) => {
  const clerk = await server.callerAs('gdv.hang');
  const lltp = await clerk.catalog.procedure({ code: '3.000333' });
  const commune = (await clerk.catalog.communes())[0]!.code;
  const base = intakeFor(lltp, commune);
  const r = await clerk.intake.submit(
    intakeFor(lltp, commune, { applicant: { ...base.applicant, citizenId: citizenId() } }),
  );
  const bill = await clerk.payments.createBill({ dossierId: r.dossierId, kind, amount });
  const [d] = await database.db.select().from(dossiers).where(eq(dossiers.id, r.dossierId));
  return { billCode: bill.billCode!, dossierCode: d!.code! };
};

const phone = () => phonePage(browser, 20_000);

const violations = async (page: Page, exclude: string[] = []) => {
  const builder = new AxeBuilder({ page }).withTags(RULES);
  for (const selector of exclude) builder.exclude(selector);
  const results = await builder.analyze();
  return results.violations.flatMap((v) =>
    v.nodes.map((n) => `${v.id} (${v.impact}) ${n.target.join(' ')}: ${n.failureSummary}`),
  );
};

describe('a citizen pays a bill on a phone', () => {
  it('opens /pay/<code>, pays online through the gateway, comes back to "paid" and downloads the receipt', async () => {
    const { billCode, dossierCode } = await billFor('fee', 200_000);
    const page = await phone();
    await page.goto(`${url}/pay/${billCode}`);
    await page.getByRole('heading', { level: 1, name: 'Thanh toán khoản thu' }).waitFor();
    const main = page.locator('main');
    await expect.poll(() => main.innerText()).toContain('200.000');
    const text = await main.innerText();
    expect(text).toContain('Hai trăm nghìn đồng');
    expect(text).toContain(dossierCode);
    expect(text).toContain('Phí, lệ phí thủ tục hành chính');
    expect(text).toContain('Chờ thanh toán');
    for (const personal of ['Trần Thị Mỹ Hạnh', '0905', 'Lê Lợi']) expect(text).not.toContain(personal);
    // The VietQR for a bank transfer, with the bill code in the transfer description.
    const qr = page.getByRole('img', { name: /Mã VietQR/ });
    expect(await qr.isVisible()).toBe(true);
    expect(await qr.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    expect(text).toContain(`TT ${billCode}`);
    await page.screenshot({ path: `${SHOTS}/pay-pending.png`, fullPage: true });
    expect(await violations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Thanh toán trực tuyến' }).click();
    await page.waitForURL(`${sim.url}/pay/**`);
    await page.getByText('Cổng thanh toán (mô phỏng)').waitFor();
    await page.screenshot({ path: `${SHOTS}/pay-gateway.png`, fullPage: true });
    await page.getByRole('button', { name: 'Thanh toán', exact: true }).click();

    await page.waitForURL(`${url}/pay/${billCode}`);
    const done = page.locator('.pay-done');
    await done.waitFor();
    expect(await done.innerText()).toMatch(
      /Đã thanh toán lúc \d{2}\/\d{2}\/\d{4} \d{2}:\d{2} \(trực tuyến\)/,
    );
    expect(await page.getByRole('img', { name: /Mã VietQR/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Thanh toán trực tuyến' }).count()).toBe(0);
    await page.screenshot({ path: `${SHOTS}/pay-paid.png`, fullPage: true });
    expect(await violations(page)).toEqual([]);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Tải biên lai (PDF)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`bien-lai-${billCode}.pdf`);
    const pdf = inspectPdf(readFileSync((await download.path())!));
    expect(pdf.qpdfOk).toBe(true);
    expect(pdf.flat).toMatch(/BIÊN LAI THU (TIỀN|PHÍ, LỆ PHÍ)/);
    expect(pdf.flat).toContain('200.000 đồng');
    expect(pdf.flat).toContain('Hai trăm nghìn đồng');
    const [row] = await database.db.select().from(payments).where(eq(payments.billCode, billCode));
    expect(row).toMatchObject({ state: 'paid', method: 'online' });
    // English through the language switch.
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Pay a bill' }).waitFor();
    expect(await page.locator('.pay-done').innerText()).toMatch(/Paid at .* \(online\)/);
    expect(await page.getByRole('link', { name: 'Download the receipt (PDF)' }).count()).toBe(1);
    await page.screenshot({ path: `${SHOTS}/pay-paid-en.png`, fullPage: true });
    await page.context().close();
  }, 90_000);

  it('a slow callback while the gateway status is down: the page says it is waiting, then shows the payment once the gateway confirms it', async () => {
    const { billCode } = await billFor('postal_tariff', 26_000);
    sim.callbackMode('slow', 4_000);
    sim.failNext('bill', 1_000);
    try {
      const page = await phone();
      await page.goto(`${url}/pay/${billCode}`);
      await page.getByRole('button', { name: 'Thanh toán trực tuyến' }).click();
      await page.getByRole('button', { name: 'Thanh toán', exact: true }).click();
      await page.waitForURL(`${url}/pay/${billCode}`);
      const waiting = page.getByRole('status');
      await waiting.waitFor();
      expect(await waiting.innerText()).toContain('Đang chờ cổng thanh toán xác nhận');
      // No second way to pay while the gateway's word is awaited.
      expect(await page.getByRole('button', { name: 'Thanh toán trực tuyến' }).count()).toBe(0);
      expect(await page.getByRole('img', { name: /Mã VietQR/ }).count()).toBe(0);
      await page.screenshot({ path: `${SHOTS}/pay-waiting.png`, fullPage: true });
      // The callback arrives while the gateway's status query is still down: not paid on its word alone.
      await sim.settled();
      expect(sim.callbacks.findLast((c) => c.billCode === billCode)?.outcome).toBe(503);
      const [row] = await database.db.select().from(payments).where(eq(payments.billCode, billCode));
      expect(row!.state).toBe('pending');
      expect(await page.locator('.pay-done').count()).toBe(0);
      // The status query is back: the page's next look at the gateway confirms it.
      sim.failNext('bill', 0);
      await page.locator('.pay-done').waitFor({ timeout: 20_000 });
      expect(await page.locator('.pay-done').innerText()).toContain('Đã thanh toán');
      expect(await page.getByRole('status').count()).toBe(0);
      await page.context().close();
    } finally {
      sim.callbackMode('once');
      sim.failNext('bill', 0);
      await sim.settled();
    }
  });

  it('an unknown bill code says what to do', async () => {
    const page = await phone();
    await page.goto(`${url}/pay/HD0000000000000000`);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toMatch(/Vui lòng kiểm tra lại mã khoản thu/);
    // Vietnamese only, unless the citizen picks English.
    expect(await alert.innerText()).not.toMatch(/Please check the bill code/);
    await page.context().close();
  });
});

describe('the reconciliation page at the desk', () => {
  it('a clerk sees the day by method and kind, cash per clerk, online checked against the gateway', async () => {
    const cash = await billFor('postal_tariff', 31_500);
    const clerk = await server.callerAs('gdv.hang');
    await clerk.payments.recordCash({ billCode: cash.billCode });
    const online = await billFor('fee', 70_000);
    await (await server.callerAs(null)).payments.startOnline({ billCode: online.billCode });
    await sim.pay(online.billCode);
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    await page.goto(`${url}/login`);
    await page.keyboard.type('gdv.hang');
    await page.keyboard.press('Tab');
    await page.keyboard.type('postdesk-demo');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Thủ tục hành chính' }).waitFor();
    await page.goto(`${url}/payments`);
    await page.getByRole('heading', { level: 1, name: 'Đối soát thu' }).waitFor();
    const totals = page.locator('.recon-totals');
    await totals.waitFor();
    // Paid today at this office: the online fees of the tests above and this cash tariff.
    expect(await totals.innerText()).toContain('Tiền mặt');
    expect(await page.locator('.recon-section').first().innerText()).toContain('Không có chênh lệch');
    const staff = page.getByRole('region', { name: 'Tiền mặt và chuyển khoản theo nhân viên' });
    expect(await staff.innerText()).toContain('Nguyễn Thị Thu Hằng');
    expect(await staff.innerText()).toContain('31.500');
    const checked = page.getByRole('region', { name: 'Thanh toán trực tuyến so với cổng thanh toán' });
    await expect.poll(() => checked.innerText()).toContain(online.billCode);
    expect(await checked.locator('.recon-ok').count()).toBeGreaterThanOrEqual(1);
    expect(await checked.locator('.recon-bad').count()).toBe(0);
    await page.screenshot({ path: `${SHOTS}/payments-reconciliation.png`, fullPage: true });
    await page.getByRole('region', { name: 'Các khoản đã thu' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/payments-reconciliation-bills.png` });
    // The shell's header (not this page) overflows 1366 px with this many menu items: reported to its owner.
    expect(await violations(page, ['header'])).toEqual([]);

    // A bill paid in cash, then at the gateway too: the gateway is told not to take it, and the page says so.
    const twice = await billFor('fee', 55_000);
    await (await server.callerAs(null)).payments.startOnline({ billCode: twice.billCode });
    await clerk.payments.recordCash({ billCode: twice.billCode });
    await sim.pay(twice.billCode);
    expect(sim.bills.get(twice.billCode)).toMatchObject({ captured: false, voided: true });
    await page.reload();
    const differences = page.getByRole('region', { name: /Chênh lệch cần xử lý/ });
    await expect.poll(() => differences.innerText()).toContain(twice.billCode);
    expect(await differences.innerText()).toContain('đã báo cổng không thu');
    await page.screenshot({ path: `${SHOTS}/payments-reconciliation-second-payment.png`, fullPage: true });
    await context.close();
  }, 90_000);
});
