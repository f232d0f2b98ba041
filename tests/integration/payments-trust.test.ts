// The payment trust findings of issues 13 (item 1) and 21 (cash then online), each performed as an attack against
// a running server: unauthenticated POSTs to /api/payments/callback, or the gateway simulator posting real
// callbacks that the gateway's own status query then confirms, denies, or does not answer.
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dossierEvents,
  dossiers,
  memberships,
  paymentNotices,
  payments,
  users,
} from '../../server/src/db/schema';
import { recordEvent } from '../../server/src/dossiers/engine';
import { gatewayTime, PROTOCOL_VERSION, sign } from '../../server/src/payments/gateway';
import { paymentPollJob } from '../../server/src/payments/online';
import type { createTestServer } from '../helpers/app';
import { createTestDatabase } from '../helpers/db';
import { startGatewayServer } from '../helpers/gateway-server';
import { intakeFor } from '../helpers/intake';
import { type PaymentGatewaySim, startPaymentGatewaySim } from '../sim/payment-gateway-sim';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: ReturnType<typeof createTestServer>;
let sim: PaymentGatewaySim;
let url: string;
let closeHttp: () => Promise<void>;

beforeAll(async () => {
  database = await createTestDatabase();
  sim = await startPaymentGatewaySim({
    secret: 'trust-gateway-secret-0123456789',
    merchantId: 'BUUDIEN-HUE',
  });
  ({ server, url, close: closeHttp } = await startGatewayServer(database.db, sim));
});
afterAll(async () => {
  await server?.jobs.close();
  await closeHttp?.();
  await sim?.close();
  await database?.close();
});

const citizenId = () => `0461950${String(Math.floor(Math.random() * 1e5)).padStart(5, '0')}`;

const receivedDossier = async () => {
  const clerk = await server.callerAs('gdv.hang');
  const lltp = await clerk.catalog.procedure({ code: '3.000333' });
  const commune = (await clerk.catalog.communes())[0]!.code;
  const base = intakeFor(lltp, commune);
  const r = await clerk.intake.submit(
    intakeFor(lltp, commune, { applicant: { ...base.applicant, citizenId: citizenId() } }),
  );
  const [row] = await database.db.select().from(dossiers).where(eq(dossiers.id, r.dossierId));
  return row!;
};

/** A fee bill made at gdv.hang's desk, and the citizen sent to the gateway. */
const onlineBill = async (amount = 200_000) => {
  const d = await receivedDossier();
  const clerk = await server.callerAs('gdv.hang');
  const bill = await clerk.payments.createBill({ dossierId: d.id, kind: 'fee', amount });
  const anon = await server.callerAs(null);
  await anon.payments.startOnline({ billCode: bill.billCode! });
  return { d, billCode: bill.billCode!, gatewayRef: sim.bills.get(bill.billCode!)!.gatewayRef };
};

/** A financial obligation the agency asked for (the dossier waits in awaiting_payment), sent to the gateway. */
const obligationBill = async (amount = 1_200_000) => {
  const d = await receivedDossier();
  const clerk = { kind: 'clerk' as const, role: 'clerk' as const, officeId: d.receivingOfficeId };
  await recordEvent(database.db, { dossierId: d.id, event: 'complete_digitization', actor: clerk });
  await recordEvent(database.db, { dossierId: d.id, event: 'forward', actor: clerk });
  await recordEvent(database.db, {
    dossierId: d.id,
    event: 'accept',
    actor: { kind: 'agency_official', role: 'agency_official', officeId: d.agencyId },
  });
  const [u] = await database.db
    .select({ username: users.username })
    .from(users)
    .innerJoin(memberships, eq(memberships.userId, users.id))
    .where(and(eq(memberships.officeId, d.agencyId), eq(memberships.role, 'agency_official')));
  const official = await server.callerAs(u!.username);
  const { billCode } = await official.payments.requestObligation({
    dossierId: d.id,
    amount,
    reason: 'Lệ phí trước bạ',
  });
  const anon = await server.callerAs(null);
  await anon.payments.startOnline({ billCode: billCode! });
  return { d, billCode: billCode!, gatewayRef: sim.bills.get(billCode!)!.gatewayRef };
};

