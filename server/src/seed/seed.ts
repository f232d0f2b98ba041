import { formatDigitizedCode, formatDossierCode, HOLIDAY_TABLES, vietnamDate } from '@postdesk/shared';
import { and, count, eq } from 'drizzle-orm';
import { hashPassword } from '../auth/passwords';
import type { Db } from '../db/client';
import {
  applicants,
  type CalendarDayRow,
  holidayCalendarVersions,
  communes,
  competenceAssignments,
  desks,
  officeDepartments,
  documents,
  holidays,
  memberships,
  offices,
  procedures,
  procedureVersions,
  provinces,
  queueDeskGroups,
  queueGroups,
  users,
} from '../db/schema';
import { createDossier, nextDossierSeq, recordEvent } from '../dossiers/engine';
import { documentTypeOf } from '../intake/doc-types';
import {
  province,
  queueGroups as seedQueueGroups,
  offices as seedOffices,
  procedures as seedProcedures,
  users as seedUsers,
} from './data';
import { type DemoScans, seedDemoDossiers } from './demo-dossiers';
import { signingKeyLabelFor } from './signing-keys';

const HOURS_PER_DAY = 8;

/**
 * The holiday calendars, seeded into every database, demo or not, because deadlines depend on them: each year of
 * HOLIDAY_TABLES that has no version yet gets version 1, published (and copied into `holidays`) or, for a
 * projection, left as a draft for an administrator to correct and publish. A year already stored is the
 * administrators' and is left alone.
 */
export const seedHolidays = async (db: Db) => {
  for (const table of HOLIDAY_TABLES) {
    const days: CalendarDayRow[] = [
      ...table.days.map((d) => ({ date: d.date, kind: d.kind, nameVi: d.name_vi, nameEn: d.name_en })),
      ...table.workingWeekends.map((d) => ({
        date: d.date,
        kind: 'working_weekend' as const,
        nameVi: d.name,
        nameEn: d.name,
      })),
    ].sort((a, b) => a.date.localeCompare(b.date));
    const published = table.status !== 'projection';
    const inserted = await db
      .insert(holidayCalendarVersions)
      .values({
        year: table.year,
        version: 1,
        state: published ? 'published' : 'draft',
        source: table.source,
        days,
        publishedAt: published ? new Date() : null,
      })
      .onConflictDoNothing()
      .returning({ year: holidayCalendarVersions.year });
    if (inserted.length === 0 || !published) continue;
    await db
      .insert(holidays)
      .values(
        days.map((d) => ({
          day: d.date,
          year: table.year,
          kind: d.kind,
          nameVi: d.nameVi,
          nameEn: d.nameEn,
          source: table.source,
        })),
      )
      .onConflictDoNothing();
  }
};

/**
 * Demo province, offices, procedures and users, once: a database that already has offices is left alone.
 * `dossiers: false` leaves out the dossiers in flight (demo-dossiers.ts), e.g. for the test template.
 */
