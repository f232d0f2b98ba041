import { and, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLimits, createMemoryLimitStore } from '../../server/src/auth/rate-limit';
import {
  applicants,
  auditLog,
  contactChanges,
  dossierEvents,
  dossiers,
  outbox,
} from '../../server/src/db/schema';
import { verifyChain } from '../../server/src/dossiers/engine';
import { createTestServer } from '../helpers/app';
import { createTestDatabase } from '../helpers/db';
import { intakeFor } from '../helpers/intake';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: ReturnType<typeof createTestServer>;
type Caller = Awaited<ReturnType<ReturnType<typeof createTestServer>['callerAs']>>;
let hang: Caller; // clerk of the office that receives the dossiers below
let quang: Caller; // clerk of another office
let lltp: Awaited<ReturnType<Caller['catalog']['procedure']>>;
let commune: string;

beforeAll(async () => {
  database = await createTestDatabase();
  server = createTestServer(database.db);
  hang = await server.callerAs('gdv.hang');
  quang = await server.callerAs('gdv.quang');
  lltp = await hang.catalog.procedure({ code: '3.000333' });
  commune = (await hang.catalog.communes())[0]!.code;
});
afterAll(() => database.close());

const citizenId = () => `0461950${String(Math.floor(Math.random() * 1e5)).padStart(5, '0')}`;
const OLD_PHONE = '0905123456';

/** A dossier received at `who`'s office for `id`, the result to be delivered by post. */
const receive = async (who: Caller, id: string, phone = OLD_PHONE) => {
  const input = intakeFor(lltp, commune, {
    returnMethod: 'post',
    delivery: { address: { line: '45 Hùng Vương', communeCode: commune }, window: 'afternoon' },
  });
  input.applicant.citizenId = id;
  input.applicant.phone = phone;
  return who.intake.submit(input);
};

const phoneOf = async (dossierId: string) => {
  const [row] = await database.db
    .select({ phone: applicants.phone })
    .from(dossiers)
    .innerJoin(applicants, eq(applicants.id, dossiers.applicantId))
    .where(eq(dossiers.id, dossierId));
  return row!.phone;
};

const deliveryOf = async (dossierId: string) => {
  const [row] = await database.db
    .select({ address: dossiers.deliveryAddress })
    .from(dossiers)
    .where(eq(dossiers.id, dossierId));
  return row!.address;
};

/** The texts queued for a dossier, newest first: what the SMS gateway will be asked to send. */
const textsOf = async (dossierId: string) =>
  (
    await database.db
      .select({ payload: outbox.payload })
      .from(outbox)
      .where(and(eq(outbox.dossierId, dossierId), eq(outbox.topic, 'notify.sms')))
      .orderBy(desc(outbox.id))
  ).map((r) => r.payload as { kind: string; to: string; body: string });

const codeSentTo = async (dossierId: string, phone: string) => {
  const otp = (await textsOf(dossierId)).find((t) => t.kind === 'otp' && t.to === phone);
  return otp?.body.match(/\b(\d{6})\b/)?.[1];
};

describe('a new dossier does not take over the contact of earlier ones', () => {
  it('receiving a dossier at another office with the same id number leaves the first dossier’s phone and address', async () => {
    const id = citizenId();
    const first = await receive(hang, id);
    // The attack: another office's clerk receives "a dossier" for the same citizen with their own phone.
    const second = await receive(quang, id, '0987654321');
    expect(await phoneOf(first.dossierId)).toBe(OLD_PHONE);
    expect(await phoneOf(second.dossierId)).toBe('0987654321');
    // The citizen still tracks the first dossier with their own phone; the attacker's phone opens nothing.
    const citizen = await server.callerAs(null);
    await expect(citizen.citizen.track({ code: first.code!, phone: OLD_PHONE })).resolves.toMatchObject({
      code: first.code,
    });
    await expect(citizen.citizen.track({ code: first.code!, phone: '0987654321' })).rejects.toMatchObject({
      cause: { code: 'TRACK_NOT_FOUND' },
    });
    // …nor can it ask for a code to redirect the first dossier's delivery.
    await expect(
      citizen.citizen.deliveryCode({ code: first.code!, phone: '0987654321' }),
    ).rejects.toMatchObject({ cause: { code: 'TRACK_NOT_FOUND' } });
  });
});