const billRow = async (billCode: string) =>
  (await database.db.select().from(payments).where(eq(payments.billCode, billCode)))[0]!;

const stateOf = async (dossierId: string) =>
  (await database.db.select({ state: dossiers.state }).from(dossiers).where(eq(dossiers.id, dossierId)))[0]!
    .state;

const confirmations = async (dossierId: string) =>
  (
    await database.db
      .select()
      .from(dossierEvents)
      .where(eq(dossierEvents.dossierId, dossierId))
      .orderBy(asc(dossierEvents.seq))
  ).filter((e) => e.event === 'confirm_payment');

const noticesOf = async (billCode: string) => {
  const bill = await billRow(billCode);
  return database.db
    .select()
    .from(paymentNotices)
    .where(eq(paymentNotices.paymentId, bill.id))
    .orderBy(asc(paymentNotices.id));
};

const postCallback = async (body: Record<string, unknown>) => {
  const res = await fetch(`${url}/api/payments/callback`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

/** What the clerk's reconciliation page lists today as differences to resolve. */
const todaysProblems = async () => {
  const clerk = await server.callerAs('gdv.hang');
  const day = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
  return (await clerk.payments.reconciliation({ day })).mismatches;
};

/** Nothing happened to the bill: still pending, no receipt, no payment time. */
const expectUnpaid = async (billCode: string) => {
  expect(await billRow(billCode)).toMatchObject({ state: 'pending', paidAt: null });
  const receipt = await fetch(`${url}/receipts/${billCode}.pdf`);
  expect(receipt.status).toBe(409);
  const anon = await server.callerAs(null);
  expect((await anon.payments.bill({ billCode })).receiptUrl).toBeNull();
};

describe('forged "paid" notices are refused and change nothing', () => {
  it('the refusal-signature trick of issue 13: two unauthenticated POSTs no longer make a valid notice', async () => {
    const { d, billCode, gatewayRef } = await obligationBill(1_200_000);
    const paidAt = gatewayTime(new Date());
    // 1. A junk callback whose "bill code" is the rest of the notice to forge: the old server signed its refusal
    //    (SHA-256 of "97|<that text>|secret"), which was a valid checksum for the notice below.
    const tail = [PROTOCOL_VERSION, sim.merchantId, billCode, gatewayRef, '1200000', 'thanh-cong', paidAt];
    const first = await postCallback({ MaThamChieu: tail.join('|') });
    expect(first.status).toBe(403);
    expect(first.body).not.toHaveProperty('MaXacThuc');
    // 2. The forged notice, carrying whatever the refusal gave.
    const forged = await postCallback({
      LoaiBanTin: '97',
      PhienBan: PROTOCOL_VERSION,
      MaDoiTac: sim.merchantId,
      MaThamChieu: billCode,
      MaGiaoDich: gatewayRef,
      SoTien: 1_200_000,
      MaTienTe: 'VND',
      TrangThai: 'thanh-cong',
      ThoiGianThanhToan: paidAt,
      ThoiGianGD: gatewayTime(new Date()),
      MaXacThuc: first.body.MaXacThuc,
    });
    expect(forged.status).toBe(403);
    expect(forged.body).toMatchObject({ code: 'PAYMENT_CHECKSUM_INVALID' });
    expect(forged.body).not.toHaveProperty('MaXacThuc');
    await expectUnpaid(billCode);
    expect(await stateOf(d.id)).toBe('awaiting_payment');
    expect(await confirmations(d.id)).toHaveLength(0);
  });

  it('a notice with the old plain-hash checksum (SHA-256 of "|"-joined fields and the secret) is refused', async () => {
    const { billCode, gatewayRef } = await onlineBill(150_000);
    const fields = {
      LoaiBanTin: 'NOTIFY',
      PhienBan: PROTOCOL_VERSION,
      MaDoiTac: sim.merchantId,
      MaThamChieu: billCode,
      MaGiaoDich: gatewayRef,
      SoTien: 150_000,
      MaTienTe: 'VND',
      TrangThai: 'thanh-cong',
      ThoiGianThanhToan: gatewayTime(new Date()),
      ThoiGianGD: gatewayTime(new Date()),
    };
    // Even with the real secret: the old construction is not accepted any more.
    const oldScheme = createHash('sha256')
      .update([...Object.values(fields).map(String), sim.secret].join('|'))
      .digest('hex');
    const res = await postCallback({ ...fields, MaXacThuc: oldScheme });
    expect(res.status).toBe(403);
    expect(res.body).not.toHaveProperty('MaXacThuc');
    // Nor a made-up one of the right shape.
    expect((await postCallback({ ...fields, MaXacThuc: 'a'.repeat(64) })).status).toBe(403);
    await expectUnpaid(billCode);
    expect(sim.bills.get(billCode)!.captured).toBe(false);
  });

  it('a message of another type signed by the gateway, or a NOTIFY calling itself something else, is refused', async () => {
    const { billCode } = await onlineBill(70_000);
    const notify = sim.notifyMessage(billCode, { state: 'thanh-cong' });
    // The same fields signed as the gateway's status answer (GET_BILL_RESULT) are not a NOTIFY.
    const { MaXacThuc: _, ...fields } = notify;
    const asStatusAnswer = sign('GET_BILL_RESULT', { ...fields, MaLoi: '00', MaYeuCau: '' }, sim.secret);
    expect((await postCallback(asStatusAnswer)).status).toBe(403);
    // A correctly signed message whose LoaiBanTin is not NOTIFY.
    for (const type of ['GET_BILL', 'INIT', 'NOTIFY_RESULT', '97']) {
      const wrongType = await sim.notify(billCode, { state: 'thanh-cong', type });
      expect(wrongType.outcome).toBe(403);
      expect(wrongType.body).toMatchObject({ code: 'PAYMENT_CHECKSUM_INVALID' });
      expect(wrongType.answerSigned).toBe(false);
    }
    // Our own signed "00" answer to an earlier genuine payment, posted back as a callback.
    const other = await onlineBill(70_000);
    await sim.pay(other.billCode);
    const ack = sim.callbacks.findLast((c) => c.billCode === other.billCode)!.body!;
    expect(ack).toMatchObject({ MaLoi: '00' });
    expect((await postCallback({ ...ack, ...fields, MaXacThuc: ack.MaXacThuc })).status).toBe(403);
    await expectUnpaid(billCode);
  });

  it('a wrong amount or currency is refused and flagged; the bill stays unpaid', async () => {
    const { billCode } = await onlineBill(50_000);
    const queries = sim.requests.bill;
    for (const o of [
      { amount: 5_000 },
      { amount: '50000.5' },
      { amount: '050000' },
      { currency: 'USD' },
      { gatewayRef: 'GW000000000000' },
    ]) {
      const res = await sim.notify(billCode, { state: 'thanh-cong', ...o });
      expect(res.outcome).toBe(409);
      expect(res.body).toMatchObject({ code: 'PAYMENT_MISMATCH' });
      expect(res.answerSigned).toBe(false);
    }
    // Refused before the gateway is even asked.
    expect(sim.requests.bill).toBe(queries);
    await expectUnpaid(billCode);
    expect(await todaysProblems()).toContainEqual(
      expect.objectContaining({ billCode, problem: 'callback_mismatch' }),
    );
  });

  it('an unknown bill, or one never sent to the gateway, is refused', async () => {
    const unknown = sign(
      'NOTIFY',
      {
        LoaiBanTin: 'NOTIFY',
        PhienBan: PROTOCOL_VERSION,
        MaDoiTac: sim.merchantId,
        MaThamChieu: 'HD0000000000000000',
        MaGiaoDich: 'GW1',
        SoTien: 26_000,
        MaTienTe: 'VND',
        TrangThai: 'thanh-cong',
        ThoiGianThanhToan: gatewayTime(new Date()),
        ThoiGianGD: gatewayTime(new Date()),
      },
      sim.secret,
    );
    const res = await postCallback(unknown);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'PAYMENT_NOT_FOUND' });
    expect(res.body).not.toHaveProperty('MaXacThuc');

    // A real bill the citizen never took to the gateway: a correctly signed notice for it is still refused.
    const d = await receivedDossier();
    const clerk = await server.callerAs('gdv.hang');
    const { billCode } = await clerk.payments.createBill({ dossierId: d.id, kind: 'fee', amount: 26_000 });
    expect((await postCallback({ ...unknown, MaThamChieu: billCode })).status).toBe(403);
    expect(
      (await postCallback(sign('NOTIFY', { ...unknown, MaThamChieu: billCode }, sim.secret))).status,
    ).toBe(404);
    await expectUnpaid(billCode!);
  });

  it('an oversized callback body is refused before it is parsed', async () => {
    const { billCode } = await onlineBill(33_000);
    const huge = JSON.stringify({
      ...sim.notifyMessage(billCode, { state: 'thanh-cong' }),
      pad: 'x'.repeat(40_000),
    });
    // Its own connection: the server answers early and closes it rather than read the rest.
    const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        `${url}/api/payments/callback`,
        { method: 'POST', agent: false, headers: { 'content-type': 'application/json' } },
        (r) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => resolve({ status: r.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        },
      );
      req.on('error', reject);
      req.end(huge);
    });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ code: 'VALIDATION_FAILED' });
    await expectUnpaid(billCode);
  });

  it('a stale or future-dated notice (outside the 5-minute window) is refused, even if genuine', async () => {
    const { billCode } = await onlineBill(90_000);
    const old = await sim.notify(billCode, {
      state: 'thanh-cong',
      sentAt: new Date(Date.now() - 10 * 60_000),
    });
    expect(old.outcome).toBe(403);
    expect(old.body).toMatchObject({ code: 'PAYMENT_CALLBACK_STALE' });
    const future = await sim.notify(billCode, {
      state: 'thanh-cong',
      sentAt: new Date(Date.now() + 10 * 60_000),
    });
    expect(future.outcome).toBe(403);
    expect(old.answerSigned || future.answerSigned).toBe(false);
    await expectUnpaid(billCode);
    // The citizen really pays: the fresh notice goes through.
    await sim.pay(billCode);
    expect(sim.callbacks.findLast((c) => c.billCode === billCode)).toMatchObject({
      outcome: 200,
      answerSigned: true,
    });
    expect((await billRow(billCode)).state).toBe('paid');
  });
});