export const seedDemo = async (db: Db, opts: { dossiers?: boolean; scans?: DemoScans } = {}) => {
  const [existing] = await db.select({ n: count() }).from(offices);
  if ((existing?.n ?? 0) > 0) return { seeded: false as const };
  const passwordHashes = new Map<string, string>();
  for (const u of seedUsers) {
    if (!passwordHashes.has(u.password)) passwordHashes.set(u.password, await hashPassword(u.password));
  }
  await db.transaction(async (tx) => {
    await tx.insert(provinces).values({ code: province.code, name: province.name });
    await tx.insert(communes).values(province.communes.map((c) => ({ ...c, provinceCode: province.code })));
    const officeRows = await tx
      .insert(offices)
      .values(seedOffices.map(({ desks: _desks, ...o }) => o))
      .returning({ id: offices.id, code: offices.code });
    const officeId = new Map(officeRows.map((o) => [o.code, o.id]));
    const deskRows = seedOffices.flatMap((o) =>
      (o.desks ?? []).map((name) => ({ officeId: officeId.get(o.code)!, name })),
    );
    const seededDesks =
      deskRows.length > 0
        ? await tx
            .insert(desks)
            .values(deskRows)
            .returning({ id: desks.id, officeId: desks.officeId, name: desks.name })
        : [];
    for (const officeIdOfDesks of new Set(seededDesks.map((d) => d.officeId))) {
      const groups = await tx
        .insert(queueGroups)
        .values(
          seedQueueGroups.map(({ desks: _d, fields, ...g }, i) => ({
            ...g,
            fields: [...fields],
            sort: i,
            officeId: officeIdOfDesks,
          })),
        )
        .returning({ id: queueGroups.id, code: queueGroups.code });
      const links = seedQueueGroups.flatMap((g) =>
        seededDesks
          .filter((d) => d.officeId === officeIdOfDesks && (g.desks as readonly string[]).includes(d.name))
          .map((d) => ({ deskId: d.id, groupId: groups.find((x) => x.code === g.code)!.id })),
      );
      if (links.length > 0) await tx.insert(queueDeskGroups).values(links);
    }
    const served = seedOffices.flatMap((o) =>
      (o.serves ?? []).map((code, i) => ({
        officeId: officeId.get(o.code)!,
        departmentId: officeId.get(code)!,
        isDefault: i === 0,
      })),
    );
    if (served.length > 0) await tx.insert(officeDepartments).values(served);
    const procedureIds = new Map<string, string>();
    for (const p of seedProcedures) {
      const [row] = await tx
        .insert(procedures)
        .values({
          code: p.code,
          name: p.name,
          field: p.field,
          level: p.level,
          keywords: (p.keywords ?? []).join(', '),
          agencyId: officeId.get(p.agencyCode)!,
        })
        .returning({ id: procedures.id });
      procedureIds.set(p.code, row!.id);
      await tx.insert(procedureVersions).values({
        procedureId: row!.id,
        version: 1,
        effectiveFrom: p.effectiveFrom,
        processingHours: Math.round(p.processingWorkingDays * HOURS_PER_DAY),
        fees: p.fees,
        postalTariff: p.postalTariff,
        components: p.components.map((c) => ({ ...c, docType: documentTypeOf(c.name) })),
        pickupAllowed: p.pickupAllowed,
        deliveryAllowed: p.deliveryAllowed,
        legalBasis: p.legalBasis,
        resultName: p.resultName,
        resultIsPaper: p.resultIsPaper,
      });
    }
    // Commune-level procedures of the People's Committees are decided by the applicant's own commune (Decree
    // 118/2025): one row per procedure × commune that has its committee in the demo; other communes fall back
    // to the procedure's published agency.
    const committees = seedOffices.filter((o) => o.kind === 'commune_committee');
    const assignments = seedProcedures
      .filter((p) => p.level === 'commune' && committees.some((c) => c.code === p.agencyCode))
      .flatMap((p) =>
        committees.map((c) => ({
          level: 'commune' as const,
          procedureId: procedureIds.get(p.code)!,
          communeCode: c.communeCode,
          agencyId: officeId.get(c.code)!,
          effectiveFrom: '2025-07-01',
          note: 'Nghị định 118/2025/NĐ-CP; chính quyền địa phương hai cấp',
        })),
      );
    if (assignments.length > 0) await tx.insert(competenceAssignments).values(assignments);
    for (const u of seedUsers) {
      const [row] = await tx
        .insert(users)
        .values({
          username: u.username,
          fullName: u.fullName,
          passwordHash: passwordHashes.get(u.password)!,
          signingKeyLabel: signingKeyLabelFor(u),
        })
        .returning({ id: users.id });
      await tx.insert(memberships).values(
        u.memberships.map((m) => ({
          userId: row!.id,
          officeId: officeId.get(m.officeCode)!,
          role: m.role,
        })),
      );
    }
  });
  await seedDemoHistory(db);
  if (opts.dossiers !== false) await seedDemoDossiers(db, opts.scans ? { scans: opts.scans } : {});
  return { seeded: true as const };
};

/** The demo citizen who came a month ago: their digitized id card and photo are there to be reused. */
export const DEMO_CITIZEN = { citizenId: '046090001234', fullName: 'Nguyễn Văn An', phone: '0914222333' };

