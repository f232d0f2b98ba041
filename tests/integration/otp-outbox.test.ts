import { eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../../server/src/db/schema';
import { sendOtp } from '../../server/src/citizen/requests';
import { deliverOutbox, retryDead } from '../../server/src/integrations/outbox';
import { httpSmsSender, smsChannel } from '../../server/src/notify/sender';
import { createTestDatabase } from '../helpers/db';
import { type SmsSim, startSmsSim } from '../sim/sms-sim';

// A one-time code is needed in the outbox only until the provider has it. Before, every code ever sent stayed
// readable there (by anyone with a database dump, a backup, or the dead-letters page).

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let sim: SmsSim;
const secret = 'test-secret-of-at-least-32-characters!!';

beforeAll(async () => {
  database = await createTestDatabase();
  sim = await startSmsSim();
});
afterAll(async () => {
  await sim.close();
  await database.close();
});

const channel = () =>
  smsChannel(httpSmsSender({ url: sim.url, apiKey: sim.key, publicUrl: 'https://postdesk.example.vn' }));

const otpRows = (phone: string) =>
  database.db
    .select()
    .from(outbox)
    .where(like(outbox.idempotencyKey, 'notify.sms:otp:%'))
    .then((rows) => rows.filter((r) => (r.payload as { to: string }).to === phone));

/** These tests are about the outbox, not the text budgets. */
const unmetered = async () => undefined;

const codeIn = (text: string) => /Ma xac nhan (\d{6})/.exec(text)?.[1];

describe('one-time codes in the outbox', () => {
  it('are erased from the row once the provider has the text; the phone still gets the code', async () => {
    const phone = '0912000111';
    await sendOtp(database.db, { purpose: 'delivery_request', phone, secret, reserve: unmetered });
    const [queued] = await otpRows(phone);
    expect(codeIn((queued!.payload as { body: string }).body)).toMatch(/^\d{6}$/);

    await deliverOutbox(database.db, { channel: channel() });
    const [text] = sim.to(phone);
    const code = codeIn(text ?? '');
    expect(code).toMatch(/^\d{6}$/);

    const [row] = await otpRows(phone);
    expect(row!.state).toBe('sent');
    expect(JSON.stringify(row)).not.toContain(code);
    expect((row!.payload as { body: string }).body).toContain('Ma xac nhan ****** de');
  });

  it('are erased when the provider refuses the text for good, and a retry of it never sends anything', async () => {
    const phone = '0912000222';
    await sendOtp(database.db, { purpose: 'pickup_request', phone, secret, reserve: unmetered });
    const [queued] = await otpRows(phone);
    const code = codeIn((queued!.payload as { body: string }).body)!;
    sim.rejectNext(1);
    expect((await deliverOutbox(database.db, { channel: channel() })).dead).toBe(1);
    const [dead] = await otpRows(phone);
    expect(dead!.state).toBe('dead');
    expect(JSON.stringify(dead)).not.toContain(code);

    // A supervisor puts it back: the erased text is not sent (it would carry no code anyway).
    const before = sim.requests;
    await retryDead(database.db, { id: dead!.id });
    await deliverOutbox(database.db, { channel: channel() });
    expect(sim.requests).toBe(before);
    const [again] = await database.db.select().from(outbox).where(eq(outbox.id, dead!.id));
    expect(again!.state).toBe('dead');
    expect(again!.lastError).toContain('new one');
  });
});
