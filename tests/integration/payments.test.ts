import { createHmac, randomBytes } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import { QRPay } from 'vietnam-qr-pay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agencyTrustRoots } from '../../server/src/agency/actions';
import {
  auditLog,
  courierTasks,
  dossierEvents,
  dossiers,
  memberships,
  offices,
  payments,
  users,
} from '../../server/src/db/schema';
import { recordEvent } from '../../server/src/dossiers/engine';
import { parseEnv } from '../../server/src/env';
import { createBullmqRunner, type JobRunner } from '../../server/src/jobs/queue';
import { createLogger } from '../../server/src/logger';
import {
  checksum,
  createGatewayClient,
  gatewayConfig,
  gatewayTime,
  MESSAGE_FIELDS,
  PROTOCOL_VERSION,
  sign,
  verifyChecksum,
} from '../../server/src/payments/gateway';
import { paymentPollJob, pollPendingBills } from '../../server/src/payments/online';
import { vietQrAccount } from '../../server/src/payments/vietqr';
import { verifyPdf } from '../../server/src/signing/verify';
import { createTestServer } from '../helpers/app';
import { createTestDatabase } from '../helpers/db';
import { startGatewayServer } from '../helpers/gateway-server';
import { intakeFor } from '../helpers/intake';
import { inspectPdf } from '../helpers/pdf';
import { type PaymentGatewaySim, startPaymentGatewaySim } from '../sim/payment-gateway-sim';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: ReturnType<typeof createTestServer>;
let sim: PaymentGatewaySim;
let url: string;
let closeHttp: () => Promise<void>;

beforeAll(async () => {
  database = await createTestDatabase();
  sim = await startPaymentGatewaySim({ secret: 'test-gateway-secret-0123456789', merchantId: 'BUUDIEN-HUE' });
  ({ server, url, close: closeHttp } = await startGatewayServer(database.db, sim));
});
afterAll(async () => {
  await server?.jobs.close();
  await closeHttp?.();
  await sim?.close();
  await database?.close();
});

/** A unique citizen id with a valid structure (Huế 046, female born 1995). */
const citizenId = () => `0461950${String(Math.floor(Math.random() * 1e5)).padStart(5, '0')}`;

/** A dossier received at the desk by `clerk` (gdv.hang: Bưu điện H57.90.01). */
const receivedDossier = async (clerkName = 'gdv.hang') => {
  const clerk = await server.callerAs(clerkName);
  const lltp = await clerk.catalog.procedure({ code: '3.000333' });
  const commune = (await clerk.catalog.communes())[0]!.code;
  const base = intakeFor(lltp, commune);
  const r = await clerk.intake.submit(
    intakeFor(lltp, commune, { applicant: { ...base.applicant, citizenId: citizenId() } }),
  );
  const [row] = await database.db.select().from(dossiers).where(eq(dossiers.id, r.dossierId));
  return row!;
};

const officialOf = async (agencyId: string) => {
  const [u] = await database.db
    .select({ username: users.username })
    .from(users)
    .innerJoin(memberships, eq(memberships.userId, users.id))
    .where(and(eq(memberships.officeId, agencyId), eq(memberships.role, 'agency_official')));
  return u!.username;
};

/** Received, digitized, forwarded and accepted: the agency is appraising it. */
const inReviewDossier = async () => {
  const d = await receivedDossier();
  const clerk = { kind: 'clerk' as const, role: 'clerk' as const, officeId: d.receivingOfficeId };
  await recordEvent(database.db, { dossierId: d.id, event: 'complete_digitization', actor: clerk });
  await recordEvent(database.db, { dossierId: d.id, event: 'forward', actor: clerk });
  await recordEvent(database.db, {
    dossierId: d.id,
    event: 'accept',
    actor: { kind: 'agency_official', role: 'agency_official', officeId: d.agencyId },
  });
  return { ...d, official: await officialOf(d.agencyId) };
};

const billRow = async (billCode: string) =>
  (await database.db.select().from(payments).where(eq(payments.billCode, billCode)))[0]!;

const eventsOf = async (dossierId: string) =>
  database.db
    .select()
    .from(dossierEvents)
    .where(eq(dossierEvents.dossierId, dossierId))
    .orderBy(asc(dossierEvents.seq));

const stateOf = async (dossierId: string) =>
  (await database.db.select({ state: dossiers.state }).from(dossiers).where(eq(dossiers.id, dossierId)))[0]!
    .state;

/** A fee bill made at the desk, and the citizen sent to the gateway. */
const onlineBill = async (amount = 200_000) => {
  const d = await receivedDossier();
  const clerk = await server.callerAs('gdv.hang');
  const bill = await clerk.payments.createBill({ dossierId: d.id, kind: 'fee', amount });
  const anon = await server.callerAs(null);
  const { payUrl } = await anon.payments.startOnline({ billCode: bill.billCode! });
  return { d, billCode: bill.billCode!, payUrl };
};

