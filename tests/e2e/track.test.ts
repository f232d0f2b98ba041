import { mkdirSync } from 'node:fs';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { receiptToken } from '../../server/src/citizen/receipt-token';
import { recordEvent } from '../../server/src/dossiers/engine';
import { createTestServer } from '../helpers/app';
import { launchChromium, listen } from '../helpers/browser';
import { createTestDatabase } from '../helpers/db';
import { intakeFor } from '../helpers/intake';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: ReturnType<typeof createTestServer>;
let http: Awaited<ReturnType<typeof listen>>;
let browser: Browser;
const SHOTS = '/tmp/shots';
const RULES = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa', 'best-practice'];

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  database = await createTestDatabase();
  server = createTestServer(database.db);
  http = await listen(server.app);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await http?.close();
  await database?.close();
});

/** A unique citizen id with a valid structure (Huế 046, female born 1995). */
const citizenId = () => `0461950${String(Math.floor(Math.random() * 1e5)).padStart(5, '0')}`;

type Overrides = Parameters<typeof intakeFor>[2];

/** A dossier received at the desk for an applicant whose phone on file is 0905 123 456. */
const receiveDossier = async (overrides: (commune: string) => Overrides = () => ({})) => {
  const clerk = await server.callerAs('gdv.hang');
  const lltp = await clerk.catalog.procedure({ code: '3.000333' });
  const commune = (await clerk.catalog.communes())[0]!.code;
  const base = intakeFor(lltp, commune);
  const received = await clerk.intake.submit(
    intakeFor(lltp, commune, {
      applicant: { ...base.applicant, citizenId: citizenId() },
      ...overrides(commune),
    }),
  );
  return { ...received, code: received.code! };
};

/** `dd/MM/yyyy HH:mm` in Vietnam, as a citizen reads it. */
const vietnamTime = (date: Date) => {
  const local = new Date(date.getTime() + 7 * 3_600_000).toISOString();
  return `${local.slice(8, 10)}/${local.slice(5, 7)}/${local.slice(0, 4)} ${local.slice(11, 16)}`;
};

/** A phone in the citizen's hand, in a context of its own (axe refuses the browser's default context). */
const openFromQr = async (code: string) => {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(8_000);
  await page.goto(`${http.url}/track?code=${encodeURIComponent(code)}`);
  await page.getByRole('heading', { level: 1, name: 'Hồ sơ của bạn đang ở đâu' }).waitFor();
  return page;
};

const lookUp = async (page: Page, phone: string) => {
  await page.getByLabel('Số điện thoại đã đăng ký').fill(phone);
  await page.keyboard.press('Enter');
};

const violations = async (page: Page) => {
  const results = await new AxeBuilder({ page }).withTags(RULES).analyze();
  return results.violations.flatMap((violation) =>
    violation.nodes.map(
      (node) => `${violation.id} (${violation.impact}) ${node.target.join(' ')}: ${node.failureSummary}`,
    ),
  );
};

