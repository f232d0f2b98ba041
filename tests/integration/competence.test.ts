import { vietnamDate } from '@postdesk/shared';
import { and, desc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditLog,
  competenceAssignments,
  dossierEvents,
  dossiers,
  memberships,
  offices,
  users,
} from '../../server/src/db/schema';
import { renderDossierForm } from '../../server/src/intake/forms';
import { submitIntake } from '../../server/src/intake/submit';
import { loadPortalSource, toDossierRecord } from '../../server/src/integrations/portal/messages';
import { createTestServer } from '../helpers/app';
import { createTestDatabase } from '../helpers/db';
import { intakeFor } from '../helpers/intake';
import { inspectPdf } from '../helpers/pdf';

type Caller = Awaited<ReturnType<ReturnType<typeof createTestServer>['callerAs']>>;
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: ReturnType<typeof createTestServer>;
let hang: Caller;
let admin: Caller;
let birth: Awaited<ReturnType<Caller['catalog']['procedure']>>;

// Phường Phú Xuân, Phường Thuận Hóa and Xã Phú Lộc have their own People's Committee in the demo province;
// Phường Kim Long has none, so its dossiers go to the procedure's published agency.
const PHU_XUAN = '19753';
const THUAN_HOA = '19789';
const PHU_LOC = '20107';
const KIM_LONG = '19774';

beforeAll(async () => {
  database = await createTestDatabase();
  server = createTestServer(database.db);
  hang = await server.callerAs('gdv.hang');
  admin = await server.callerAs('admin');
  // Birth registration: a commune-level procedure of the People's Committees (published with UBND Thuận Hóa).
  birth = await hang.catalog.procedure({ code: '1.000894' });
});
afterAll(() => database.close());

const birthAt = (commune: string, overrides: Parameters<typeof intakeFor>[2] = {}) =>
  intakeFor(birth, commune, {
    absent: birth.components.filter((c) => !c.required).map((c) => c.code),
    ...overrides,
  });

const dossierOf = async (dossierId: string) => {
  const [row] = await database.db
    .select({ agency: offices.code, code: dossiers.code, departmentId: dossiers.receivingDepartmentId })
    .from(dossiers)
    .innerJoin(offices, eq(offices.id, dossiers.agencyId))
    .where(eq(dossiers.id, dossierId));
  return row!;
};

const firstEvent = async (dossierId: string) => {
  const [e] = await database.db
    .select()
    .from(dossierEvents)
    .where(and(eq(dossierEvents.dossierId, dossierId), eq(dossierEvents.event, 'start_intake')));
  return e!;
};

const clerkActor = async (username: string) => {
  const [m] = await database.db
    .select({ userId: memberships.userId, officeId: memberships.officeId, fullName: users.fullName })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(users.username, username), eq(memberships.role, 'clerk')));
  return {
    userId: m!.userId,
    fullName: m!.fullName,
    membership: { officeId: m!.officeId, officeCode: '', officeName: '', role: 'clerk' as const },
  };
};

/** Vietnam date `days` after today, and 09:00 that morning. */
const daysAhead = (days: number) => {
  const date = vietnamDate(new Date(Date.now() + days * 86_400_000));
  return { date, morning: new Date(`${date}T09:00:00+07:00`) };
};

