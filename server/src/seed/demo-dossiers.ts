import { randomUUID } from 'node:crypto';
import { normalizePhone, vietnamDate } from '@postdesk/shared';
import { and, eq } from 'drizzle-orm';
import sharp from 'sharp';
import {
  acceptDossier,
  decideDossier,
  forwardDossier,
  handBack,
  officialSigner,
  releaseResult,
  requestAgencySupplement,
} from '../agency/actions';
import { type AuthUser, loadUser } from '../auth/sessions';
import type { StaffCtx } from '../courier/context';
import { receiptToken } from '../citizen/receipt-token';
import { assignTask } from '../courier/dispatch';
import { createPickupTask, localInstant } from '../courier/tasks';
import type { Db } from '../db/client';
import {
  applicants,
  courierTasks,
  documents,
  offices,
  procedures,
  procedureVersions,
  users,
} from '../db/schema';
import { finishComponent } from '../digitize/finish';
import { addPages } from '../digitize/pages';
import { createDossier, type EventActor, recordEvent } from '../dossiers/engine';
import { parseEnv } from '../env';
import { fileComplaint, rateService } from '../feedback/feedback';
import type { FileStore } from '../files/store';
import { A4, addPage, createDocument, createFrame, paragraph, saveDocument, title } from '../forms/layout';
import type { IntakeInput } from '../intake/schemas';
import { submitIntake } from '../intake/submit';
import type { JobRunner } from '../jobs/queue';
import { createLogger } from '../logger';
import { requestObligation } from '../payments/bills';
import { type Signer, signPdf } from '../signing';

/**
 * Dossiers in flight for the embedded demo (`npm start`): at the desk, at the agencies, with the couriers of
 * Bưu điện thành phố Huế today, overdue and finished ones. Every step goes through the domain functions
 * (intake, agency actions, payments, dispatch, feedback) with an explicit `now`, so the event log and its
 * hash chain are what a real history would have written. With `scans` (the server's file store, job runner and
 * signer: `npm start`), every digitized dossier gets one scanned page per component, processed by the desk's
 * own job and signed by its clerk, so an agency official opens real signed copies; without them (tests of the
 * history alone) the digitization is recorded with no documents.
 * With `scans`, released results are approvals with a result PDF signed by the official; without, refusals.
 */

type Who = { user: AuthUser; officeId: string };

const DAY = 86_400_000;
const POST_OFFICE = 'H57.90.01';

/** `h:mm` Vietnam time, `days` calendar days before `now`, moved back off the weekend. */
const at = (now: Date, days: number, hhmm: string) => {
  let day = vietnamDate(new Date(now.getTime() - days * DAY));
  for (;;) {
    const wd = new Date(`${day}T12:00:00+07:00`).getUTCDay();
    if (wd !== 0 && wd !== 6) break;
    day = vietnamDate(new Date(new Date(`${day}T12:00:00+07:00`).getTime() - DAY));
  }
  const t = localInstant(day, hhmm);
  return t < now ? t : new Date(now.getTime() - 60 * 60_000);
};

const SURNAMES = ['Lê', 'Trần', 'Phan', 'Hồ', 'Nguyễn', 'Võ', 'Đặng', 'Tôn Thất', 'Huỳnh', 'Trương', 'Phạm'];
const GIVEN = {
  female: ['Thị Thu Hà', 'Thị Mai', 'Thị Lan Anh', 'Thị Hồng', 'Thị Ngọc', 'Thị Kim Oanh', 'Thị Bích Thủy'],
  male: ['Văn Bình', 'Đức Minh', 'Quốc Huy', 'Văn Sơn', 'Hữu Phước', 'Công Thành', 'Minh Khoa', 'Văn Tài'],
} as const;

