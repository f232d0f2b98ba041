// The payment gateway (PayGov style) as a real HTTP server on 127.0.0.1: INIT (create a bill, answer the payment
// URL), a pay page a person (or Playwright) clicks "Thanh toán" on, NOTIFY callbacks to our server and GET_BILL
// status queries, every message checked and signed (HMAC) with the shared secret. The money is captured only when
// our answer to NOTIFY is a signed "00"; an answer "03" (already paid) voids the payment. Faults: slow or 500
// answers, held answers (the caller times out), dropped connections; callbacks slow, never sent, cut off, or
// delivered twice; a status query that lies (`statusOverride`) or answers with its previous answer again
// (`replayStatusNext`).
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  gatewayTime,
  type MessageType,
  OK,
  PROTOCOL_VERSION,
  sign,
  verifyChecksum,
} from '../../server/src/payments/gateway';

export type SimBill = {
  billCode: string;
  gatewayRef: string;
  amount: number;
  description: string;
  returnUrl: string;
  notifyUrl: string;
  state: 'khoi-tao' | 'thanh-cong' | 'that-bai';
  paidAt: Date | null;
  /** The money was taken: our server acknowledged the payment with a signed "00" (or the gateway was told to). */
  captured: boolean;
  /** Our server answered "03" (already paid another way): the payment was cancelled and nothing was taken. */
  voided: boolean;
};

/** What the status query says instead of the truth, for one bill. */
export type StatusLie = Partial<{
  state: SimBill['state'];
  amount: number;
  currency: string;
  gatewayRef: string;
}>;

export type CallbackAttempt = {
  billCode: string;
  /** Our server's HTTP status, or what went wrong on the way. */
  outcome: number | 'dropped' | 'timeout' | 'error';
  body: Record<string, unknown> | null;
  /** Our answer's checksum verified (a real gateway distrusts an unsigned acknowledgement). */
  answerSigned: boolean;
  at: Date;
};

/** How the next callbacks behave: `once` (normal), `twice` (two deliveries at the same moment), `none` (lost),
 * `drop` (sent, connection cut before our answer), `slow` (sent after `callbackDelayMs`). */
export type CallbackMode = 'once' | 'twice' | 'none' | 'drop' | 'slow';
type Endpoint = 'init' | 'bill' | 'pay';

export type PaymentGatewaySim = {
  url: string;
  merchantId: string;
  secret: string;
  bills: Map<string, SimBill>;
  callbacks: CallbackAttempt[];
  /** Requests that reached each endpoint, whatever was answered. */
  requests: Record<Endpoint, number>;
  /** Messages refused for a bad checksum. */
  refused: number;
  callbackMode: (mode: CallbackMode, delayMs?: number) => void;
  /** The next `n` requests to `endpoint` are answered 500. */
  failNext: (endpoint: Endpoint, n: number) => void;
  /** The next `n` requests are never answered (until close): the caller times out. */
  holdNext: (endpoint: Endpoint, n: number) => void;
  /** The next `n` requests have their connection destroyed without an answer. */
  dropNext: (endpoint: Endpoint, n: number) => void;
  /** Every answer of `endpoint` waits `ms` first. */
  slow: (endpoint: Endpoint, ms: number) => void;
  /** The citizen pays (as the pay page's button does); resolves when the callback(s) of the current mode finish. */
  pay: (billCode: string) => Promise<void>;
  /** Sends one NOTIFY now, optionally with a wrong secret, amount, currency, type or send time; returns our answer. */
  notify: (billCode: string, opts?: NotifyOverrides) => Promise<CallbackAttempt>;
  /** The NOTIFY the gateway would send for a bill (signed), with overrides: for tests that post it themselves. */
  notifyMessage: (billCode: string, opts?: NotifyOverrides) => Record<string, unknown>;
  /** The status query of `billCode` answers `lie` (merged over the truth) until set to null. */
  statusOverride: (billCode: string, lie: StatusLie | null) => void;
  /** The next `n` status queries are answered with the previous answer, as it was sent (stale nonce). */
  replayStatusNext: (n: number) => void;
  /** Resolves once every callback started so far has finished. */
  settled: () => Promise<void>;
  close: () => Promise<void>;
};

export type NotifyOverrides = {
  secret?: string;
  amount?: number | string;
  currency?: string;
  state?: SimBill['state'];
  merchantId?: string;
  /** LoaiBanTin. */
  type?: string;
  gatewayRef?: string;
  /** ThoiGianGD: when the message was sent (default now). */
  sentAt?: Date;
  paidAt?: Date;
};

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const money = (n: number) => `${String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '.')} ₫`;