const postCallback = async (body: Record<string, unknown>) => {
  const res = await fetch(`${url}/api/payments/callback`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

/** The financial-obligation bills of a dossier (the fee billed at intake is not one). */
const obligationBills = (dossierId: string) =>
  database.db
    .select()
    .from(payments)
    .where(and(eq(payments.dossierId, dossierId), eq(payments.kind, 'financial_obligation')));

describe('the checksum', () => {
  const message = {
    LoaiBanTin: 'NOTIFY',
    PhienBan: PROTOCOL_VERSION,
    MaDoiTac: 'BUUDIEN-HUE',
    MaThamChieu: 'HD0000000000000000',
    MaGiaoDich: 'GW1',
    SoTien: 26000,
    MaTienTe: 'VND',
    TrangThai: 'thanh-cong',
    ThoiGianThanhToan: '20261123093000',
    ThoiGianGD: '20261123093001',
  };

  it('is an HMAC-SHA256 over the message type and its fields; any changed field, type or secret breaks it', () => {
    const expected = createHmac('sha256', 's3cret')
      .update(JSON.stringify(['NOTIFY', ...MESSAGE_FIELDS.NOTIFY.map((f) => String(message[f]))]))
      .digest('hex');
    expect(checksum('NOTIFY', message, 's3cret')).toBe(expected);
    const signed = sign('NOTIFY', message, 's3cret');
    expect(verifyChecksum('NOTIFY', signed, 's3cret')).toBe(true);
    expect(verifyChecksum('NOTIFY', { ...signed, MaXacThuc: signed.MaXacThuc.toUpperCase() }, 's3cret')).toBe(
      true,
    );
    expect(verifyChecksum('NOTIFY', { ...signed, SoTien: 2600 }, 's3cret')).toBe(false);
    expect(verifyChecksum('NOTIFY', signed, 'other-secret')).toBe(false);
    expect(verifyChecksum('NOTIFY', { ...signed, MaXacThuc: undefined }, 's3cret')).toBe(false);
    expect(verifyChecksum('NOTIFY', { ...signed, MaXacThuc: signed.MaXacThuc.slice(0, 63) }, 's3cret')).toBe(
      false,
    );
    // The same fields under another message type do not verify: an answer is never a request.
    expect(verifyChecksum('GET_BILL_RESULT', signed, 's3cret')).toBe(false);
  });

  it('one field cannot spill into the next ("|" inside a value changes the MAC)', () => {
    const a = { ...message, MaDoiTac: 'A|B', MaThamChieu: 'C' };
    const b = { ...message, MaDoiTac: 'A', MaThamChieu: 'B|C' };
    expect(checksum('NOTIFY', a, 's3cret')).not.toBe(checksum('NOTIFY', b, 's3cret'));
  });
});

describe('paying online through the gateway', () => {
  it('bill → payment URL → the citizen pays → callback marks it paid → receipt PDF', async () => {
    const { billCode, payUrl } = await onlineBill(26_000);
    expect(billCode).toMatch(/^HD[0-9A-Z]{16}$/);
    expect(payUrl.startsWith(`${sim.url}/pay/`)).toBe(true);
    const anon = await server.callerAs(null);
    // Asking again does not register a second transaction at the gateway.
    const inits = sim.requests.init;
    expect((await anon.payments.startOnline({ billCode })).payUrl).toBe(payUrl);
    expect(sim.requests.init).toBe(inits);

    const before = await anon.payments.bill({ billCode });
    expect(before).toMatchObject({
      state: 'pending',
      amount: 26_000,
      onlineAvailable: true,
      receiptUrl: null,
    });
    expect(before.amountInWords).toBe('Hai mươi sáu nghìn đồng');

    const queries = sim.requests.bill;
    await sim.pay(billCode);
    expect(sim.callbacks.at(-1)).toMatchObject({ billCode, outcome: 200, answerSigned: true });
    expect(sim.callbacks.at(-1)!.body).toMatchObject({ MaLoi: '00' });
    // Marked paid only after the gateway's own status query said so; the gateway then took the money.
    expect(sim.requests.bill).toBe(queries + 1);
    expect(sim.bills.get(billCode)).toMatchObject({ captured: true, voided: false });
    const after = await anon.payments.bill({ billCode });
    expect(after).toMatchObject({ state: 'paid', method: 'online', receiptUrl: `/receipts/${billCode}.pdf` });
    expect(after.vietQr).toBeNull();
    expect((await billRow(billCode)).gatewayRef).toBe(sim.bills.get(billCode)!.gatewayRef);

    const res = await fetch(`${url}/receipts/${billCode}.pdf`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const receipt = new Uint8Array(await res.arrayBuffer());
    const pdf = inspectPdf(receipt);
    expect(pdf.qpdfOk).toBe(true);
    expect(pdf.pages).toBe(1);
    expect(pdf.flat).toMatch(/BIÊN LAI THU (TIỀN|PHÍ, LỆ PHÍ)/);
    expect(pdf.flat).toContain('26.000 đồng');
    expect(pdf.flat).toContain('Hai mươi sáu nghìn đồng');
    expect(pdf.flat).toContain(billCode);
    expect(pdf.flat).toContain('Trực tuyến qua cổng thanh toán');
    // Signed by the post office's key (the server's unit key), intact and trusted.
    const verified = await verifyPdf(receipt, {
      trustRoots: await agencyTrustRoots({ signer: server.signer }),
    });
    expect(verified.signatures).toHaveLength(1);
    expect(verified.signatures[0]).toMatchObject({
      signatureValid: true,
      integrity: { byteRangeCoversWholeFileExceptContents: true, digestMatches: true },
      chain: { trusted: true },
    });
    // The same receipt, byte for byte, on every download.
    const again = new Uint8Array(await (await fetch(`${url}/receipts/${billCode}.pdf`)).arrayBuffer());
    expect(Buffer.from(again).equals(Buffer.from(receipt))).toBe(true);
    // A paid bill cannot be sent to the gateway again.
    await expect(anon.payments.startOnline({ billCode })).rejects.toMatchObject({
      cause: { code: 'PAYMENT_ALREADY_PAID' },
    });
  });

  it('back from the gateway without paying: the page offers to pay again rather than wait', async () => {
    const { billCode } = await onlineBill();
    const anon = await server.callerAs(null);
    const seen = await anon.payments.bill({ billCode, refresh: true });
    expect(seen).toMatchObject({ state: 'pending', awaitingGateway: false, onlineAvailable: true });
  });

  it('shows the citizen nothing personal: no name, phone or id number', async () => {
    const { billCode, d } = await onlineBill();
    const anon = await server.callerAs(null);
    const seen = JSON.stringify(await anon.payments.bill({ billCode }));
    expect(seen).toContain(d.code!);
    expect(seen).not.toContain('Trần Thị Mỹ Hạnh');
    expect(seen).not.toMatch(/0905\s?123\s?456/);
    expect(seen).not.toContain('046195');
    expect(seen).not.toContain('Lê Lợi');
  });

  it('refuses a callback with a bad checksum or another merchant, and changes nothing', async () => {
    const { billCode } = await onlineBill();
    const bad = await sim.notify(billCode, { secret: 'not-the-secret-at-all', state: 'thanh-cong' });
    expect(bad.outcome).toBe(403);
    expect(bad.body).toMatchObject({ code: 'PAYMENT_CHECKSUM_INVALID' });
    expect(bad.body).not.toHaveProperty('MaXacThuc');
    const otherMerchant = await sim.notify(billCode, { merchantId: 'SOMEONE-ELSE', state: 'thanh-cong' });
    expect(otherMerchant.outcome).toBe(403);
    const tampered = sign(
      'NOTIFY',
      {
        LoaiBanTin: 'NOTIFY',
        PhienBan: PROTOCOL_VERSION,
        MaDoiTac: sim.merchantId,
        MaThamChieu: billCode,
        MaGiaoDich: sim.bills.get(billCode)!.gatewayRef,
        SoTien: 1,
        MaTienTe: 'VND',
        TrangThai: 'thanh-cong',
        ThoiGianGD: gatewayTime(new Date()),
      },
      sim.secret,
    );
    expect((await postCallback({ ...tampered, SoTien: 200_000 })).status).toBe(403);
    expect((await postCallback({ nonsense: true })).status).toBe(403);
    const row = await billRow(billCode);
    expect(row.state).toBe('pending');
    expect(row.paidAt).toBeNull();
  });

  it('refuses a callback whose amount differs from the bill', async () => {
    const { billCode } = await onlineBill(50_000);
    const wrong = await sim.notify(billCode, { amount: 5_000, state: 'thanh-cong' });
    expect(wrong.outcome).toBe(409);
    expect((await billRow(billCode)).state).toBe('pending');
  });

  it('a callback delivered twice marks the bill paid once and confirms the payment once', async () => {
    const d = await inReviewDossier();
    const official = await server.callerAs(d.official);
    const { billCode } = await official.payments.requestObligation({
      dossierId: d.id,
      amount: 1_200_000,
      reason: 'Lệ phí cấp phiếu lý lịch tư pháp số 2',
    });
    const anon = await server.callerAs(null);
    await anon.payments.startOnline({ billCode: billCode! });
    sim.callbackMode('twice');
    try {
      await sim.pay(billCode!);
    } finally {
      sim.callbackMode('once');
    }
    const attempts = sim.callbacks.filter((c) => c.billCode === billCode);
    expect(attempts.map((a) => a.outcome)).toEqual([200, 200]);
    const events = await eventsOf(d.id);
    expect(events.filter((e) => e.event === 'confirm_payment')).toHaveLength(1);
    expect(await stateOf(d.id)).toBe('in_review');
    // And a third, late delivery changes nothing either.
    expect((await sim.notify(billCode!)).outcome).toBe(200);
    expect((await eventsOf(d.id)).length).toBe(events.length);
  });

  it('INIT failing (500, timeout, dropped connection) leaves the bill as it was; a retry works', async () => {
    const d = await receivedDossier();
    const clerk = await server.callerAs('gdv.hang');
    const { billCode } = await clerk.payments.createBill({
      dossierId: d.id,
      kind: 'postal_tariff',
      amount: 31_500,
    });
    const anon = await server.callerAs(null);
    for (const fault of ['failNext', 'holdNext', 'dropNext'] as const) {
      sim[fault]('init', 1);
      await expect(anon.payments.startOnline({ billCode: billCode! })).rejects.toMatchObject({
        cause: { code: 'PAYMENT_GATEWAY_FAILED' },
      });
      const row = await billRow(billCode!);
      expect(row).toMatchObject({ state: 'pending', payUrl: null, gatewayRef: null });
    }
    const { payUrl } = await anon.payments.startOnline({ billCode: billCode! });
    expect(payUrl).toContain(sim.url);
  });

  it('a lost or cut-off callback while the gateway is down: the poll settles it once the gateway answers', async () => {
    const lost = await onlineBill(80_000);
    const cut = await onlineBill(90_000);
    sim.callbackMode('none');
    await sim.pay(lost.billCode);
    sim.callbackMode('drop');
    await sim.pay(cut.billCode);
    sim.callbackMode('once');
    await sim.settled();
    expect((await billRow(lost.billCode)).state).toBe('pending');

    const gateway = createGatewayClient(gatewayConfig(server.env)!);
    // The gateway's status endpoint is down: nothing settles, nothing breaks.
    sim.failNext('bill', 100);
    const down = await pollPendingBills(database.db, gateway);
    expect(down.failed).toBeGreaterThanOrEqual(1);
    expect((await billRow(lost.billCode)).state).toBe('pending');
    sim.failNext('bill', 0);

    // The job (as BullMQ runs it) polls the one bill and settles it.
    const job = paymentPollJob({ db: database.db, env: server.env });
    const id = (await billRow(lost.billCode)).id;
    await job.handler({ paymentId: id, attempt: 99 });
    expect(await billRow(lost.billCode)).toMatchObject({ state: 'paid', method: 'online' });
    // The sweep catches the rest (the cut-off callback may or may not have landed).
    await pollPendingBills(database.db, gateway);
    expect((await billRow(cut.billCode)).state).toBe('paid');
    expect((await billRow(cut.billCode)).paidAt).not.toBeNull();
  });

  it('the payment_poll job under BullMQ (Redis) settles a bill whose callback was lost', async () => {
    const { billCode } = await onlineBill(60_000);
    sim.callbackMode('none');
    await sim.pay(billCode);
    sim.callbackMode('once');
    const id = (await billRow(billCode)).id;
    let runner: JobRunner | undefined;
    runner = createBullmqRunner({
      redisUrl: 'redis://127.0.0.1:6379',
      prefix: `pdt-pay-${randomBytes(4).toString('hex')}`,
      defs: [paymentPollJob({ db: database.db, env: server.env, jobs: () => runner! })],
      log: createLogger('silent'),
    });
    try {
      await runner.enqueue('payment_poll', { paymentId: id }, { jobId: `${id}-1` });
      await expect.poll(async () => (await billRow(billCode)).state, { timeout: 15_000 }).toBe('paid');
      await runner.idle();
    } finally {
      await runner.close();
    }
  });

  it('a slow callback: the citizen back on the page sees the payment at once (the page asks the gateway)', async () => {
    const { billCode } = await onlineBill(45_000);
    sim.callbackMode('slow', 1_500);
    await sim.pay(billCode);
    sim.callbackMode('once');
    const anon = await server.callerAs(null);
    const seen = await anon.payments.bill({ billCode, refresh: true });
    expect(seen.state).toBe('paid');
    await sim.settled();
    expect(sim.callbacks.at(-1)).toMatchObject({ billCode, outcome: 200 });
    expect((await billRow(billCode)).state).toBe('paid');
  });
});

describe('at the desk and the door', () => {
  it('a transfer is recorded only with its bank reference, kept on the bill, the receipt and the audit log', async () => {
    const d = await receivedDossier();
    const clerk = await server.callerAs('gdv.hang');
    const [fee] = (await clerk.payments.forDossier({ dossierId: d.id })).filter((b) => b.kind === 'fee');
    expect(fee).toMatchObject({ state: 'pending' }); // billed at intake, nothing typed again
    for (const reference of [undefined, ' 12 ']) {
      await expect(
        clerk.payments.recordCash({ billCode: fee!.billCode!, method: 'vietqr', reference }),
      ).rejects.toMatchObject({ cause: { code: 'PAYMENT_REFERENCE_REQUIRED' } });
    }
    expect(await billRow(fee!.billCode!)).toMatchObject({ state: 'pending', bankRef: null });
    await clerk.payments.recordCash({
      billCode: fee!.billCode!,
      method: 'vietqr',
      reference: 'FT26342123456',
    });
    const paid = await billRow(fee!.billCode!);
    expect(paid).toMatchObject({ state: 'paid', method: 'vietqr', bankRef: 'FT26342123456' });
    const audited = await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'payment.recorded'), eq(auditLog.target, paid.id)));
    expect(audited).toHaveLength(1);
    expect(audited[0]!.details).toMatchObject({ method: 'vietqr', bankRef: 'FT26342123456' });
    const pdf = inspectPdf(
      new Uint8Array(await (await fetch(`${url}/receipts/${fee!.billCode}.pdf`)).arrayBuffer()),
    );
    expect(pdf.flat).toContain('Mã giao dịch ngân hàng: FT26342123456');
  });

  it('a clerk records cash once; another office and a courier without a task are refused', async () => {
    const d = await receivedDossier();
    const clerk = await server.callerAs('gdv.hang');
    const bill = await clerk.payments.createBill({ dossierId: d.id, kind: 'postal_tariff', amount: 26_000 });
    // Creating it again gives the same pending bill.
    const same = await clerk.payments.createBill({ dossierId: d.id, kind: 'postal_tariff', amount: 26_000 });
    expect(same).toMatchObject({ billCode: bill.billCode, created: false });

    const elsewhere = await server.callerAs('gdv.quang');
    await expect(elsewhere.payments.recordCash({ billCode: bill.billCode! })).rejects.toMatchObject({
      cause: { code: 'PAYMENT_NOT_FOUND' },
    });
    await expect(elsewhere.payments.forDossier({ dossierId: d.id })).rejects.toMatchObject({
      cause: { code: 'DOSSIER_NOT_FOUND' },
    });
    const courier = await server.callerAs('buuta.tam');
    await expect(courier.payments.recordCash({ billCode: bill.billCode! })).rejects.toMatchObject({
      cause: { code: 'PAYMENT_NOT_FOUND' },
    });

    const paid = await clerk.payments.recordCash({ billCode: bill.billCode! });
    expect(paid).toMatchObject({ state: 'paid', method: 'cash', changed: true });
    // Collecting it a second time is refused: the payer does not pay twice.
    await expect(clerk.payments.recordCash({ billCode: bill.billCode! })).rejects.toMatchObject({
      cause: { code: 'PAYMENT_ALREADY_PAID' },
    });
    const [hang] = await database.db.select().from(users).where(eq(users.username, 'gdv.hang'));
    expect((await billRow(bill.billCode!)).recordedBy).toBe(hang!.id);
    // Beside the fee billed at intake, the postal tariff billed here.
    const list = await clerk.payments.forDossier({ dossierId: d.id });
    expect(list.map((b) => b.kind).sort()).toEqual(['fee', 'postal_tariff']);
    expect(list.find((b) => b.billCode === bill.billCode)).toMatchObject({
      state: 'paid',
      receiptUrl: `${url}/receipts/${bill.billCode}.pdf`,
    });
    const receiptUrl = list.find((b) => b.billCode === bill.billCode)!.receiptUrl!;
    const pdf = inspectPdf(new Uint8Array(await (await fetch(receiptUrl)).arrayBuffer()));
    expect(pdf.flat).toContain('Tiền mặt');
    // An e-receipt: form symbol, series of the year, its number in the unit, and the payer.
    expect(pdf.flat).toMatch(/Mẫu số: 01BLP0-001 Ký hiệu: BD-\d{2}E Số: \d{7}/);
    expect(pdf.flat).toContain('Họ tên người nộp tiền');
    expect(pdf.flat).toContain('Hai mươi sáu nghìn đồng');
  });

  it('a courier holding the task takes the cash at the door', async () => {
    const d = await receivedDossier();
    const clerk = await server.callerAs('gdv.hang');
    const { billCode } = await clerk.payments.createBill({
      dossierId: d.id,
      kind: 'postal_tariff',
      amount: 26_000,
    });
    const [hung] = await database.db.select().from(users).where(eq(users.username, 'buuta.hung'));
    await database.db.insert(courierTasks).values({
      dossierId: d.id,
      officeId: d.receivingOfficeId,
      kind: 'delivery',
      address: '12 Lê Lợi',
      courierId: hung!.id,
      state: 'assigned',
    });
    const courier = await server.callerAs('buuta.hung');
    const paid = await courier.payments.recordCash({ billCode: billCode! });
    expect(paid).toMatchObject({ state: 'paid', method: 'cash', changed: true });
    expect((await billRow(billCode!)).recordedBy).toBe(hung!.id);
  });

  it('the VietQR names our account, the amount and the bill code; an unpaid bill has no receipt', async () => {
    const d = await receivedDossier();
    const clerk = await server.callerAs('gdv.hang');
    const { billCode } = await clerk.payments.createBill({ dossierId: d.id, kind: 'fee', amount: 200_000 });
    const anon = await server.callerAs(null);
    const bill = await anon.payments.bill({ billCode: billCode! });
    expect(bill.vietQr).not.toBeNull();
    const qr = new QRPay(bill.vietQr!.content);
    expect(qr.isValid).toBe(true);
    expect(qr.consumer.bankBin).toBe(server.env.PAYMENT_VIETQR_BANK_BIN);
    expect(qr.consumer.bankNumber).toBe(server.env.PAYMENT_VIETQR_ACCOUNT);
    expect(qr.amount).toBe('200000');
    expect(qr.additionalData.purpose).toContain(billCode!);
    expect(bill.vietQr!.demo).toBe(true);
    expect(bill.vietQr!.image.startsWith('data:image/svg+xml;base64,')).toBe(true);

    const early = await fetch(`${url}/receipts/${billCode}.pdf`);
    expect(early.status).toBe(409);
    expect(await early.text()).toContain('Vui lòng');
    expect((await fetch(`${url}/receipts/HD0000000000000000.pdf`)).status).toBe(404);
    expect((await fetch(`${url}/receipts/anything.pdf`)).status).toBe(404);
    await expect(anon.payments.bill({ billCode: 'HD0000000000000000' })).rejects.toMatchObject({
      cause: { code: 'PAYMENT_NOT_FOUND' },
    });
  });

  it('reconciliation: counts and sums by method and kind, cash per clerk, online checked against the gateway', async () => {
    // Bưu điện H57.90.02 (gdv.quang) has no other bills in this file.
    const clerk = await server.callerAs('gdv.quang');
    const anon = await server.callerAs(null);
    const a = await receivedDossier('gdv.quang');
    const b = await receivedDossier('gdv.quang');
    const c = await receivedDossier('gdv.quang');
    const cashFee = await clerk.payments.createBill({ dossierId: a.id, kind: 'fee', amount: 100_000 });
    const cashTariff = await clerk.payments.createBill({
      dossierId: a.id,
      kind: 'postal_tariff',
      amount: 26_000,
    });
    const qrFee = await clerk.payments.createBill({ dossierId: b.id, kind: 'fee', amount: 150_000 });
    const onlineFee = await clerk.payments.createBill({ dossierId: c.id, kind: 'fee', amount: 70_000 });
    const lostTariff = await clerk.payments.createBill({
      dossierId: c.id,
      kind: 'postal_tariff',
      amount: 31_500,
    });
    const unpaid = await clerk.payments.createBill({
      dossierId: b.id,
      kind: 'postal_tariff',
      amount: 30_000,
    });
    await clerk.payments.recordCash({ billCode: cashFee.billCode! });
    await clerk.payments.recordCash({ billCode: cashTariff.billCode! });
    await clerk.payments.recordCash({ billCode: qrFee.billCode!, method: 'vietqr', reference: 'FT26342001' });
    await anon.payments.startOnline({ billCode: onlineFee.billCode! });
    await sim.pay(onlineFee.billCode!);
    await anon.payments.startOnline({ billCode: lostTariff.billCode! });
    sim.callbackMode('none');
    await sim.pay(lostTariff.billCode!);
    sim.callbackMode('once');
    expect(unpaid.state).toBe('pending');

    const day = (await billRow(cashFee.billCode!)).paidAt!;
    const vnDay = new Date(day.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
    const r = await clerk.payments.reconciliation({ day: vnDay });
    expect(r.total).toEqual({ count: 4, amount: 346_000 });
    expect(r.byMethod).toEqual({
      cash: { count: 2, amount: 126_000 },
      vietqr: { count: 1, amount: 150_000 },
      online: { count: 1, amount: 70_000 },
    });
    expect(r.byKind).toEqual({
      fee: { count: 3, amount: 320_000 },
      postal_tariff: { count: 1, amount: 26_000 },
      financial_obligation: { count: 0, amount: 0 },
    });
    expect(r.cashByStaff).toEqual([
      expect.objectContaining({
        name: 'Lê Văn Quang',
        cash: { count: 2, amount: 126_000 },
        vietqr: { count: 1, amount: 150_000 },
      }),
    ]);
    expect(r.online).toEqual([expect.objectContaining({ billCode: onlineFee.billCode, matches: true })]);
    expect(r.mismatches).toEqual([
      expect.objectContaining({ billCode: lostTariff.billCode, problem: 'paid_at_gateway_not_here' }),
    ]);
    expect(r.gatewayChecked).toBe(true);

    // The supervisor sees the same figures for that office; another day is empty.
    const supervisor = await server.callerAs('giamsat.nguyet', { officeHint: b.receivingOfficeId });
    expect((await supervisor.payments.reconciliation({ day: vnDay })).total).toEqual(r.total);
    expect((await clerk.payments.reconciliation({ day: '2020-01-02' })).total).toEqual({
      count: 0,
      amount: 0,
    });

    // With the gateway down the figures still come, and the online bills say they could not be checked.
    sim.failNext('bill', 100);
    const down = await clerk.payments.reconciliation({ day: vnDay });
    sim.failNext('bill', 0);
    expect(down.total).toEqual(r.total);
    expect(down.gatewayChecked).toBe(false);
    expect(down.mismatches).toEqual([
      expect.objectContaining({ billCode: onlineFee.billCode, problem: 'gateway_unreachable' }),
    ]);
  });
});

describe('the financial obligation', () => {
  it('the agency asks, the dossier waits; paying (cash at the desk) records confirm_payment by the clerk', async () => {
    const d = await inReviewDossier();
    const official = await server.callerAs(d.official);
    const asked = await official.payments.requestObligation({
      dossierId: d.id,
      amount: 500_000,
      reason: 'Thuế, lệ phí theo thông báo của cơ quan thuế',
    });
    expect(asked).toMatchObject({ kind: 'financial_obligation', amount: 500_000, requested: true });
    expect(await stateOf(d.id)).toBe('awaiting_payment');
    const requested = (await eventsOf(d.id)).at(-1)!;
    expect(requested).toMatchObject({ event: 'request_payment', actorKind: 'agency_official' });
    expect(requested.payload).toMatchObject({
      amount: 500_000,
      reason: 'Thuế, lệ phí theo thông báo của cơ quan thuế',
    });
    // Asking again while it waits gives the same bill and no second event.
    const again = await official.payments.requestObligation({
      dossierId: d.id,
      amount: 500_000,
      reason: 'lại',
    });
    expect(again).toMatchObject({ billCode: asked.billCode, requested: false });

    const anon = await server.callerAs(null);
    const seen = await anon.payments.bill({ billCode: asked.billCode! });
    expect(seen).toMatchObject({
      kind: 'financial_obligation',
      reason: 'Thuế, lệ phí theo thông báo của cơ quan thuế',
    });
    expect(seen.amountInWords).toBe('Năm trăm nghìn đồng');

    const clerk = await server.callerAs('gdv.hang');
    const paid = await clerk.payments.recordCash({ billCode: asked.billCode! });
    expect(paid.confirmed).toBe(true);
    expect(await stateOf(d.id)).toBe('in_review');
    const confirmed = (await eventsOf(d.id)).at(-1)!;
    expect(confirmed).toMatchObject({ event: 'confirm_payment', actorKind: 'clerk', role: 'clerk' });
    expect(confirmed.payload).toMatchObject({ billCode: asked.billCode, amount: 500_000, method: 'cash' });
    // The agency sees the bill paid.
    const obligations = (await official.payments.forDossier({ dossierId: d.id })).filter(
      (b) => b.kind === 'financial_obligation',
    );
    expect(obligations).toEqual([
      expect.objectContaining({ state: 'paid', reason: 'Thuế, lệ phí theo thông báo của cơ quan thuế' }),
    ]);
  });

  it('paid online: confirm_payment is recorded by the payment gateway', async () => {
    const d = await inReviewDossier();
    const official = await server.callerAs(d.official);
    const { billCode } = await official.payments.requestObligation({
      dossierId: d.id,
      amount: 300_000,
      reason: 'Lệ phí trước bạ',
    });
    const anon = await server.callerAs(null);
    await anon.payments.startOnline({ billCode: billCode! });
    await sim.pay(billCode!);
    expect(await stateOf(d.id)).toBe('in_review');
    const confirmed = (await eventsOf(d.id)).at(-1)!;
    expect(confirmed).toMatchObject({
      event: 'confirm_payment',
      actorKind: 'payment_gateway',
      actorUserId: null,
    });
    expect(confirmed.payload).toMatchObject({
      method: 'online',
      reference: sim.bills.get(billCode!)!.gatewayRef,
    });
    const pdf = inspectPdf(
      new Uint8Array(await (await fetch(`${url}/receipts/${billCode}.pdf`)).arrayBuffer()),
    );
    expect(pdf.flat).toContain('Nghĩa vụ tài chính');
    expect(pdf.flat).toContain('Lệ phí trước bạ');
    expect(pdf.flat).toContain('Ba trăm nghìn đồng');
    expect(pdf.qpdfOk).toBe(true);
  });

  it('another agency, or a dossier not in review, is refused and nothing changes', async () => {
    const d = await inReviewDossier();
    const [other] = await database.db
      .select({ username: users.username })
      .from(users)
      .innerJoin(memberships, eq(memberships.userId, users.id))
      .innerJoin(offices, eq(offices.id, memberships.officeId))
      .where(and(eq(memberships.role, 'agency_official'), eq(offices.kind, 'agency')));
    const stranger = other!.username === d.official ? 'ubnd.phuloc' : other!.username;
    const intruder = await server.callerAs(stranger);
    const seq = (await eventsOf(d.id)).length;
    await expect(
      intruder.payments.requestObligation({ dossierId: d.id, amount: 100_000, reason: 'Không phải của tôi' }),
    ).rejects.toMatchObject({ cause: { code: 'DOSSIER_NOT_FOUND' } });
    await expect(intruder.payments.forDossier({ dossierId: d.id })).rejects.toMatchObject({
      cause: { code: 'DOSSIER_NOT_FOUND' },
    });
    expect(await stateOf(d.id)).toBe('in_review');
    expect((await eventsOf(d.id)).length).toBe(seq);
    expect(await obligationBills(d.id)).toHaveLength(0);

    const fresh = await receivedDossier();
    const official = await server.callerAs(await officialOf(fresh.agencyId));
    await expect(
      official.payments.requestObligation({ dossierId: fresh.id, amount: 100_000, reason: 'Quá sớm' }),
    ).rejects.toMatchObject({ cause: { code: 'PAYMENT_OBLIGATION_STATE' } });
    expect(await obligationBills(fresh.id)).toHaveLength(0);
  });
});

describe('without a gateway', () => {
  it('online payment is not offered; VietQR remains; the callback answers 503', async () => {
    const plain = createTestServer(database.db);
    try {
      const d = await receivedDossier();
      const clerk = await plain.callerAs('gdv.hang');
      const { billCode } = await clerk.payments.createBill({ dossierId: d.id, kind: 'fee', amount: 10_000 });
      const anon = await plain.callerAs(null);
      const bill = await anon.payments.bill({ billCode: billCode! });
      expect(bill.onlineAvailable).toBe(false);
      expect(bill.vietQr).not.toBeNull();
      await expect(anon.payments.startOnline({ billCode: billCode! })).rejects.toMatchObject({
        cause: { code: 'PAYMENT_ONLINE_UNAVAILABLE' },
      });
      const res = await plain.app.request('/api/payments/callback', { method: 'POST', body: '{}' });
      expect(res.status).toBe(503);
    } finally {
      await plain.jobs.close();
    }
  });

  it('production refuses the demo payment secret with a gateway, and shows no demo VietQR account', () => {
    const production = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://app@db/postdesk',
      REDIS_URL: 'redis://cache:6379',
      PUBLIC_URL: 'https://postdesk.hue.gov.vn',
      SESSION_SECRET: 'x'.repeat(40),
      FILES_DIR: '/srv/postdesk/files',
      PORTAL_SYNC_URL: 'https://dichvucong.gov.vn/api',
      SEED_DEMO: 'false',
      SMS_PROVIDER_URL: 'https://sms.example.vn/send',
      SMS_PROVIDER_KEY: 'k'.repeat(20),
    };
    expect(() => parseEnv({ ...production, PAYMENT_GATEWAY_URL: 'https://paygov.example.vn' })).toThrow(
      /PAYMENT_SECRET/,
    );
    expect(() =>
      parseEnv({
        ...production,
        PAYMENT_GATEWAY_URL: 'https://paygov.example.vn',
        PAYMENT_SECRET: 'short-but-16-chars',
      }),
    ).toThrow(/PAYMENT_SECRET/);
    expect(() =>
      parseEnv({
        ...production,
        PAYMENT_GATEWAY_URL: 'https://paygov.example.vn',
        PAYMENT_SECRET: 'y'.repeat(32),
      }),
    ).not.toThrow();
    expect(vietQrAccount(parseEnv(production))).toBeNull();
    expect(vietQrAccount(parseEnv({ ...production, PAYMENT_VIETQR_ACCOUNT: '1234567890' }))).toMatchObject({
      account: '1234567890',
      demo: false,
    });
  });
});
