import { mkdirSync } from 'node:fs';
import { and, desc, eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createPickupTask } from '../../server/src/courier/tasks';
import type { Db } from '../../server/src/db/client';
import { dossierEvents, dossiers, procedures, procedureVersions } from '../../server/src/db/schema';
import { createDossier } from '../../server/src/dossiers/engine';
import { createTestServer } from '../helpers/app';
import { launchChromium, listen } from '../helpers/browser';
import { createTestDatabase } from '../helpers/db';
import { inspectPdf } from '../helpers/pdf';
import { actionId, addCourier, cookieFor, officeId, uploadPhoto } from '../integration/courier-setup';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: ReturnType<typeof createTestServer>;
let http: Awaited<ReturnType<typeof listen>>;
let browser: Browser;
let db: Db;
let hue: string;
const SHOTS = process.env.E2E_SHOTS ?? '/tmp/postdesk-e2e';

const vietnamDay = (at: Date) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(at); // yyyy-mm-dd

const vietnamClock = (at: Date) => {
  const part = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Asia/Ho_Chi_Minh',
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return `${part.day}/${part.month}/${part.year} ${part.hour}:${part.minute}`;
};

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  database = await createTestDatabase();
  db = database.db;
  server = createTestServer(db);
  hue = await officeId(db);
  http = await listen(server.app);
  browser = await launchChromium();
});
afterAll(async () => {
  vi.useRealTimers();
  await browser?.close();
  await http?.close();
  await database?.close();
});

/**
 * What happens before the desk sees it, through the server's own functions: the citizen asks for a home pickup,
 * the supervisor assigns it, the courier collects the sealed bag at the door (an hour and a half ago).
 */
const collectedAtHome = async (seal: string) => {
  const pickedUpAt = new Date(Date.now() - 90 * 60_000);
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(pickedUpAt);
  try {
    const [p] = await db
      .select({ id: procedures.id, agencyId: procedures.agencyId, versionId: procedureVersions.id })
      .from(procedures)
      .innerJoin(procedureVersions, eq(procedureVersions.procedureId, procedures.id))
      .where(eq(procedures.code, '3.000333'))
      .orderBy(desc(procedureVersions.version))
      .limit(1);
    const { dossier, task } = await db.transaction(async (raw) => {
      const tx = raw as unknown as Db;
      const created = await createDossier(tx, {
        event: 'request_pickup',
        actor: { kind: 'citizen' },
        payload: { window: 'any' },
        values: {
          procedureId: p!.id,
          procedureVersionId: p!.versionId,
          receivingOfficeId: hue,
          agencyId: p!.agencyId,
          channel: 3,
          returnMethod: 0,
        },
      });
      const pickupTask = await createPickupTask(tx, {
        dossierId: created.id,
        officeId: hue,
        address: '27 Nguyễn Huệ, phường Thuận Hóa, Huế',
        lat: 16.4615,
        lng: 107.5951,
        windowStart: null,
        windowEnd: null,
        contactName: 'Trần Thị Mỹ Hạnh',
        contactPhone: '0905123456',
      });
      return { dossier: created, task: pickupTask };
    });
    const day = vietnamDay(pickedUpAt);
    const hung = await addCourier(db, 'buuta.hung', hue);
    const supervisor = await server.callerAs('giamsat.nguyet', { officeHint: hue });
    const assigned = await supervisor.courier.assign({ taskId: task.id, courierId: hung, day });
    const courier = await server.callerAs('buuta.hung', { officeHint: hue });
    const seen = (await courier.courier.today({ day })).tasks.find((t) => t.id === task.id)!;
    const cookie = await cookieFor(db, 'buuta.hung');
    const signature = await uploadPhoto(server, cookie);
    const photo = await uploadPhoto(server, cookie);
    const done = await courier.courier.sync({
      actions: [
        {
          clientActionId: actionId(),
          taskId: task.id,
          taskVersion: assigned.version,
          type: 'pickup',
          deviceAt: pickedUpAt,
          position: { lat: 16.4616, lng: 107.5952, accuracy: 6 },
          payload: {
            // The bag holds the form and the id card copy; no power of attorney (not needed).
            checklist: seen.components!.map((c) => ({
              code: c.code,
              present: c.code !== 'TP03',
              form: c.form,
              copies: c.copies,
            })),
            photoSha256s: [photo],
            signatureSha256: signature,
            sealNumber: seal,
          },
        },
      ],
    });
    expect(done.results[0]!.status).toBe('applied');
    return { dossierId: dossier.id, pickedUpAt };
  } finally {
    vi.useRealTimers();
  }
};

