import { execFileSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { vietnamDate } from '@postdesk/shared';
import { desc, eq } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import QRCode from 'qrcode';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPickupTask, ensureDeliveryTask } from '../../server/src/courier/tasks';
import type { Db } from '../../server/src/db/client';
import {
  courierProofs,
  courierTasks,
  dossiers,
  memberships,
  procedures,
  procedureVersions,
  users,
} from '../../server/src/db/schema';
import { createDossier, type EventActor, recordEvent } from '../../server/src/dossiers/engine';
import { issueOtp } from '../../server/src/otp/otp';
import { countActions } from '../helpers/actions';
import { createTestServer } from '../helpers/app';
import { launchChromium, listen } from '../helpers/browser';
import { createTestDatabase } from '../helpers/db';
import { intakeFor } from '../helpers/intake';

const SHOTS = process.env.E2E_SHOTS ?? '/tmp/postdesk-e2e';
const PHOTO = join(import.meta.dirname, '../fixtures/courier/doorstep.jpg');
// Cấp Giấy xác nhận tình trạng hôn nhân: decided by UBND phường Phú Xuân.
const PROCEDURE = '1.004873';
const HUE_POST_OFFICE = { latitude: 16.4637, longitude: 107.5909 };

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: ReturnType<typeof createTestServer>;
let http: Awaited<ReturnType<typeof listen>>;
let browser: Browser;
let officeId: string;
let commune: string;
let clerkActor: EventActor;
let officialActor: EventActor;

const memberOf = async (username: string) => {
  const [row] = await database.db
    .select({ userId: users.id, officeId: memberships.officeId, role: memberships.role })
    .from(users)
    .innerJoin(memberships, eq(memberships.userId, users.id))
    .where(eq(users.username, username));
  return row!;
};

/** A result ready at H57.90.01 for home delivery, dispatched to `courier` today; returns the code texted. */
const outForDelivery = async (opts: { courier: string; line: string; lat: number; lng: number }) => {
  const clerk = await server.callerAs('gdv.hang');
  const procedure = await clerk.catalog.procedure({ code: PROCEDURE });
  const citizenId = `04619500${String(randomInt(0, 9999)).padStart(4, '0')}`;
  const phone = `0905${String(randomInt(0, 999999)).padStart(6, '0')}`;
  const input = intakeFor(procedure, commune, {
    absent: procedure.components.filter((c) => !c.required).map((c) => c.code),
    returnMethod: 'post',
    delivery: {
      address: { line: opts.line, communeCode: commune },
      lat: opts.lat,
      lng: opts.lng,
      window: 'any',
    },
  });
  input.applicant.citizenId = citizenId;
  input.applicant.phone = phone;
  const { dossierId } = await clerk.intake.submit(input);
  for (const [event, actor] of [
    ['complete_digitization', clerkActor],
    ['forward', clerkActor],
    ['accept', officialActor],
    ['decide', officialActor],
    ['release_result', officialActor],
  ] as const) {
    await recordEvent(database.db, { dossierId, event, actor });
  }
  const task = await ensureDeliveryTask(database.db, { dossierId });
  const supervisor = await server.callerAs('giamsat.nguyet', { officeHint: officeId });
  const courier = await memberOf(opts.courier);
  await supervisor.courier.assign({
    taskId: task.id,
    courierId: courier.userId,
    day: vietnamDate(new Date()),
  });
  // The dispatch texted a code; a fresh one is issued here to know it (only the latest text counts).
  const otp = await issueOtp(database.db, {
    purpose: 'delivery_handover',
    phone,
    dossierId,
    secret: server.env.SESSION_SECRET,
  });
  const [dossier] = await database.db.select().from(dossiers).where(eq(dossiers.id, dossierId));
  return {
    dossierId,
    taskId: task.id,
    code: otp.code,
    citizenId,
    fullName: input.applicant.fullName,
    dossier: dossier!,
  };
};