/** A plausible applicant n (Huế citizen id 046…, a name and a phone of their own). */
const person = (n: number) => {
  const sex = n % 2 === 0 ? ('female' as const) : ('male' as const);
  const given = GIVEN[sex];
  const yy = String(60 + ((n * 7) % 40)).padStart(2, '0');
  return {
    citizenId: `046${sex === 'female' ? '1' : '0'}${yy}${String(100_000 + n * 7919).slice(-6)}`,
    fullName: `${SURNAMES[n % SURNAMES.length]} ${given[Math.floor(n / 2) % given.length]}`,
    dateOfBirth: `19${yy}-0${(n % 9) + 1}-1${n % 10}`,
    sex,
    phone: `0905 ${String(200 + n).padStart(3, '0')} ${String(100 + ((n * 37) % 900)).padStart(3, '0')}`,
  };
};

/** Houses around the post office (08 Hoàng Hoa Thám) within a few kilometres. */
const HOUSES = [
  { line: '15 Lê Lợi', communeCode: '19789', lat: 16.4632, lng: 107.5921 },
  { line: '42 Nguyễn Huệ', communeCode: '19789', lat: 16.4611, lng: 107.5869 },
  { line: '7 Phạm Hồng Thái', communeCode: '19789', lat: 16.4656, lng: 107.5958 },
  { line: '120 Hùng Vương', communeCode: '19815', lat: 16.4583, lng: 107.6012 },
  { line: '33 Nguyễn Sinh Cung', communeCode: '19777', lat: 16.4741, lng: 107.6035 },
  { line: '18 Đặng Thái Thân', communeCode: '19753', lat: 16.4748, lng: 107.5812 },
  { line: '5 Kim Long', communeCode: '19774', lat: 16.4611, lng: 107.5562 },
  { line: '61 Điện Biên Phủ', communeCode: '19789', lat: 16.4545, lng: 107.5874 },
] as const;

export type DemoDossierCounts = Record<string, number>;

/** What scanning needs: with it, the demo's digitized dossiers carry real signed copies (pages made here). */
export type DemoScans = { files: FileStore; jobs: JobRunner; signer: Signer };

