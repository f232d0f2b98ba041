import { execFileSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { and, asc, eq } from 'drizzle-orm';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../../server/src/db/schema';
import { signPdf } from '../../server/src/signing';
import { createTestServer } from '../helpers/app';
import { launchChromium, listen } from '../helpers/browser';
import { createTestDatabase } from '../helpers/db';
import { intakeFor } from '../helpers/intake';
import { inspectPdf } from '../helpers/pdf';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: ReturnType<typeof createTestServer>;
let http: Awaited<ReturnType<typeof listen>>;
let browser: Browser;
let clerk: Awaited<ReturnType<ReturnType<typeof createTestServer>['callerAs']>>;
let clerkCookie: string;
let commune: string;
const SHOTS = process.env.AGENCY_SHOTS ?? '/tmp/shots/agency';
const RULES = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];
// Cấp Giấy xác nhận tình trạng hôn nhân: decided by UBND phường Phú Xuân, whose official is ubnd.phuxuan.
const PROCEDURE = '1.004873';
const OFFICIAL = 'ubnd.phuxuan';

const loginCookie = async (username: string) => {
  const res = await server.app.request('/trpc/auth.login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ json: { username, password: 'postdesk-demo' } }),
  });
  return res.headers.get('set-cookie')!.split(';')[0]!;
};

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  database = await createTestDatabase();
  server = createTestServer(database.db);
  http = await listen(server.app);
  browser = await launchChromium();
  clerk = await server.callerAs('gdv.hang');
  clerkCookie = await loginCookie('gdv.hang');
  commune = (await clerk.catalog.communes())[0]!.code;
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await http?.close();
  await database?.close();
});

const scan = async (label: string) =>
  sharp({ create: { width: 827, height: 1169, channels: 3, background: '#f4f1ea' } })
    .composite([
      {
        input: Buffer.from(
          `<svg xmlns="http://www.w3.org/2000/svg" width="827" height="1169"><text x="70" y="120" font-size="30" font-weight="bold" font-family="DejaVu Sans">${label}</text>${Array.from(
            { length: 18 },
            (_, i) =>
              `<text x="70" y="${200 + i * 44}" font-size="20" font-family="DejaVu Sans">Dòng ${i + 1}: Cộng hòa xã hội chủ nghĩa Việt Nam — Độc lập, Tự do, Hạnh phúc</text>`,
          ).join('')}</svg>`,
        ),
      },
    ])
    .greyscale()
    .jpeg({ quality: 85 })
    .toBuffer();

/** Scans and signs components through the desk's own endpoints (the scanning screen is tested elsewhere). */
const digitize = async (dossierId: string, codes?: string[]) => {
  const view = await clerk.digitize.dossier({ dossierId });
  const todo = view.components.filter((c) => !c.digitizedCode && (!codes || codes.includes(c.code)));
  for (const c of todo) {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(await scan(`${c.name}`))]), 'scan.jpg');
    const res = await server.app.request(`/desk/dossiers/${dossierId}/components/${c.code}/pages`, {
      method: 'POST',
      body: form,
      headers: { cookie: clerkCookie },
    });
    expect(res.status).toBe(201);
  }
  await server.jobs.idle();
  const after = await clerk.digitize.dossier({ dossierId });
  for (const c of after.components.filter((x) => todo.some((t) => t.code === x.code))) {
    await clerk.digitize.finishComponent({ documentId: c.documentId! });
  }
};

const resultPdf = async (lines: string[]) => {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595.28, 841.89]);
  const font = await doc.embedFont(StandardFonts.HelveticaBold);
  for (const [i, line] of lines.entries()) {
    page.drawText(line, { x: 60, y: 760 - i * 28, size: i === 0 ? 18 : 13, font });
  }
  return new Uint8Array(await doc.save({ useObjectStreams: false }));
};

const signIn = async (username: string) => {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(`${http.url}/login`);
  await page.keyboard.type(username);
  await page.keyboard.press('Tab');
  await page.keyboard.type('postdesk-demo');
  await page.keyboard.press('Enter');
  await page.locator('.shell-main').waitFor();
  return page;
};

const shot = async (page: Page, name: string) => {
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
};