describe('no bill is paid until the gateway itself confirms it', () => {
  it('an authentic "paid" notice the status query denies (the gateway says unpaid) pays nothing and is flagged', async () => {
    const { d, billCode } = await obligationBill(300_000);
    // The notice is correctly signed (a leaked key, a gateway bug): the citizen has not paid.
    const res = await sim.notify(billCode, { state: 'thanh-cong', paidAt: new Date() });
    expect(res.outcome).toBe(409);
    expect(res.body).toMatchObject({ MaLoi: '04', code: 'PAYMENT_NOT_CONFIRMED' });
    expect(res.answerSigned).toBe(false);
    await expectUnpaid(billCode);
    expect(await stateOf(d.id)).toBe('awaiting_payment');
    expect(await confirmations(d.id)).toHaveLength(0);
    expect(await noticesOf(billCode)).toEqual([
      expect.objectContaining({ source: 'callback', outcome: 'not_confirmed', gatewayState: 'thanh-cong' }),
    ]);
    expect(await todaysProblems()).toContainEqual(
      expect.objectContaining({ billCode, problem: 'callback_not_confirmed', amount: 300_000 }),
    );
  });

  it('a status answer that lies about the amount, currency or transaction, or is an old answer replayed, confirms nothing', async () => {
    const { billCode } = await onlineBill(120_000);
    // One notice, delivered again and again (the same data each time).
    const paidAt = new Date();
    for (const lie of [
      { state: 'thanh-cong' as const, amount: 12_000 },
      { state: 'thanh-cong' as const, currency: 'USD' },
      { state: 'thanh-cong' as const, gatewayRef: 'GWSOMEONEELSE' },
    ]) {
      sim.statusOverride(billCode, lie);
      const res = await sim.notify(billCode, { state: 'thanh-cong', paidAt });
      expect(res.body).toMatchObject({ code: 'PAYMENT_NOT_CONFIRMED' });
    }
    sim.statusOverride(billCode, null);
    // A "paid" status answer for another bill, answered again to our query (its nonce is not ours).
    const other = await onlineBill(120_000);
    sim.callbackMode('none');
    await sim.pay(other.billCode);
    sim.callbackMode('once');
    const anon = await server.callerAs(null);
    await anon.payments.bill({ billCode: other.billCode, refresh: true });
    expect((await billRow(other.billCode)).state).toBe('paid');
    sim.replayStatusNext(1);
    const res = await sim.notify(billCode, { state: 'thanh-cong', paidAt });
    expect(res.outcome).toBe(503);
    expect(res.body).toMatchObject({ code: 'PAYMENT_GATEWAY_FAILED' });
    await expectUnpaid(billCode);
  });

  it('the status query times out: the bill stays unpaid and flagged, the gateway is asked to retry, the poll settles it later', async () => {
    const { d, billCode } = await obligationBill(450_000);
    sim.holdNext('bill', 1);
    await sim.pay(billCode);
    const attempt = sim.callbacks.findLast((c) => c.billCode === billCode)!;
    expect(attempt.outcome).toBe(503);
    expect(attempt.body).toMatchObject({ MaLoi: '99', code: 'PAYMENT_GATEWAY_FAILED' });
    expect(attempt.answerSigned).toBe(false);
    await expectUnpaid(billCode);
    expect(await stateOf(d.id)).toBe('awaiting_payment');
    expect(sim.bills.get(billCode)!.captured).toBe(false);
    expect(await todaysProblems()).toContainEqual(
      expect.objectContaining({ billCode, problem: 'callback_unverified' }),
    );

    // Later the poll asks again and the gateway answers: paid, confirmed once, the flag is gone.
    const job = paymentPollJob({ db: database.db, env: server.env });
    await job.handler({ paymentId: (await billRow(billCode)).id, attempt: 99 });
    expect(await billRow(billCode)).toMatchObject({ state: 'paid', method: 'online' });
    expect(await stateOf(d.id)).toBe('in_review');
    expect(await confirmations(d.id)).toHaveLength(1);
    const problems = await todaysProblems();
    expect(problems.filter((p) => p.billCode === billCode)).toEqual([]);
  });

  it('a confirmed callback delivered twice (and again later) is one payment, one confirmation, one receipt', async () => {
    const { d, billCode } = await obligationBill(800_000);
    sim.callbackMode('twice');
    try {
      await sim.pay(billCode);
    } finally {
      sim.callbackMode('once');
    }
    const attempts = sim.callbacks.filter((c) => c.billCode === billCode);
    expect(attempts.map((a) => [a.outcome, a.answerSigned])).toEqual([
      [200, true],
      [200, true],
    ]);
    expect(await confirmations(d.id)).toHaveLength(1);
    const first = await fetch(`${url}/receipts/${billCode}.pdf`);
    expect(first.status).toBe(200);
    const receipt = Buffer.from(await first.arrayBuffer());
    const late = await sim.notify(billCode);
    expect(late).toMatchObject({ outcome: 200, answerSigned: true });
    expect(await confirmations(d.id)).toHaveLength(1);
    const again = Buffer.from(await (await fetch(`${url}/receipts/${billCode}.pdf`)).arrayBuffer());
    expect(again.equals(receipt)).toBe(true);
    expect(
      await database.db
        .select()
        .from(payments)
        .where(and(eq(payments.dossierId, d.id), eq(payments.kind, 'fee'))),
    ).toHaveLength(1);
  });

  it('the same transaction reported paid again with other data is refused and flagged', async () => {
    const { billCode } = await onlineBill(65_000);
    await sim.pay(billCode);
    expect((await billRow(billCode)).state).toBe('paid');
    const res = await sim.notify(billCode, { paidAt: new Date(Date.now() - 3_600_000) });
    expect(res.outcome).toBe(409);
    expect(res.answerSigned).toBe(false);
    expect(await todaysProblems()).toContainEqual(
      expect.objectContaining({ billCode, problem: 'callback_replayed' }),
    );
  });
});

