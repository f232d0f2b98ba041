import { randomUUID } from 'node:crypto';
import { isWorkingDay, HOLIDAY_TABLES, vietnamDate } from '@postdesk/shared';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adviceLog,
  applicants,
  documents,
  dossierEvents,
  dossierCounters,
  dossiers,
  memberships,
  offices,
  outbox,
  users,
} from '../../server/src/db/schema';
import { submitIntake } from '../../server/src/intake/submit';
import { createTestServer } from '../helpers/app';
import { createTestDatabase } from '../helpers/db';
import { intakeFor } from '../helpers/intake';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: ReturnType<typeof createTestServer>;
let clerk: Awaited<ReturnType<ReturnType<typeof createTestServer>['callerAs']>>;
let lltp: Awaited<ReturnType<typeof clerk.catalog.procedure>>;
let commune: string;

beforeAll(async () => {
  database = await createTestDatabase();
  server = createTestServer(database.db);
  clerk = await server.callerAs('gdv.hang');
  lltp = await clerk.catalog.procedure({ code: '3.000333' });
  commune = (await clerk.catalog.communes())[0]!.code;
});
afterAll(() => database.close());

const dossiersWithKey = (clientKey: string) =>
  database.db.select().from(dossiers).where(eq(dossiers.clientKey, clientKey));

/** A unique citizen id with a valid structure (Huế 046, female born 1995). */
const citizenId = () => `0461950${String(Math.floor(Math.random() * 1e5)).padStart(5, '0')}`;

describe('receiving a dossier at the desk', () => {
  it('receives with home delivery: code, due time, Mẫu 01 link, event log and portal message', async () => {
    const input = intakeFor(lltp, commune, {
      returnMethod: 'post',
      delivery: {
        address: { line: '45 Hùng Vương', communeCode: commune },
        lat: 16.46,
        lng: 107.59,
        window: 'afternoon',
      },
    });
    const result = await clerk.intake.submit(input);
    expect(result.state).toBe('received');
    // Received on behalf of the provincial service centre (Decision 468): the code carries its id, not the post's.
    expect(result.code).toMatch(/^H57\.36-\d{6}-\d{4}$/);
    expect(result.dueAt!.getTime()).toBeGreaterThan(result.receivedAt!.getTime());
    expect(result.fees.postalTariff).toBeGreaterThan(0);
    expect(result.fees.total).toBe(
      result.fees.lines.reduce((s, l) => s + l.amount, 0) + result.fees.postalTariff,
    );
    expect(result.forms).toEqual([{ form: 'mau01', url: `/forms/dossiers/${result.dossierId}/mau01` }]);
    const events = await database.db
      .select()
      .from(dossierEvents)
      .where(eq(dossierEvents.dossierId, result.dossierId));
    expect(events.map((e) => e.event).sort()).toEqual(['receive', 'start_intake']);
    const messages = await database.db.select().from(outbox).where(eq(outbox.dossierId, result.dossierId));
    // The portal hears of the receipt once; the citizen gets one text saying it was received.
    expect(messages.filter((m) => m.topic === 'portal.progress').map((m) => m.payload.status)).toEqual([2]);
    expect(messages.filter((m) => m.topic === 'notify.sms').map((m) => m.payload.kind)).toEqual(['received']);
    const [row] = await database.db.select().from(dossiers).where(eq(dossiers.id, result.dossierId));
    expect(row!.returnMethod).toBe(1);
    expect(row!.deliveryAddress).toMatchObject({ line: '45 Hùng Vương', window: 'afternoon', lat: 16.46 });
    expect(row!.bookEntry).toBeGreaterThan(0);
    const [applicant] = await database.db
      .select()
      .from(applicants)
      .where(eq(applicants.id, row!.applicantId!));
    expect(applicant!.phone).toBe('0905123456');
  });

  it('gives consecutive codes to consecutive dossiers of the same office and day', async () => {
    const a = await clerk.intake.submit(intakeFor(lltp, commune));
    const b = await clerk.intake.submit(intakeFor(lltp, commune));
    const seq = (code: string | null) => Number(code!.split('-').at(-1));
    expect(seq(b.code)).toBe(seq(a.code) + 1);
  });

  it('a repeated request with the same client key returns the first dossier and creates nothing', async () => {
    const input = intakeFor(lltp, commune);
    const first = await clerk.intake.submit(input);
    const again = await clerk.intake.submit(input);
    expect(again).toMatchObject({ dossierId: first.dossierId, code: first.code, replayed: true });
    expect(await dossiersWithKey(input.clientKey)).toHaveLength(1);
  });

  it('a double click (two requests at once) still makes one dossier', async () => {
    const input = intakeFor(lltp, commune);
    const [a, b] = await Promise.all([clerk.intake.submit(input), clerk.intake.submit(input)]);
    expect(a.dossierId).toBe(b.dossierId);
    expect([a.replayed, b.replayed].sort()).toEqual([false, true]);
    expect(await dossiersWithKey(input.clientKey)).toHaveLength(1);
  });

  it('the due time never falls on a holiday: received the Friday before Tết 2026', async () => {
    const [m] = await database.db
      .select({ userId: memberships.userId, officeId: memberships.officeId, fullName: users.fullName })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(users.username, 'gdv.hang'), eq(memberships.role, 'clerk')));
    const input = intakeFor(lltp, commune);
    const result = await submitIntake(database.db, {
      input,
      actor: {
        userId: m!.userId,
        fullName: m!.fullName,
        membership: { officeId: m!.officeId, officeCode: '', officeName: '', role: 'clerk' },
      },
      now: new Date('2026-02-13T10:00:00+07:00'),
    });
    // 10 working days = 80 h: 5 h on Fri 13/2, Tết 14–22/2 off, then 9 days and 3 h from Mon 23/2.
    expect(result.dueAt!.toISOString()).toBe(new Date('2026-03-06T10:00:00+07:00').toISOString());
    expect(isWorkingDay(result.dueAt!, HOLIDAY_TABLES)).toBe(true);
  });
});

