import { and, eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../../server/src/db/schema';
import { createTestServer } from '../helpers/app';
import { launchChromium, listen } from '../helpers/browser';
import { createTestDatabase } from '../helpers/db';
import { intakeFor } from '../helpers/intake';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: ReturnType<typeof createTestServer>;
let http: Awaited<ReturnType<typeof listen>>;
let browser: Browser;
let page: Page;
let code: string;

beforeAll(async () => {
  database = await createTestDatabase();
  server = createTestServer(database.db);
  // A dossier received at gdv.hang's office, whose portal message the portal refused for good.
  const clerk = await server.callerAs('gdv.hang');
  const procedure = await clerk.catalog.procedure({ code: '3.000333' });
  const commune = (await clerk.catalog.communes())[0]!.code;
  const received = await clerk.intake.submit(intakeFor(procedure, commune));
  code = received.code!;
  await database.db
    .update(outbox)
    .set({ state: 'dead', attempts: 25, lastError: 'HTTP 400: MaHoSo không hợp lệ' })
    .where(and(eq(outbox.dossierId, received.dossierId), eq(outbox.topic, 'portal.progress')));
  http = await listen(server.app);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
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

describe('the dead-letter page', () => {
  it('shows what is stuck and why, in Vietnamese, and sends it again', async () => {
    await page.goto(`${http.url}/dead-letters`);
    await page.getByRole('heading', { name: 'Tin gửi đi bị kẹt' }).waitFor();
    const row = page.locator('tr', { hasText: code });
    await row.waitFor();
    await page.screenshot({ path: '/tmp/shots/dead-letters.png' });
    await row.getByRole('button', { name: /Gửi lại/ }).click();
    await expect.poll(() => page.locator('tr', { hasText: code }).count()).toBe(0);
    const [message] = await database.db.select().from(outbox).where(eq(outbox.topic, 'portal.progress'));
    expect(message!.state).toBe('pending');
    expect(message!.attempts).toBe(0);
  });
});