describe('a bill is never paid twice (issue 21)', () => {
  it('cash then online: the gateway is told the bill is already paid (03), does not capture, and it is flagged', async () => {
    const { d, billCode } = await obligationBill(500_000);
    // The citizen has the gateway page open; meanwhile they pay cash at the desk.
    const clerk = await server.callerAs('gdv.hang');
    expect(await clerk.payments.recordCash({ billCode })).toMatchObject({ state: 'paid', method: 'cash' });
    await sim.pay(billCode);
    const attempt = sim.callbacks.findLast((c) => c.billCode === billCode)!;
    expect(attempt.outcome).toBe(409);
    expect(attempt.body).toMatchObject({ MaLoi: '03', code: 'PAYMENT_ALREADY_PAID' });
    expect(attempt.answerSigned).toBe(false);
    expect(sim.bills.get(billCode)).toMatchObject({ captured: false, voided: true });
    expect(await billRow(billCode)).toMatchObject({ state: 'paid', method: 'cash' });
    expect(await confirmations(d.id)).toHaveLength(1);
    expect(await todaysProblems()).toContainEqual(
      expect.objectContaining({ billCode, problem: 'second_payment_refused' }),
    );
  });

  it('cash then online with the callback lost: the capture the gateway made is an overpayment to refund', async () => {
    const { billCode } = await onlineBill(40_000);
    const clerk = await server.callerAs('gdv.hang');
    await clerk.payments.recordCash({ billCode });
    sim.callbackMode('none');
    await sim.pay(billCode);
    sim.callbackMode('once');
    // The per-bill poll finds the gateway holding money for a bill paid at the desk.
    const job = paymentPollJob({ db: database.db, env: server.env });
    await job.handler({ paymentId: (await billRow(billCode)).id, attempt: 99 });
    await job.handler({ paymentId: (await billRow(billCode)).id, attempt: 99 });
    expect((await noticesOf(billCode)).filter((n) => n.outcome === 'overpaid').map((n) => n.amount)).toEqual([
      '40000',
    ]);
    expect(await billRow(billCode)).toMatchObject({ state: 'paid', method: 'cash' });
    const problems = (await todaysProblems()).filter((p) => p.billCode === billCode);
    expect(problems).toEqual([
      expect.objectContaining({ problem: 'overpaid_refund_due', gatewayState: 'thanh-cong', amount: 40_000 }),
    ]);
  });

  it('cash and online at the same moment: exactly one payment is kept, the other refused', async () => {
    const { d, billCode } = await obligationBill(250_000);
    const clerk = await server.callerAs('gdv.hang');
    const [cash] = await Promise.allSettled([clerk.payments.recordCash({ billCode }), sim.pay(billCode)]);
    const callback = sim.callbacks.findLast((c) => c.billCode === billCode)!;
    const row = await billRow(billCode);
    if (cash.status === 'fulfilled') {
      expect(row.method).toBe('cash');
      expect(callback.body).toMatchObject({ MaLoi: '03' });
      expect(sim.bills.get(billCode)!.captured).toBe(false);
    } else {
      expect(cash.reason).toMatchObject({ cause: { code: 'PAYMENT_ALREADY_PAID' } });
      expect(row.method).toBe('online');
      expect(callback).toMatchObject({ outcome: 200, answerSigned: true });
    }
    expect(row.state).toBe('paid');
    expect(await confirmations(d.id)).toHaveLength(1);
  });

  it('online then cash: the clerk recording cash on the paid bill gets a clear error and nothing changes', async () => {
    const { billCode } = await onlineBill(35_000);
    await sim.pay(billCode);
    const paid = await billRow(billCode);
    expect(paid).toMatchObject({ state: 'paid', method: 'online' });
    const clerk = await server.callerAs('gdv.hang');
    for (const method of ['cash', 'vietqr'] as const) {
      await expect(
        clerk.payments.recordCash({ billCode, method, reference: 'FT26342001' }),
      ).rejects.toMatchObject({
        cause: { code: 'PAYMENT_ALREADY_PAID' },
      });
    }
    expect(await billRow(billCode)).toEqual(paid);
  });
});
