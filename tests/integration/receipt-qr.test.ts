import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import jsQR from 'jsqr';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLimits, createMemoryLimitStore } from '../../server/src/auth/rate-limit';
import { receiptToken } from '../../server/src/citizen/receipt-token';
import { auditLog, dossiers, feedback, outbox, users } from '../../server/src/db/schema';
import { renderDossierForm } from '../../server/src/intake/forms';
import { createTestServer } from '../helpers/app';
import { createTestDatabase } from '../helpers/db';
import { intakeFor } from '../helpers/intake';
import { driveTo } from './citizen-helpers';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: ReturnType<typeof createTestServer>;
type Caller = Awaited<ReturnType<ReturnType<typeof createTestServer>['callerAs']>>;
let clerk: Caller;
let lltp: Awaited<ReturnType<Caller['catalog']['procedure']>>;
let commune: string;
const phone = '0905123456';

beforeAll(async () => {
  database = await createTestDatabase();
  server = createTestServer(database.db);
  clerk = await server.callerAs('gdv.hang');
  lltp = await clerk.catalog.procedure({ code: '3.000333' });
  commune = (await clerk.catalog.communes())[0]!.code;
});
afterAll(() => database.close());

const receive = async () => {
  const d = await clerk.intake.submit(intakeFor(lltp, commune));
  return { id: d.dossierId, code: d.code! };
};

/** What a phone's camera reads from the printed Mẫu 01: the PDF's QR image, decoded. */
const qrOfReceipt = async (dossierId: string) => {
  const [row] = await database.db
    .select({ officeId: dossiers.receivingOfficeId })
    .from(dossiers)
    .where(eq(dossiers.id, dossierId));
  const pdf = await renderDossierForm(database.db, {
    dossierId,
    form: 'mau01',
    officeIds: [row!.officeId],
    isAdmin: false,
    publicUrl: 'https://dichvu.example.vn',
    secret: server.env.SESSION_SECRET,
  });
  const dir = mkdtempSync(join(tmpdir(), 'postdesk-qr-'));
  try {
    writeFileSync(join(dir, 'mau01.pdf'), pdf);
    execFileSync('pdfimages', ['-png', join(dir, 'mau01.pdf'), join(dir, 'img')]);
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.png'))) {
      const { data, info } = await sharp(join(dir, file))
        .ensureAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true });
      const found = jsQR(new Uint8ClampedArray(data), info.width, info.height);
      if (found) return found.data;
    }
    throw new Error('no QR code in the receipt');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

const tokenIn = (url: string) => new URL(url).hash.replace(/^#t=/, '');

/** Each try from its own address, as a botnet would; only the per-code and per-phone limits are tight. */
const limitedCaller = (limits: { trackCode?: number; trackPhone?: number }) => {
  const generous = { limit: 1000, windowMs: 60_000 };
  const shared = createLimits(createMemoryLimitStore(), {
    login: generous,
    track: generous,
    trackCode: { limit: limits.trackCode ?? 1000, windowMs: 60_000 },
    trackPhone: { limit: limits.trackPhone ?? 1000, windowMs: 60_000 },
    lookup: generous,
    smsPerAddress: generous,
    smsPerDay: 1000,
  });
  let n = 0;
  return () => {
    n += 1;
    return server.callerAs(null, { limits: shared, ip: `198.51.${Math.floor(n / 250)}.${n % 250}` });
  };
};

const outcome = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (err: { cause?: { code?: string } }) => err.cause?.code ?? 'other',
  );

