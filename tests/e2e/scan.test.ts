import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSoftwareKey, trustInNss } from '../../server/src/signing/pki';
import { createTestServer } from '../helpers/app';
import { launchChromium, listen } from '../helpers/browser';
import { createTestDatabase } from '../helpers/db';
import { intakeFor } from '../helpers/intake';
import { jpeg } from '../helpers/scans';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: ReturnType<typeof createTestServer>;
let http: Awaited<ReturnType<typeof listen>>;
let browser: Browser;
let clerk: Awaited<ReturnType<ReturnType<typeof createTestServer>['callerAs']>>;
let commune: string;
let nssDir: string;
let signedPdf: Uint8Array | undefined;
const SHOTS = process.env.SCAN_SHOTS ?? '/tmp/shots';
const RULES = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa', 'best-practice'];

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  database = await createTestDatabase();
  server = createTestServer(database.db);
  http = await listen(server.app);
  browser = await launchChromium();
  clerk = await server.callerAs('gdv.hang');
  commune = (await clerk.catalog.communes())[0]!.code;
  // pdfsig trusts the CA of the key the test server signs with, as a clerk's office would trust its CA.
  nssDir = join(mkdtempSync(join(tmpdir(), 'pd-nss-')), 'nssdb');
  trustInNss(nssDir, 'PostDesk demo CA', ensureSoftwareKey(server.env.DATA_DIR).caPath);
});
afterAll(async () => {
  await browser?.close();
  await http?.close();
  await database?.close();
});

const receive = async () => {
  const procedure = await clerk.catalog.procedure({ code: '3.000333' });
  const input = intakeFor(procedure, commune, {
    absent: procedure.components.filter((c) => !c.required).map((c) => c.code),
  });
  input.applicant.citizenId = `0461950${String(Math.floor(Math.random() * 1e5)).padStart(5, '0')}`;
  const result = await clerk.intake.submit(input);
  return { result, required: procedure.components.filter((c) => c.required) };
};

const openStation = async (dossierId: string, viaToday?: string) => {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(`${http.url}/login`);
  await page.keyboard.type('gdv.hang');
  await page.keyboard.press('Tab');
  await page.keyboard.type('postdesk-demo');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Thủ tục hành chính' }).waitFor();
  if (viaToday) {
    await page.keyboard.press('Alt+H');
    await page.getByRole('link', { name: `Số hóa hồ sơ ${viaToday}` }).click();
    await page.waitForURL(`**/dossiers/${dossierId}/scan`);
  } else {
    await page.goto(`${http.url}/dossiers/${dossierId}/scan`);
  }
  await page.getByRole('heading', { name: 'Số hóa hồ sơ', level: 1 }).waitFor();
  await page.locator('.scan-component').first().waitFor();
  return page;
};

const tiles = (page: Page, code: string) => page.locator(`#comp-${code} .page-tile`);

/** Every page of the component processed, with its thumbnail loaded. */
const waitReady = async (page: Page, code: string, count: number) => {
  await expect
    .poll(() => page.locator(`#comp-${code} .page-tile[data-state="ready"]`).count(), { timeout: 60_000 })
    .toBe(count);
  await expect
    .poll(
      () =>
        page
          .locator(`#comp-${code} .page-tile img`)
          .evaluateAll((images) => images.filter((img) => (img as HTMLImageElement).naturalWidth > 0).length),
      { timeout: 15_000 },
    )
    .toBe(count);
};

const violations = async (page: Page) => {
  const results = await new AxeBuilder({ page }).withTags(RULES).analyze();
  return results.violations.flatMap((v) =>
    v.nodes.map((n) => `${v.id} (${v.impact}) ${n.target.join(' ')}: ${n.failureSummary}`),
  );
};

const pdfsig = (path: string) =>
  spawnSync('pdfsig', ['-nssdir', `sql:${nssDir}`, path], { encoding: 'utf8' }).stdout;

