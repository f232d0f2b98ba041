import { execFileSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import {
  DEFAULT_OFFICE_HOURS,
  dueAt as dueAfter,
  type HolidayTable,
  workingHoursBetween,
} from '@postdesk/shared';
import { and, asc, eq } from 'drizzle-orm';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  acceptDossier,
  apologizeAndExtend,
  completeSupplement,
  decideDossier,
  forwardDossier,
  handBack,
  releaseResult,
  requestAgencySupplement,
  stopProcessing,
} from '../../server/src/agency/actions';
import { trackDossier } from '../../server/src/citizen/track';
import {
  courierTasks,
  dossierEvents,
  dossiers,
  memberships,
  outbox,
  procedureVersions,
  users,
} from '../../server/src/db/schema';
import type { EventActor } from '../../server/src/dossiers/engine';
import { loadHolidayTables } from '../../server/src/intake/holidays';
import { signPdf } from '../../server/src/signing';
import { createTestServer } from '../helpers/app';
import { createTestDatabase } from '../helpers/db';
import { intakeFor } from '../helpers/intake';
import { inspectPdf } from '../helpers/pdf';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: ReturnType<typeof createTestServer>;
let clerk: Awaited<ReturnType<ReturnType<typeof createTestServer>['callerAs']>>;
let official: Awaited<ReturnType<ReturnType<typeof createTestServer>['callerAs']>>;
let otherOfficial: Awaited<ReturnType<ReturnType<typeof createTestServer>['callerAs']>>;
let clerkCookie: string;
let officialCookie: string;
let otherCookie: string;
let commune: string;
let holidays: HolidayTable[];
let clerkActor: EventActor;
let officialActor: EventActor;
let deskOfficeId: string;
let agencyId: string;

// Cấp Giấy xác nhận tình trạng hôn nhân: decided by UBND phường Phú Xuân (ubnd.phuxuan), 3 working days.
const PROCEDURE = '1.004873';

const login = async (username: string) => {
  const res = await server.app.request('/trpc/auth.login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ json: { username, password: 'postdesk-demo' } }),
  });
  return res.headers.get('set-cookie')!.split(';')[0]!;
};

const membershipOf = async (username: string) => {
  const [row] = await database.db
    .select({ userId: users.id, officeId: memberships.officeId, role: memberships.role })
    .from(users)
    .innerJoin(memberships, eq(memberships.userId, users.id))
    .where(eq(users.username, username));
  return row!;
};

const scan = async (label: string) =>
  new Uint8Array(
    await sharp({ create: { width: 620, height: 877, channels: 3, background: '#f4f1ea' } })
      .composite([
        {
          input: Buffer.from(
            `<svg xmlns="http://www.w3.org/2000/svg" width="620" height="877"><text x="40" y="80" font-size="22" font-family="DejaVu Sans">${label}</text></svg>`,
          ),
        },
      ])
      .jpeg()
      .toBuffer(),
  );

const upload = (dossierId: string, code: string, bytes: Uint8Array) => {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)]), 'scan.jpg');
  return server.app.request(`/desk/dossiers/${dossierId}/components/${code}/pages`, {
    method: 'POST',
    body: form,
    headers: { cookie: clerkCookie },
  });
};

/** Scans and signs the given components of a dossier (every present one when none are named). */
const digitize = async (dossierId: string, codes?: string[]) => {
  const view = await clerk.digitize.dossier({ dossierId });
  const todo = view.components.filter(
    (c) => !c.reused && !c.digitizedCode && (!codes || codes.includes(c.code)),
  );
  for (const c of todo)
    expect((await upload(dossierId, c.code, await scan(`${c.code} — trang 1`))).status).toBe(201);
  await server.jobs.idle();
  const after = await clerk.digitize.dossier({ dossierId });
  for (const c of after.components.filter((x) => todo.some((t) => t.code === x.code))) {
    await clerk.digitize.finishComponent({ documentId: c.documentId! });
  }
};

const citizenId = () => `04619500${String(randomInt(0, 9999)).padStart(4, '0')}`;

/** A dossier received at gdv.hang's desk and digitized: ready to forward. */
const digitizedDossier = async (owner = citizenId(), byPost = false) => {
  const procedure = await clerk.catalog.procedure({ code: PROCEDURE });
  const input = intakeFor(procedure, commune, {
    absent: procedure.components.filter((c) => !c.required).map((c) => c.code),
    ...(byPost
      ? {
          returnMethod: 'post' as const,
          delivery: {
            address: { line: '45 Trần Hưng Đạo', communeCode: commune },
            window: 'morning' as const,
          },
        }
      : {}),
  });
  input.applicant.citizenId = owner;
  const received = await clerk.intake.submit(input);
  await digitize(received.dossierId);
  expect((await clerk.digitize.complete({ dossierId: received.dossierId })).state).toBe('digitized');
  return { dossierId: received.dossierId, owner };
};