describe('the receipt’s QR code', () => {
  it('carries an unguessable token that opens the dossier without the phone', async () => {
    const d = await receive();
    const url = await qrOfReceipt(d.id);
    expect(url).toMatch(/^https:\/\/dichvu\.example\.vn\/track\?code=[^#]+#t=r1[A-Za-z0-9_-]{27}$/);
    expect(new URL(url).searchParams.get('code')).toBe(d.code);
    const citizen = await server.callerAs(null);
    const tracked = await citizen.citizen.track({ code: d.code, token: tokenIn(url) });
    expect(tracked).toMatchObject({ code: d.code, state: 'received' });
    expect(tokenIn(url)).toBe(receiptToken(server.env.SESSION_SECRET, d.id));
  });

  it('a forged token, a token under another secret, or another dossier’s token opens nothing', async () => {
    const d = await receive();
    const other = await receive();
    const citizen = await server.callerAs(null);
    const forged = [
      `r1${'A'.repeat(27)}`,
      receiptToken('another-secret-of-at-least-32-characters!!', d.id),
      receiptToken(server.env.SESSION_SECRET, other.id),
      `${receiptToken(server.env.SESSION_SECRET, d.id).slice(0, -1)}x`,
      'r1',
    ];
    for (const token of forged) {
      expect(await outcome(citizen.citizen.track({ code: d.code, token }))).toBe('TRACK_LINK_INVALID');
    }
    // A token for a code that does not exist gets the same answer: codes cannot be probed this way.
    const unknown = `${d.code.slice(0, -4)}9999`;
    expect(await outcome(citizen.citizen.track({ code: unknown, token: forged[0] }))).toBe(
      'TRACK_LINK_INVALID',
    );
  });
});

describe('guessing the phone of a tracking code', () => {
  it('stops after the per-code budget, even from many addresses; the QR path still opens it', async () => {
    const d = await receive();
    const next = limitedCaller({ trackCode: 5 });
    const tries: string[] = [];
    for (let i = 0; i < 7; i += 1) {
      const guess = `09${String(10_000_000 + i).padStart(8, '0')}`;
      tries.push(await outcome((await next()).citizen.track({ code: d.code, phone: guess })));
    }
    expect(tries).toEqual([
      'TRACK_NOT_FOUND',
      'TRACK_NOT_FOUND',
      'TRACK_NOT_FOUND',
      'TRACK_NOT_FOUND',
      'TRACK_NOT_FOUND',
      'RATE_LIMITED',
      'RATE_LIMITED',
    ]);
    // Even the right phone now gets no answer for this code (the guesser cannot tell it found the phone)…
    expect(await outcome((await next()).citizen.track({ code: d.code, phone }))).toBe('RATE_LIMITED');
    // …while the receipt's QR code still works, and other dossiers are not affected.
    const token = receiptToken(server.env.SESSION_SECRET, d.id);
    expect(await outcome((await next()).citizen.track({ code: d.code, token }))).toBe('ok');
    const other = await receive();
    expect(await outcome((await next()).citizen.track({ code: other.code, phone }))).toBe('ok');
  });

  it('stops one phone tried against many codes, from many addresses', async () => {
    const codes = [await receive(), await receive(), await receive(), await receive()].map((d) => d.code);
    const next = limitedCaller({ trackPhone: 3 });
    const tries: string[] = [];
    for (const code of codes)
      tries.push(await outcome((await next()).citizen.track({ code, phone: '0912999888' })));
    expect(tries).toEqual(['TRACK_NOT_FOUND', 'TRACK_NOT_FOUND', 'TRACK_NOT_FOUND', 'RATE_LIMITED']);
  });
});

describe('feedback needs proof of the dossier', () => {
  const delivered = async () => {
    const d = await receive();
    await driveTo(database.db, d.id, 'deliver');
    return d;
  };
  const feedbackOf = (dossierId: string) =>
    database.db.select().from(feedback).where(eq(feedback.dossierId, dossierId));

  it('a clerk of the office, knowing the code and the phone, cannot rate or complain about it', async () => {
    const d = await delivered();
    // The attack: the desk's own clerk, signed in, types the code and the phone they entered at intake.
    const rate = clerk.feedback.rate({ code: d.code, phone, satisfied: true, reasons: [] });
    expect(await outcome(rate)).toBe('FEEDBACK_PROOF_REQUIRED');
    const complain = clerk.feedback.complain({
      code: d.code,
      phone,
      reasons: [],
      text: 'Một phản ánh tự viết',
    });
    expect(await outcome(complain)).toBe('FEEDBACK_PROOF_REQUIRED');
    expect(await feedbackOf(d.id)).toHaveLength(0);
    // Code and phone still show the status (as tracking does), without the power to rate.
    expect(await clerk.feedback.status({ code: d.code, phone })).toMatchObject({
      canRate: true,
      proofHeld: false,
    });
  });

  it('with the receipt’s token: accepted once per dossier; another dossier’s token is refused', async () => {
    const d = await delivered();
    const other = await delivered();
    const citizen = await server.callerAs(null);
    const token = receiptToken(server.env.SESSION_SECRET, d.id);
    expect(
      await outcome(
        citizen.feedback.rate({
          code: d.code,
          token: receiptToken(server.env.SESSION_SECRET, other.id),
          satisfied: true,
          reasons: [],
        }),
      ),
    ).toBe('TRACK_LINK_INVALID');
    expect(await feedbackOf(d.id)).toHaveLength(0);
    expect((await citizen.feedback.status({ code: d.code, token })).proofHeld).toBe(true);
    await citizen.feedback.rate({ code: d.code, token, satisfied: true, reasons: [] });
    expect(
      await outcome(citizen.feedback.rate({ code: d.code, token, satisfied: false, reasons: ['late'] })),
    ).toBe('FEEDBACK_ALREADY_RATED');
    const rows = await feedbackOf(d.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ kind: 'rating', proof: 'receipt' });
  });

  it('without the receipt: a code sent to the dossier’s phone proves it; a wrong code does not', async () => {
    const d = await delivered();
    const citizen = await server.callerAs(null);
    const sent = await citizen.feedback.code({ code: d.code, phone });
    expect(sent.sentTo).toBe('090••••456');
    const [text] = (
      await database.db
        .select({ payload: outbox.payload })
        .from(outbox)
        .where(and(eq(outbox.dossierId, d.id), eq(outbox.topic, 'notify.sms')))
    )
      .map((r) => r.payload as { kind: string; to: string; body: string })
      .filter((p) => p.kind === 'otp');
    expect(text!.to).toBe(phone);
    const code = text!.body.match(/\b(\d{6})\b/)![1]!;
    const wrong = code === '000000' ? '111111' : '000000';
    expect(
      await outcome(
        citizen.feedback.complain({
          code: d.code,
          phone,
          otp: wrong,
          reasons: [],
          text: 'Phải đi lại nhiều lần',
        }),
      ),
    ).toBe('OTP_INVALID');
    await citizen.feedback.complain({
      code: d.code,
      phone,
      otp: code,
      reasons: ['many_trips'],
      text: 'Phải đi lại nhiều lần',
    });
    expect(await feedbackOf(d.id)).toMatchObject([{ kind: 'complaint', proof: 'otp' }]);
    // The code is spent: a second complaint needs a new one.
    expect(
      await outcome(
        citizen.feedback.complain({
          code: d.code,
          phone,
          otp: code,
          reasons: [],
          text: 'Lần thứ hai cùng mã',
        }),
      ),
    ).toBe('OTP_INVALID');
  });

  it('each print of Mẫu 01 is audited with who printed it (a print shows the token)', async () => {
    const d = await receive();
    const [row] = await database.db
      .select({ officeId: dossiers.receivingOfficeId })
      .from(dossiers)
      .where(eq(dossiers.id, d.id));
    const [hang] = await database.db
      .select({ id: users.id })
      .from(users)
      .where(eq(users.username, 'gdv.hang'));
    await renderDossierForm(database.db, {
      dossierId: d.id,
      form: 'mau01',
      officeIds: [row!.officeId],
      isAdmin: false,
      publicUrl: 'https://dichvu.example.vn',
      secret: server.env.SESSION_SECRET,
      userId: hang!.id,
    });
    const printed = await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.target, d.id), eq(auditLog.action, 'form.receipt_printed')));
    expect(printed).toHaveLength(1);
    expect(printed[0]!.userId).toBe(hang!.id);
  });
});