/** A citizen's home pickup request at H57.90.01, assigned to `courier` today. */
const pickupRequested = async (opts: { courier: string; line: string; lat: number; lng: number }) => {
  const [p] = await database.db
    .select({ id: procedures.id, agencyId: procedures.agencyId, versionId: procedureVersions.id })
    .from(procedures)
    .innerJoin(procedureVersions, eq(procedureVersions.procedureId, procedures.id))
    .where(eq(procedures.code, PROCEDURE))
    .orderBy(desc(procedureVersions.version))
    .limit(1);
  const day = vietnamDate(new Date());
  const { dossier, task } = await database.db.transaction(async (raw) => {
    const tx = raw as unknown as Db;
    const created = await createDossier(tx, {
      event: 'request_pickup',
      actor: { kind: 'citizen' },
      payload: { window: 'morning' },
      values: {
        procedureId: p!.id,
        procedureVersionId: p!.versionId,
        receivingOfficeId: officeId,
        agencyId: p!.agencyId,
        channel: 3,
        returnMethod: 0,
      },
    });
    const made = await createPickupTask(tx, {
      dossierId: created.id,
      officeId,
      address: opts.line,
      lat: opts.lat,
      lng: opts.lng,
      windowStart: new Date(`${day}T08:00:00+07:00`),
      windowEnd: new Date(`${day}T10:00:00+07:00`),
      contactName: 'Lê Văn Bình',
      contactPhone: '0905765432',
    });
    return { dossier: created, task: made };
  });
  const supervisor = await server.callerAs('giamsat.nguyet', { officeHint: officeId });
  const courier = await memberOf(opts.courier);
  await supervisor.courier.assign({ taskId: task.id, courierId: courier.userId, day });
  return { dossierId: dossier.id, taskId: task.id };
};

const stateOf = async (dossierId: string) =>
  (await database.db.select({ state: dossiers.state }).from(dossiers).where(eq(dossiers.id, dossierId)))[0]!
    .state;

const phoneContext = () =>
  browser.newContext({
    viewport: { width: 360, height: 740 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    geolocation: HUE_POST_OFFICE,
    permissions: ['geolocation'],
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
  });

const signIn = async (page: Page) => {
  await page.goto(`${http.url}/courier/`);
  await page.locator('input[name="username"]').fill('buuta.hung');
  await page.locator('input[name="password"]').fill('postdesk-demo');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Tuyến hôm nay' }).waitFor();
};

/** The app shell is cached once the service worker controls the page. */
const shellCached = (page: Page) =>
  expect
    .poll(
      () =>
        page.evaluate(() => navigator.serviceWorker.ready.then(() => !!navigator.serviceWorker.controller)),
      {
        timeout: 15_000,
      },
    )
    .toBe(true);

/** The citizen signs with a finger on the pad in the form: one stroke, saved as it ends. */
const sign = async (page: Page, shot?: string) => {
  const pad = page.locator('canvas.signature-canvas');
  await pad.scrollIntoViewIfNeeded();
  const box = (await pad.boundingBox())!;
  await page.mouse.move(box.x + 30, box.y + box.height * 0.6);
  await page.mouse.down();
  for (let i = 1; i <= 24; i++) {
    await page.mouse.move(box.x + 30 + i * 10, box.y + box.height * (0.6 - 0.25 * Math.sin(i / 3)));
  }
  await page.mouse.up();
  if (shot) await page.screenshot({ path: `${SHOTS}/${shot}` });
  await page.locator('.signature-saved').waitFor();
};

const seriousA11y = async (page: Page) => {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag22aa']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
};

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  database = await createTestDatabase();
  server = createTestServer(database.db);
  http = await listen(server.app);
  browser = await launchChromium();
  const clerk = await memberOf('gdv.hang');
  const official = await memberOf('ubnd.phuxuan');
  officeId = clerk.officeId;
  clerkActor = { kind: 'clerk', userId: clerk.userId, role: 'clerk', officeId: clerk.officeId };
  officialActor = {
    kind: 'agency_official',
    userId: official.userId,
    role: 'agency_official',
    officeId: official.officeId,
  };
  commune = (await (await server.callerAs('gdv.hang')).catalog.communes())[0]!.code;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await http?.close();
  await database?.close();
});