const resultPdf = async (text: string) => {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595.28, 841.89]);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  page.drawText(text, { x: 60, y: 760, size: 14, font });
  return new Uint8Array(await doc.save({ useObjectStreams: false }));
};

const signedResult = async (text: string) =>
  signPdf(await resultPdf(text), server.signer, {
    reason: 'Kết quả giải quyết',
    location: 'UBND phường Phú Xuân',
    name: 'Tôn Thất Bảo',
  });

const postDecision = (
  dossierId: string,
  fields: Record<string, string | Uint8Array>,
  cookie = officialCookie,
) => {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) {
    if (typeof v === 'string') form.append(k, v);
    else form.append(k, new Blob([new Uint8Array(v)], { type: 'application/pdf' }), 'ket-qua.pdf');
  }
  return server.app.request(`/agency-desk/dossiers/${dossierId}/decide`, {
    method: 'POST',
    body: form,
    headers: { cookie },
  });
};

const stateOf = async (dossierId: string) =>
  (await database.db.select().from(dossiers).where(eq(dossiers.id, dossierId)))[0]!;

const portalStatuses = async (dossierId: string) =>
  (
    await database.db
      .select({ payload: outbox.payload })
      .from(outbox)
      .where(and(eq(outbox.dossierId, dossierId), eq(outbox.topic, 'portal.progress')))
      .orderBy(asc(outbox.id))
  ).map((r) => r.payload.status);

const errorOf = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (err) {
    const e = err as {
      cause?: { code?: string; details?: Record<string, unknown> };
      code?: string;
      details?: unknown;
    };
    return {
      code: e.cause?.code ?? e.code,
      details: (e.cause?.details ?? e.details) as Record<string, unknown>,
    };
  }
  throw new Error('expected an error');
};

const HOUR = 3_600_000;

beforeAll(async () => {
  database = await createTestDatabase();
  server = createTestServer(database.db);
  clerk = await server.callerAs('gdv.hang');
  official = await server.callerAs('ubnd.phuxuan');
  otherOfficial = await server.callerAs('stp.lan');
  [clerkCookie, officialCookie, otherCookie] = await Promise.all([
    login('gdv.hang'),
    login('ubnd.phuxuan'),
    login('stp.lan'),
  ]);
  commune = (await clerk.catalog.communes())[0]!.code;
  holidays = await loadHolidayTables(database.db);
  const c = await membershipOf('gdv.hang');
  const o = await membershipOf('ubnd.phuxuan');
  deskOfficeId = c.officeId;
  agencyId = o.officeId;
  clerkActor = { kind: 'clerk', userId: c.userId, role: 'clerk', officeId: c.officeId };
  officialActor = {
    kind: 'agency_official',
    userId: o.userId,
    role: 'agency_official',
    officeId: o.officeId,
  };
}, 60_000);
afterAll(() => database.close());