const payPage = (bill: SimBill, merchantId: string) => `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Cổng thanh toán (mô phỏng)</title>
<style>
body{font-family:system-ui,sans-serif;margin:0;background:#eef2f7;color:#1b2430}
main{max-width:26rem;margin:0 auto;padding:1.5rem 1rem}
.card{background:#fff;border-radius:12px;padding:1.25rem;box-shadow:0 1px 4px #0002}
h1{font-size:1.2rem;margin:0 0 1rem}
dl{display:grid;grid-template-columns:auto 1fr;gap:.4rem .8rem;margin:0 0 1.25rem}
dt{color:#5a6573}dd{margin:0;font-weight:600;word-break:break-all}
.amount{font-size:1.6rem;color:#b3261e}
button{width:100%;padding:.9rem;font-size:1.05rem;border:0;border-radius:8px;margin-top:.5rem;cursor:pointer}
.pay{background:#0b5cad;color:#fff}.cancel{background:#e3e7ed;color:#1b2430}
p.note{font-size:.85rem;color:#5a6573}
</style></head>
<body><main><div class="card">
<h1>Cổng thanh toán (mô phỏng)</h1>
<dl><dt>Đơn vị nhận</dt><dd>${escapeHtml(merchantId)}</dd>
<dt>Mã tham chiếu</dt><dd>${escapeHtml(bill.billCode)}</dd>
<dt>Nội dung</dt><dd>${escapeHtml(bill.description)}</dd>
<dt>Số tiền</dt><dd class="amount">${money(bill.amount)}</dd></dl>
${
  bill.state === 'thanh-cong'
    ? '<p>Giao dịch này đã được thanh toán.</p>'
    : `<form method="post" action="/pay/${encodeURIComponent(bill.gatewayRef)}">
<button class="pay" type="submit" name="action" value="pay">Thanh toán</button>
<button class="cancel" type="submit" name="action" value="cancel">Hủy giao dịch</button></form>`
}
<p class="note">Môi trường thử nghiệm: không có tiền thật được chuyển.</p>
</div></main></body></html>`;

