import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devMailbox, dossiers, outbox } from '../../server/src/db/schema';
import { deliverOutbox } from '../../server/src/integrations/outbox';
import { queueSms } from '../../server/src/notify/notify';
import { createSmsSender, devMailboxSender, httpSmsSender, smsChannel } from '../../server/src/notify/sender';
import { queueNotificationsFor } from '../../server/src/notify/triggers';
import { createTestServer } from '../helpers/app';
import { createTestDatabase } from '../helpers/db';
import { intakeFor } from '../helpers/intake';
import { startSmsSim, type SmsSim } from '../sim/sms-sim';
import { driveTo } from './citizen-helpers';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: ReturnType<typeof createTestServer>;
let sim: SmsSim;
let dossier: { id: string; code: string };

const smsOf = (dossierId: string) =>
  database.db
    .select()
    .from(outbox)
    .where(and(eq(outbox.topic, 'notify.sms'), eq(outbox.dossierId, dossierId)))
    .orderBy(asc(outbox.id));

beforeAll(async () => {
  database = await createTestDatabase();
  server = createTestServer(database.db);
  sim = await startSmsSim();
  const clerk = await server.callerAs('gdv.hang');
  const lltp = await clerk.catalog.procedure({ code: '3.000333' });
  const commune = (await clerk.catalog.communes())[0]!.code;
  const r = await clerk.intake.submit(intakeFor(lltp, commune, { returnMethod: 'desk' }));
  dossier = { id: r.dossierId, code: r.code! };
});
afterAll(async () => {
  await sim.close();
  await database.close();
});

describe('the citizen hears of each step once, through the outbox', () => {
  it('received, result ready and delivered: one text each, with the code and nothing personal', async () => {
    await driveTo(database.db, dossier.id, 'deliver');
    const rows = await smsOf(dossier.id);
    expect(rows.map((r) => (r.payload as { kind: string }).kind)).toEqual([
      'received',
      'result_ready',
      // "On the way" comes with the hand-over code from the courier dispatch, not from the bare event.
      'delivered',
    ]);
    for (const row of rows) {
      const p = row.payload as { to: string; body: string };
      expect(p.to).toBe('0905123456');
      expect(p.body).toContain(dossier.code);
      for (const personal of ['Hạnh', 'Tran', '0905123456', '046195001234', 'Lê Lợi'])
        expect(p.body).not.toContain(personal);
    }
  });

  it('a repeated trigger for the same event queues nothing more', async () => {
    const [row] = await database.db.select().from(dossiers).where(eq(dossiers.id, dossier.id));
    await queueNotificationsFor(database.db, row!, 'deliver');
    await queueNotificationsFor(database.db, row!, 'receive');
    expect(await smsOf(dossier.id)).toHaveLength(3);
  });

  it('a supplement asked twice is texted twice (each request is news)', async () => {
    const clerk = await server.callerAs('gdv.hang');
    const lltp = await clerk.catalog.procedure({ code: '3.000333' });
    const commune = (await clerk.catalog.communes())[0]!.code;
    const r = await clerk.intake.submit(intakeFor(lltp, commune));
    const { recordEvent } = await import('../../server/src/dossiers/engine');
    const clerkActor = { kind: 'clerk' as const, role: 'clerk' as const };
    const agency = { kind: 'agency_official' as const, role: 'agency_official' as const };
    await recordEvent(database.db, {
      dossierId: r.dossierId,
      event: 'complete_digitization',
      actor: clerkActor,
    });
    await recordEvent(database.db, { dossierId: r.dossierId, event: 'forward', actor: clerkActor });
    for (let i = 0; i < 2; i++) {
      await recordEvent(database.db, {
        dossierId: r.dossierId,
        event: 'request_supplement',
        actor: agency,
        payload: { missing: [{ item: 'x' }] },
      });
      await recordEvent(database.db, {
        dossierId: r.dossierId,
        event: 'complete_supplement',
        actor: clerkActor,
      });
    }
    const kinds = (await smsOf(r.dossierId)).map((x) => (x.payload as { kind: string }).kind);
    expect(kinds).toEqual(['received', 'supplement_needed', 'supplement_needed']);
  });
});