describe('the hand-off on a clock: forward, supplement twice, decide, release, hand back', () => {
  it('pauses the clock for each supplement, counts the second as late, and moves the due time by the pause', async () => {
    const { dossierId, owner } = await digitizedDossier();
    const cal = { holidays, hours: DEFAULT_OFFICE_HOURS };
    const received = await stateOf(dossierId);
    let t = new Date(received.receivedAt!.getTime() + 60_000);
    const later = (ms: number) => {
      t = new Date(t.getTime() + ms);
      return t;
    };

    const fwd = await forwardDossier(database.db, {
      dossierId,
      officeId: deskOfficeId,
      actor: clerkActor,
      now: t,
    });
    expect(fwd).toMatchObject({ state: 'forwarded', replayed: false });
    expect(fwd.paperHandOverBy).toBeInstanceOf(Date);
    // Forwarding twice (a double click) is the same forward.
    expect(
      await forwardDossier(database.db, {
        dossierId,
        officeId: deskOfficeId,
        actor: clerkActor,
        now: later(1000),
      }),
    ).toMatchObject({ state: 'forwarded', replayed: true });

    // The official of another agency cannot touch it: it does not even exist for them.
    const stp = await membershipOf('stp.lan');
    expect(
      await errorOf(
        acceptDossier(database.db, {
          dossierId,
          agencyId: stp.officeId,
          actor: {
            kind: 'agency_official',
            userId: stp.userId,
            role: 'agency_official',
            officeId: stp.officeId,
          },
        }),
      ),
    ).toMatchObject({ code: 'DOSSIER_NOT_FOUND' });

    await acceptDossier(database.db, { dossierId, agencyId, actor: officialActor, now: later(HOUR) });
    const firstRequestAt = later(HOUR);
    const first = await requestAgencySupplement(database.db, {
      dossierId,
      agencyId,
      actor: officialActor,
      now: firstRequestAt,
      items: [{ item: 'Bản sao Giấy khai sinh', note: 'Bản sao có chứng thực' }],
    });
    expect(first).toMatchObject({ state: 'agency_supplement_requested', round: 1, countsLate: false });
    let row = await stateOf(dossierId);
    expect(row.clockPausedAt?.toISOString()).toBe(firstRequestAt.toISOString());
    expect(row.supplementCount).toBe(1);
    const dueBefore = row.dueAt!;

    // Completing before the added document is scanned is refused; nothing changes.
    expect(
      await errorOf(
        completeSupplement(database.db, { dossierId, officeId: deskOfficeId, actor: clerkActor, now: t }),
      ),
    ).toMatchObject({ code: 'AGENCY_SUPPLEMENT_NOT_DIGITIZED' });
    await digitize(dossierId, first.componentCodes);
    const completedAt = later(3 * 24 * HOUR);
    const done = await completeSupplement(database.db, {
      dossierId,
      officeId: deskOfficeId,
      actor: clerkActor,
      now: completedAt,
    });
    const paused = workingHoursBetween(firstRequestAt, completedAt, cal);
    expect(paused).toBeGreaterThan(0);
    expect(done.pausedHours).toBeCloseTo(paused, 6);
    expect(done.state).toBe('forwarded');
    row = await stateOf(dossierId);
    expect(row.clockPausedAt).toBeNull();
    // The legal time restarts from zero once the complete dossier is back (Decree 61 Art. 19.4).
    const [version] = await database.db
      .select({ hours: procedureVersions.processingHours })
      .from(procedureVersions)
      .where(eq(procedureVersions.id, row.procedureVersionId));
    expect(row.dueAt!.toISOString()).toBe(dueAfter(completedAt, version!.hours, cal).toISOString());
    expect(row.dueAt!.getTime()).toBeGreaterThanOrEqual(dueAfter(dueBefore, paused, cal).getTime());

    // A second request: allowed, but it counts the dossier as late.
    await acceptDossier(database.db, { dossierId, agencyId, actor: officialActor, now: later(HOUR) });
    const second = await requestAgencySupplement(database.db, {
      dossierId,
      agencyId,
      actor: officialActor,
      now: later(HOUR),
      items: [{ item: 'Giấy xác nhận nơi cư trú' }],
    });
    expect(second).toMatchObject({ round: 2, countsLate: true });
    await digitize(dossierId, second.componentCodes);
    await completeSupplement(database.db, {
      dossierId,
      officeId: deskOfficeId,
      actor: clerkActor,
      now: later(HOUR),
    });
    await acceptDossier(database.db, { dossierId, agencyId, actor: officialActor, now: later(HOUR) });

    const pdf = await signedResult('Giay xac nhan tinh trang hon nhan so 12/2026');
    const decision = {
      dossierId,
      agencyId,
      actor: officialActor,
      outcome: 'approved' as const,
      resultNumber: '12/2026/XNTTHN',
      result: { bytes: pdf },
      files: server.files,
      signer: server.signer,
      paperResult: true,
    };
    const decided = await decideDossier(database.db, { ...decision, now: later(HOUR) });
    expect(decided).toMatchObject({ state: 'decided', replayed: false, outcome: 'approved' });
    expect(decided.resultFileSha256).toMatch(/^[0-9a-f]{64}$/);
    const released = await releaseResult(database.db, {
      dossierId,
      agencyId,
      actor: officialActor,
      now: later(HOUR),
    });
    expect(released).toMatchObject({ state: 'result_ready', resultFileSha256: decided.resultFileSha256 });
    // The stored result verifies with pdfsig-equivalent checks: the very bytes the official uploaded.
    expect(Buffer.from(await server.files.get(decided.resultFileSha256!)).equals(Buffer.from(pdf))).toBe(
      true,
    );

    // At the desk: a wrong id number is refused; the applicant's own is accepted.
    expect(
      await errorOf(
        handBack(database.db, {
          dossierId,
          officeId: deskOfficeId,
          actor: clerkActor,
          recipient: {
            kind: 'applicant',
            citizenId: '046195009999' === owner ? '046195009998' : '046195009999',
          },
        }),
      ),
    ).toMatchObject({ code: 'AGENCY_IDENTITY_MISMATCH' });
    expect(
      await handBack(database.db, {
        dossierId,
        officeId: deskOfficeId,
        actor: clerkActor,
        recipient: { kind: 'applicant', citizenId: owner },
        now: later(HOUR),
      }),
    ).toMatchObject({ state: 'returned' });

    // The portal learns every step, in order, with the codes of LIFECYCLE.md.
    expect(await portalStatuses(dossierId)).toEqual([2, 2, 4, 4, 5, 4, 4, 5, 4, 4, 9, 9, 10]);

    // Mẫu 05 prints each hand-over from the event log.
    const res = await server.app.request(`/forms/dossiers/${dossierId}/mau05`, {
      headers: { cookie: clerkCookie },
    });
    expect(res.status).toBe(200);
    const form = inspectPdf(new Uint8Array(await res.arrayBuffer()));
    expect(form.qpdfOk).toBe(true);
    expect(form.width).toBeCloseTo(419.53, 0);
    expect(form.flat).toContain('PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ');
    expect(form.flat).toContain('Ủy ban nhân dân phường Phú Xuân');
    // Table cells wrap: read the text in drawing order to find a cell's sentence whole.
    const raw = execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', form.path, '-'], {
      encoding: 'utf8',
    }).replace(/\s+/g, ' ');
    expect(raw).toContain('Yêu cầu bổ sung lần 2 (Mẫu 02): Giấy xác nhận nơi cư trú');
    expect(raw).toContain('tính là trễ hạn');
    expect(raw).toContain(
      'Giao: Bộ phận TN&TKQ - Bưu điện thành phố Huế Nhận: Ủy ban nhân dân phường Phú Xuân',
    );
    expect(form.flat).toMatch(/Trước hạn|Đúng hạn|Quá hạn/);
    expect(form.flat).toContain('Nguyễn Thị Thu Hằng');
    expect(form.flat).toContain('Tôn Thất Bảo');
  }, 180_000);
});

