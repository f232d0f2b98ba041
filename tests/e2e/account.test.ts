import { mkdirSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base32Decode, totp } from '../../server/src/auth/totp';
import { users } from '../../server/src/db/schema';
import { createTestServer } from '../helpers/app';
import { launchChromium, listen } from '../helpers/browser';
import { createTestDatabase } from '../helpers/db';

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

const newPage = async () => {
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  page.setDefaultTimeout(8_000);
  return page;
};

const signIn = async (page: Page, username: string, password: string) => {
  await page.goto(`${http.url}/login`);
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu', { exact: true }).fill(password);
  await page.keyboard.press('Enter');
};

const openAccount = async (page: Page, fullNamePart: RegExp) => {
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  await page.getByRole('link', { name: fullNamePart }).click();
  await page.getByRole('heading', { name: 'Tài khoản của tôi' }).waitFor();
};

describe('the account page in Chromium', () => {
  it('a supervisor turns on two-step verification, and the next sign-in asks for the code', async () => {
    const [supervisor] = await database.db
      .select({ fullName: users.fullName })
      .from(users)
      .where(eq(users.username, 'giamsat.nguyet'));
    const page = await newPage();
    await signIn(page, 'giamsat.nguyet', 'postdesk-demo');
    // No second factor yet: no code is asked for.
    await openAccount(page, new RegExp(supervisor!.fullName));
    await page.getByRole('button', { name: 'Bật xác thực hai bước' }).click();
    const qr = page.getByRole('img', { name: 'Mã QR đăng ký xác thực hai bước' });
    await qr.waitFor();
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    const secretText = await page.locator('#totp-secret').getAttribute('data-secret');
    expect(secretText).toMatch(/^[A-Z2-7]{32}$/);
    // What is shown to type by hand is the same key, in groups of four.
    expect((await page.locator('#totp-secret').innerText()).replace(/\s/g, '')).toBe(secretText);
    await page.screenshot({ path: `${SHOTS}/account-totp-enrol.png`, fullPage: true });

    const secret = base32Decode(secretText!);
    // A wrong code does not turn it on.
    const now = new Date();
    const wrong = totp(secret, now) === '000000' ? '111111' : '000000';
    await page.locator('#totp-code').fill(wrong);
    await page.getByRole('button', { name: 'Xác nhận và bật' }).click();
    await page.getByRole('alert').filter({ hasText: 'Mã xác thực hai bước không đúng' }).waitFor();
    const [still] = await database.db
      .select({ on: users.totpEnabledAt })
      .from(users)
      .where(eq(users.username, 'giamsat.nguyet'));
    expect(still!.on).toBeNull();

    await page.locator('#totp-code').fill(totp(secret, new Date()));
    await page.getByRole('button', { name: 'Xác nhận và bật' }).click();
    await page.getByRole('status').filter({ hasText: 'Đã bật xác thực hai bước' }).waitFor();

    // Sign out; the password alone no longer signs in: the page asks for the code and keeps the password.
    await page.keyboard.press('Alt+Q');
    await page.waitForURL((u) => u.pathname.startsWith('/login'));
    await signIn(page, 'giamsat.nguyet', 'postdesk-demo');
    const codeBox = page.getByLabel('Mã xác thực (6 chữ số)');
    await codeBox.waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(await page.getByLabel('Mật khẩu', { exact: true }).inputValue()).toBe('postdesk-demo');
    await page.screenshot({ path: `${SHOTS}/login-totp.png` });
    // The confirmation used this time step's code, which is never accepted twice: the app's next code is.
    await codeBox.fill(totp(secret, new Date(Date.now() + 30_000)));
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    await page.getByRole('link', { name: new RegExp(supervisor!.fullName) }).waitFor();
    await page.close();
  });

  it('a clerk changes the password on the account page and signs in with the new one only', async () => {
    const [clerk] = await database.db
      .select({ fullName: users.fullName })
      .from(users)
      .where(eq(users.username, 'gdv.hang'));
    const page = await newPage();
    await signIn(page, 'gdv.hang', 'postdesk-demo');
    await openAccount(page, new RegExp(clerk!.fullName));
    // Two-step verification is for administrators and supervisors only.
    expect(await page.getByRole('heading', { name: 'Xác thực hai bước' }).count()).toBe(0);

    // Two different new passwords: refused on the page, nothing sent.
    await page.getByLabel('Mật khẩu hiện tại').fill('postdesk-demo');
    await page.getByLabel('Mật khẩu mới', { exact: true }).fill('Bưu điện Huế 2026!');
    await page.getByLabel('Nhập lại mật khẩu mới').fill('Bưu điện Huế 2027!');
    await page.getByRole('button', { name: 'Đổi mật khẩu' }).click();
    await page.getByText('Hai lần nhập mật khẩu mới không giống nhau.').waitFor();

    // A wrong current password: the server's coded error, in Vietnamese.
    await page.getByLabel('Mật khẩu hiện tại').fill('not-my-password');
    await page.getByLabel('Mật khẩu mới', { exact: true }).fill('Bưu điện Huế 2026!');
    await page.getByLabel('Nhập lại mật khẩu mới').fill('Bưu điện Huế 2026!');
    await page.getByRole('button', { name: 'Đổi mật khẩu' }).click();
    await page.getByRole('alert').filter({ hasText: 'Mật khẩu hiện tại không đúng' }).waitFor();

    await page.getByLabel('Mật khẩu hiện tại').fill('postdesk-demo');
    await page.getByLabel('Mật khẩu mới', { exact: true }).fill('Bưu điện Huế 2026!');
    await page.getByLabel('Nhập lại mật khẩu mới').fill('Bưu điện Huế 2026!');
    await page.getByRole('button', { name: 'Đổi mật khẩu' }).click();
    await page.getByRole('status').filter({ hasText: 'Đã đổi mật khẩu' }).waitFor();
    await page.screenshot({ path: `${SHOTS}/account-password.png`, fullPage: true });

    // English when the user picks it.
    await page.getByRole('button', { name: /English/ }).click();
    await page.getByRole('heading', { name: 'My account' }).waitFor();
    await page.getByRole('heading', { name: 'Change password' }).waitFor();

    await page.keyboard.press('Alt+Q');
    await page.waitForURL((u) => u.pathname.startsWith('/login'));
    await page.getByRole('button', { name: /tiếng Việt/i }).click();
    await signIn(page, 'gdv.hang', 'postdesk-demo');
    await page.getByRole('alert').waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    await signIn(page, 'gdv.hang', 'Bưu điện Huế 2026!');
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    await page.getByRole('link', { name: new RegExp(clerk!.fullName) }).waitFor();
    await page.close();
  });
});