describe('the other outcomes', () => {
  it('requests a supplement listing every absent component and the extra items, once, with no code', async () => {
    const required = lltp.components.filter((c) => c.required).map((c) => c.code);
    const input = intakeFor(lltp, commune, {
      outcome: 'request_supplement',
      absent: required.slice(0, 2),
      missing: [{ item: 'Bản sao giấy khai sinh', note: 'để đối chiếu họ tên' }],
    });
    const result = await clerk.intake.submit(input);
    expect(result).toMatchObject({ state: 'supplement_requested', code: null, dueAt: null });
    expect(result.forms).toEqual([{ form: 'mau02', url: `/forms/dossiers/${result.dossierId}/mau02` }]);
    const [row] = await dossiersWithKey(input.clientKey);
    expect(row!.intake!.missing.map((m) => m.item)).toEqual([
      ...lltp.components.filter((c) => required.slice(0, 2).includes(c.code)).map((c) => c.name),
      'Bản sao giấy khai sinh',
    ]);
    expect(await database.db.select().from(outbox).where(eq(outbox.dossierId, row!.id))).toHaveLength(1);
  });

  it('refuses with the reason, and no code', async () => {
    const input = intakeFor(lltp, commune, {
      outcome: 'refuse',
      reason: 'Thủ tục không thuộc thẩm quyền tiếp nhận',
    });
    const result = await clerk.intake.submit(input);
    expect(result).toMatchObject({ state: 'refused', code: null });
    const [row] = await dossiersWithKey(input.clientKey);
    expect(row!.intake!.reasons).toEqual(['Thủ tục không thuộc thẩm quyền tiếp nhận']);
  });
});