/** One page of a component as a desk scanner would send it: A4 at 150 dpi, grey JPEG, a form's title and lines. */
const demoPage = async (title: string, dossierCode: string, applicant: string) => {
  const esc = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const lines = [
    'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
    'Độc lập - Tự do - Hạnh phúc',
    '',
    `Họ và tên: ${applicant}`,
    `Hồ sơ số: ${dossierCode}`,
    'Nơi cư trú: Thành phố Huế',
    'Tôi xin cam đoan những nội dung khai trên đây là đúng sự thật.',
  ];
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1240" height="1754"><rect width="100%" height="100%" fill="#f6f4ee"/>
<text x="620" y="170" font-size="40" font-weight="bold" text-anchor="middle" font-family="DejaVu Sans">${esc(title.slice(0, 48))}</text>
${lines.map((l, i) => `<text x="130" y="${300 + i * 70}" font-size="28" font-family="DejaVu Sans">${esc(l)}</text>`).join('')}
</svg>`;
  return new Uint8Array(
    await sharp(Buffer.from(svg)).greyscale().jpeg({ quality: 85 }).withDensity(150).toBuffer(),
  );
};

export const seedDemoDossiers = async (
  db: Db,
  opts: { now?: Date; secret?: string; scans?: DemoScans } = {},
): Promise<DemoDossierCounts> => {
  const now = opts.now ?? new Date();
  const config = parseEnv({ ...process.env, ...(opts.secret ? { SESSION_SECRET: opts.secret } : {}) });
  const log = createLogger('silent');
  /** `minutes` after `t`, but never later than a minute ago: a young dossier's next step has just happened. */
  const plus = (t: Date, minutes: number) =>
    new Date(Math.min(t.getTime() + minutes * 60_000, now.getTime() - 60_000));

  const staff = async (username: string, officeCode?: string): Promise<Who> => {
    const [row] = await db.select({ id: users.id }).from(users).where(eq(users.username, username));
    const user = row ? await loadUser(db, row.id) : null;
    const m = user?.memberships.find((x) => !officeCode || x.officeCode === officeCode);
    if (!user || !m) throw new Error(`demo user ${username} missing`);
    return { user, officeId: m.officeId };
  };
  const actorOf = (w: Who, kind: 'clerk' | 'agency_official' | 'supervisor'): EventActor => ({
    kind,
    userId: w.user.id,
    role: kind,
    officeId: w.officeId,
  });

  const hang = await staff('gdv.hang', POST_OFFICE);
  const quang = await staff('gdv.quang');
  const phuxuan = await staff('ubnd.phuxuan');
  const lan = await staff('stp.lan');
  const thuanhoa = await staff('ubnd.thuanhoa');
  const nguyet = await staff('giamsat.nguyet', POST_OFFICE);
  const hung = await staff('buuta.hung', POST_OFFICE);

  const procs = await db
    .select({ code: procedures.code, components: procedureVersions.components })
    .from(procedures)
    .innerJoin(procedureVersions, eq(procedureVersions.procedureId, procedures.id));
  const componentsOf = (code: string) => {
    const p = procs.find((x) => x.code === code);
    if (!p) throw new Error(`demo procedure ${code} missing`);
    return p.components;
  };

  let n = 0;
  const counts: DemoDossierCounts = {};
  const count = (label: string) => {
    counts[label] = (counts[label] ?? 0) + 1;
  };

  /** A walk-in at `clerk`'s desk: received at `t`. */
  const receive = async (
    clerk: Who,
    procedureCode: string,
    t: Date,
    delivery?: (typeof HOUSES)[number],
    /** The applicant's commune, so the dossier is decided by the agency the demo hands it to (Decree 118). */
    communeCode?: string,
  ) => {
    const p = person(n);
    const house = HOUSES[n % HOUSES.length]!;
    n += 1;
    const input: IntakeInput = {
      clientKey: randomUUID(),
      outcome: 'receive',
      procedureCode,
      applicant: { ...p, address: { line: house.line, communeCode: communeCode ?? house.communeCode } },
      components: componentsOf(procedureCode).map((c) => ({
        code: c.code,
        present: true,
        form: c.form === 'copy' ? 'copy' : 'original',
        copies: c.copies,
      })),
      returnMethod: delivery ? 'post' : 'desk',
      ...(delivery
        ? {
            delivery: {
              address: { line: delivery.line, communeCode: delivery.communeCode },
              lat: delivery.lat,
              lng: delivery.lng,
              window: 'any' as const,
            },
          }
        : {}),
    } as IntakeInput;
    const r = await submitIntake(db, {
      input,
      actor: {
        userId: clerk.user.id,
        fullName: clerk.user.fullName,
        membership: clerk.user.memberships.find((m) => m.officeId === clerk.officeId)!,
      },
      now: t,
    });
    return {
      id: r.dossierId,
      code: r.code!,
      phone: p.phone,
      citizenId: p.citizenId,
      fullName: p.fullName,
      procedureCode,
      clerk,
    };
  };
  type Made = Awaited<ReturnType<typeof receive>>;

  /**
   * Every component scanned (one page each), processed by the desk's own job and signed by the clerk. Signed
   * now, not at the history's `t`: the demo clerks' certificates are issued on first use, and a signature
   * claimed before its certificate existed would not verify.
   */
  const scanComponents = async (d: Made, scans: DemoScans) => {
    // The demo hands in every component of the procedure (see `receive`).
    const components = componentsOf(d.procedureCode);
    const present = components.map((c) => c.code);
    for (const c of components) {
      const bytes = await demoPage(c.name, d.code, d.fullName);
      await addPages(db, {
        dossierId: d.id,
        componentCode: c.code,
        bytes,
        officeId: d.clerk.officeId,
        ...scans,
      });
    }
    await scans.jobs.idle();
    const docs = await db
      .select({ id: documents.id, code: documents.componentCode })
      .from(documents)
      .where(eq(documents.dossierId, d.id));
    for (const doc of docs.filter((x) => present.includes(x.code))) {
      await finishComponent(db, {
        documentId: doc.id,
        officeId: d.clerk.officeId,
        userId: d.clerk.user.id,
        clerkName: d.clerk.user.fullName,
        files: scans.files,
        signer: scans.signer,
      });
    }
    return present;
  };
  const digitize = async (d: Made, t: Date) => {
    const digitized = opts.scans ? await scanComponents(d, opts.scans) : [];
    return recordEvent(db, {
      dossierId: d.id,
      event: 'complete_digitization',
      actor: actorOf(d.clerk, 'clerk'),
      now: t,
      payload: opts.scans ? { digitized, reused: [] } : { digitized: [], reused: [], demo: true },
    });
  };
  const forward = (d: Made, t: Date) =>
    forwardDossier(db, {
      dossierId: d.id,
      officeId: d.clerk.officeId,
      actor: actorOf(d.clerk, 'clerk'),
      now: t,
    });
  const accept = (d: Made, a: Who, t: Date) =>
    acceptDossier(db, {
      dossierId: d.id,
      agencyId: a.officeId,
      actor: actorOf(a, 'agency_official'),
      now: t,
    });

  /** Received at `t0`, digitized and forwarded within the hour, accepted the next morning. */
  const toAgency = async (
    clerk: Who,
    agency: Who,
    procedureCode: string,
    t0: Date,
    upTo: 'forwarded' | 'in_review',
    delivery?: (typeof HOUSES)[number],
  ) => {
    const [office] = await db
      .select({ communeCode: offices.communeCode })
      .from(offices)
      .where(eq(offices.id, agency.officeId));
    const d = await receive(clerk, procedureCode, t0, delivery, office?.communeCode ?? undefined);
    await digitize(d, plus(t0, 30));
    await forward(d, plus(t0, 45));
    if (upTo === 'in_review') await accept(d, agency, plus(t0, 24 * 60 - 60));
    return d;
  };

  /**
   * The agency's decision on a demo dossier: with `scans`, an approval with its result (an A4 page the official
   * signs with their own key, now, for the same reason as the scanned copies); without, the refusal `reason`.
   */
  const decide = async (d: Made, agency: Who, t: Date, reason: string) => {
    const common = {
      dossierId: d.id,
      agencyId: agency.officeId,
      actor: actorOf(agency, 'agency_official'),
      now: t,
    };
    if (!opts.scans) {
      return decideDossier(db, {
        ...common,
        outcome: 'refused',
        reasons: [reason],
        files: undefined as never,
      });
    }
    const resultNumber = `${100 + n}/${d.procedureCode.replace(/\D/g, '').slice(-4)}`;
    return decideDossier(db, {
      ...common,
      outcome: 'approved',
      resultNumber,
      result: { bytes: await signedResult(d, agency, resultNumber, opts.scans) },
      files: opts.scans.files,
      signer: opts.scans.signer,
    });
  };
  const signedResult = async (d: Made, agency: Who, resultNumber: string, scans: DemoScans) => {
    const [proc] = await db
      .select({ name: procedures.name, resultName: procedureVersions.resultName })
      .from(procedures)
      .innerJoin(procedureVersions, eq(procedureVersions.procedureId, procedures.id))
      .where(eq(procedures.code, d.procedureCode));
    const [office] = await db
      .select({ name: offices.name })
      .from(offices)
      .where(eq(offices.id, agency.officeId));
    const { doc, fonts } = await createDocument();
    const f = createFrame(doc, fonts, A4, { top: 70, right: 70, bottom: 70, left: 80 });
    addPage(f);
    paragraph(f, office!.name.toUpperCase(), { size: 12, bold: true, align: 'center', after: 2 });
    paragraph(f, 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', { size: 12, bold: true, align: 'center', after: 2 });
    paragraph(f, 'Độc lập - Tự do - Hạnh phúc', { size: 12, align: 'center', after: 28 });
    title(f, (proc?.resultName ?? proc?.name ?? 'Kết quả giải quyết').toUpperCase(), 15, 10);
    paragraph(f, `Số: ${resultNumber}`, { size: 12, align: 'center', after: 20 });
    for (const line of [
      `Cấp cho ông/bà: ${d.fullName}`,
      `Theo hồ sơ số ${d.code}, thủ tục: ${proc?.name ?? d.procedureCode}.`,
      'Bản điện tử này có giá trị như bản giấy khi chữ ký số của cơ quan được xác thực.',
    ])
      paragraph(f, line, { size: 12, after: 8 });
    const bytes = await saveDocument(doc, {
      title: `${proc?.resultName ?? 'Kết quả'} số ${resultNumber}`,
      subject: `Kết quả giải quyết hồ sơ ${d.code}`,
      author: office!.name,
      createdAt: new Date(),
    });
    const own = await officialSigner(db, scans.signer, actorOf(agency, 'agency_official'), office!.name);
    return signPdf(bytes, own.signer, {
      reason: `Kết quả giải quyết hồ sơ số ${resultNumber}`,
      location: office!.name,
      name: own.fullName,
    });
  };

  const decideAndRelease = async (d: Made, agency: Who, t: Date) => {
    await decide(
      d,
      agency,
      t,
      'Giấy tờ chứng minh nơi cư trú không khớp với địa chỉ trong tờ khai; vui lòng nộp lại hồ sơ.',
    );
    return releaseResult(db, {
      dossierId: d.id,
      agencyId: agency.officeId,
      actor: actorOf(agency, 'agency_official'),
      now: plus(t, 20),
    });
  };

  // ── At the desk ────────────────────────────────────────────────────────────────────────────────────
  await receive(hang, '1.004873', at(now, 0, '08:10'));
  await receive(hang, '1.005139', at(now, 1, '14:20'));
  await receive(quang, '1.001193', at(now, 1, '09:40'));
  counts.received = 3;
  for (const [code, days] of [
    ['2.000635', 1],
    ['1.000656', 2],
  ] as const) {
    const t = at(now, days, '10:05');
    await digitize(await receive(hang, code, t), plus(t, 40));
    count('digitized');
  }

  // ── At the agencies ────────────────────────────────────────────────────────────────────────────────
  await toAgency(hang, phuxuan, '1.000656', at(now, 1, '15:10'), 'forwarded');
  await toAgency(hang, phuxuan, '2.000635', at(now, 0, '08:30'), 'forwarded');
  await toAgency(hang, lan, '1.005139', at(now, 1, '09:15'), 'forwarded');
  counts.forwarded = 3;
  await toAgency(hang, phuxuan, '1.004873', at(now, 2, '09:20'), 'in_review');
  await toAgency(hang, lan, '1.005139', at(now, 3, '10:30'), 'in_review');
  await toAgency(quang, thuanhoa, '1.001193', at(now, 1, '08:05'), 'in_review');
  counts.in_review = 3;
  // Overdue: one-day procedures received weeks ago, still at the agency.
  await toAgency(hang, phuxuan, '1.000656', at(now, 15, '09:00'), 'in_review');
  await toAgency(hang, phuxuan, '2.000635', at(now, 9, '14:00'), 'in_review');
  await toAgency(hang, lan, '1.005139', at(now, 12, '10:00'), 'forwarded');
  counts.in_review += 2;
  counts.forwarded += 1;
  counts.overdue = 3;
  // At risk: a five-day procedure received four working days ago.
  await toAgency(hang, lan, '1.005139', at(now, 6, '15:30'), 'in_review');
  counts.in_review += 1;
  for (const [agency, code, days] of [
    [phuxuan, '1.004873', 6],
    [lan, '1.005139', 8],
  ] as const) {
    const t = at(now, days, '09:30');
    const d = await toAgency(hang, agency, code, t, 'in_review');
    await requestAgencySupplement(db, {
      dossierId: d.id,
      agencyId: agency.officeId,
      actor: actorOf(agency, 'agency_official'),
      now: plus(t, 2 * 24 * 60),
      items: [{ item: 'Bản sao giấy khai sinh có chứng thực', note: 'Bản đã nộp bị mờ, không đọc được số.' }],
      officialName: agency.user.fullName,
    });
    count('agency_supplement_requested');
  }
  {
    const t = at(now, 5, '10:00');
    const d = await toAgency(hang, phuxuan, '1.004873', t, 'in_review');
    await requestObligation(db, {
      dossierId: d.id,
      amount: 250_000,
      reason: 'Lệ phí cấp bản sao trích lục theo quy định',
      official: { userId: phuxuan.user.id, officeId: phuxuan.officeId },
      now: plus(t, 2 * 24 * 60),
    });
    count('awaiting_payment');
  }
  for (const [agency, code, days] of [
    [phuxuan, '1.000656', 3],
    [lan, '1.005139', 7],
  ] as const) {
    const t = at(now, days, '08:45');
    const d = await toAgency(hang, agency, code, t, 'in_review');
    await decideDossier(db, {
      dossierId: d.id,
      agencyId: agency.officeId,
      actor: actorOf(agency, 'agency_official'),
      now: plus(t, 26 * 60),
      outcome: 'approved',
      resultNumber: `${100 + n}/GXN`,
      files: undefined as never,
    });
    count('decided');
  }

  // ── With the couriers of Bưu điện thành phố Huế, today ─────────────────────────────────────────────
  const today = vietnamDate(now);
  const supervisorCtx = {
    db,
    config,
    log,
    jobs: { enqueue: async () => undefined },
    requestId: 'demo-seed',
    user: nguyet.user,
    membership: nguyet.user.memberships.find((m) => m.officeId === nguyet.officeId)!,
  } as unknown as StaffCtx;
  const releasedAt = new Date(Math.min(now.getTime() - 15 * 60_000, localInstant(today, '07:00').getTime()));
  const delivery = async (house: (typeof HOUSES)[number], days: number) => {
    const t = at(now, days, '09:00');
    const d = await toAgency(hang, phuxuan, '1.000656', t, 'in_review', house);
    const decideAt = new Date(Math.min(plus(t, 26 * 60).getTime(), releasedAt.getTime() - 30 * 60_000));
    await decide(
      d,
      phuxuan,
      decideAt,
      'Người yêu cầu không thuộc diện được cấp theo quy định; vui lòng liên hệ UBND phường để được hướng dẫn.',
    );
    await releaseResult(db, {
      dossierId: d.id,
      agencyId: phuxuan.officeId,
      actor: actorOf(phuxuan, 'agency_official'),
      now: releasedAt,
    });
    const [task] = await db
      .select({ id: courierTasks.id })
      .from(courierTasks)
      .where(and(eq(courierTasks.dossierId, d.id), eq(courierTasks.kind, 'delivery')));
    return { d, taskId: task!.id };
  };
  for (const [i, house] of HOUSES.slice(0, 5).entries()) {
    const { taskId } = await delivery(house, 2 + (i % 3));
    await assignTask(supervisorCtx, { taskId, courierId: hung.user.id, day: today, sequence: i + 1 });
    count('out_for_delivery');
  }
  await delivery(HOUSES[5]!, 3);
  count('result_ready');

  const pickup = async (house: (typeof HOUSES)[number], procedureCode: string, window: [string, string]) => {
    const p = person(n);
    n += 1;
    const requestedAt = new Date(now.getTime() - (20 + n) * 60 * 60_000);
    const [proc] = await db
      .select({
        id: procedures.id,
        agencyId: procedures.agencyId,
        versionId: procedureVersions.id,
        components: procedureVersions.components,
      })
      .from(procedures)
      .innerJoin(procedureVersions, eq(procedureVersions.procedureId, procedures.id))
      .where(eq(procedures.code, procedureCode));
    const [office] = await db.select({ id: offices.id }).from(offices).where(eq(offices.code, POST_OFFICE));
    const phone = normalizePhone(p.phone);
    return db.transaction(async (raw) => {
      const tx = raw as unknown as Db;
      const [applicant] = await tx
        .insert(applicants)
        .values({
          fullName: p.fullName,
          phone,
          address: { line: house.line, communeCode: house.communeCode, provinceCode: '46' },
        })
        .returning({ id: applicants.id });
      const row = await createDossier(tx, {
        event: 'request_pickup',
        actor: { kind: 'citizen' },
        now: requestedAt,
        payload: { window: 'any', day: today, procedureCode },
        values: {
          procedureId: proc!.id,
          procedureVersionId: proc!.versionId,
          applicantId: applicant!.id,
          receivingOfficeId: office!.id,
          agencyId: proc!.agencyId,
          channel: 3,
          returnMethod: 0,
          clientKey: randomUUID(),
        },
      });
      const task = await createPickupTask(tx, {
        dossierId: row.id,
        officeId: office!.id,
        address: `${house.line}, thành phố Huế`,
        communeCode: house.communeCode,
        lat: house.lat,
        lng: house.lng,
        windowStart: localInstant(today, window[0]),
        windowEnd: localInstant(today, window[1]),
        contactName: p.fullName,
        contactPhone: phone,
        collect: {
          documents: proc!.components.map((c) => ({
            code: c.code,
            name: c.name,
            form: c.form,
            copies: c.copies,
            required: c.required,
          })),
        },
        now: requestedAt,
      });
      return task.id;
    });
  };
  for (const [i, house] of [HOUSES[6]!, HOUSES[7]!].entries()) {
    const taskId = await pickup(
      house,
      i === 0 ? '1.004873' : '1.005139',
      i === 0 ? ['08:00', '11:00'] : ['14:00', '16:30'],
    );
    await assignTask(supervisorCtx, { taskId, courierId: hung.user.id, day: today });
    count('pickup_assigned');
  }
  await pickup(HOUSES[2]!, '2.000635', ['13:30', '17:00']);
  count('pickup_requested');

  // ── Finished at the desk, with the citizens' word on it ───────────────────────────────────────────
  const finished = [
    { days: 14, rating: true },
    { days: 11, rating: true },
    { days: 9, rating: false },
    { days: 8, complaint: true },
  ];
  for (const f of finished) {
    const t = at(now, f.days, '09:10');
    const d = await toAgency(hang, phuxuan, '2.000635', t, 'in_review');
    await decideAndRelease(d, phuxuan, plus(t, 26 * 60));
    await handBack(db, {
      dossierId: d.id,
      officeId: hang.officeId,
      actor: actorOf(hang, 'clerk'),
      now: plus(t, 2 * 24 * 60),
      recipient: { kind: 'applicant', citizenId: d.citizenId },
    });
    count('returned');
    if (f.rating !== undefined) {
      // The citizens rate from their receipts' QR codes.
      await rateService(db, {
        code: d.code,
        token: receiptToken(config.SESSION_SECRET, d.id),
        secret: config.SESSION_SECRET,
        satisfied: f.rating,
        reasons: f.rating ? [] : ['late'],
        ...(f.rating ? {} : { comment: 'Phải chờ lâu hơn giấy hẹn.' }),
      });
    }
    if (f.complaint) {
      await fileComplaint(db, {
        code: d.code,
        token: receiptToken(config.SESSION_SECRET, d.id),
        secret: config.SESSION_SECRET,
        reasons: ['late'],
        text: 'Tôi được hẹn trả kết quả sau 1 ngày nhưng phải chờ gần một tuần, đề nghị bưu điện giải thích.',
        now: plus(t, 3 * 24 * 60),
      });
    }
  }
  return counts;
};
