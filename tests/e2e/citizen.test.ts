import { mkdirSync } from 'node:fs';
import { type AddressInfo, createServer as netServer } from 'node:net';
import { AxeBuilder } from '@axe-core/playwright';
import { serve } from '@hono/node-server';
import { eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dossiers } from '../../server/src/db/schema';
import { recordEvent } from '../../server/src/dossiers/engine';
import { createTestServer } from '../helpers/app';
import { launchChromium, phonePage } from '../helpers/browser';
import { createTestDatabase } from '../helpers/db';
import { intakeFor } from '../helpers/intake';
import { type PaymentGatewaySim, startPaymentGatewaySim } from '../sim/payment-gateway-sim';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: ReturnType<typeof createTestServer>;
let gateway: PaymentGatewaySim;
let browser: Browser;
let url: string;
let closeHttp: () => Promise<void>;
const SHOTS = '/tmp/shots';
const RULES = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa', 'best-practice'];
const PHONE = '0905 123 456';

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = netServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  database = await createTestDatabase();
  gateway = await startPaymentGatewaySim({ secret: 'e2e-gateway-secret-0123456789' });
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  server = createTestServer(database.db, {
    env: {
      PUBLIC_URL: url,
      PAYMENT_GATEWAY_URL: gateway.url,
      PAYMENT_MERCHANT_ID: gateway.merchantId,
      PAYMENT_SECRET: gateway.secret,
    },
  });
  const http = serve({ fetch: server.app.fetch, port, hostname: '127.0.0.1' });
  closeHttp = () => new Promise<void>((r) => http.close(() => r()));
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.jobs.close();
  await closeHttp?.();
  await gateway?.close();
  await database?.close();
});

const citizenId = () => `0461950${String(Math.floor(Math.random() * 1e5)).padStart(5, '0')}`;

const phone = () => phonePage(browser, 10_000);

const desk = async (username: string) => {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  await page.goto(`${url}/login`);
  await page.keyboard.type(username);
  await page.keyboard.press('Tab');
  await page.keyboard.type('postdesk-demo');
  await page.keyboard.press('Enter');
  await page.locator('.shell-main').waitFor();
  return page;
};

/** Axe on the page, or only on `within` (a desk page: the shell's header is the shell's business). */
const violations = async (page: Page, within?: string) => {
  const builder = new AxeBuilder({ page }).withTags(RULES);
  const results = await (within ? builder.include(within) : builder).analyze();
  return results.violations.flatMap((v) =>
    v.nodes.map((n) => `${v.id} (${v.impact}) ${n.target.join(' ')}: ${n.failureSummary}`),
  );
};

const agency = { kind: 'agency_official' as const, role: 'agency_official' as const };
const clerkActor = { kind: 'clerk' as const, role: 'clerk' as const };

/** The newest feedback code texted to the holder's phone, as the dev mailbox shows it. */
const feedbackCode = async (dossierCode: string) => {
  const clerk = await server.callerAs('gdv.hang');
  let body = '';
  await expect
    .poll(async () => {
      const texts = await clerk.notify.mailbox({ phone: '0905123456' });
      body = texts.find((t) => t.code === dossierCode && t.body.includes('gui danh gia'))?.body ?? '';
      return body;
    })
    .toMatch(/\d{6}/);
  return /\b(\d{6})\b/.exec(body)![1]!;
};