describe('the deciding agency is resolved per dossier', () => {
  it('two applicants from different communes get their own commune’s People’s Committee', async () => {
    const fromPhuXuan = await hang.intake.submit(birthAt(PHU_XUAN));
    const fromPhuLoc = await hang.intake.submit(birthAt(PHU_LOC));
    expect(fromPhuXuan.decidingAgency).toMatchObject({ code: 'H57.101', source: 'assignment' });
    expect(fromPhuLoc.decidingAgency).toMatchObject({ code: 'H57.103', source: 'assignment' });
    expect((await dossierOf(fromPhuXuan.dossierId)).agency).toBe('H57.101');
    expect((await dossierOf(fromPhuLoc.dossierId)).agency).toBe('H57.103');
    // The official of each commune sees their own dossier only.
    const phuxuan = await server.callerAs('ubnd.phuxuan');
    await expect(phuxuan.dossiers.get({ idOrCode: fromPhuXuan.code! })).resolves.toBeTruthy();
    await expect(phuxuan.dossiers.get({ idOrCode: fromPhuLoc.code! })).rejects.toMatchObject({
      cause: { code: 'DOSSIER_NOT_FOUND' },
    });
    // The first event says how the agency was found.
    expect((await firstEvent(fromPhuLoc.dossierId)).payload).toMatchObject({
      decidingAgency: {
        agencyCode: 'H57.103',
        source: 'assignment',
        communeCode: PHU_LOC,
        basis: 'residence',
      },
    });
  });

  it('a commune with no assignment falls back to the procedure’s published agency, and the desk is told which', async () => {
    await expect(
      hang.intake.decidingAgency({ procedureCode: birth.code, communeCode: KIM_LONG }),
    ).resolves.toMatchObject({ code: 'H57.102', source: 'procedure', level: 'commune' });
    await expect(
      hang.intake.decidingAgency({ procedureCode: birth.code, communeCode: PHU_XUAN }),
    ).resolves.toMatchObject({ code: 'H57.101', source: 'assignment' });
  });

  it('an assignment with a future effective date applies only from that date', async () => {
    const from = daysAhead(3);
    // Phú Xuân's birth registrations move to Thuận Hóa (e.g. the units merge) in three days.
    await admin.admin.assignCompetence({
      rows: [
        {
          level: 'commune',
          procedureCode: birth.code,
          communeCode: PHU_XUAN,
          agencyCode: 'H57.102',
          effectiveFrom: from.date,
          note: 'Sáp nhập đơn vị hành chính',
        },
      ],
    });
    const actor = await clerkActor('gdv.hang');
    const before = await submitIntake(database.db, {
      input: birthAt(PHU_XUAN),
      actor,
      now: daysAhead(2).morning,
    });
    const after = await submitIntake(database.db, { input: birthAt(PHU_XUAN), actor, now: from.morning });
    expect((await dossierOf(before.dossierId)).agency).toBe('H57.101');
    expect((await dossierOf(after.dossierId)).agency).toBe('H57.102');
    // Today, still the old assignment; the earlier dossier keeps the agency it was given.
    expect(
      (await hang.intake.decidingAgency({ procedureCode: birth.code, communeCode: PHU_XUAN })).code,
    ).toBe('H57.101');
    const [audit] = await database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, 'competence.assigned'))
      .orderBy(desc(auditLog.id));
    expect(audit!.details).toMatchObject({ rows: [{ communeCode: PHU_XUAN, agencyCode: 'H57.102' }] });
  });

  it('the clerk may change the agency at intake only with a reason, which the event log keeps', async () => {
    const input = birthAt(PHU_LOC, { decidingAgency: { code: 'H57.101' } });
    await expect(hang.intake.submit(input)).rejects.toMatchObject({
      cause: { code: 'AGENCY_CHANGE_REASON_REQUIRED' },
    });
    expect(
      await database.db.select().from(dossiers).where(eq(dossiers.clientKey, input.clientKey)),
    ).toHaveLength(0);
    // A post office cannot decide.
    await expect(
      hang.intake.submit(
        birthAt(PHU_LOC, { decidingAgency: { code: 'H57.90.01', reason: 'thử chọn bưu điện' } }),
      ),
    ).rejects.toMatchObject({ cause: { code: 'AGENCY_UNKNOWN' } });
    const reason = 'Trẻ sinh tại phường Phú Xuân, cha mẹ tạm trú tại đó';
    const moved = await hang.intake.submit(birthAt(PHU_LOC, { decidingAgency: { code: 'H57.101', reason } }));
    expect(moved.decidingAgency).toMatchObject({ code: 'H57.101', source: 'clerk' });
    expect((await firstEvent(moved.dossierId)).payload).toMatchObject({
      decidingAgency: { agencyCode: 'H57.101', source: 'clerk', assignedAgencyCode: 'H57.103', reason },
    });
  });

  it('a procedure decided where the event happened uses the event’s commune when given', async () => {
    await database.db.execute(
      // Death registration-like rule, set as procedure data for the test: the event's place decides.
      sql`update procedure_versions set competence_basis = 'event_place' where procedure_id = ${birth.id}`,
    );
    try {
      const r = await hang.intake.submit(birthAt(PHU_LOC, { eventCommuneCode: THUAN_HOA }));
      expect(r.decidingAgency).toMatchObject({ code: 'H57.102' });
      expect((await firstEvent(r.dossierId)).payload).toMatchObject({
        decidingAgency: { communeCode: THUAN_HOA, basis: 'event_place' },
      });
    } finally {
      await database.db.execute(
        sql`update procedure_versions set competence_basis = 'residence' where procedure_id = ${birth.id}`,
      );
    }
  });

  it('the assignment table is kept by administrators; a bad import changes nothing', async () => {
    const before = await database.db.select().from(competenceAssignments);
    await expect(
      admin.admin.assignCompetence({
        rows: [
          {
            level: 'commune',
            communeCode: KIM_LONG,
            agencyCode: 'H57.102',
            effectiveFrom: daysAhead(1).date,
          },
          {
            level: 'commune',
            communeCode: KIM_LONG,
            agencyCode: 'H57.90.01',
            effectiveFrom: daysAhead(1).date,
          },
          { level: 'commune', communeCode: KIM_LONG, agencyCode: 'H57.102', effectiveFrom: '2025-07-01' },
          {
            level: 'province',
            procedureCode: birth.code,
            communeCode: KIM_LONG,
            agencyCode: 'H57.102',
            effectiveFrom: daysAhead(1).date,
          },
        ],
      }),
    ).rejects.toMatchObject({
      cause: {
        code: 'COMPETENCE_ROWS_INVALID',
        details: {
          problems: [
            { row: 1, field: 'agencyCode' },
            { row: 2, field: 'effectiveFrom' },
            { row: 3, field: 'procedureCode' },
          ],
        },
      },
    });
    expect(await database.db.select().from(competenceAssignments)).toHaveLength(before.length);
    await expect(hang.admin.competence()).rejects.toMatchObject({ cause: { code: 'FORBIDDEN' } });
    const list = await admin.admin.competence({ communeCode: PHU_LOC });
    expect(list.map((r) => r.agencyCode)).toContain('H57.103');
  });
});