describe('decisions through the official’s upload', () => {
  it('refuses unsigned and tampered PDFs and another agency; the same decision twice gives the first answer', async () => {
    const { dossierId, owner } = await digitizedDossier();
    await clerk.agency.forward({ dossierId });
    await official.agency.accept({ dossierId });
    expect(await errorOf(otherOfficial.agency.accept({ dossierId }))).toMatchObject({
      code: 'DOSSIER_NOT_FOUND',
    });
    const inbox = await official.agency.inbox({});
    expect(inbox.items.some((i) => i.id === dossierId && i.state === 'in_review')).toBe(true);
    expect((await otherOfficial.agency.inbox({})).items.some((i) => i.id === dossierId)).toBe(false);
    const before = await stateOf(dossierId);

    const unsigned = await postDecision(dossierId, {
      outcome: 'approved',
      resultNumber: '7/2026',
      file: await resultPdf('khong ky'),
    });
    expect(unsigned.status).toBe(422);
    expect(await unsigned.json()).toMatchObject({ code: 'AGENCY_RESULT_UNSIGNED' });

    const good = await signedResult('Giay xac nhan so 7/2026');
    const tampered = new Uint8Array(good);
    // One changed digit of the page size, inside the signed bytes.
    const at = Buffer.from(tampered).indexOf('841.89');
    expect(at).toBeGreaterThan(0);
    tampered[at + 5] = '8'.charCodeAt(0);
    const bad = await postDecision(dossierId, {
      outcome: 'approved',
      resultNumber: '7/2026',
      file: tampered,
    });
    expect(bad.status).toBe(422);
    const badBody = (await bad.json()) as { code: string; message: string };
    expect(badBody.code).toBe('AGENCY_RESULT_SIGNATURE_INVALID');
    expect(badBody.message).toContain('Vui lòng');

    const elsewhere = await postDecision(dossierId, { outcome: 'approved', file: good }, otherCookie);
    expect(elsewhere.status).toBe(404);

    // Nothing changed so far.
    const unchanged = await stateOf(dossierId);
    expect(unchanged).toMatchObject({ state: 'in_review', lastSeq: before.lastSeq, resultFileSha256: null });

    const first = await postDecision(dossierId, {
      outcome: 'approved',
      resultNumber: '7/2026',
      paperResult: 'true',
      file: good,
    });
    expect(first.status).toBe(201);
    const firstBody = (await first.json()) as { state: string; resultFileSha256: string };
    expect(firstBody.state).toBe('decided');
    const again = await postDecision(dossierId, {
      outcome: 'approved',
      resultNumber: '7/2026',
      paperResult: 'true',
      file: good,
    });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ ...firstBody, replayed: true });
    const other = await postDecision(dossierId, { outcome: 'refused', reasons: 'Không đủ điều kiện' });
    expect(other.status).toBe(409);
    expect(await other.json()).toMatchObject({ code: 'AGENCY_ALREADY_DECIDED' });
    const events = await database.db
      .select()
      .from(dossierEvents)
      .where(eq(dossierEvents.dossierId, dossierId));
    expect(events.filter((e) => e.event === 'decide')).toHaveLength(1);

    // The stored result is the signed file, readable by both sides, not by another agency.
    const url = `/agency-desk/dossiers/${dossierId}/files/${firstBody.resultFileSha256}`;
    expect((await server.app.request(url, { headers: { cookie: officialCookie } })).status).toBe(200);
    expect((await server.app.request(url, { headers: { cookie: clerkCookie } })).status).toBe(200);
    expect((await server.app.request(url, { headers: { cookie: otherCookie } })).status).toBe(404);
    const png = await server.app.request(`${url}/pages/1`, { headers: { cookie: officialCookie } });
    expect(png.headers.get('content-type')).toBe('image/png');

    expect(await official.agency.release({ dossierId })).toMatchObject({ state: 'result_ready' });
    // A proxy needs an authorisation letter.
    expect(
      await errorOf(
        clerk.agency.handBack({
          dossierId,
          recipient: {
            kind: 'proxy',
            citizenId: '046090001111',
            fullName: 'Lê Văn Bình',
            authorisation: ' ',
          },
        }),
      ),
    ).toMatchObject({ code: 'BAD_REQUEST' });
    expect(
      await errorOf(
        handBack(database.db, {
          dossierId,
          officeId: deskOfficeId,
          actor: clerkActor,
          recipient: {
            kind: 'proxy',
            citizenId: '046090001111',
            fullName: 'Lê Văn Bình',
            authorisation: ' ',
          },
        }),
      ),
    ).toMatchObject({ code: 'AGENCY_AUTHORISATION_REQUIRED' });
    expect(
      await clerk.agency.handBack({
        dossierId,
        recipient: {
          kind: 'proxy',
          citizenId: '046090001111',
          fullName: 'Lê Văn Bình',
          authorisation: 'GUQ 15/2026',
        },
      }),
    ).toMatchObject({ state: 'returned' });
    const handBackEvent = (
      await database.db.select().from(dossierEvents).where(eq(dossierEvents.dossierId, dossierId))
    ).find((e) => e.event === 'hand_back')!;
    expect(JSON.stringify(handBackEvent.payload)).not.toContain('046090001111');
    expect(JSON.stringify(handBackEvent.payload)).not.toContain(owner);
    expect(await portalStatuses(dossierId)).toEqual([2, 2, 4, 4, 9, 9, 10]);
  }, 120_000);

  it('a refusal carries written reasons; an approval without a result file is refused', async () => {
    const { dossierId } = await digitizedDossier();
    await clerk.agency.forward({ dossierId });
    await official.agency.accept({ dossierId });
    const noFile = await postDecision(dossierId, { outcome: 'approved', resultNumber: '9/2026' });
    expect(noFile.status).toBe(400);
    expect(await noFile.json()).toMatchObject({ code: 'AGENCY_RESULT_REQUIRED' });
    const refused = await official.agency.refuse({
      dossierId,
      reasons: ['Người yêu cầu đang có vợ/chồng theo dữ liệu hộ tịch'],
    });
    expect(refused).toMatchObject({ state: 'decided', outcome: 'refused' });
    expect((await stateOf(dossierId)).decision).toMatchObject({
      outcome: 'refused',
      reasons: ['Người yêu cầu đang có vợ/chồng theo dữ liệu hộ tịch'],
    });
    expect(await official.agency.release({ dossierId })).toMatchObject({ state: 'result_ready' });
    const res = await server.app.request(`/forms/dossiers/${dossierId}/mau03-agency`, {
      headers: { cookie: clerkCookie },
    });
    const form = inspectPdf(new Uint8Array(await res.arrayBuffer()));
    expect(form.qpdfOk).toBe(true);
    expect(form.flat).toContain('Người yêu cầu đang có vợ/chồng theo dữ liệu hộ tịch');
    expect(form.flat).toContain('Ủy ban nhân dân phường Phú Xuân');
  }, 120_000);

  it('the same decision posted twice at once is recorded once, and both get the same answer', async () => {
    const { dossierId } = await digitizedDossier();
    await clerk.agency.forward({ dossierId });
    await official.agency.accept({ dossierId });
    const pdf = await signedResult('Giay xac nhan so 44/2026');
    const fields = { outcome: 'approved', resultNumber: '44/2026', file: pdf };
    const [a, b] = await Promise.all([postDecision(dossierId, fields), postDecision(dossierId, fields)]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    const [ja, jb] = (await Promise.all([a.json(), b.json()])) as {
      resultFileSha256: string;
      state: string;
    }[];
    expect(ja!.resultFileSha256).toBe(jb!.resultFileSha256);
    expect(ja!.state).toBe('decided');
    const events = await database.db
      .select()
      .from(dossierEvents)
      .where(eq(dossierEvents.dossierId, dossierId));
    expect(events.filter((e) => e.event === 'decide')).toHaveLength(1);
  }, 120_000);
});