describe('changing a dossier’s phone or delivery address', () => {
  it('a clerk of another office cannot change it, by either path, and nothing is sent', async () => {
    const d = await receive(hang, citizenId());
    const before = (await textsOf(d.dossierId)).length;
    await expect(
      quang.contact.change({
        dossierId: d.dossierId,
        phone: '0987654321',
        confirmation: { kind: 'otp_old_phone' },
      }),
    ).rejects.toMatchObject({ cause: { code: 'DOSSIER_NOT_FOUND' } });
    const [row] = await database.db
      .select({ citizenId: applicants.citizenId })
      .from(dossiers)
      .innerJoin(applicants, eq(applicants.id, dossiers.applicantId))
      .where(eq(dossiers.id, d.dossierId));
    await expect(
      quang.contact.change({
        dossierId: d.dossierId,
        phone: '0987654321',
        confirmation: { kind: 'id_card', citizenId: row!.citizenId!, idCardChecked: true },
      }),
    ).rejects.toMatchObject({ cause: { code: 'DOSSIER_NOT_FOUND' } });
    expect(await phoneOf(d.dossierId)).toBe(OLD_PHONE);
    expect(await textsOf(d.dossierId)).toHaveLength(before);
    // A courier or an agency official of any office cannot call it at all.
    const courier = await server.callerAs('buuta.hung');
    await expect(
      courier.contact.change({
        dossierId: d.dossierId,
        phone: '0987654321',
        confirmation: { kind: 'otp_old_phone' },
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('by phone: nothing changes until the code sent to the OLD phone is given; the old phone is told', async () => {
    const d = await receive(hang, citizenId());
    const asked = await hang.contact.change({
      dossierId: d.dossierId,
      phone: '0912 345 678',
      delivery: { address: { line: '9 Trần Hưng Đạo', communeCode: commune } },
      confirmation: { kind: 'otp_old_phone' },
    });
    expect(asked).toMatchObject({ state: 'pending', sentTo: '090••••456' });
    // Asked, not done: the phone, the address and the chain are as they were.
    expect(await phoneOf(d.dossierId)).toBe(OLD_PHONE);
    expect((await deliveryOf(d.dossierId))!.line).toBe('45 Hùng Vương');
    const code = await codeSentTo(d.dossierId, OLD_PHONE);
    expect(code).toMatch(/^\d{6}$/);
    // The new phone never receives the confirmation code.
    expect((await textsOf(d.dossierId)).some((t) => t.kind === 'otp' && t.to === '0912345678')).toBe(false);

    const wrong = code === '000000' ? '111111' : '000000';
    await expect(hang.contact.confirm({ changeId: asked.changeId, otp: wrong })).rejects.toMatchObject({
      cause: { code: 'OTP_INVALID' },
    });
    // Another office cannot confirm it even with the right code.
    await expect(quang.contact.confirm({ changeId: asked.changeId, otp: code! })).rejects.toMatchObject({
      cause: { code: 'CONTACT_CHANGE_NOT_FOUND' },
    });
    expect(await phoneOf(d.dossierId)).toBe(OLD_PHONE);

    const done = await hang.contact.confirm({ changeId: asked.changeId, otp: code! });
    expect(done).toMatchObject({ state: 'applied', changed: ['phone', 'delivery_address'] });
    expect(await phoneOf(d.dossierId)).toBe('0912345678');
    expect((await deliveryOf(d.dossierId))!).toMatchObject({ line: '9 Trần Hưng Đạo', window: 'afternoon' });
    // A code confirms once.
    await expect(hang.contact.confirm({ changeId: asked.changeId, otp: code! })).rejects.toMatchObject({
      cause: { code: 'CONTACT_CHANGE_NOT_FOUND' },
    });

    const notice = (await textsOf(d.dossierId)).find((t) => t.kind === 'contact_changed');
    expect(notice).toMatchObject({ to: OLD_PHONE });
    expect(notice!.body).toContain(d.code!);
    expect(notice!.body).not.toContain('0912345678');

    // The dossier's chain records who changed it and how, with no personal data; the audit table too.
    const events = await database.db
      .select()
      .from(dossierEvents)
      .where(and(eq(dossierEvents.dossierId, d.dossierId), eq(dossierEvents.event, 'change_contact')));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ role: 'clerk', toState: 'received', fromState: 'received' });
    expect(events[0]!.payload).toEqual({
      changeId: asked.changeId,
      changed: ['phone', 'delivery_address'],
      confirmation: 'otp_old_phone',
    });
    expect(JSON.stringify(events[0]!.payload)).not.toContain('0912345678');
    expect((await verifyChain(database.db, d.dossierId)).ok).toBe(true);
    const audit = await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.target, d.dossierId), eq(auditLog.action, 'dossier.contact_changed')));
    expect(audit).toHaveLength(1);
    const [change] = await database.db
      .select()
      .from(contactChanges)
      .where(eq(contactChanges.id, asked.changeId));
    expect(change).toMatchObject({ oldPhone: OLD_PHONE, newPhone: '0912345678', state: 'applied' });

    // The citizen tracks with the new phone now, and the old one opens nothing.
    const citizen = await server.callerAs(null);
    await expect(citizen.citizen.track({ code: d.code!, phone: '0912345678' })).resolves.toBeTruthy();
    await expect(citizen.citizen.track({ code: d.code!, phone: OLD_PHONE })).rejects.toMatchObject({
      cause: { code: 'TRACK_NOT_FOUND' },
    });
  });

  it('in person: the id card must be the applicant’s; the change is applied at once and the old phone is told', async () => {
    const id = citizenId();
    const d = await receive(hang, id);
    await expect(
      hang.contact.change({
        dossierId: d.dossierId,
        phone: '0912000111',
        confirmation: { kind: 'id_card', citizenId: citizenId(), idCardChecked: true },
      }),
    ).rejects.toMatchObject({ cause: { code: 'CONTACT_ID_CARD_MISMATCH' } });
    expect(await phoneOf(d.dossierId)).toBe(OLD_PHONE);
    const [row] = await database.db
      .select({ officeId: dossiers.receivingOfficeId })
      .from(dossiers)
      .where(eq(dossiers.id, d.dossierId));
    // A supervisor of several offices acts for the dossier's office.
    const supervisor = await server.callerAs('giamsat.nguyet', { officeHint: row!.officeId });
    const done = await supervisor.contact.change({
      dossierId: d.dossierId,
      phone: '0912000111',
      confirmation: { kind: 'id_card', citizenId: id, idCardChecked: true },
    });
    expect(done).toMatchObject({ state: 'applied', changed: ['phone'] });
    expect(await phoneOf(d.dossierId)).toBe('0912000111');
    const [event] = await database.db
      .select()
      .from(dossierEvents)
      .where(and(eq(dossierEvents.dossierId, d.dossierId), eq(dossierEvents.event, 'change_contact')));
    expect(event).toMatchObject({ role: 'supervisor', payload: { confirmation: 'id_card' } });
    expect((await textsOf(d.dossierId)).find((t) => t.kind === 'contact_changed')).toMatchObject({
      to: OLD_PHONE,
    });
  });

  it('nothing to change, or an address for a result collected at the desk, is refused and changes nothing', async () => {
    const d = await receive(hang, citizenId());
    await expect(
      hang.contact.change({
        dossierId: d.dossierId,
        phone: '0905 123 456',
        confirmation: { kind: 'otp_old_phone' },
      }),
    ).rejects.toMatchObject({ cause: { code: 'CONTACT_UNCHANGED' } });
    const atDesk = await hang.intake.submit(intakeFor(lltp, commune));
    await expect(
      hang.contact.change({
        dossierId: atDesk.dossierId,
        delivery: { address: { line: '9 Trần Hưng Đạo', communeCode: commune } },
        confirmation: { kind: 'otp_old_phone' },
      }),
    ).rejects.toMatchObject({ cause: { code: 'CONTACT_DELIVERY_NOT_ASKED' } });
    const pending = await database.db
      .select()
      .from(contactChanges)
      .where(eq(contactChanges.dossierId, atDesk.dossierId));
    expect(pending).toHaveLength(0);
  });
});