describe('the scanning station in Chromium', () => {
  it('scans a 5-page dossier, rotates a page, signs each component and finishes digitization', async () => {
    const { result, required } = await receive();
    expect(required).toHaveLength(2);
    const [first, second] = required as [(typeof required)[number], (typeof required)[number]];
    const page = await openStation(result.dossierId);
    await expect.poll(() => page.locator('#scan-code').innerText()).toContain(result.code!);
    await expect.poll(() => page.locator('#scan-state').innerText()).toMatch(/Đã tiếp nhận/);
    // Signing is refused with a reason until there are pages.
    expect(await page.locator(`#comp-${first.code}-finish`).isDisabled()).toBe(true);
    expect(await page.locator('#scan-complete').isDisabled()).toBe(true);

    await page
      .locator(`#comp-${first.code}-files`)
      .setInputFiles([await jpeg(`${first.name} trang 1`, true), await jpeg(`${first.name} trang 2`)]);
    await page
      .locator(`#comp-${second.code}-files`)
      .setInputFiles([await jpeg('Trang 1 / 3'), await jpeg('Trang 2 / 3'), await jpeg('Trang 3 / 3')]);
    await waitReady(page, first.code, 2);
    await waitReady(page, second.code, 3);
    expect(await page.locator(`#comp-${first.code}-finish`).isEnabled()).toBe(true);
    await page.screenshot({ path: `${SHOTS}/scan-station.png` });

    // The first page was scanned sideways: rotated, it is processed again and comes back upright.
    const tile = tiles(page, first.code).first();
    const tileId = (await tile.getAttribute('id'))!.replace(/-tile$/, '');
    const before = await tile.locator('img').getAttribute('src');
    await page.locator(`#${tileId}-rotate`).focus();
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.locator(`#${tileId}-tile img`).getAttribute('src'), { timeout: 30_000 })
      .not.toBe(before);
    await waitReady(page, first.code, 2);

    // Move the second component's first page to the right with the keyboard.
    const order = () => tiles(page, second.code).evaluateAll((items) => items.map((item) => item.id));
    const initial = await order();
    await page.locator(`#${initial[0]!.replace(/-tile$/, '')}-right`).focus();
    await page.keyboard.press('Enter');
    await expect.poll(order).toEqual([initial[1], initial[0], initial[2]]);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(
      initial[0]!.replace(/-tile$/, '-right'),
    );

    const dir = mkdtempSync(join(tmpdir(), 'pd-scan-'));
    for (const component of [first, second]) {
      await page.locator(`#comp-${component.code}-finish`).click();
      const link = page.locator(`#comp-${component.code}-signed`);
      await link.waitFor({ timeout: 30_000 });
      await expect
        .poll(() => page.locator(`#comp-${component.code} .comp-digitized`).innerText())
        .toMatch(/\.3\.000333\./);
      const response = await page.request.get(
        new URL((await link.getAttribute('href'))!, http.url).toString(),
      );
      expect(response.headers()['content-type']).toBe('application/pdf');
      const bytes = new Uint8Array(await response.body());
      const path = join(dir, `${component.code}.pdf`);
      writeFileSync(path, bytes);
      const report = pdfsig(path);
      expect(report).toContain('Signature is Valid.');
      expect(report).toContain('Certificate is Trusted.');
      // Signed with the clerk's own key and certificate, in her name.
      expect(report).toContain('Nguyễn Thị Thu Hằng');
      expect(() => execFileSync('qpdf', ['--check', path], { stdio: 'pipe' })).not.toThrow();
      const info = execFileSync('pdfinfo', [path], { encoding: 'utf8' });
      expect(info).toMatch(new RegExp(`Pages:\\s+${component === first ? 2 : 3}`));
      signedPdf ??= bytes;
      if (component === first) {
        execFileSync('pdftoppm', [
          '-r',
          '50',
          '-png',
          '-f',
          '1',
          '-l',
          '1',
          path,
          `${SHOTS}/scan-signed-page`,
        ]);
      }
    }
    await page.screenshot({ path: `${SHOTS}/scan-signed.png` });

    expect(await page.locator('#scan-complete').isEnabled()).toBe(true);
    await page.keyboard.press('Alt+X');
    await expect.poll(() => page.locator('#scan-state').innerText()).toMatch(/Đã số hóa/);
    expect(await page.locator('.page-tile .icon-button').count()).toBe(0);
    await page.screenshot({ path: `${SHOTS}/scan-digitized.png` });
    await page.context().close();
  }, 180_000);

  it('a corrupt image shows its error next to its component; the other pages stay; axe finds nothing', async () => {
    const { result, required } = await receive();
    const code = required[0]!.code;
    const page = await openStation(result.dossierId, result.code!);
    const corrupt = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(4000, 0x41)]);
    await page
      .locator(`#comp-${code}-files`)
      .setInputFiles([
        await jpeg('Trang tốt 1'),
        { name: 'hong.jpg', mimeType: 'image/jpeg', buffer: corrupt },
        await jpeg('Trang tốt 2'),
      ]);
    const section = page.locator(`#comp-${code}`);
    await expect.poll(() => section.innerText(), { timeout: 60_000 }).toMatch(/Không đọc được ảnh quét/);
    await expect
      .poll(() => section.locator('.page-tile[data-state="ready"]').count(), { timeout: 60_000 })
      .toBe(2);
    await expect.poll(() => section.locator('.page-tile img').count()).toBe(2);
    if ((await section.locator('.page-tile[data-state="failed"]').count()) > 0) {
      expect(await page.locator(`#comp-${code}-finish`).isDisabled()).toBe(true);
    }
    await page.screenshot({ path: `${SHOTS}/scan-corrupt.png` });
    expect(await violations(page)).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('OCR switched on for a page: its state shows, the search finds the words; axe finds nothing', async () => {
    const { result, required } = await receive();
    const code = required[0]!.code;
    const page = await openStation(result.dossierId);
    await page.locator(`#comp-${code}-files`).setInputFiles([await jpeg('Tờ khai Phú Hội')]);
    await waitReady(page, code, 1);
    const tileId = (await tiles(page, code).first().getAttribute('id'))!.replace(/-tile$/, '');
    await page.locator(`#${tileId}-ocr`).check();
    await expect
      .poll(() => page.locator(`#${tileId}-ocr-state`).innerText(), { timeout: 15_000 })
      .toMatch(/Đang nhận dạng chữ|Đã có lớp chữ/);
    await expect
      .poll(() => page.locator(`#${tileId}-ocr-state`).innerText(), { timeout: 150_000 })
      .toContain('Đã có lớp chữ');
    await page.locator('#scan-search').fill('cong hoa xa hoi');
    await expect.poll(() => page.locator('#scan-search-results li').count(), { timeout: 15_000 }).toBe(1);
    expect(await page.locator('#scan-search-results mark').first().innerText()).toBe('Cộng hòa xã hội');
    await page.screenshot({ path: `${SHOTS}/scan-ocr.png` });
    expect(await violations(page)).toEqual([]);
    await page.locator('#scan-search').fill('giấy phép lái xe');
    await expect.poll(() => page.locator('.scan-search').innerText()).toContain('Không trang nào có');
    await page.context().close();
  }, 240_000);

  it('verifies a signed PDF and flags a changed one', async () => {
    expect(signedPdf).toBeDefined();
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${http.url}/login`);
    await page.keyboard.type('gdv.hang');
    await page.keyboard.press('Tab');
    await page.keyboard.type('postdesk-demo');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Thủ tục hành chính' }).waitFor();
    await page.keyboard.press('Alt+K');
    await page.getByRole('heading', { name: 'Kiểm tra chữ ký số', level: 1 }).waitFor();

    await page
      .locator('#verify-file')
      .setInputFiles({ name: 'ban-ky-so.pdf', mimeType: 'application/pdf', buffer: Buffer.from(signedPdf!) });
    const card = page.locator('.signature-card').first();
    await card.waitFor();
    const text = await card.innerText();
    expect(text).toMatch(/Chữ ký 1\s*Hợp lệ/);
    expect(text).toContain('Tin cậy');
    expect(text).not.toContain('Không hợp lệ');
    expect(text).toMatch(/\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/);
    expect(await page.locator('#verify-modified').innerText()).toContain('Không bị sửa sau khi ký');
    expect(await violations(page)).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/scan-verify.png` });

    // Bytes appended after signing, outside every signed range.
    const changed = Buffer.concat([Buffer.from(signedPdf!), Buffer.from('\n% sửa sau khi ký\n')]);
    await page
      .locator('#verify-file')
      .setInputFiles({ name: 'da-sua.pdf', mimeType: 'application/pdf', buffer: changed });
    await expect
      .poll(() => page.locator('#verify-modified').innerText())
      .toContain('Tệp đã bị sửa sau khi ký');
    await page.screenshot({ path: `${SHOTS}/scan-verify-modified.png` });
    await context.close();
  }, 60_000);
});