describe('a decision and its result posted separately (as an agency system may)', () => {
  it('approves without the file, then releases with a verified one; release without any file is refused', async () => {
    const { dossierId } = await digitizedDossier();
    await forwardDossier(database.db, { dossierId, officeId: deskOfficeId, actor: clerkActor });
    await acceptDossier(database.db, { dossierId, agencyId, actor: officialActor });
    const decided = await decideDossier(database.db, {
      dossierId,
      agencyId,
      actor: officialActor,
      outcome: 'approved',
      resultNumber: '55/2026',
      files: server.files,
    });
    expect(decided).toMatchObject({ state: 'decided', resultFileSha256: null });
    expect(
      await errorOf(
        releaseResult(database.db, { dossierId, agencyId, actor: officialActor, files: server.files }),
      ),
    ).toMatchObject({ code: 'AGENCY_RESULT_REQUIRED' });
    const unsigned = await errorOf(
      releaseResult(database.db, {
        dossierId,
        agencyId,
        actor: officialActor,
        files: server.files,
        signer: server.signer,
        result: { bytes: await resultPdf('khong ky') },
      }),
    );
    expect(unsigned).toMatchObject({ code: 'AGENCY_RESULT_UNSIGNED' });
    // Or signed here, with the agency's key, when the official asks for it.
    const released = await releaseResult(database.db, {
      dossierId,
      agencyId,
      actor: officialActor,
      files: server.files,
      signer: server.signer,
      result: {
        bytes: await resultPdf('Giay xac nhan so 55/2026'),
        signInPostDesk: true,
        signerName: 'Tôn Thất Bảo',
      },
    });
    expect(released.state).toBe('result_ready');
    const stored = inspectPdf(new Uint8Array(await server.files.get(released.resultFileSha256!)));
    expect(stored.qpdfOk).toBe(true);
    const sig = execFileSync('pdfsig', [stored.path], { encoding: 'utf8' });
    expect(sig).toContain('ETSI.CAdES.detached');
  }, 120_000);
});

