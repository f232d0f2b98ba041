import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { serve } from '@hono/node-server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSoftwareKey, trustInNss } from '../../server/src/signing/pki';
import { createTestServer } from '../helpers/app';
import { launchChromium, phonePage } from '../helpers/browser';
import { createTestDatabase } from '../helpers/db';
import { receiveFor } from '../helpers/eid';
import { freePort } from '../helpers/processes';
import { type EidProviderSim, startEidProviderSim } from '../sim/eid-provider-sim';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: ReturnType<typeof createTestServer>;
let sim: EidProviderSim;
let browser: Browser;
let url: string;
let closeHttp: () => Promise<void>;
let nssDir: string;
const SHOTS = process.env.EID_SHOTS ?? '/tmp/shots';
const RULES = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa', 'best-practice'];
const PERSON = `0461950${String(Math.floor(Math.random() * 1e5)).padStart(5, '0')}`;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  database = await createTestDatabase();
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  sim = await startEidProviderSim({ redirectUris: [`${url}/auth/eid/callback`] });
  server = createTestServer(database.db, {
    env: {
      PUBLIC_URL: url,
      EID_ISSUER_URL: sim.issuer,
      EID_CLIENT_ID: sim.clientId,
      EID_CLIENT_SECRET: sim.clientSecret,
    },
  });
  const http = serve({ fetch: server.app.fetch, port, hostname: '127.0.0.1' });
  closeHttp = () => new Promise<void>((r) => http.close(() => r()));
  browser = await launchChromium();
  // pdfsig trusts the CA of the key the test server signs with, as the citizen's viewer would trust the post's CA.
  nssDir = join(mkdtempSync(join(tmpdir(), 'pd-nss-')), 'nssdb');
  trustInNss(nssDir, 'PostDesk demo CA', ensureSoftwareKey(server.env.DATA_DIR).caPath);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await closeHttp?.();
  await sim?.close();
  await database?.close();
});

const phone = () => phonePage(browser, 15_000);

const violations = async (page: Page) => {
  const results = await new AxeBuilder({ page }).withTags(RULES).analyze();
  return results.violations.flatMap((v) =>
    v.nodes.map((n) => `${v.id} (${v.impact}) ${n.target.join(' ')}: ${n.failureSummary}`),
  );
};

/** From "My dossiers" through the provider's login page and back, as a person taps it. */
const signIn = async (page: Page, citizenId: string, shot?: string) => {
  await page.goto(`${url}/my`);
  await page.getByRole('link', { name: 'Đăng nhập bằng VNeID' }).click();
  await page.waitForURL(`${sim.issuer}/interaction/**`);
  await page.getByLabel('Số định danh cá nhân').fill(citizenId);
  if (shot) await page.screenshot({ path: `${SHOTS}/${shot}` });
  await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
  await page.waitForURL(`${url}/my**`);
};

describe('a citizen signs in with VNeID on a phone', () => {
  it('sees dossiers from two offices, downloads a signed e-copy that pdfsig verifies; a forged token is refused', async () => {
    const hue = await receiveFor(server, { username: 'gdv.hang', citizenId: PERSON, digitize: true });
    const second = await receiveFor(server, { username: 'gdv.quang', citizenId: PERSON });

    const page = await phone();
    await page.goto(`${url}/my`);
    await page.getByRole('heading', { name: 'Hồ sơ của tôi', level: 1 }).waitFor();
    await page.screenshot({ path: `${SHOTS}/eid-my-signed-out.png` });
    expect(await violations(page)).toEqual([]);

    await signIn(page, PERSON, 'eid-provider-login.png');
    await page.getByRole('heading', { name: /Xin chào/, level: 1 }).waitFor();
    expect(await page.locator('#my-id').innerText()).toContain(PERSON.slice(-3));
    const items = page.locator('.my-dossier');
    await expect.poll(() => items.count()).toBe(2);
    const text = await page.locator('.my-dossiers').innerText();
    expect(text).toContain(hue.code);
    expect(text).toContain(second.code);
    const offices = await page.locator('.my-dossier .track-hint').allInnerTexts();
    expect(new Set(offices.map((o) => o.split(' · ')[0])).size).toBe(2);
    await page.screenshot({ path: `${SHOTS}/eid-my-dossiers.png`, fullPage: true });
    expect(await violations(page)).toEqual([]);

    // One dossier opened by its code alone: the track view, with what the person can do next.
    const item = items.filter({ hasText: second.code });
    await item.getByRole('button', { name: /Xem chi tiết/ }).click();
    await item.locator('.track-card').waitFor();
    expect(await item.locator('.track-state').innerText()).toMatch(/\S/);
    await page.screenshot({ path: `${SHOTS}/eid-my-dossier-open.png`, fullPage: true });

    // The signed e-copy of the digitized document, downloaded and checked as the person's PDF viewer would.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Tải bản ký số (PDF)' }).first().click(),
    ]);
    const path = join(mkdtempSync(join(tmpdir(), 'pd-ecopy-')), 'ecopy.pdf');
    await download.saveAs(path);
    const report = spawnSync('pdfsig', ['-nssdir', `sql:${nssDir}`, path], { encoding: 'utf8' }).stdout;
    expect(report).toContain('Signature is Valid.');
    expect(report).toContain('Certificate is Trusted.');
    execFileSync('pdftoppm', ['-r', '40', '-png', '-f', '1', '-l', '1', path, `${SHOTS}/eid-ecopy`]);

    // Signing out, then a sign-in whose ID token the provider's forger signed: refused, said in plain words.
    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    await page.getByRole('link', { name: 'Đăng nhập bằng VNeID' }).waitFor();
    sim.spoilNextIdToken('forged');
    await signIn(page, PERSON);
    await page.locator('#my-problem').waitFor();
    expect(await page.locator('#my-problem').innerText()).toContain(
      'Không xác minh được thông tin đăng nhập',
    );
    expect(await page.getByRole('link', { name: 'Đăng nhập bằng VNeID' }).isVisible()).toBe(true);
    expect(await page.locator('.my-dossier').count()).toBe(0);
    await page.screenshot({ path: `${SHOTS}/eid-forged-refused.png` });
    const cookies = await page.context().cookies(url);
    expect(cookies.find((c) => c.name === 'pd_citizen')).toBeUndefined();
  }, 180_000);
});