describe('a citizen tracks a dossier from the receipt QR on a phone', () => {
  it('opens with the code filled in, asks for the phone on file, and shows where the dossier is', async () => {
    const dossier = await receiveDossier();
    const page = await openFromQr(dossier.code);
    // Public: no sign-in, no desk header.
    expect(page.url()).toMatch(/\/track\?code=/);
    expect(await page.getByRole('button', { name: /Đăng xuất/ }).count()).toBe(0);
    expect(await page.locator('#track-code').inputValue()).toBe(dossier.code);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('track-phone');
    expect(await page.locator('#track-phone').getAttribute('inputmode')).toBe('tel');
    await page.screenshot({ path: `${SHOTS}/track-form.png`, fullPage: true });
    expect(await violations(page)).toEqual([]);

    await lookUp(page, '0905 123 456');
    const result = page.locator('[aria-live="polite"]');
    await result.getByRole('heading', { name: 'Hồ sơ đã được tiếp nhận' }).waitFor();
    expect(await result.innerText()).toContain('Đúng hẹn');
    expect(await page.locator('#track-due').innerText()).toBe(vietnamTime(dossier.dueAt!));
    const timeline = await result.locator('.track-timeline li').allInnerTexts();
    expect(timeline).toHaveLength(1);
    expect(timeline[0]).toContain('Tiếp nhận hồ sơ và hẹn ngày trả kết quả');
    expect(timeline[0]).toContain(vietnamTime(dossier.receivedAt!));
    const text = await result.innerText();
    for (const personal of ['Trần Thị Mỹ Hạnh', '0905', '12 Lê Lợi']) expect(text).not.toContain(personal);
    // The phone stays in the request: not in the address bar, not in storage.
    expect(page.url()).not.toMatch(/0905|phone/);
    expect(await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }))).not.toMatch(
      /0905/,
    );
    await page.screenshot({ path: `${SHOTS}/track-result.png`, fullPage: true });
    expect(await violations(page)).toEqual([]);
    await page.context().close();
  });

  it('the receipt’s full QR address (with its token) shows the dossier at once, no phone asked', async () => {
    const dossier = await receiveDossier();
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
    const page = await context.newPage();
    page.setDefaultTimeout(8_000);
    const token = receiptToken(server.env.SESSION_SECRET, dossier.dossierId);
    await page.goto(`${http.url}/track?code=${encodeURIComponent(dossier.code)}#t=${token}`);
    const result = page.locator('[aria-live="polite"]');
    await result.getByRole('heading', { name: 'Hồ sơ đã được tiếp nhận' }).waitFor();
    expect(await page.locator('#track-phone').inputValue()).toBe('');
    expect(await violations(page)).toEqual([]);
    // A token that is not this dossier's opens nothing, and the phone field takes over.
    const forged = await context.newPage();
    forged.setDefaultTimeout(8_000);
    await forged.goto(`${http.url}/track?code=${encodeURIComponent(dossier.code)}#t=r1${'A'.repeat(27)}`);
    await forged.locator('#track-problem').waitFor();
    expect(await forged.locator('[aria-live="polite"]').innerText()).not.toContain('Hồ sơ đã được tiếp nhận');
    expect(await forged.evaluate(() => document.activeElement?.id)).toBe('track-phone');
    await context.close();
  });

  it('a wrong phone gets the not-found answer and no dossier data', async () => {
    const dossier = await receiveDossier();
    const page = await openFromQr(dossier.code);
    await lookUp(page, '0912 000 111');
    const problem = page.locator('#track-problem');
    await problem.waitFor();
    expect(await problem.innerText()).toMatch(/Không tìm thấy hồ sơ với mã và số điện thoại này/);
    expect(await problem.innerText()).not.toMatch(/No dossier matches/);
    expect(await page.locator('[aria-live="polite"]').innerText()).toBe('');
    const known = await (await server.callerAs(null)).citizen.track({
      code: dossier.code,
      phone: '0905123456',
    });
    const body = await page.locator('body').innerText();
    for (const data of [
      known.stateWords.vi,
      known.procedureName,
      known.officeName,
      'Hẹn trả kết quả',
      known.timeline[0]!.vi,
    ]) {
      expect(body).not.toContain(data);
    }
    await page.screenshot({ path: `${SHOTS}/track-not-found.png`, fullPage: true });
    expect(await violations(page)).toEqual([]);
    await page.context().close();
  });

  it('an empty phone is asked for next to the field, without a request', async () => {
    const page = await openFromQr('H57.90.01-251124-0001');
    let requests = 0;
    page.on('request', (request) => {
      if (request.url().includes('citizen.track')) requests++;
    });
    await page.getByRole('button', { name: 'Tra cứu' }).click();
    expect(await page.locator('#track-phone-error').innerText()).toBe('Nhập số điện thoại bạn đã đăng ký.');
    expect(await page.locator('#track-phone').getAttribute('aria-invalid')).toBe('true');
    expect(requests).toBe(0);
    await page.context().close();
  });

  it('typed by hand: the code goes in the address for a reload, the phone does not', async () => {
    const dossier = await receiveDossier();
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    page.setDefaultTimeout(8_000);
    await page.goto(`${http.url}/track`);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('track-code');
    await page.keyboard.type(dossier.code);
    await lookUp(page, '0905 123 456');
    await page.getByRole('heading', { name: 'Hồ sơ đã được tiếp nhận' }).waitFor();
    expect(new URL(page.url()).search).toBe(`?code=${encodeURIComponent(dossier.code)}`);
    await context.close();
  });

  it('a payment asked by the agency and a home delivery are shown in plain words', async () => {
    const dossier = await receiveDossier((commune) => ({
      returnMethod: 'post',
      delivery: {
        address: { line: '45 Hùng Vương', communeCode: commune },
        lat: 16.46,
        lng: 107.59,
        window: 'afternoon',
      },
    }));
    const clerk = { kind: 'clerk' as const, role: 'clerk' as const };
    const agency = { kind: 'agency_official' as const, role: 'agency_official' as const };
    for (const [event, actor, payload] of [
      ['complete_digitization', clerk, {}],
      ['forward', clerk, {}],
      ['accept', agency, {}],
      ['request_payment', agency, { amount: 30_000, reason: 'Lệ phí cấp thêm bản Phiếu lý lịch tư pháp' }],
    ] as const) {
      await recordEvent(database.db, { dossierId: dossier.dossierId, event, actor, payload });
    }
    const page = await openFromQr(dossier.code);
    await lookUp(page, '0905123456');
    const result = page.locator('[aria-live="polite"]');
    await result
      .getByRole('heading', { name: 'Đang chờ bạn nộp phí, lệ phí hoặc nghĩa vụ tài chính' })
      .waitFor();
    const asks = await result.locator('.track-asks').innerText();
    expect(asks).toContain('Nộp 30.000 ₫');
    expect(asks).toContain('Lý do: Lệ phí cấp thêm bản Phiếu lý lịch tư pháp');
    expect(await result.innerText()).toContain('Giao tận nhà: buổi chiều');
    const timeline = await result.locator('.track-timeline li').allInnerTexts();
    expect(timeline[0]).toContain('Cơ quan yêu cầu nộp phí hoặc nghĩa vụ tài chính');
    expect(timeline.at(-1)).toContain('Tiếp nhận hồ sơ và hẹn ngày trả kết quả');
    await page.screenshot({ path: `${SHOTS}/track-payment.png`, fullPage: true });
    expect(await violations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Switch to English' }).click();
    await result.getByRole('heading', { name: 'Waiting for you to pay a fee or charge' }).waitFor();
    expect(await result.innerText()).toContain('Home delivery: in the afternoon');
    await page.context().close();
  });
});