describe('looking up an id number at the desk', () => {
  it('returns what the id card shows, never a phone or email of earlier dossiers, and audits the look-up', async () => {
    const id = citizenId();
    await receive(quang, id, '0987654321');
    const found = await hang.intake.lookupApplicant({ citizenId: id, procedureCode: lltp.code });
    expect(found.applicant).toMatchObject({ fullName: 'Trần Thị Mỹ Hạnh', dateOfBirth: '1995-04-12' });
    const text = JSON.stringify(found);
    expect(text).not.toContain('0987654321');
    expect(text).not.toContain('hanh.tran@example.vn');
    expect(Object.keys(found.applicant!).sort()).toEqual(['address', 'dateOfBirth', 'fullName', 'sex']);
    const audit = await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'intake.lookup_applicant'), eq(auditLog.target, id)));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ role: 'clerk', details: { procedureCode: lltp.code, found: true } });
    expect(audit[0]!.userId).toBeTruthy();
    expect(audit[0]!.officeId).toBeTruthy();
  });

  it('is limited per clerk: one account looking up many id numbers is stopped, whatever its address', async () => {
    const generous = { limit: 1000, windowMs: 60_000 };
    const limits = createLimits(createMemoryLimitStore(), {
      login: generous,
      track: generous,
      trackCode: generous,
      trackPhone: generous,
      lookup: { limit: 5, windowMs: 60_000 },
      smsPerAddress: generous,
      smsPerDay: 1000,
    });
    const outcomes: string[] = [];
    for (let i = 0; i < 7; i += 1) {
      const clerk = await server.callerAs('gdv.hang', { limits, ip: `10.9.0.${i}` });
      outcomes.push(
        await clerk.intake.lookupApplicant({ citizenId: citizenId(), procedureCode: lltp.code }).then(
          () => 'ok',
          (err: { cause?: { code?: string } }) => err.cause?.code ?? 'other',
        ),
      );
    }
    expect(outcomes).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'RATE_LIMITED', 'RATE_LIMITED']);
    // Another clerk's budget is their own.
    const other = await server.callerAs('gdv.quang', { limits });
    await expect(
      other.intake.lookupApplicant({ citizenId: citizenId(), procedureCode: lltp.code }),
    ).resolves.toBeTruthy();
  });
});