describe('a result going home by post', () => {
  it('makes the courier’s delivery task when the result is released, once', async () => {
    const { dossierId } = await digitizedDossier(citizenId(), true);
    await clerk.agency.forward({ dossierId });
    await official.agency.accept({ dossierId });
    const res = await postDecision(dossierId, {
      outcome: 'approved',
      resultNumber: '31/2026',
      file: await signedResult('Giay xac nhan so 31/2026'),
    });
    expect(res.status).toBe(201);
    const released = await official.agency.release({ dossierId, paperResult: true });
    expect(released).toMatchObject({ state: 'result_ready', deliveryTask: true });
    expect(await official.agency.release({ dossierId })).toMatchObject({ replayed: true });
    const tasks = await database.db.select().from(courierTasks).where(eq(courierTasks.dossierId, dossierId));
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ kind: 'delivery', state: 'open', address: '45 Trần Hưng Đạo' });
  }, 120_000);
});

describe('Mẫu 04: the apology with a new date', () => {
  it('is refused less than one working day before the due time and the second time; the form prints', async () => {
    const { dossierId } = await digitizedDossier();
    await clerk.agency.forward({ dossierId });
    const row = await stateOf(dossierId);
    const cal = { holidays, hours: DEFAULT_OFFICE_HOURS };
    // Half a working hour before the due time: too late to apologise.
    const tooLate = dueAfter(row.dueAt!, 0, cal);
    const justBefore = new Date(tooLate.getTime() - 30 * 60_000);
    const newDue = new Date(row.dueAt!.getTime() + 5 * 24 * HOUR);
    const late = await errorOf(
      apologizeAndExtend(database.db, {
        dossierId,
        agencyId,
        actor: officialActor,
        reason: 'Cần xác minh thêm',
        newDueAt: newDue,
        now: justBefore,
      }),
    );
    expect(late).toMatchObject({ code: 'GUARD_FAILED', details: { reason: 'APOLOGY_TOO_LATE' } });

    // In time: a working day or more before the due time (at the forward, three working days before).
    const forwardAt = row.forwardedAt!;
    expect(workingHoursBetween(forwardAt, row.dueAt!, cal)).toBeGreaterThanOrEqual(8);
    const apology = await apologizeAndExtend(database.db, {
      dossierId,
      agencyId,
      actor: officialActor,
      reason: 'Cần xác minh thông tin hộ tịch tại nơi cư trú trước đây',
      newDueAt: newDue,
      now: forwardAt,
    });
    expect(apology).toMatchObject({ state: 'forwarded', replayed: false });
    const after = await stateOf(dossierId);
    expect(after.dueAt!.toISOString()).toBe(newDue.toISOString());
    expect(after.apologyCount).toBe(1);
    // The same apology again is a replay; another one is refused.
    expect(
      await apologizeAndExtend(database.db, {
        dossierId,
        agencyId,
        actor: officialActor,
        reason: 'Cần xác minh thông tin hộ tịch tại nơi cư trú trước đây',
        newDueAt: newDue,
        now: forwardAt,
      }),
    ).toMatchObject({ replayed: true });
    const twice = await errorOf(
      official.agency.apologize({
        dossierId,
        reason: 'Lần nữa',
        newDueAt: new Date(newDue.getTime() + 24 * HOUR),
      }),
    );
    expect(twice).toMatchObject({ code: 'GUARD_FAILED', details: { reason: 'APOLOGY_ALREADY_GIVEN' } });

    for (const cookie of [officialCookie, clerkCookie]) {
      const res = await server.app.request(`/forms/dossiers/${dossierId}/mau04`, { headers: { cookie } });
      expect(res.status).toBe(200);
      const form = inspectPdf(new Uint8Array(await res.arrayBuffer()));
      expect(form.qpdfOk).toBe(true);
      expect(form.pages).toBe(1);
      expect(form.width).toBeCloseTo(419.53, 0);
      expect(form.flat).toContain('PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ');
      expect(form.flat).toContain('Cần xác minh thông tin hộ tịch tại nơi cư trú trước đây');
      expect(form.flat).toContain('Trần Thị Mỹ Hạnh');
      expect(form.flat).toContain('xin lỗi Ông/Bà');
    }
    expect(
      (await server.app.request(`/forms/dossiers/${dossierId}/mau04`, { headers: { cookie: otherCookie } }))
        .status,
    ).toBe(404);
  }, 120_000);
});