const seedDemoHistory = async (db: Db) => {
  const at = new Date(Date.now() - 30 * 86_400_000);
  const [clerk] = await db
    .select({ userId: users.id, officeId: memberships.officeId, officeCode: offices.code })
    .from(users)
    .innerJoin(memberships, eq(memberships.userId, users.id))
    .innerJoin(offices, eq(offices.id, memberships.officeId))
    .where(and(eq(users.username, 'gdv.hang'), eq(memberships.role, 'clerk')));
  const [procedure] = await db
    .select({
      id: procedures.id,
      code: procedures.code,
      agencyId: procedures.agencyId,
      versionId: procedureVersions.id,
    })
    .from(procedures)
    .innerJoin(procedureVersions, eq(procedureVersions.procedureId, procedures.id))
    .where(eq(procedures.code, '1.004873'));
  if (!clerk || !procedure) return;
  const [official] = await db
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.officeId, procedure.agencyId), eq(memberships.role, 'agency_official')));
  const [commune] = await db.select({ code: communes.code }).from(communes).limit(1);
  await db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    const [applicant] = await t
      .insert(applicants)
      .values({
        citizenId: DEMO_CITIZEN.citizenId,
        fullName: DEMO_CITIZEN.fullName,
        dateOfBirth: '1990-03-08',
        sex: 'male',
        phone: DEMO_CITIZEN.phone,
        address: { line: '27 Nguyễn Huệ', communeCode: commune?.code ?? null, provinceCode: province.code },
      })
      .returning({ id: applicants.id });
    const staff = {
      kind: 'clerk' as const,
      userId: clerk.userId,
      role: 'clerk' as const,
      officeId: clerk.officeId,
    };
    const agency = {
      kind: 'agency_official' as const,
      userId: official?.userId ?? null,
      role: 'agency_official' as const,
      officeId: procedure.agencyId,
    };
    const dossier = await createDossier(t, {
      event: 'start_intake',
      actor: staff,
      now: at,
      values: {
        procedureId: procedure.id,
        procedureVersionId: procedure.versionId,
        applicantId: applicant!.id,
        receivingOfficeId: clerk.officeId,
        agencyId: procedure.agencyId,
        channel: 1,
        createdAt: at,
      },
    });
    const code = formatDossierCode({
      agencyId: clerk.officeCode,
      date: at,
      seq: await nextDossierSeq(t, { agencyId: clerk.officeId, day: vietnamDate(at) }),
    });
    const steps = [
      ['receive', staff, { code, receivedAt: at, dueAt: new Date(at.getTime() + 3 * 86_400_000) }],
      ['complete_digitization', staff, {}],
      ['forward', staff, {}],
      ['accept', agency, {}],
      ['decide', agency, {}],
      ['release_result', agency, {}],
      ['hand_back', staff, {}],
    ] as const;
    for (const [event, actor, patch] of steps) {
      await recordEvent(t, { dossierId: dossier.id, event, actor, now: at, patch });
    }
    const earlier = [
      ['TP02', 'Thẻ Căn cước công dân (bản sao điện tử)', 'citizen_id_card'],
      ['TP03', 'Ảnh chân dung cỡ 4x6 cm', 'portrait_photo'],
    ] as const;
    await t.insert(documents).values(
      earlier.map(([componentCode, title, docType], i) => ({
        dossierId: dossier.id,
        componentCode,
        source: 'scan' as const,
        docType,
        title,
        ownerCitizenId: DEMO_CITIZEN.citizenId,
        digitizedCode: formatDigitizedCode({
          ownerId: DEMO_CITIZEN.citizenId,
          procedureCode: procedure.code,
          componentCode,
          seq: i + 1,
        }),
        createdAt: at,
      })),
    );
  });
};

/** The demo accounts, for the start-up banner. */
export const demoCredentials = () =>
  seedUsers.map((u) => ({
    username: u.username,
    password: u.password,
    roles: u.memberships.map(
      (m) => `${m.role}@${seedOffices.find((o) => o.code === m.officeCode)?.name ?? m.officeCode}`,
    ),
  }));