describe('the courier app on a phone, offline at the door', () => {
  let context: BrowserContext;
  afterAll(() => context?.close());

  it('shows the route, delivers with ID QR, OTP, photo and signature offline, and syncs when signal returns', async () => {
    const stop = await outForDelivery({
      courier: 'buuta.hung',
      line: '25 Nguyễn Huệ, phường Thuận Hóa',
      lat: 16.4612,
      lng: 107.5962,
    });
    expect(await stateOf(stop.dossierId)).toBe('out_for_delivery');

    context = await phoneContext();
    const page = await context.newPage();
    await signIn(page);

    // The route: the list is the truth, the map draws on a plain background (no tile server configured).
    const item = page.locator('.stop-item', { hasText: '25 Nguyễn Huệ' });
    await item.waitFor();
    expect(await item.innerText()).toContain(stop.dossier.code!);
    expect(await item.textContent()).toContain('Điểm tiếp theo');
    expect(await page.locator('.route-map').getAttribute('data-tiles')).toBe('off');
    await expect.poll(() => page.locator('.route-map .map-stop').count()).toBeGreaterThanOrEqual(1);
    expect(await page.locator('.route-map .map-office').count()).toBe(1);
    await expect
      .poll(() => page.locator('.route-map path.leaflet-interactive').count())
      .toBeGreaterThanOrEqual(2);
    expect(await page.locator('.route-map img.leaflet-tile').count()).toBe(0);
    const call = item.locator('a[href^="tel:"]');
    expect(await call.getAttribute('href')).toMatch(/^tel:0905\d{6}$/);
    expect((await call.boundingBox())!.height).toBeGreaterThanOrEqual(48);
    expect(await page.locator('body').innerText()).toContain('Võ Văn Hùng');
    await page.screenshot({ path: `${SHOTS}/courier-route.png` });
    expect(await seriousA11y(page)).toEqual([]);

    await shellCached(page);

    // No signal: the app still opens from the phone (service worker + IndexedDB copy of the route).
    await context.setOffline(true);
    await page.goto(`${http.url}/courier/`);
    await page.getByRole('heading', { name: 'Tuyến hôm nay' }).waitFor();
    await expect
      .poll(() => page.locator('.offline-copy').innerText())
      .toMatch(/Bản lưu ngoại tuyến lúc \d{2}:\d{2}/);
    expect(await page.locator('.network').first().innerText()).toContain('Mất mạng');

    await item.locator('.stop-link').click();
    await page.locator('h1.task-address').waitFor();
    const navigate = page.getByRole('link', { name: 'Chỉ đường' });
    expect(await navigate.getAttribute('href')).toContain('16.4612,107.5962');
    expect(await navigate.getAttribute('data-geo')).toMatch(/^geo:16\.4612,107\.5962/);
    await page.screenshot({ path: `${SHOTS}/courier-task.png` });

    await page.getByRole('link', { name: 'Giao kết quả' }).click();
    await page.getByRole('heading', { name: 'Giao kết quả' }).waitFor();

    // Identity from the chip id card's QR, read from a photo with jsQR and the shared parser.
    const qr = await QRCode.toBuffer(
      `${stop.citizenId}||${stop.fullName}|12041995|Nữ|12 Lê Lợi, Thuận Hóa, Huế|01022022`,
      { width: 480, margin: 4 },
    );
    await page.getByRole('button', { name: 'Quét QR trên CCCD' }).click();
    await page
      .locator('input[name="qr-photo"]')
      .setInputFiles({ name: 'cccd.png', mimeType: 'image/png', buffer: qr });
    await expect.poll(() => page.locator('input[name="idNumber"]').inputValue()).toBe(stop.citizenId);
    await page.getByText('Khớp với người nhận trong hồ sơ.').waitFor();

    await page.locator('input[name="otp"]').fill(stop.code);
    await page.getByText('mã được lưu và kiểm tra khi đồng bộ').waitFor();

    await page.locator('input[name="photo"]').setInputFiles(PHOTO);
    await page.locator('.photo-thumb img').waitFor();

    // The phone locks, the app is reopened with no signal: the form is as it was, photo included. The draft is
    // written to IndexedDB as the courier goes; reload once it holds the photo.
    await expect
      .poll(() =>
        page.evaluate(
          () =>
            new Promise<number>((done) => {
              const open = indexedDB.open('postdesk-courier');
              open.onsuccess = () => {
                const get = open.result
                  .transaction('kv')
                  .objectStore('kv')
                  .get(`draft:deliver:${location.pathname.split('/').at(-2) ?? ''}`);
                get.onsuccess = () => {
                  open.result.close();
                  done((get.result as { photos?: unknown[] } | undefined)?.photos?.length ?? 0);
                };
              };
            }),
        ),
      )
      .toBe(1);
    await page.goto(page.url());
    await page.getByRole('heading', { name: 'Giao kết quả' }).waitFor();
    await expect.poll(() => page.locator('input[name="otp"]').inputValue()).toBe(stop.code);
    expect(await page.locator('input[name="idNumber"]').inputValue()).toBe(stop.citizenId);
    await page.locator('.photo-thumb img').waitFor();

    await sign(page, 'courier-signature.png');
    await page.screenshot({ path: `${SHOTS}/courier-deliver.png`, fullPage: true });
    expect(await seriousA11y(page)).toEqual([]);

    await page.getByRole('button', { name: 'Hoàn tất giao' }).click();
    await page.getByRole('heading', { name: 'Tuyến hôm nay' }).waitFor();
    await expect.poll(() => item.innerText()).toContain('Chờ đồng bộ');
    expect(await page.locator('.sync-status').innerText()).toContain('Chờ đồng bộ: 1');
    await page.screenshot({ path: `${SHOTS}/courier-pending.png` });
    expect(await stateOf(stop.dossierId)).toBe('out_for_delivery');

    // Signal again: the photo and signature go up first, then the action; the dossier is delivered.
    await context.setOffline(false);
    await expect
      .poll(() => page.locator('.sync-status').innerText(), { timeout: 30_000 })
      .toContain('Đã gửi hết');
    await expect.poll(() => stateOf(stop.dossierId)).toBe('delivered');
    await expect.poll(() => item.innerText()).toContain('Đã xong');
    await page.screenshot({ path: `${SHOTS}/courier-synced.png` });

    const [proof] = await database.db
      .select()
      .from(courierProofs)
      .where(eq(courierProofs.dossierId, stop.dossierId));
    expect(proof!.otpVerified).toBe(true);
    expect(proof!.lat).toBeCloseTo(HUE_POST_OFFICE.latitude, 3);
    expect(proof!.deviceAt).not.toBeNull();
    expect(proof!.signatureSha256).toMatch(/^[0-9a-f]{64}$/);
    // The phone shrank the 4.3 MP photo to at most 2 MP before sending it.
    const photo = await sharp(await server.files.get(proof!.photoSha256s[0]!)).metadata();
    expect(photo.format).toBe('jpeg');
    expect(photo.width! * photo.height!).toBeLessThanOrEqual(2_000_000);
    expect(photo.width! * photo.height!).toBeGreaterThan(1_500_000);

    await item.locator('.stop-link').click();
    const record = page.getByRole('link', { name: 'Xem biên bản (PDF)' });
    expect(await record.getAttribute('href')).toBe(`/field/proofs/${proof!.id}.pdf`);
    const pdf = await context.request.get(`${http.url}/field/proofs/${proof!.id}.pdf`);
    expect(pdf.status()).toBe(200);
    const file = join(SHOTS, 'courier-proof.pdf');
    writeFileSync(file, await pdf.body());
    expect(execFileSync('qpdf', ['--check', file]).toString()).toContain(
      'No syntax or stream encoding errors',
    );
    expect(execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-']).toString()).toContain(stop.dossier.code!);
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', file, join(SHOTS, 'courier-proof')]);
  }, 180_000);
});

describe('a task reassigned while the courier was offline', () => {
  let context: BrowserContext;
  afterAll(() => context?.close());

  it('the queued action comes back as a conflict the courier sees on screen, and nothing changes', async () => {
    const stop = await outForDelivery({
      courier: 'buuta.hung',
      line: '7 Lê Lợi, phường Thuận Hóa',
      lat: 16.4655,
      lng: 107.5885,
    });
    context = await phoneContext();
    const page = await context.newPage();
    await signIn(page);
    const item = page.locator('.stop-item', { hasText: '7 Lê Lợi' });
    await item.waitFor();

    await context.setOffline(true);
    await item.locator('.stop-link').click();
    await page.getByRole('link', { name: 'Không thực hiện được' }).click();
    await page.getByText('Không có người ở nhà').click();
    await page.getByRole('button', { name: 'Ghi nhận không thành công' }).click();
    await page.getByRole('heading', { name: 'Tuyến hôm nay' }).waitFor();
    await expect.poll(() => page.locator('.sync-status').innerText()).toContain('Chờ đồng bộ: 1');
    await page.locator('.sync-status').click();
    await page.getByRole('heading', { name: 'Thao tác chờ đồng bộ' }).waitFor();
    expect(await page.locator('.queue-item').innerText()).toContain('7 Lê Lợi');
    expect(await page.locator('.queue-page').innerText()).toContain('sẽ tự gửi khi có mạng');
    await page.screenshot({ path: `${SHOTS}/courier-queue.png` });
    await page.getByRole('link', { name: 'Về tuyến' }).click();
    await page.getByRole('heading', { name: 'Tuyến hôm nay' }).waitFor();

    // Meanwhile the supervisor gives the stop to another courier.
    const supervisor = await server.callerAs('giamsat.nguyet', { officeHint: officeId });
    const other = await memberOf('buuta.phuoc');
    // A second courier at this office for the day (the demo data has one per office).
    await database.db
      .insert(memberships)
      .values({ userId: other.userId, officeId, role: 'courier' })
      .onConflictDoNothing();
    await supervisor.courier.assign({
      taskId: stop.taskId,
      courierId: other.userId,
      day: vietnamDate(new Date()),
    });

    await context.setOffline(false);
    const problem = page.locator('.task-problem');
    await expect.poll(() => problem.count(), { timeout: 30_000 }).toBe(1);
    const text = await problem.innerText();
    expect(text).toContain('Không ghi nhận được — nhiệm vụ đã thay đổi');
    expect(text).toContain('7 Lê Lợi');
    expect(await page.locator('.sync-status').innerText()).toContain('Cần xem: 1');
    await page.screenshot({ path: `${SHOTS}/courier-conflict.png`, fullPage: true });

    const [task] = await database.db.select().from(courierTasks).where(eq(courierTasks.id, stop.taskId));
    expect(task!.courierId).toBe(other.userId);
    expect(task!.attempts).toBe(0);
    expect(await stateOf(stop.dossierId)).toBe('out_for_delivery');

    // Read and dismissed: it leaves the screen (the server's answer stands).
    await page.getByRole('button', { name: 'Đã hiểu' }).click();
    await expect.poll(() => problem.count()).toBe(0);
  }, 120_000);
});

describe('a home pickup at the door, with signal', () => {
  let context: BrowserContext;
  afterAll(() => context?.close());

  it('the checklist says what is missing; with everything ticked, photo, seal and signature the dossier is picked up', async () => {
    const stop = await pickupRequested({
      courier: 'buuta.hung',
      line: '40 Trần Hưng Đạo, phường Phú Xuân',
      lat: 16.4721,
      lng: 107.5853,
    });
    expect(await stateOf(stop.dossierId)).toBe('pickup_assigned');
    context = await phoneContext();
    const page = await context.newPage();
    await signIn(page);
    await page.locator('.stop-item', { hasText: '40 Trần Hưng Đạo' }).locator('.stop-link').click();
    await page.getByRole('link', { name: 'Nhận hồ sơ' }).click();
    await page.getByRole('heading', { name: 'Nhận hồ sơ tại nhà' }).waitFor();

    const boxes = page.locator('.door-section').first().locator('input[type="checkbox"]');
    const count = await boxes.count();
    expect(count).toBeGreaterThanOrEqual(1);
    // Nothing ticked yet: the guidance names the missing papers and what to tell the citizen.
    await page.getByRole('button', { name: 'Hoàn tất nhận hồ sơ' }).click();
    await page.getByText('Còn thiếu giấy tờ bắt buộc:').waitFor();
    expect(await page.locator('.door-missing').innerText()).toContain('Số niêm phong');
    await page.screenshot({ path: `${SHOTS}/courier-pickup-missing.png`, fullPage: true });

    for (let i = 0; i < count; i++) await boxes.nth(i).check();
    await page.locator('input[name="photo"]').setInputFiles(PHOTO);
    await page.locator('.photo-thumb img').waitFor();
    await page.locator('input[name="seal"]').fill('np-204581');
    expect(await page.locator('input[name="seal"]').inputValue()).toBe('NP-204581');
    await sign(page);
    expect(await seriousA11y(page)).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/courier-pickup.png`, fullPage: true });
    await page.getByRole('button', { name: 'Hoàn tất nhận hồ sơ' }).click();
    await page.getByRole('heading', { name: 'Tuyến hôm nay' }).waitFor();

    await expect.poll(() => stateOf(stop.dossierId), { timeout: 30_000 }).toBe('picked_up');
    await expect.poll(() => page.locator('.sync-status').innerText()).toContain('Đã gửi hết');
    const [proof] = await database.db
      .select()
      .from(courierProofs)
      .where(eq(courierProofs.dossierId, stop.dossierId));
    expect(proof!.kind).toBe('pickup');
    expect(proof!.payload).toMatchObject({ sealNumber: 'NP-204581' });
  }, 120_000);
});

describe('a delivery with signal: the code is checked at the door', () => {
  let context: BrowserContext;
  afterAll(() => context?.close());

  it('a wrong code says what to do, the right one is confirmed, a typed id that does not match blocks the hand-over', async () => {
    const stop = await outForDelivery({
      courier: 'buuta.hung',
      line: '3 Hùng Vương, phường Thuận Hóa',
      lat: 16.4589,
      lng: 107.5981,
    });
    context = await phoneContext();
    const page = await context.newPage();
    await signIn(page);
    await page.locator('.stop-item', { hasText: '3 Hùng Vương' }).locator('.stop-link').click();
    await page.getByRole('link', { name: 'Giao kết quả' }).click();
    await page.getByRole('heading', { name: 'Giao kết quả' }).waitFor();

    const wrongId = `${stop.citizenId.slice(0, 8)}${String((Number(stop.citizenId.slice(8)) + 1) % 10000).padStart(4, '0')}`;
    await page.locator('input[name="idNumber"]').fill(wrongId);
    await page.getByText('Không khớp với người nhận trong hồ sơ').waitFor();
    await page.getByRole('button', { name: 'Hoàn tất giao' }).click();
    expect(await page.locator('.door-missing').innerText()).toContain('Giấy tờ tùy thân khớp với người nhận');
    await page.locator('input[name="idNumber"]').fill(stop.citizenId);
    await page.getByText('Khớp với người nhận trong hồ sơ.').waitFor();

    const wrong = stop.code === '000000' ? '111111' : '000000';
    await page.locator('input[name="otp"]').fill(wrong);
    const alert = page.locator('.door-section').nth(1).getByRole('alert');
    await expect.poll(() => alert.innerText()).toMatch(/Vui lòng/);
    await page.locator('input[name="otp"]').fill(stop.code);
    await page.getByText('Mã đúng.').waitFor();

    await page.locator('input[name="photo"]').setInputFiles(PHOTO);
    await page.locator('.photo-thumb img').waitFor();
    await sign(page);
    await page.getByRole('button', { name: 'Hoàn tất giao' }).click();
    await page.getByRole('heading', { name: 'Tuyến hôm nay' }).waitFor();
    await expect.poll(() => stateOf(stop.dossierId), { timeout: 30_000 }).toBe('delivered');
  }, 120_000);
});

describe('a delivery at the door, counted (issue 16)', () => {
  let context: BrowserContext;
  afterAll(() => context?.close());

  it('id check, SMS code, photo and signature take at most 8 taps from the route', async () => {
    const stop = await outForDelivery({
      courier: 'buuta.hung',
      line: '9 Lê Lợi, phường Thuận Hóa',
      lat: 16.4641,
      lng: 107.5902,
    });
    context = await phoneContext();
    const page = await context.newPage();
    await signIn(page);
    const act = countActions(page);
    const focusedName = () => page.evaluate(() => document.activeElement?.getAttribute('name') ?? '');
    await act.tap(page.locator('.stop-item', { hasText: '9 Lê Lợi' }).locator('.stop-link'), 'the stop');
    await act.tap(page.getByRole('link', { name: 'Giao kết quả' }), 'Giao kết quả');
    await page.getByRole('heading', { name: 'Giao kết quả' }).waitFor();
    await expect.poll(focusedName).toBe('idNumber');
    await act.type(stop.citizenId, 'id number');
    await page.getByText('Khớp với người nhận trong hồ sơ.').waitFor();
    await expect.poll(focusedName).toBe('otp');
    await act.type(stop.code, 'SMS code read out by the citizen');
    await page.getByText('Mã đúng.').waitFor();
    await act.files(page.locator('input[name="photo"]'), PHOTO, 'take a photo');
    act.outside('camera shutter');
    await page.locator('.photo-thumb img').waitFor();
    act.outside('signature: the citizen signs on the pad');
    await sign(page, 'counted-door-signed.png');
    await act.tap(page.getByRole('button', { name: 'Hoàn tất giao' }), 'Hoàn tất giao');
    await page.getByRole('heading', { name: 'Tuyến hôm nay' }).waitFor();
    await expect.poll(() => stateOf(stop.dossierId), { timeout: 30_000 }).toBe('delivered');
    expect(act.log).toHaveLength(8);
    expect(act.count).toBeLessThanOrEqual(8);
  }, 120_000);
});