const violations = async (page: Page) => {
  // The shell's header (not this feature) overflows at 1366 px for clerks; it is reported separately.
  const results = await new AxeBuilder({ page }).withTags(RULES).exclude('.shell-header').analyze();
  return results.violations.flatMap((v) =>
    v.nodes.map((n) => `${v.id} (${v.impact}) ${n.target.join(' ')}: ${n.failureSummary}`),
  );
};

/** Renders a form PDF the way a person would see it, for the screenshots folder. */
const renderPdf = (bytes: Uint8Array, name: string) => {
  const info = inspectPdf(bytes);
  execFileSync('pdftoppm', ['-png', '-r', '60', '-singlefile', info.path, join(SHOTS, name)]);
  writeFileSync(join(SHOTS, `${name}.pdf`), bytes);
  return info;
};

describe('the hand-off in the browser: desk forwards, agency asks, desk supplements, agency decides', () => {
  it('runs clerk → official → clerk → official with Mẫu 02, 04 and 05', async () => {
    const procedure = await clerk.catalog.procedure({ code: PROCEDURE });
    const input = intakeFor(procedure, commune, {
      absent: procedure.components.filter((c) => !c.required).map((c) => c.code),
    });
    input.applicant.citizenId = `04619500${String(randomInt(0, 9999)).padStart(4, '0')}`;
    const received = await clerk.intake.submit(input);
    const dossierId = received.dossierId;
    const code = received.code!;
    await digitize(dossierId);
    await clerk.digitize.complete({ dossierId });

    // The clerk opens the dossier from today's list and forwards it.
    const desk = await signIn('gdv.hang');
    await desk.keyboard.press('Alt+H');
    await desk.getByRole('link', { name: `Mở hồ sơ ${code}` }).click();
    await desk.waitForURL(`**/dossiers/${dossierId}`);
    await desk.getByRole('button', { name: 'Chuyển hồ sơ' }).click();
    await desk.getByText('Giao hồ sơ giấy trước').waitFor();
    await desk.locator('.state-chip', { hasText: 'Đã chuyển cơ quan' }).waitFor();
    await shot(desk, '1-desk-forwarded');

    // The official sees it in the inbox, opens it beside its signed PDFs, and asks for one more document.
    const agency = await signIn(OFFICIAL);
    await agency.goto(`${http.url}/agency`);
    await agency.getByRole('heading', { name: 'Hồ sơ chờ giải quyết' }).waitFor();
    await agency.getByRole('link', { name: code }).waitFor();
    await shot(agency, '2-agency-inbox');
    expect(await violations(agency)).toEqual([]);
    await agency.getByRole('link', { name: code }).click();
    await agency.waitForURL(`**/agency/${dossierId}`);
    const pageImage = agency.locator('img.agency-doc-page');
    await expect
      .poll(() => pageImage.evaluate((img) => (img as HTMLImageElement).naturalWidth), { timeout: 15_000 })
      .toBeGreaterThan(100);
    await shot(agency, '3-agency-dossier');
    expect(await violations(agency)).toEqual([]);
    await agency.getByLabel('Giấy tờ 1').fill('Bản sao Trích lục ghi chú ly hôn');
    await agency
      .getByLabel('Lý do, hướng dẫn')
      .fill('Hồ sơ ghi đã từng kết hôn; cần giấy tờ chứng minh đã ly hôn');
    await agency.getByRole('button', { name: 'Gửi yêu cầu bổ sung' }).click();
    await agency.locator('.state-chip', { hasText: 'Cơ quan yêu cầu bổ sung' }).waitFor();
    await agency
      .getByText(/Tạm dừng/)
      .first()
      .waitFor();
    await shot(agency, '4-agency-supplement-requested');

    // Back at the desk: what is missing, Mẫu 02 to print, scan it, send it back.
    await desk.reload();
    await desk.getByText('Bản sao Trích lục ghi chú ly hôn').waitFor();
    await desk.getByText('Chưa số hóa').waitFor();
    expect(await desk.getByRole('button', { name: 'Đã bổ sung, chuyển lại' }).isDisabled()).toBe(true);
    await shot(desk, '5-desk-supplement');
    const mau02 = await server.app.request(`/forms/dossiers/${dossierId}/mau02-agency`, {
      headers: { cookie: clerkCookie },
    });
    const mau02Info = renderPdf(new Uint8Array(await mau02.arrayBuffer()), 'mau02-agency');
    expect(mau02Info.flat).toContain('Bản sao Trích lục ghi chú ly hôn');
    const view = await clerk.agency.deskDossier({ dossierId });
    await digitize(
      dossierId,
      view.components.filter((c) => c.supplementRound === 1).map((c) => c.code),
    );
    await desk.reload();
    await desk.getByText('Đã ký số').first().waitFor();
    await desk.getByRole('button', { name: 'Đã bổ sung, chuyển lại' }).click();
    await desk.locator('.state-chip', { hasText: 'Đã chuyển cơ quan' }).waitFor();

    // The official accepts, sets a new date once (Mẫu 04), tries an unsigned result, then uploads a signed one.
    await agency.reload();
    await agency.getByRole('button', { name: 'Nhận xử lý' }).click();
    await agency.locator('.state-chip', { hasText: 'Đang giải quyết' }).waitFor();
    const due = (await clerk.agency.deskDossier({ dossierId })).dueAt!;
    const newDue = new Date(due.getTime() + 7 * 86_400_000 + 7 * 3_600_000).toISOString().slice(0, 10);
    await agency
      .getByLabel('Lý do chậm')
      .fill('Cần xác minh thông tin hộ tịch tại nơi đăng ký kết hôn trước đây');
    await agency.getByLabel('Ngày hẹn trả mới').fill(newDue);
    await agency.getByRole('button', { name: 'Phát hành Mẫu 04' }).click();
    await agency.getByText('Hẹn lại (Mẫu 04)').waitFor();
    await expect.poll(() => agency.getByRole('button', { name: 'Phát hành Mẫu 04' }).count()).toBe(0);

    await agency.getByLabel('Số văn bản kết quả').fill('125/2026/XNTTHN');
    // The file picker speaks Vietnamese (the browser's own button would say "Choose File").
    const picker = agency.locator('.file-pick');
    expect(await picker.innerText()).toMatch(/Chọn tệp PDF[\s\S]*Chưa chọn tệp/);
    expect(
      await agency.locator('input[type="file"]').evaluate((el) => el.classList.contains('visually-hidden')),
    ).toBe(true);
    await agency.getByLabel('Tệp kết quả (PDF đã ký số)').setInputFiles({
      name: 'ket-qua-chua-ky.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from(await resultPdf(['Unsigned draft'])),
    });
    await expect.poll(() => picker.innerText()).toContain('ket-qua-chua-ky.pdf');
    await agency.getByRole('button', { name: 'Ghi nhận quyết định' }).click();
    await agency.getByText('Tệp kết quả chưa được ký số').waitFor();
    await shot(agency, '6-agency-unsigned-refused');
    const signed = await signPdf(
      await resultPdf([
        'GIAY XAC NHAN TINH TRANG HON NHAN',
        'So: 125/2026/XNTTHN',
        'UBND phuong Phu Xuan xac nhan tinh trang hon nhan cua nguoi yeu cau.',
      ]),
      server.signer,
      { reason: 'Kết quả giải quyết', location: 'UBND phường Phú Xuân', name: 'Tôn Thất Bảo' },
    );
    await agency.getByLabel('Tệp kết quả (PDF đã ký số)').setInputFiles({
      name: 'ket-qua.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from(signed),
    });
    await agency.getByRole('button', { name: 'Ghi nhận quyết định' }).click();
    await agency.locator('.state-chip', { hasText: 'Đã có kết quả' }).waitFor();
    await agency.getByRole('button', { name: 'Trả kết quả' }).click();
    await agency.locator('.state-chip', { hasText: 'Kết quả chờ trả' }).waitFor();
    await agency.getByRole('tab', { name: /Kết quả giải quyết/ }).click();
    await expect
      .poll(() => pageImage.evaluate((img) => (img as HTMLImageElement).naturalWidth), { timeout: 15_000 })
      .toBeGreaterThan(100);
    await shot(agency, '7-agency-released');

    // The citizen collects it at the desk; the clerk types the id from the card.
    await desk.reload();
    await desk.getByLabel('Số định danh trên thẻ căn cước của người nhận').fill('046195009990');
    await desk.getByRole('button', { name: 'Xác nhận đã trả' }).click();
    await desk.getByText('Số định danh không khớp').waitFor();
    await desk.getByLabel('Số định danh trên thẻ căn cước của người nhận').fill(input.applicant.citizenId);
    await desk.getByRole('button', { name: 'Xác nhận đã trả' }).click();
    await desk.locator('.state-chip', { hasText: 'Đã trả kết quả' }).waitFor();
    await shot(desk, '8-desk-returned');
    expect(await violations(desk)).toEqual([]);

    // Mẫu 04 and Mẫu 05, rendered as a person would see them.
    const mau04 = await server.app.request(`/forms/dossiers/${dossierId}/mau04`, {
      headers: { cookie: clerkCookie },
    });
    const m04 = renderPdf(new Uint8Array(await mau04.arrayBuffer()), 'mau04');
    expect(m04.qpdfOk).toBe(true);
    expect(m04.flat).toContain('PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ');
    const mau05 = await server.app.request(`/forms/dossiers/${dossierId}/mau05`, {
      headers: { cookie: clerkCookie },
    });
    const m05 = renderPdf(new Uint8Array(await mau05.arrayBuffer()), 'mau05');
    expect(m05.qpdfOk).toBe(true);
    expect(m05.flat).toContain('PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ');

    const statuses = (
      await database.db
        .select({ payload: outbox.payload })
        .from(outbox)
        .where(and(eq(outbox.dossierId, dossierId), eq(outbox.topic, 'portal.progress')))
        .orderBy(asc(outbox.id))
    ).map((r) => r.payload.status);
    expect(statuses).toEqual([2, 2, 4, 5, 4, 4, 4, 9, 9, 10]);
  }, 240_000);
});