describe('bad input gets a clear error and creates nothing', () => {
  const expectNothing = async (clientKey: string) => expect(await dossiersWithKey(clientKey)).toHaveLength(0);

  it.each([
    ['an id number of 11 digits', { applicant: { citizenId: '04619500123' } }, 'CITIZEN_ID_INVALID'],
    ['a phone number that is not Vietnamese', { applicant: { phone: '+1 415 555 0100' } }, 'PHONE_INVALID'],
    ['an email without a domain', { applicant: { email: 'hanh@' } }, 'EMAIL_INVALID'],
    [
      'an unknown commune',
      { applicant: { address: { line: '1 Lê Lợi', communeCode: '99999' } } },
      'COMMUNE_UNKNOWN',
    ],
    ['an unknown procedure', { procedureCode: '9.999999' }, 'PROCEDURE_NOT_FOUND'],
    ['a refusal without a reason', { outcome: 'refuse' }, 'REASON_REQUIRED'],
  ] as const)('%s', async (_name, patch, code) => {
    const base = intakeFor(lltp, commune);
    const input = {
      ...base,
      ...patch,
      applicant: { ...base.applicant, ...('applicant' in patch ? patch.applicant : {}) },
    } as typeof base;
    await expect(clerk.intake.submit(input)).rejects.toMatchObject({ cause: { code } });
    await expectNothing(input.clientKey);
  });

  it('"receive" with a required component absent is COMPONENTS_INCOMPLETE, naming what is missing', async () => {
    const required = lltp.components.find((c) => c.required)!;
    const input = intakeFor(lltp, commune, { absent: [required.code] });
    await expect(clerk.intake.submit(input)).rejects.toMatchObject({
      cause: {
        code: 'COMPONENTS_INCOMPLETE',
        details: { missing: [{ code: required.code, name: required.name }] },
      },
    });
    await expectNothing(input.clientKey);
  });

  it('home delivery for a procedure that forbids it is DELIVERY_NOT_ALLOWED', async () => {
    const marriage = await clerk.catalog.procedure({ code: '1.000894' });
    expect(marriage.deliveryAllowed).toBe(false);
    const input = intakeFor(marriage, commune, {
      returnMethod: 'post',
      delivery: { address: { line: '1 Lê Lợi', communeCode: commune }, window: 'any' },
    });
    await expect(clerk.intake.submit(input)).rejects.toMatchObject({
      cause: { code: 'DELIVERY_NOT_ALLOWED' },
    });
    await expectNothing(input.clientKey);
  });

  it('a courier or an agency official cannot receive dossiers', async () => {
    for (const username of ['buuta.hung', 'stp.lan']) {
      const caller = await server.callerAs(username);
      const input = intakeFor(lltp, commune);
      await expect(caller.intake.submit(input)).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expectNothing(input.clientKey);
    }
  });
});

describe('reuse of earlier digitized documents', () => {
  const seedDocument = async (owner: string, docType: string, validUntil: string | null = null) => {
    const [doc] = await database.db
      .insert(documents)
      .values({
        componentCode: 'TP02',
        source: 'scan',
        docType,
        ownerCitizenId: owner,
        title: 'Thẻ Căn cước công dân',
        digitizedCode: `${owner}.1.001193.TP02.${randomUUID().slice(0, 6)}`,
        validUntil,
      })
      .returning();
    return doc!;
  };

  it('offers the citizen’s earlier id-card copy for the matching component, and receiving with it marks it reused', async () => {
    const owner = citizenId();
    const doc = await seedDocument(owner, 'citizen_id_card');
    await seedDocument(owner, 'citizen_id_card', '2020-01-01'); // expired: not offered
    const found = await clerk.intake.lookupApplicant({ citizenId: owner, procedureCode: lltp.code });
    expect(found.reusable.map((r) => r.documentId)).toEqual([doc.id]);
    const component = lltp.components.find((c) => c.code === found.reusable[0]!.componentCode)!;
    expect(component.name).toMatch(/Căn cước/);

    const input = intakeFor(lltp, commune, { absent: [component.code] });
    input.applicant.citizenId = owner;
    input.components = input.components.map((c) =>
      c.code === component.code ? { ...c, reuseDocumentId: doc.id } : c,
    );
    const result = await clerk.intake.submit(input);
    expect(result.state).toBe('received');
    const [reuse] = await database.db
      .select()
      .from(documents)
      .where(eq(documents.dossierId, result.dossierId));
    expect(reuse).toMatchObject({ source: 'reuse', reusedFromId: doc.id, componentCode: component.code });
    const [row] = await dossiersWithKey(input.clientKey);
    expect(row!.intake!.components.find((c) => c.code === component.code)).toMatchObject({
      present: true,
      reusedDocumentId: doc.id,
    });
  });

  it('another citizen’s document cannot be reused: REUSE_NOT_ALLOWED, nothing created', async () => {
    const doc = await seedDocument(citizenId(), 'citizen_id_card');
    const component = lltp.components.find((c) => /Căn cước/.test(c.name))!;
    const input = intakeFor(lltp, commune, { absent: [component.code] });
    input.applicant.citizenId = citizenId();
    input.components = input.components.map((c) =>
      c.code === component.code ? { ...c, reuseDocumentId: doc.id } : c,
    );
    await expect(clerk.intake.submit(input)).rejects.toMatchObject({ cause: { code: 'REUSE_NOT_ALLOWED' } });
    expect(await dossiersWithKey(input.clientKey)).toHaveLength(0);
  });

  it('an applicant seen before is prefilled; structure warnings are returned, not thrown', async () => {
    const first = intakeFor(lltp, commune);
    first.applicant.citizenId = citizenId();
    await clerk.intake.submit(first);
    const found = await clerk.intake.lookupApplicant({
      citizenId: first.applicant.citizenId,
      procedureCode: lltp.code,
    });
    expect(found.applicant).toMatchObject({ fullName: 'Trần Thị Mỹ Hạnh', dateOfBirth: '1995-04-12' });
    // Contact belongs to the dossier it was given for: the citizen gives a phone for each new one.
    expect(found.applicant).not.toHaveProperty('phone');
    expect(found.applicant).not.toHaveProperty('email');
    const odd = await clerk.intake.lookupApplicant({ citizenId: '999195001234', procedureCode: lltp.code });
    expect(odd.applicant).toBeNull();
    expect(odd.warnings.map((w) => w.code)).toContain('UNKNOWN_PROVINCE');
  });
});