describe('the desk receives a dossier a courier collected at home, in Chromium', () => {
  it('lists the sealed bag on Today, opens the wizard filled in from the dispatch note, and dates the receipt at the hand-over', async () => {
    const { dossierId, pickedUpAt } = await collectedAtHome('NP-004711');
    const [before] = await db.select().from(dossiers).where(eq(dossiers.id, dossierId));
    expect(before!.state).toBe('picked_up');

    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    page.setDefaultTimeout(8_000);
    await page.goto(`${http.url}/login`);
    await page.keyboard.type('gdv.hang');
    await page.keyboard.press('Tab');
    await page.keyboard.type('postdesk-demo');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Thủ tục hành chính' }).waitFor();
    await page.goto(`${http.url}/today`);

    // The section, with the seal number to check against the bag, the pickup time and the dispatch note.
    const section = page.getByRole('region', { name: 'Hồ sơ bưu tá đã thu gom' });
    await section.waitFor();
    const row = section.locator(`tr[data-dossier="${dossierId}"]`);
    await row.waitFor();
    expect(await row.locator('.seal-number').innerText()).toBe('NP-004711');
    expect(await row.innerText()).toContain('Trần Thị Mỹ Hạnh');
    expect(await row.innerText()).toContain(vietnamClock(pickedUpAt));
    expect(await row.innerText()).toContain('2/3');
    const note = row.getByRole('link', { name: 'Mở phiếu gửi hồ sơ niêm phong NP-004711' });
    const href = await note.getAttribute('href');
    const pdf = await page.request.get(new URL(href!, http.url).toString());
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    const read = inspectPdf(new Uint8Array(await pdf.body()));
    expect(read.flat).toContain('PHIẾU GỬI HỒ SƠ');
    expect(read.flat).toContain('NP-004711');
    await page.screenshot({ path: `${SHOTS}/pickup-today.png` });

    // "Tiếp nhận" opens the wizard on the dossier's procedure, filled in from the courier's dispatch note.
    await row.getByRole('link', { name: /Tiếp nhận hồ sơ niêm phong NP-004711/ }).click();
    await page.locator('.pickup-banner').waitFor();
    expect(await page.locator('.pickup-banner').innerText()).toContain('NP-004711');
    await expect.poll(() => page.locator('#applicant-fullName').inputValue()).toBe('Trần Thị Mỹ Hạnh');
    expect(await page.locator('#applicant-phone').inputValue()).toBe('0905123456');
    expect(await page.locator('#applicant-line').inputValue()).toContain('27 Nguyễn Huệ');
    expect(await page.locator('#component-TP01-present').isChecked()).toBe(true);
    expect(await page.locator('#component-TP02-present').isChecked()).toBe(true);
    expect(await page.locator('#component-TP03-present').isChecked()).toBe(false);

    // The clerk reads the id card in the bag, checks the rest, and receives it.
    await page.locator('#applicant-citizenId').fill('046195004711');
    await page.locator('#applicant-citizenId').press('Enter');
    // The commune is read from the pickup address.
    expect(await page.locator('#applicant-communeCode').inputValue()).toMatch(/Thuận Hóa/);
    await page.screenshot({ path: `${SHOTS}/pickup-wizard.png`, fullPage: true });
    const handOverFrom = new Date();
    await page.keyboard.press('Alt+T');
    await page.locator('#dossier-code').waitFor();
    const code = (await page.locator('#dossier-code').innerText()).trim();
    expect(code).toMatch(/^H57\.36-\d{6}-\d{4}$/); // the department received for (Decision 468)
    await page.screenshot({ path: `${SHOTS}/pickup-received.png` });

    // The same dossier, received now: the receipt's received time is the hand-over, not the pickup.
    const [after] = await db.select().from(dossiers).where(eq(dossiers.id, dossierId));
    expect(after).toMatchObject({ state: 'received', code, channel: 3 });
    expect(after!.receivedAt!.getTime()).toBeGreaterThanOrEqual(handOverFrom.getTime() - 60_000);
    const receipt = await page.locator('.result-facts').innerText();
    expect(receipt).toContain(vietnamClock(after!.receivedAt!));
    expect(receipt).not.toContain(vietnamClock(pickedUpAt));
    const [start] = await db
      .select()
      .from(dossierEvents)
      .where(and(eq(dossierEvents.dossierId, dossierId), eq(dossierEvents.event, 'start_intake')));
    expect(start!.fromState).toBe('picked_up');
    expect(start!.payload).toMatchObject({ sealNumber: 'NP-004711' });

    // Back on Today the bag is no longer waiting; the dossier is among today's received ones.
    await page.goto(`${http.url}/today`);
    await page.getByRole('link', { name: code }).first().waitFor();
    expect(await page.locator(`tr[data-dossier="${dossierId}"]`).count()).toBe(0);
    expect(await page.getByRole('region', { name: 'Hồ sơ bưu tá đã thu gom' }).innerText()).toContain(
      'Không có hồ sơ nào bưu tá thu gom đang chờ giao tại quầy.',
    );
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await page.getByRole('region', { name: 'Dossiers collected by couriers' }).waitFor();
    await page.screenshot({ path: `${SHOTS}/pickup-today-after.png` });
    await page.close();
  });
});