describe('received on behalf of a state one-stop department (Decision 468)', () => {
  it('the dossier code and its daily sequence are the department’s; the post office is the service provider', async () => {
    const linhAtCentre = await server.callerAs('gdv.linh', {
      officeHint: (await database.db.select().from(offices).where(eq(offices.code, 'H57.36')))[0]!.id,
    });
    const atPost = await hang.intake.submit(birthAt(KIM_LONG));
    const atCentre = await linhAtCentre.intake.submit(birthAt(KIM_LONG));
    expect(atPost.code).toMatch(/^H57\.36-\d{6}-\d{4}$/);
    expect(atCentre.code).toMatch(/^H57\.36-\d{6}-\d{4}$/);
    expect(atPost.receivingDepartment).toMatchObject({ code: 'H57.36' });
    // One sequence for the department, whichever desk received.
    expect(Number(atCentre.code!.slice(-4))).toBe(Number(atPost.code!.slice(-4)) + 1);
    expect((await firstEventOf(atPost.dossierId, 'receive')).payload).toMatchObject({
      receivingDepartment: 'H57.36',
      serviceProvider: 'H57.90.01',
    });
    expect((await firstEventOf(atCentre.dossierId, 'receive')).payload).not.toHaveProperty('serviceProvider');

    // Mẫu 01 is issued in the department's name and names the post office that received it.
    const pdf = inspectPdf(
      await renderDossierForm(database.db, {
        dossierId: atPost.dossierId,
        form: 'mau01',
        officeIds: [],
        isAdmin: true,
        publicUrl: 'http://localhost',
        secret: 'x'.repeat(32),
      }),
    );
    expect(pdf.flat).toContain('Trung tâm Phục vụ hành chính công thành phố Huế');
    expect(pdf.flat).toContain('Bưu điện thành phố Huế');
    expect(pdf.flat).toContain(atPost.code!);

    // The portal record names the department as where it was submitted, the post office as the provider.
    const source = await loadPortalSource(database.db, {
      message: {
        dossierId: atPost.dossierId,
        code: atPost.code,
        seq: 2,
        event: 'receive',
        status: 2,
        at: '',
      },
      isUpdating: false,
    });
    const record = toDossierRecord(source!);
    expect(record.MaHoSo).toBe(atPost.code);
    expect(record.NoiNopHoSo).toBe('Trung tâm Phục vụ hành chính công thành phố Huế');
    expect(record.GhiChu).toContain('Bưu điện thành phố Huế');
  });

  it('a post office serving two departments receives for the one chosen, and never for one it does not serve', async () => {
    const quang = await server.callerAs('gdv.quang');
    const served = await quang.intake.departments();
    expect(served.map((d) => d.code)).toEqual(['H57.36', 'H57.101.01']);
    const commune = served.find((d) => d.code === 'H57.101.01')!;
    const r = await quang.intake.submit(birthAt(PHU_XUAN, { departmentId: commune.id }));
    expect(r.code).toMatch(/^H57\.101\.01-\d{6}-0001$/);
    const plain = await quang.intake.submit(birthAt(PHU_XUAN));
    expect(plain.code).toMatch(/^H57\.36-/);
    const input = birthAt(PHU_XUAN, { departmentId: commune.id });
    await expect(hang.intake.submit(input)).rejects.toMatchObject({
      cause: { code: 'DEPARTMENT_NOT_SERVED' },
    });
    expect(
      await database.db.select().from(dossiers).where(eq(dossiers.clientKey, input.clientKey)),
    ).toHaveLength(0);
  });

  it('a dossier coded before departments existed keeps its code', async () => {
    const r = await hang.intake.submit(birthAt(KIM_LONG));
    // As the migration leaves one: coded with the post office's own id, which stands as its department.
    const [office] = await database.db.select().from(offices).where(eq(offices.code, 'H57.90.01'));
    const legacy = `H57.90.01-${r.code!.slice(7)}`;
    await database.db
      .update(dossiers)
      .set({ code: legacy, receivingDepartmentId: office!.id })
      .where(eq(dossiers.id, r.dossierId));
    await expect(hang.dossiers.get({ idOrCode: legacy })).resolves.toMatchObject({ code: legacy });
    const source = await loadPortalSource(database.db, {
      message: { dossierId: r.dossierId, code: legacy, seq: 2, event: 'receive', status: 2, at: '' },
      isUpdating: false,
    });
    expect(toDossierRecord(source!)).toMatchObject({
      MaHoSo: legacy,
      NoiNopHoSo: 'Bưu điện thành phố Huế',
      GhiChu: null,
    });
  });
});

const firstEventOf = async (dossierId: string, event: string) => {
  const [e] = await database.db
    .select()
    .from(dossierEvents)
    .where(and(eq(dossierEvents.dossierId, dossierId), eq(dossierEvents.event, event)));
  return e!;
};