export const startPaymentGatewaySim = async (
  opts: { merchantId?: string; secret?: string; callbackTimeoutMs?: number } = {},
): Promise<PaymentGatewaySim> => {
  const merchantId = opts.merchantId ?? 'POSTDESK-DEMO';
  const secret = opts.secret ?? 'postdesk-payment-demo-secret-do-not-use';
  const bills = new Map<string, SimBill>();
  const byRef = new Map<string, SimBill>();
  const faults: Record<Endpoint, { fail: number; hold: number; drop: number; slowMs: number }> = {
    init: { fail: 0, hold: 0, drop: 0, slowMs: 0 },
    bill: { fail: 0, hold: 0, drop: 0, slowMs: 0 },
    pay: { fail: 0, hold: 0, drop: 0, slowMs: 0 },
  };
  const held = new Set<ServerResponse>();
  const inFlight = new Set<Promise<unknown>>();
  let mode: CallbackMode = 'once';
  let callbackDelayMs = 0;
  const lies = new Map<string, StatusLie>();
  let lastStatusAnswer: Record<string, unknown> | null = null;
  let replayStatus = 0;

  /** Applies the configured fault; true when the request was dealt with (no normal answer). */
  const fault = async (endpoint: Endpoint, req: IncomingMessage, res: ServerResponse) => {
    sim.requests[endpoint] += 1;
    const f = faults[endpoint];
    if (f.slowMs > 0) await new Promise((r) => setTimeout(r, f.slowMs));
    if (f.drop > 0) {
      f.drop -= 1;
      req.socket.destroy();
      return true;
    }
    if (f.hold > 0) {
      f.hold -= 1;
      held.add(res);
      return true;
    }
    if (f.fail > 0) {
      f.fail -= 1;
      json(res, 500, { MaLoi: '99', MoTaLoi: 'Hệ thống đang bận' });
      return true;
    }
    return false;
  };

  const send = (bill: SimBill, message: Record<string, unknown>, how: 'normal' | 'drop') =>
    new Promise<CallbackAttempt>((resolve) => {
      const body = JSON.stringify(message);
      const done = (outcome: CallbackAttempt['outcome'], answer: Record<string, unknown> | null) => {
        const answerSigned = answer ? verifyChecksum('NOTIFY_RESULT', answer, secret) : false;
        const attempt: CallbackAttempt = {
          billCode: bill.billCode,
          outcome,
          body: answer,
          answerSigned,
          at: new Date(),
        };
        if (message.TrangThai === 'thanh-cong' && bill.state === 'thanh-cong') {
          if (answerSigned && answer?.MaLoi === OK && answer.MaThamChieu === bill.billCode)
            bill.captured = true;
          else if (answer?.MaLoi === '03' && !bill.captured) {
            bill.state = 'that-bai';
            bill.voided = true;
          }
        }
        sim.callbacks.push(attempt);
        resolve(attempt);
      };
      const req = request(
        bill.notifyUrl,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
          timeout: opts.callbackTimeoutMs ?? 5_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            let parsed: Record<string, unknown> | null = null;
            try {
              parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
            } catch {}
            done(res.statusCode ?? 0, parsed);
          });
        },
      );
      req.on('timeout', () => {
        req.destroy();
        done('timeout', null);
      });
      req.on('error', () => {
        if (how !== 'drop') done('error', null);
      });
      req.end(body, () => {
        // Cut the connection as soon as the request is out: the server may or may not have acted on it.
        if (how === 'drop')
          setTimeout(() => {
            req.destroy();
            done('dropped', null);
          }, 5);
      });
    });

  const notifyMessage = (bill: SimBill, o: NotifyOverrides = {}) => {
    const paidAt = o.paidAt ?? bill.paidAt;
    return sign(
      'NOTIFY',
      {
        LoaiBanTin: o.type ?? 'NOTIFY',
        PhienBan: PROTOCOL_VERSION,
        MaDoiTac: o.merchantId ?? merchantId,
        MaThamChieu: bill.billCode,
        MaGiaoDich: o.gatewayRef ?? bill.gatewayRef,
        SoTien: o.amount ?? bill.amount,
        MaTienTe: o.currency ?? 'VND',
        TrangThai: o.state ?? bill.state,
        ThoiGianThanhToan: paidAt ? gatewayTime(paidAt) : '',
        ThoiGianGD: gatewayTime(o.sentAt ?? new Date()),
      },
      o.secret ?? secret,
    );
  };

  const track = <T>(p: Promise<T>) => {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
    return p;
  };

  /** The callback(s) of the current mode for a bill just paid. */
  const callback = (bill: SimBill) => {
    const message = notifyMessage(bill);
    switch (mode) {
      case 'none':
        return Promise.resolve();
      case 'drop':
        return track(send(bill, message, 'drop'));
      case 'twice':
        return track(Promise.all([send(bill, message, 'normal'), send(bill, message, 'normal')]));
      case 'slow':
        return track(
          new Promise((r) => setTimeout(r, callbackDelayMs)).then(() =>
            send(bill, notifyMessage(bill), 'normal'),
          ),
        );
      default:
        return track(send(bill, message, 'normal'));
    }
  };

  const markPaid = (bill: SimBill) => {
    if (bill.state === 'thanh-cong') return false;
    bill.state = 'thanh-cong';
    bill.paidAt = new Date();
    return true;
  };

  const checked = (type: MessageType, res: ServerResponse, body: Record<string, unknown>) => {
    if (verifyChecksum(type, body, secret) && body.LoaiBanTin === type && body.MaDoiTac === merchantId)
      return true;
    sim.refused += 1;
    // A refusal is not signed: nothing a stranger sends makes the gateway sign anything.
    json(res, 200, { MaLoi: '97', MoTaLoi: 'Sai mã xác thực' });
    return false;
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://sim');
    const raw = await readBody(req);
    if (req.method === 'POST' && url.pathname === '/init') {
      if (await fault('init', req, res)) return;
      const body = JSON.parse(raw || '{}') as Record<string, unknown>;
      if (!checked('INIT', res, body)) return;
      const billCode = String(body.MaThamChieu);
      // INIT is idempotent per reference: a retry gets the same transaction and page.
      let bill = bills.get(billCode);
      if (!bill) {
        bill = {
          billCode,
          gatewayRef: `GW${randomBytes(6).toString('hex').toUpperCase()}`,
          amount: Number(body.SoTien),
          description: String(body.ThongTinGiaoDich ?? ''),
          returnUrl: String(body.UrlQuayLai ?? ''),
          notifyUrl: String(body.UrlThongBao ?? ''),
          state: 'khoi-tao',
          paidAt: null,
          captured: false,
          voided: false,
        };
        bills.set(billCode, bill);
        byRef.set(bill.gatewayRef, bill);
      }
      json(
        res,
        200,
        sign(
          'INIT_RESULT',
          {
            MaLoi: OK,
            MaDoiTac: merchantId,
            MaThamChieu: billCode,
            MaGiaoDich: bill.gatewayRef,
            UrlThanhToan: `${sim.url}/pay/${bill.gatewayRef}`,
          },
          secret,
        ),
      );
      return;
    }
    if (req.method === 'POST' && url.pathname === '/bill') {
      if (await fault('bill', req, res)) return;
      const body = JSON.parse(raw || '{}') as Record<string, unknown>;
      if (!checked('GET_BILL', res, body)) return;
      if (replayStatus > 0 && lastStatusAnswer) {
        replayStatus -= 1;
        json(res, 200, lastStatusAnswer);
        return;
      }
      const billCode = String(body.MaThamChieu ?? '');
      const bill = bills.get(billCode);
      const lie = lies.get(billCode) ?? {};
      const answer = sign(
        'GET_BILL_RESULT',
        bill
          ? {
              MaLoi: OK,
              MaDoiTac: merchantId,
              MaThamChieu: bill.billCode,
              MaYeuCau: String(body.MaYeuCau ?? ''),
              MaGiaoDich: lie.gatewayRef ?? bill.gatewayRef,
              SoTien: lie.amount ?? bill.amount,
              MaTienTe: lie.currency ?? 'VND',
              TrangThai: lie.state ?? bill.state,
              ThoiGianThanhToan: bill.paidAt ? gatewayTime(bill.paidAt) : '',
            }
          : {
              MaLoi: '01',
              MaDoiTac: merchantId,
              MaThamChieu: billCode,
              MaYeuCau: String(body.MaYeuCau ?? ''),
            },
        secret,
      );
      lastStatusAnswer = answer;
      json(res, 200, answer);
      return;
    }
    const page = /^\/pay\/([A-Z0-9]+)$/.exec(url.pathname);
    if (page) {
      const bill = byRef.get(page[1]!);
      if (!bill) {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('Không tìm thấy giao dịch');
        return;
      }
      if (req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(payPage(bill, merchantId));
        return;
      }
      if (req.method === 'POST') {
        if (await fault('pay', req, res)) return;
        const action = new URLSearchParams(raw).get('action');
        if (action === 'pay' && markPaid(bill)) void callback(bill);
        if (action === 'cancel' && bill.state === 'khoi-tao') bill.state = 'that-bai';
        // Back to the merchant's page, as real gateways do, whether the callback has arrived or not.
        res.writeHead(302, { location: bill.returnUrl });
        res.end();
        return;
      }
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const sim: PaymentGatewaySim = {
    url: `http://127.0.0.1:${port}`,
    merchantId,
    secret,
    bills,
    callbacks: [],
    requests: { init: 0, bill: 0, pay: 0 },
    refused: 0,
    callbackMode: (m, delayMs = 0) => {
      mode = m;
      callbackDelayMs = delayMs;
    },
    failNext: (e, n) => {
      faults[e].fail = n;
    },
    holdNext: (e, n) => {
      faults[e].hold = n;
    },
    dropNext: (e, n) => {
      faults[e].drop = n;
    },
    slow: (e, ms) => {
      faults[e].slowMs = ms;
    },
    pay: async (billCode) => {
      const bill = bills.get(billCode);
      if (!bill) throw new Error(`the gateway has no bill ${billCode}`);
      if (markPaid(bill)) await callback(bill);
    },
    notify: (billCode, o = {}) => {
      const bill = bills.get(billCode);
      if (!bill) throw new Error(`the gateway has no bill ${billCode}`);
      return track(send(bill, notifyMessage(bill, o), 'normal'));
    },
    notifyMessage: (billCode, o = {}) => {
      const bill = bills.get(billCode);
      if (!bill) throw new Error(`the gateway has no bill ${billCode}`);
      return notifyMessage(bill, o);
    },
    statusOverride: (billCode, lie) => {
      if (lie) lies.set(billCode, lie);
      else lies.delete(billCode);
    },
    replayStatusNext: (n) => {
      replayStatus = n;
    },
    settled: async () => {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
    close: async () => {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return sim;
};