describe('senders', () => {
  it('the development sender writes the mailbox, with the public address filled in', async () => {
    const report = await deliverOutbox(database.db, {
      channel: smsChannel(devMailboxSender({ publicUrl: 'https://postdesk.example.vn/' })),
    });
    expect(report.sent).toBeGreaterThanOrEqual(4);
    const mail = await database.db.select().from(devMailbox).where(eq(devMailbox.dossierId, dossier.id));
    expect(mail).toHaveLength(3);
    expect(mail.map((m) => m.body).join('\n')).toContain('https://postdesk.example.vn/track');
    expect(mail.map((m) => m.body).join('\n')).not.toContain('{web}');
  });

  it('staff read the mailbox; citizens cannot; production refuses it', async () => {
    const clerk = await server.callerAs('gdv.hang');
    const list = await clerk.notify.mailbox({ phone: '0905 123 456' });
    expect(list.length).toBeGreaterThanOrEqual(4);
    expect(list.every((m) => m.recipient === '0905123456')).toBe(true);
    const anonymous = await server.callerAs(null);
    await expect(anonymous.notify.mailbox({})).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    const prod = await server.callerAs('gdv.hang', { config: { ...server.env, NODE_ENV: 'production' } });
    await expect(prod.notify.mailbox({})).rejects.toMatchObject({ cause: { code: 'MAILBOX_DISABLED' } });
  });

  it('production refuses the development sender', () => {
    expect(() => createSmsSender({ NODE_ENV: 'production', PUBLIC_URL: 'https://x.vn' })).toThrow(
      /SMS_PROVIDER_URL/,
    );
    expect(createSmsSender({ NODE_ENV: 'development', PUBLIC_URL: 'https://x.vn' }).name).toBe('dev-mailbox');
    expect(
      createSmsSender({
        NODE_ENV: 'production',
        PUBLIC_URL: 'https://x.vn',
        SMS_PROVIDER_URL: sim.url,
        SMS_PROVIDER_KEY: sim.key,
      }).name,
    ).toBe('http');
  });

  it('the HTTP sender retries a busy provider, sends each text once, and gives up on a refused number', async () => {
    const phone = '0977123123';
    for (const key of ['a', 'b', 'c']) {
      await queueSms(database.db, {
        kind: 'otp',
        phone,
        body: `PostDesk: Ma xac nhan ${key}. {web}/track`,
        secret: key,
        key: `sim-${key}`,
      });
    }
    const channel = smsChannel(
      httpSmsSender({ url: sim.url, apiKey: sim.key, publicUrl: 'https://pd.example.vn' }),
    );
    const policy = { maxAttempts: 2, baseBackoffMs: 1, maxBackoffMs: 1 };
    let clock = Date.now();
    const now = () => new Date(clock);
    sim.failNext(1);
    const first = await deliverOutbox(database.db, { channel, policy, now });
    expect(first.retrying + first.sent).toBeGreaterThan(0);
    clock += 60_000;
    await deliverOutbox(database.db, { channel, policy, now });
    expect(sim.to(phone)).toHaveLength(3);
    expect(sim.to(phone)[0]).toContain('https://pd.example.vn/track');
    // The same message again (a lost acknowledgement): the provider says "already accepted", we count it sent.
    await database.db
      .update(outbox)
      .set({ state: 'pending' })
      .where(eq(outbox.idempotencyKey, 'notify.sms:sim-a'));
    clock += 60_000;
    await deliverOutbox(database.db, { channel, policy, now });
    expect(sim.to(phone)).toHaveLength(3);
    // A refused number never works: dead letter after one try, the error without the phone.
    await queueSms(database.db, {
      kind: 'otp',
      phone: '0911000999',
      body: 'x',
      secret: 'x',
      key: 'sim-refused',
    });
    sim.rejectNext(1);
    clock += 60_000;
    const refused = await deliverOutbox(database.db, { channel, policy, now });
    expect(refused.dead).toBe(1);
    const [dead] = await database.db
      .select()
      .from(outbox)
      .where(eq(outbox.idempotencyKey, 'notify.sms:sim-refused'));
    expect(dead!.state).toBe('dead');
    expect(dead!.lastError).toContain('400');
    expect(dead!.lastError).not.toContain('0911000999');
  });

  it('Zalo first, SMS when the number has no Zalo; a Zalo outage is retried, not spilled onto SMS', async () => {
    const zaloSim = await startSmsSim();
    try {
      const sender = createSmsSender({
        NODE_ENV: 'production',
        PUBLIC_URL: 'https://pd.example.vn',
        SMS_PROVIDER_URL: sim.url,
        SMS_PROVIDER_KEY: sim.key,
        ZALO_PROVIDER_URL: zaloSim.url,
        ZALO_PROVIDER_KEY: zaloSim.key,
      });
      expect(sender.name).toBe('zalo-then-sms');
      const channel = smsChannel(sender);
      const policy = { maxAttempts: 3, baseBackoffMs: 1, maxBackoffMs: 1 };
      let clock = Date.now() + 10 * 60_000;
      const now = () => new Date(clock);
      const onZalo = '0911000101';
      const noZalo = '0911000102';
      await queueSms(database.db, {
        kind: 'otp',
        phone: onZalo,
        body: 'PostDesk: Ma 111111',
        secret: '111111',
        key: 'zalo-a',
      });
      await deliverOutbox(database.db, { channel, policy, now });
      expect(zaloSim.to(onZalo)).toEqual(['PostDesk: Ma 111111']);
      expect(zaloSim.received.at(-1)!.channel).toBe('zalo');
      expect(sim.to(onZalo)).toEqual([]);

      // The Zalo provider refuses the number (no Zalo account): the same text goes by SMS.
      await queueSms(database.db, {
        kind: 'otp',
        phone: noZalo,
        body: 'PostDesk: Ma 222222',
        secret: '222222',
        key: 'zalo-b',
      });
      zaloSim.rejectNext(1);
      clock += 60_000;
      await deliverOutbox(database.db, { channel, policy, now });
      expect(zaloSim.to(noZalo)).toEqual([]);
      expect(sim.to(noZalo)).toEqual(['PostDesk: Ma 222222']);

      // Zalo down: retried later on Zalo, nothing sent by SMS meanwhile.
      await queueSms(database.db, {
        kind: 'otp',
        phone: onZalo,
        body: 'PostDesk: Ma 333333',
        secret: '333333',
        key: 'zalo-c',
      });
      zaloSim.failNext(1);
      clock += 60_000;
      const down = await deliverOutbox(database.db, { channel, policy, now });
      expect(down.retrying).toBe(1);
      expect(sim.to(onZalo)).toEqual([]);
      clock += 60_000;
      await deliverOutbox(database.db, { channel, policy, now });
      expect(zaloSim.to(onZalo)).toEqual(['PostDesk: Ma 111111', 'PostDesk: Ma 333333']);
    } finally {
      await zaloSim.close();
    }
  });
});