describe('the desk’s day and advice', () => {
  it('lists today’s dossiers of this office only; another office’s clerk sees none of them', async () => {
    const mine = await clerk.intake.submit(intakeFor(lltp, commune));
    const today = await clerk.intake.today();
    expect(today.find((d) => d.id === mine.dossierId)).toMatchObject({ code: mine.code, state: 'received' });
    const other = await server.callerAs('gdv.quang');
    expect((await other.intake.today()).some((d) => d.id === mine.dossierId)).toBe(false);
    await expect(other.dossiers.get({ idOrCode: mine.code! })).rejects.toMatchObject({
      cause: { code: 'DOSSIER_NOT_FOUND' },
    });
  });

  it('logs advice given without a dossier with procedure, office, clerk and time', async () => {
    const before = await database.db.select({ n: sql<number>`count(*)::int` }).from(adviceLog);
    await clerk.intake.advise({ procedureCode: lltp.code });
    const [after] = await database.db.select({ n: sql<number>`count(*)::int` }).from(adviceLog);
    expect(after!.n).toBe(before[0]!.n + 1);
    await expect(clerk.intake.advise({ procedureCode: '9.999999' })).rejects.toMatchObject({
      cause: { code: 'PROCEDURE_NOT_FOUND' },
    });
  });
});

describe("the department's 9,999 numbers a day", () => {
  it('warns the desk near the end, then refuses with a clear message and gives the number back', async () => {
    const first = await clerk.intake.submit(
      intakeFor(lltp, commune, {
        applicant: { ...intakeFor(lltp, commune).applicant, citizenId: citizenId() },
      }),
    );
    const [department] = await database.db
      .select({ id: offices.id })
      .from(offices)
      .where(eq(offices.code, first.receivingDepartment!.code));
    const day = vietnamDate(new Date());
    const setLast = (last: number) =>
      database.db.execute(
        sql`update dossier_counters set last = ${last} where agency_id = ${department!.id} and day = ${day}`,
      );

    await setLast(8998);
    const near = await clerk.intake.submit(
      intakeFor(lltp, commune, {
        applicant: { ...intakeFor(lltp, commune).applicant, citizenId: citizenId() },
      }),
    );
    expect(near.code).toMatch(/-8999$/);
    expect(near.numbersLeft).toBeNull();
    const warned = await clerk.intake.submit(
      intakeFor(lltp, commune, {
        applicant: { ...intakeFor(lltp, commune).applicant, citizenId: citizenId() },
      }),
    );
    expect(warned.code).toMatch(/-9000$/);
    expect(warned.numbersLeft).toBe(999);

    await setLast(9999);
    const input = intakeFor(lltp, commune, {
      applicant: { ...intakeFor(lltp, commune).applicant, citizenId: citizenId() },
    });
    await expect(clerk.intake.submit(input)).rejects.toMatchObject({
      cause: { code: 'DAILY_SEQUENCE_FULL' },
    });
    expect(await dossiersWithKey(input.clientKey)).toEqual([]);
    const [counter] = await database.db
      .select({ last: dossierCounters.last })
      .from(dossierCounters)
      .where(and(eq(dossierCounters.agencyId, department!.id), eq(dossierCounters.day, day)));
    expect(counter!.last).toBe(9999);
  });
});