describe('the supplement through the desk', () => {
  it('prints the agency’s Mẫu 02, lets the desk scan the added document and complete', async () => {
    const { dossierId } = await digitizedDossier();
    await clerk.agency.forward({ dossierId });
    const request = await official.agency.requestSupplement({
      dossierId,
      items: [{ item: 'Trích lục kết hôn (bản sao)', note: 'Để đối chiếu tình trạng hôn nhân trước đây' }],
    });
    const desk = await clerk.agency.deskDossier({ dossierId });
    expect(desk.state).toBe('agency_supplement_requested');
    // The inbox filters by state and by text; the clock is paused, so it is not overdue.
    const waiting = await official.agency.inbox({ states: ['agency_supplement_requested'] });
    expect(waiting.items.map((i) => i.id)).toContain(dossierId);
    expect(waiting.items.find((i) => i.id === dossierId)?.clockPausedAt).not.toBeNull();
    expect((await official.agency.inbox({ states: ['in_review'] })).items.map((i) => i.id)).not.toContain(
      dossierId,
    );
    expect((await official.agency.inbox({ q: desk.code! })).items.map((i) => i.id)).toEqual([dossierId]);
    expect((await official.agency.inbox({ due: 'overdue' })).items.map((i) => i.id)).not.toContain(dossierId);
    // A clerk of another post office neither sees nor completes it.
    const elsewhere = await server.callerAs('gdv.quang');
    expect(await errorOf(elsewhere.agency.deskDossier({ dossierId }))).toMatchObject({
      code: 'DOSSIER_NOT_FOUND',
    });
    expect(await errorOf(elsewhere.agency.completeSupplement({ dossierId }))).toMatchObject({
      code: 'DOSSIER_NOT_FOUND',
    });
    expect(desk.supplements.at(-1)?.items[0]?.item).toBe('Trích lục kết hôn (bản sao)');
    expect(desk.components.find((c) => c.code === request.componentCodes[0])).toMatchObject({
      fileUrl: null,
    });
    const res = await server.app.request(`/forms/dossiers/${dossierId}/mau02-agency`, {
      headers: { cookie: clerkCookie },
    });
    const form = inspectPdf(new Uint8Array(await res.arrayBuffer()));
    expect(form.qpdfOk).toBe(true);
    expect(form.flat).toContain('PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ');
    expect(form.flat).toContain('Trích lục kết hôn (bản sao)');
    await digitize(dossierId, request.componentCodes);
    const done = await clerk.agency.completeSupplement({ dossierId });
    expect(done.state).toBe('forwarded');
    expect(await clerk.agency.completeSupplement({ dossierId })).toMatchObject({ replayed: true });
    const view = await official.agency.dossier({ dossierId });
    expect(view.components.find((c) => c.code === request.componentCodes[0])?.fileUrl).toMatch(
      /^\/agency-desk\//,
    );
    expect(view.allowed).toContain('accept');
  }, 120_000);
});