describe('the official stops processing; the citizen reads why', () => {
  it('stops a dossier under review with a written reason, and the tracking page shows it', async () => {
    const procedure = await clerk.catalog.procedure({ code: PROCEDURE });
    const input = intakeFor(procedure, commune, {
      absent: procedure.components.filter((c) => !c.required).map((c) => c.code),
    });
    input.applicant.citizenId = `04619500${String(randomInt(0, 9999)).padStart(4, '0')}`;
    const received = await clerk.intake.submit(input);
    const { dossierId } = received;
    await digitize(dossierId);
    await clerk.digitize.complete({ dossierId });
    await clerk.agency.forward({ dossierId });
    await (await server.callerAs(OFFICIAL)).agency.accept({ dossierId });

    const agency = await signIn(OFFICIAL);
    await agency.goto(`${http.url}/agency/${dossierId}`);
    // The decision's two outcomes switch the fields shown: reasons for a refusal, the result file otherwise.
    await agency.getByRole('radio', { name: 'Không giải quyết (nêu lý do)' }).check();
    await agency.getByLabel('Lý do không giải quyết').waitFor();
    expect(await agency.getByLabel('Tệp kết quả (PDF đã ký số)').count()).toBe(0);
    await agency.getByRole('radio', { name: 'Giải quyết (có kết quả)' }).check();
    await agency.getByLabel('Tệp kết quả (PDF đã ký số)').waitFor();
    const form = agency.locator('form', {
      has: agency.getByRole('heading', { name: 'Dừng giải quyết hồ sơ' }),
    });
    const submit = form.getByRole('button', { name: 'Dừng giải quyết' });
    expect(await submit.isDisabled()).toBe(true);
    const reason = 'Công dân có đơn đề nghị dừng giải quyết để bổ sung giấy tờ khác';
    await form.getByLabel('Lý do dừng').fill(reason);
    await submit.click();
    await agency.getByText('Đã dừng giải quyết hồ sơ.').waitFor();
    await agency.locator('.state-chip', { hasText: 'Dừng giải quyết' }).waitFor();
    expect(await form.count()).toBe(0);
    await shot(agency, '9-agency-stopped');
    expect(await violations(agency)).toEqual([]);

    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const citizen = await context.newPage();
    await citizen.goto(`${http.url}/track?code=${encodeURIComponent(received.code!)}`);
    await citizen.getByLabel('Số điện thoại đã đăng ký').fill('0905 123 456');
    await citizen.keyboard.press('Enter');
    const result = citizen.locator('[aria-live="polite"]');
    await result.getByRole('heading', { name: 'Lý do dừng giải quyết' }).waitFor();
    expect(await result.textContent()).toContain(reason);
    await citizen.screenshot({ path: join(SHOTS, '9-citizen-stopped.png'), fullPage: true });
    await context.close();
  }, 120_000);
});
