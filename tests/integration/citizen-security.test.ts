import { and, desc, eq, like, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { otpCodes, outbox } from '../../server/src/db/schema';
import { OTP_MAX_ATTEMPTS, OTP_MAX_SENDS, OTP_TTL_MS } from '../../server/src/otp/otp';
import { checkOtp } from '../../server/src/citizen/otp-check';
import { sendOtp } from '../../server/src/citizen/requests';
import { createTestServer } from '../helpers/app';
import { createTestDatabase } from '../helpers/db';
import { intakeFor } from '../helpers/intake';
import { textedCode } from '../helpers/texted-code';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: ReturnType<typeof createTestServer>;
let received: { code: string; dossierId: string };
let communeCode: string;

beforeAll(async () => {
  database = await createTestDatabase();
  server = createTestServer(database.db);
  const clerk = await server.callerAs('gdv.hang');
  const lltp = await clerk.catalog.procedure({ code: '3.000333' });
  communeCode = (await clerk.catalog.communes())[0]!.code;
  const r = await clerk.intake.submit(intakeFor(lltp, communeCode));
  received = { code: r.code!, dossierId: r.dossierId };
});
afterAll(() => database.close());

type Body = {
  result?: { data: { json: Record<string, unknown> } };
  error?: { json: { message: string; data: { appCode: string; messageEn: string; details: unknown } } };
};

const post = async (path: string, input: unknown, ip: string) => {
  const res = await server.app.request(`/trpc/${path}`, {
    method: 'POST',
    headers: { 'x-forwarded-for': ip, 'content-type': 'application/json' },
    body: JSON.stringify({ json: input }),
  });
  return { status: res.status, body: (await res.json()) as Body };
};

/** The code in the latest text message queued to `phone` for one purpose (what the phone would show). */
const latestCode = async (phone: string) => {
  const code = await textedCode(
    database.db,
    and(
      eq(outbox.topic, 'notify.sms'),
      like(outbox.idempotencyKey, 'notify.sms:otp:%'),
      eq(sql`${outbox.payload}->>'to'`, phone),
    )!,
    /\b(\d{6})\b/,
  );
  expect(code).not.toBeNull();
  return code!;
};

const secret = 'test-secret-of-at-least-32-characters!!';
/** Codes sent straight through sendOtp, outside any request's budgets (the budgets have their own tests). */
const unmetered = async () => undefined;

describe('tracking cannot be used to find out who has which dossier', () => {
  it('a wrong code and a wrong phone get byte-identical answers, on every public door', async () => {
    const [agency, day] = received.code.split(/-(?=\d{6}-)/);
    const unknownCode = `${agency}-${day!.slice(0, 6)}-9999`;
    for (const path of ['citizen.track', 'citizen.deliveryCode', 'feedback.status']) {
      const wrongPhone = await post(path, { code: received.code, phone: '0912 000 111' }, '10.7.0.1');
      const wrongCode = await post(path, { code: unknownCode, phone: '0905 123 456' }, '10.7.0.2');
      expect(wrongPhone.status).toBe(404);
      expect(wrongCode.status).toBe(wrongPhone.status);
      expect(wrongPhone.body.error!.json.data.appCode).toBe('TRACK_NOT_FOUND');
      expect(JSON.stringify(wrongCode.body)).toBe(JSON.stringify(wrongPhone.body));
    }
  });

  it('an address that keeps guessing is stopped, across tracking, codes and feedback', async () => {
    const answers = new Set<string>();
    for (let i = 0; i < 34; i++) {
      const path = ['citizen.track', 'feedback.status', 'citizen.deliveryCode'][i % 3]!;
      // Not the holder's phone: a phone tried this often is stopped for every address (its own budget).
      const r = await post(path, { code: `H57.90.01-261124-${1000 + i}`, phone: '0912345678' }, '10.7.9.9');
      answers.add(r.body.error!.json.data.appCode);
    }
    expect(answers).toEqual(new Set(['TRACK_NOT_FOUND', 'RATE_LIMITED']));
    const ok = await post('citizen.track', { code: received.code, phone: '0905123456' }, '10.7.9.10');
    expect(ok.status).toBe(200);
  });

  it('the page holds nothing the holder of the code and phone does not already know', async () => {
    // Ask for delivery so that an address is on file too; it must still not come back.
    const caller = await server.callerAs(null);
    await caller.citizen.deliveryCode({ code: received.code, phone: '0905123456' });
    await caller.citizen.requestDelivery({
      code: received.code,
      phone: '0905123456',
      otp: await latestCode('0905123456'),
      address: { line: '99 Đường Bí Mật', communeCode },
      window: 'morning',
    });
    const r = await post('citizen.track', { code: received.code, phone: '0905123456' }, '10.7.1.1');
    const text = JSON.stringify(r.body);
    for (const personal of [
      'Trần Thị Mỹ Hạnh',
      '046195001234',
      '0905123456',
      '0905 123 456',
      '12 Lê Lợi',
      '99 Đường Bí Mật',
      'hanh.tran@example.vn',
      'applicant',
      'clerkName',
    ])
      expect(text).not.toContain(personal);
    const data = r.body.result!.data.json;
    expect(data.delivery).toMatchObject({ window: 'morning' });
  });
});

describe('one-time codes', () => {
  const phone = '0987654321';

  it('five wrong tries kill the code: even the right code is refused afterwards', async () => {
    await sendOtp(database.db, { purpose: 'feedback', phone, secret, reserve: unmetered });
    const right = await latestCode(phone);
    const wrong = right === '000000' ? '111111' : '000000';
    const answers: string[] = [];
    for (let i = 0; i < OTP_MAX_ATTEMPTS; i++) {
      answers.push(
        await checkOtp(database.db, { purpose: 'feedback', phone, code: wrong, secret }).then(
          () => 'ok',
          (e: { code: string }) => e.code,
        ),
      );
    }
    expect(answers.slice(0, OTP_MAX_ATTEMPTS - 1)).toEqual(Array(OTP_MAX_ATTEMPTS - 1).fill('OTP_INVALID'));
    expect(answers.at(-1)).toBe('OTP_TOO_MANY_ATTEMPTS');
    await expect(
      checkOtp(database.db, { purpose: 'feedback', phone, code: right, secret }),
    ).rejects.toMatchObject({
      code: 'OTP_INVALID',
    });
    const [row] = await database.db
      .select({ attempts: otpCodes.attempts, usedAt: otpCodes.usedAt })
      .from(otpCodes)
      .where(eq(otpCodes.phone, phone))
      .orderBy(desc(otpCodes.createdAt))
      .limit(1);
    expect(row!.attempts).toBe(OTP_MAX_ATTEMPTS);
    expect(row!.usedAt).not.toBeNull();
  });

  it('a right code works once, and never for another purpose or dossier', async () => {
    const other = '0977000111';
    await sendOtp(database.db, {
      reserve: unmetered,
      purpose: 'delivery_request',
      phone: other,
      secret,
      dossierId: received.dossierId,
    });
    const code = await latestCode(other);
    await expect(
      checkOtp(database.db, { purpose: 'pickup_request', phone: other, code, secret }),
    ).rejects.toMatchObject({
      code: 'OTP_INVALID',
    });
    const ok = await checkOtp(database.db, {
      purpose: 'delivery_request',
      phone: other,
      code,
      secret,
      dossierId: received.dossierId,
    });
    expect(ok.dossierId).toBe(received.dossierId);
    await expect(
      checkOtp(database.db, {
        purpose: 'delivery_request',
        phone: other,
        code,
        secret,
        dossierId: received.dossierId,
      }),
    ).rejects.toMatchObject({ code: 'OTP_INVALID' });
  });

  it('a code expires after its time', async () => {
    const late = '0966000222';
    const sentAt = new Date();
    await sendOtp(database.db, {
      purpose: 'pickup_request',
      phone: late,
      secret,
      now: sentAt,
      reserve: unmetered,
    });
    const code = await latestCode(late);
    await expect(
      checkOtp(database.db, {
        purpose: 'pickup_request',
        phone: late,
        code,
        secret,
        now: new Date(sentAt.getTime() + OTP_TTL_MS + 1000),
      }),
    ).rejects.toMatchObject({ code: 'OTP_INVALID' });
  });

  it('only the latest code counts, and a phone cannot be flooded with codes', async () => {
    const flood = '0355000333';
    const caller = await server.callerAs(null);
    const lltp = await caller.catalog.procedure({ code: '3.000333' });
    const answers: string[] = [];
    const codes: string[] = [];
    for (let i = 0; i < OTP_MAX_SENDS + 2; i++) {
      answers.push(
        await caller.citizen.pickupCode({ procedureCode: lltp.code, phone: flood }).then(
          () => 'sent',
          (e: { cause?: { code: string } }) => e.cause?.code ?? 'other',
        ),
      );
      if (answers.at(-1) === 'sent') codes.push(await latestCode(flood));
    }
    expect(answers).toEqual([
      ...Array(OTP_MAX_SENDS).fill('sent'),
      'OTP_TOO_MANY_REQUESTS',
      'OTP_TOO_MANY_REQUESTS',
    ]);
    const texts = await database.db
      .select({ id: outbox.id })
      .from(outbox)
      .where(and(eq(outbox.topic, 'notify.sms'), like(outbox.idempotencyKey, 'notify.sms:otp:%')));
    expect(texts.length).toBeGreaterThanOrEqual(OTP_MAX_SENDS);
    if (codes[0] !== codes.at(-1)) {
      await expect(
        checkOtp(database.db, {
          purpose: 'pickup_request',
          phone: flood,
          code: codes[0]!,
          secret: server.env.SESSION_SECRET,
        }),
      ).rejects.toMatchObject({ code: 'OTP_INVALID' });
    }
    await expect(
      checkOtp(database.db, {
        purpose: 'pickup_request',
        phone: flood,
        code: codes.at(-1)!,
        secret: server.env.SESSION_SECRET,
      }),
    ).resolves.toMatchObject({ phone: flood });
  });

  it('a wrong code over HTTP says what to do, in both languages', async () => {
    const r = await post(
      'citizen.requestDelivery',
      {
        code: received.code,
        phone: '0905123456',
        otp: '000000',
        address: { line: '1 Lê Lợi', communeCode },
        window: 'morning',
      },
      '10.7.3.3',
    );
    // Delivery was already asked for above: the answer says so before any code is checked.
    expect(r.body.error!.json.data.appCode).toBe('DELIVERY_ALREADY_ASKED');
    expect(r.body.error!.json.message).toContain('Vui lòng');
    expect(r.body.error!.json.data.messageEn).toContain('Please');
  });
});