describe('the agency stops processing', () => {
  it('needs a reason, ends the dossier once, tells the portal and the citizen, and is the agency’s alone', async () => {
    const { dossierId } = await digitizedDossier();
    await clerk.agency.forward({ dossierId });
    // Not before the agency has taken the dossier: the lifecycle allows it from in_review and awaiting_payment.
    expect(await errorOf(official.agency.stop({ dossierId, reason: 'Công dân đề nghị dừng' }))).toMatchObject(
      {
        code: 'TRANSITION_NOT_ALLOWED',
      },
    );
    await official.agency.accept({ dossierId });
    expect((await official.agency.dossier({ dossierId })).allowed).toContain('stop');
    // A blank reason: the API's input check refuses it, and so does the domain function behind every caller.
    expect(await errorOf(official.agency.stop({ dossierId, reason: '   ' }))).toMatchObject({
      code: 'BAD_REQUEST',
    });
    expect(
      await errorOf(
        stopProcessing(database.db, { dossierId, agencyId, actor: officialActor, reason: ' \n ' }),
      ),
    ).toMatchObject({ code: 'AGENCY_STOP_REASON_REQUIRED' });
    expect(
      await errorOf(otherOfficial.agency.stop({ dossierId, reason: 'Không thuộc thẩm quyền' })),
    ).toMatchObject({ code: 'DOSSIER_NOT_FOUND' });
    expect(await errorOf(clerk.agency.stop({ dossierId, reason: 'Thử' }))).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect((await stateOf(dossierId)).state).toBe('in_review');

    const reason = 'Công dân có đơn đề nghị dừng giải quyết ngày 20/11';
    const stopped = await official.agency.stop({ dossierId, reason });
    expect(stopped).toMatchObject({ state: 'stopped', replayed: false });
    // The same stop again is a replay; a different one, or a decision afterwards, is refused.
    expect(await official.agency.stop({ dossierId, reason })).toMatchObject({
      state: 'stopped',
      replayed: true,
    });
    expect(await errorOf(official.agency.stop({ dossierId, reason: 'Lý do khác' }))).toMatchObject({
      code: 'TRANSITION_NOT_ALLOWED',
    });
    expect(await errorOf(official.agency.refuse({ dossierId, reasons: ['Thử'] }))).toMatchObject({
      code: 'TRANSITION_NOT_ALLOWED',
    });
    const events = await database.db
      .select({ event: dossierEvents.event, payload: dossierEvents.payload })
      .from(dossierEvents)
      .where(and(eq(dossierEvents.dossierId, dossierId), eq(dossierEvents.event, 'stop')));
    expect(events).toEqual([{ event: 'stop', payload: { reason } }]);
    expect((await portalStatuses(dossierId)).at(-1)).toBe(8);
    const texts = (
      await database.db
        .select({ payload: outbox.payload })
        .from(outbox)
        .where(and(eq(outbox.dossierId, dossierId), eq(outbox.topic, 'notify.sms')))
    ).map((r) => (r.payload as { kind: string; body: string }).body);
    expect(texts.filter((b) => b.includes('dung giai quyet'))).toHaveLength(1);
    // The citizen reads the agency's reason with the receipt's code and their phone.
    const tracked = await trackDossier(database.db, { code: stopped.code!, phone: '0905 123 456' });
    expect(tracked).toMatchObject({ state: 'stopped', progress: 'finished', stopReason: reason });
  });
});