describe('a citizen follows a dossier from the receipt QR to the rating, on a phone', () => {
  it('tracks, asks for home delivery with the SMS code, pays, and rates after delivery; the supervisor sees it', async () => {
    // At the desk: a dossier received, digitized, forwarded; the agency asks for a financial obligation.
    const clerk = await server.callerAs('gdv.hang');
    const lltp = await clerk.catalog.procedure({ code: '3.000333' });
    const communes = await clerk.catalog.communes();
    const base = intakeFor(lltp, communes[0]!.code);
    const received = await clerk.intake.submit(
      intakeFor(lltp, communes[0]!.code, { applicant: { ...base.applicant, citizenId: citizenId() } }),
    );
    const code = received.code!;
    await recordEvent(database.db, {
      dossierId: received.dossierId,
      event: 'complete_digitization',
      actor: clerkActor,
    });
    await recordEvent(database.db, { dossierId: received.dossierId, event: 'forward', actor: clerkActor });
    await recordEvent(database.db, { dossierId: received.dossierId, event: 'accept', actor: agency });
    const official = await server.callerAs('ca.dung');
    const bill = await official.payments.requestObligation({
      dossierId: received.dossierId,
      amount: 50_000,
      reason: 'Lệ phí cấp thêm Phiếu lý lịch tư pháp',
    });

    // The receipt's QR code opens /track?code=… (server/src/intake/forms.ts).
    const page = await phone();
    await page.goto(`${url}/track?code=${encodeURIComponent(code)}`);
    await page.getByLabel('Số điện thoại đã đăng ký').fill(PHONE);
    await page.keyboard.press('Enter');
    const result = page.locator('[aria-live="polite"]');
    await result
      .getByRole('heading', { name: 'Đang chờ bạn nộp phí, lệ phí hoặc nghĩa vụ tài chính' })
      .waitFor();
    const timeline = await result.locator('.track-timeline li').allInnerTexts();
    expect(timeline.join('\n')).toContain('Tiếp nhận hồ sơ và hẹn ngày trả kết quả');
    expect(timeline.join('\n')).toContain('Cơ quan yêu cầu nộp phí hoặc nghĩa vụ tài chính');
    const payLink = page.getByRole('link', { name: /Thanh toán 50\.000/ });
    expect(await payLink.getAttribute('href')).toBe(`/pay/${bill.billCode}`);
    await page.screenshot({ path: `${SHOTS}/citizen-track.png`, fullPage: true });
    expect(await violations(page)).toEqual([]);

    // Home delivery: the address, a code by SMS to the phone on file, read here from the test mailbox.
    await page.getByRole('button', { name: 'Đăng ký nhận kết quả tại nhà' }).click();
    await page.getByLabel('Số nhà, đường, thôn/tổ').fill('27 Nguyễn Huệ');
    await page.getByLabel('Xã, phường').selectOption(communes[0]!.code);
    await page.getByText('Buổi chiều (13:30 – 17:00)').click();
    await page.getByRole('button', { name: 'Gửi mã xác nhận' }).click();
    await page.getByLabel('Mã xác nhận (6 số)').waitFor();
    expect(await page.locator('#delivery-otp-hint').innerText()).toMatch(/090•+456/);
    await page.screenshot({ path: `${SHOTS}/citizen-delivery-otp.png`, fullPage: true });

    const mailbox = await desk('gdv.hang');
    await mailbox.goto(`${url}/mailbox`);
    await mailbox.getByLabel('Lọc theo số điện thoại').fill('0905123456');
    const otpRow = mailbox.locator('#mailbox-table tbody tr', { hasText: 'Ma xac nhan' }).first();
    await otpRow.waitFor();
    const otp = /\b(\d{6})\b/.exec(await otpRow.locator('.mailbox-body').innerText())![1]!;
    await mailbox.screenshot({ path: `${SHOTS}/citizen-mailbox.png`, fullPage: true });

    await page.getByLabel('Mã xác nhận (6 số)').fill(otp);
    await page.getByRole('button', { name: 'Xác nhận giao tận nhà' }).click();
    await page
      .getByText('Đã đăng ký giao kết quả tận nhà')
      .waitFor()
      .catch(async (err) => {
        await page.screenshot({ path: `${SHOTS}/citizen-delivery-failed.png`, fullPage: true });
        throw err;
      });
    await result.getByText('Giao tận nhà: buổi chiều').waitFor();
    await page.screenshot({ path: `${SHOTS}/citizen-delivery-done.png`, fullPage: true });
    const [d] = await database.db.select().from(dossiers).where(eq(dossiers.id, received.dossierId));
    expect(d).toMatchObject({
      returnMethod: 1,
      deliveryAddress: { line: '27 Nguyễn Huệ', window: 'afternoon' },
    });

    // Pay online through the gateway (the payments feature's page).
    await payLink.click();
    await page.getByRole('heading', { level: 1, name: 'Thanh toán khoản thu' }).waitFor();
    await page.getByRole('button', { name: 'Thanh toán trực tuyến' }).click();
    await page.waitForURL(`${gateway.url}/pay/**`);
    await page.getByRole('button', { name: 'Thanh toán', exact: true }).click();
    await page.waitForURL(`${url}/pay/${bill.billCode}`);
    await page.locator('.pay-done').waitFor({ timeout: 20_000 });
    await page.screenshot({ path: `${SHOTS}/citizen-paid.png`, fullPage: true });
    await expect
      .poll(
        async () =>
          (await database.db.select().from(dossiers).where(eq(dossiers.id, received.dossierId)))[0]!.state,
        { timeout: 15_000 },
      )
      .toBe('in_review');

    // The agency decides; the result goes out and is delivered (through the engine).
    await recordEvent(database.db, {
      dossierId: received.dossierId,
      event: 'decide',
      actor: agency,
      payload: { outcome: 'approved' },
    });
    await recordEvent(database.db, { dossierId: received.dossierId, event: 'release_result', actor: agency });
    await recordEvent(database.db, {
      dossierId: received.dossierId,
      event: 'dispatch',
      actor: { kind: 'supervisor', role: 'supervisor' },
    });
    await recordEvent(database.db, {
      dossierId: received.dossierId,
      event: 'deliver',
      actor: { kind: 'courier', role: 'courier' },
    });

    // Back on the track page: delivered, and the way to rate the service.
    await page.goto(`${url}/track?code=${encodeURIComponent(code)}`);
    await page.getByLabel('Số điện thoại đã đăng ký').fill(PHONE);
    await page.keyboard.press('Enter');
    await result.getByRole('heading', { name: 'Kết quả đã được giao đến bạn' }).waitFor();
    await page.screenshot({ path: `${SHOTS}/citizen-delivered.png`, fullPage: true });
    await page.getByRole('button', { name: 'Đánh giá dịch vụ' }).click();
    await page.waitForURL(/\/feedback\?code=/);
    expect(page.url()).not.toMatch(/0905/);
    await page.getByRole('button', { name: 'Chưa hài lòng' }).click();
    const rating = page.getByRole('form', { name: 'Đánh giá dịch vụ' });
    await rating.getByText('Phải đi lại nhiều lần').click();
    await page.getByLabel('Góp ý thêm (không bắt buộc)').fill('Phải gọi điện hỏi hai lần.');
    await page.screenshot({ path: `${SHOTS}/citizen-rate.png`, fullPage: true });
    expect(await violations(page)).toEqual([]);
    // Code and phone typed by hand are not proof enough to rate (the desk knows both): a code goes to the phone.
    await page.getByRole('button', { name: 'Gửi đánh giá' }).click();
    await page.getByLabel('Mã xác nhận (6 số)').waitFor();
    await page.getByLabel('Mã xác nhận (6 số)').fill(await feedbackCode(code));
    await page.getByRole('button', { name: 'Gửi đánh giá' }).click();
    await page.getByText('Cảm ơn bạn! Đánh giá đã được ghi nhận.').waitFor();
    await page.screenshot({ path: `${SHOTS}/citizen-rated.png`, fullPage: true });

    // The supervisor sees the rating on /complaints.
    const supervisor = await desk('giamsat.nguyet');
    await supervisor.goto(`${url}/complaints`);
    await supervisor.getByRole('heading', { name: 'Phản ánh và đánh giá' }).waitFor();
    await supervisor.getByRole('tab', { name: 'Đánh giá', exact: true }).click();
    const row = supervisor.locator('#ratings-table tbody tr', { hasText: code });
    await row.waitFor();
    expect(await row.innerText()).toContain('Chưa hài lòng');
    expect(await row.innerText()).toContain('Phải đi lại nhiều lần');
    await supervisor.screenshot({ path: `${SHOTS}/citizen-supervisor-ratings.png`, fullPage: true });
    expect(await violations(supervisor, '.complaints-page')).toEqual([]);

    // The texts the citizen got along the way, in the mailbox.
    await mailbox.reload();
    await mailbox.getByLabel('Lọc theo số điện thoại').fill('0905123456');
    // The sending job may still hold the last text for a moment: reload until it is there.
    await expect
      .poll(async () => {
        await mailbox.getByRole('button', { name: 'Tải lại' }).click();
        return mailbox.locator('#mailbox-table tbody tr', { hasText: 'Da giao ket qua' }).count();
      })
      .toBeGreaterThan(0);
    await mailbox.screenshot({ path: `${SHOTS}/citizen-mailbox-after.png`, fullPage: true });
    for (const p of [page, mailbox, supervisor]) await p.context().close();
  }, 120_000);

  it('a complaint from the desk QR is answered by the supervisor within the legal time', async () => {
    const clerk = await server.callerAs('gdv.hang');
    const lltp = await clerk.catalog.procedure({ code: '3.000333' });
    const communes = await clerk.catalog.communes();
    const base = intakeFor(lltp, communes[0]!.code);
    const r = await clerk.intake.submit(
      intakeFor(lltp, communes[0]!.code, { applicant: { ...base.applicant, citizenId: citizenId() } }),
    );
    const [deskRow] = await clerk.feedback.deskQrs();
    const page = await phone();
    await page.goto(deskRow!.url.replace(server.env.PUBLIC_URL, url));
    await page.getByText(`Quầy: ${deskRow!.name}`).waitFor();
    await page.getByLabel('Mã hồ sơ').fill(r.code!);
    await page.getByLabel('Số điện thoại đã đăng ký').fill(PHONE);
    await page.getByRole('button', { name: 'Tiếp tục' }).click();
    await page.getByText('Bạn đánh giá được sau khi nhận kết quả').waitFor();
    await page.getByLabel('Nội dung phản ánh').fill('Tôi phải chờ 40 phút mới tới lượt.');
    await page.getByRole('button', { name: 'Gửi mã xác nhận' }).click();
    await page.getByLabel('Mã xác nhận (6 số)').waitFor();
    await page.getByLabel('Mã xác nhận (6 số)').fill(await feedbackCode(r.code!));
    await page.getByRole('button', { name: 'Gửi phản ánh' }).click();
    await page.getByText(/Đã gửi phản ánh\. Bưu cục sẽ trả lời bằng tin nhắn trước/).waitFor();
    await page.screenshot({ path: `${SHOTS}/citizen-complaint.png`, fullPage: true });
    expect(await violations(page)).toEqual([]);

    const supervisor = await desk('giamsat.nguyet');
    await supervisor.goto(`${url}/complaints`);
    const item = supervisor.locator('.complaint', { hasText: r.code! });
    await item.waitFor();
    // The complaint names the desk whose QR code the citizen scanned.
    await item.getByText(`Qua mã QR tại ${deskRow!.name}`).waitFor();
    await supervisor.screenshot({ path: `${SHOTS}/citizen-complaints.png`, fullPage: true });
    await item
      .getByLabel('Câu trả lời (gửi cho người dân bằng tin nhắn)')
      .fill('Bưu cục đã mở thêm một quầy vào giờ cao điểm.');
    await item.getByRole('button', { name: 'Gửi trả lời' }).click();
    await item.getByText('Bưu cục đã mở thêm một quầy').waitFor();
    await supervisor.getByRole('tab', { name: 'Mã QR đánh giá' }).click();
    await supervisor.locator('.desk-qr img').first().waitFor();
    await supervisor.screenshot({ path: `${SHOTS}/citizen-desk-qr.png`, fullPage: true });
    // The clerk prints the desk's QR code from the Today page.
    const clerkPage = await desk('gdv.hang');
    await clerkPage.goto(`${url}/today`);
    await clerkPage.getByRole('button', { name: 'Mã QR đánh giá' }).click();
    await clerkPage.locator('.desk-qr img').first().waitFor();
    expect(await clerkPage.locator('.desk-qr figcaption').first().innerText()).toContain(
      'Quét mã để đánh giá dịch vụ',
    );
    await clerkPage.screenshot({ path: `${SHOTS}/citizen-today-qr.png` });
    await clerkPage.context().close();
    for (const p of [page, supervisor]) await p.context().close();
  }, 60_000);

  it('books a home pickup on a phone: procedure, documents to have ready, address, day, tariff, code by SMS', async () => {
    const page = await phone();
    await page.goto(`${url}/request-pickup`);
    await page.getByRole('heading', { level: 1, name: 'Bưu điện đến nhà nhận hồ sơ' }).waitFor();
    await page.getByLabel('Thủ tục').fill('lý lịch tư pháp');
    await page.locator('.citizen-procedure').first().click();
    await page.getByText('Chuẩn bị sẵn các giấy tờ sau').waitFor();
    await page.getByLabel('Họ và tên').fill('Lê Văn Bình');
    await page.getByLabel('Số điện thoại').fill('0388 555 666');
    await page.getByLabel('Số nhà, đường, thôn/tổ').fill('133 Lý Thánh Tông');
    await page.getByLabel('Xã, phường').selectOption('20107');
    expect(await page.locator('#pickup-tariff').innerText()).toMatch(/Cước nhận hồ sơ: [\d.]+ ₫/);
    await page.screenshot({ path: `${SHOTS}/citizen-pickup-form.png`, fullPage: true });
    expect(await violations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Gửi mã xác nhận' }).click();
    await page.getByLabel('Mã xác nhận (6 số)').waitFor();
    const clerk = await server.callerAs('gdv.hang');
    const [sms] = await clerk.notify.mailbox({ phone: '0388555666' });
    const otp = /\b(\d{6})\b/.exec(sms!.body)![1]!;
    await page.getByLabel('Mã xác nhận (6 số)').fill(otp);
    await page.getByRole('button', { name: 'Đặt lịch' }).click();
    await page.getByText(/Đã đặt lịch\. Nhân viên bưu điện sẽ đến/).waitFor();
    expect(await page.locator('main').innerText()).toContain('Bưu điện xã Phú Lộc');
    await page.screenshot({ path: `${SHOTS}/citizen-pickup-done.png`, fullPage: true });
    // English through the language switch.
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await page.getByRole('button', { name: 'Book another pickup' }).click();
    await page.getByRole('heading', { level: 1, name: 'The post collects your dossier at home' }).waitFor();
    await page.getByLabel('Procedure').fill('criminal');
    await page.screenshot({ path: `${SHOTS}/citizen-pickup-en.png`, fullPage: true });
    await page.context().close();
  }, 60_000);
});
