import { HOLIDAY_TABLES } from '@postdesk/shared';
import { count } from 'drizzle-orm';
import { hashPassword } from '../auth/passwords';
import type { Db } from '../db/client';
import {
  communes,
  desks,
  holidays,
  memberships,
  offices,
  procedures,
  procedureVersions,
  provinces,
  users,
} from '../db/schema';
import { offices as seedOffices, procedures as seedProcedures, province, users as seedUsers } from './data';

const HOURS_PER_DAY = 8;

/** The holiday tables in force; seeded into every database, demo or not, because deadlines depend on them. */
export const seedHolidays = async (db: Db) => {
  for (const table of HOLIDAY_TABLES) {
    const values = [
      ...table.days.map((d) => ({ day: d.date, year: table.year, kind: d.kind, nameVi: d.name_vi, nameEn: d.name_en, source: table.source })),
      ...table.workingWeekends.map((d) => ({
        day: d.date,
        year: table.year,
        kind: 'working_weekend' as const,
        nameVi: d.name,
        nameEn: d.name,
        source: table.source,
      })),
    ];
    if (values.length > 0) await db.insert(holidays).values(values).onConflictDoNothing();
  }
};

/** Demo province, offices, procedures and users, once: a database that already has offices is left alone. */
export const seedDemo = async (db: Db) => {
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
    const deskRows = seedOffices.flatMap((o) => (o.desks ?? []).map((name) => ({ officeId: officeId.get(o.code)!, name })));
    if (deskRows.length > 0) await tx.insert(desks).values(deskRows);
    for (const p of seedProcedures) {
      const [row] = await tx
        .insert(procedures)
        .values({ code: p.code, name: p.name, field: p.field, level: p.level, agencyId: officeId.get(p.agencyCode)! })
        .returning({ id: procedures.id });
      await tx.insert(procedureVersions).values({
        procedureId: row!.id,
        version: 1,
        effectiveFrom: p.effectiveFrom,
        processingHours: Math.round(p.processingWorkingDays * HOURS_PER_DAY),
        fees: p.fees,
        postalTariff: p.postalTariff,
        components: p.components,
        pickupAllowed: p.pickupAllowed,
        deliveryAllowed: p.deliveryAllowed,
        legalBasis: p.legalBasis,
        resultName: p.resultName,
        resultIsPaper: p.resultIsPaper,
      });
    }
    for (const u of seedUsers) {
      const [row] = await tx
        .insert(users)
        .values({ username: u.username, fullName: u.fullName, passwordHash: passwordHashes.get(u.password)! })
        .returning({ id: users.id });
      await tx
        .insert(memberships)
        .values(u.memberships.map((m) => ({ userId: row!.id, officeId: officeId.get(m.officeCode)!, role: m.role })));
    }
  });
  return { seeded: true as const };
};

/** The demo accounts, for the start-up banner. */
export const demoCredentials = () =>
  seedUsers.map((u) => ({
    username: u.username,
    password: u.password,
    roles: u.memberships.map((m) => `${m.role}@${seedOffices.find((o) => o.code === m.officeCode)?.name ?? m.officeCode}`),
  }));
