import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { appError } from '@postdesk/shared';
import type { Env } from '../env';

/**
 * The payment gateway's messages, in the style of the national portal's payment platform (PayGov):
 * `LoaiBanTin` INIT (create a bill, answer carries `UrlThanhToan`), GET_BILL (status query, server to server),
 * NOTIFY (the gateway's callback to us).
 *
 * How a message is trusted:
 * - `MaXacThuc` = HMAC-SHA256 (hex) keyed with the shared secret over the JSON array
 *   `[<message type>, <field 1>, <field 2>, …]` — the type (INIT, GET_BILL_RESULT, NOTIFY, …) first, then every
 *   field of MESSAGE_FIELDS[type] in that order as a string ('' when absent). The type in the MAC means an answer
 *   can never be replayed as a request; JSON quoting means no field can spill into its neighbour (the old
 *   SHA-256 of "|"-joined fields and the secret allowed both). Compared in constant time (timingSafeEqual).
 * - We sign only a "00" acknowledgement of a message that itself verified. A refusal or error answer carries no
 *   `MaXacThuc`, so nothing an attacker sends can make us sign anything.
 * - NOTIFY must be `LoaiBanTin` NOTIFY of our merchant, currency VND, the bill's exact amount and the transaction
 *   id the gateway gave at INIT, sent (`ThoiGianGD`) within CALLBACK_WINDOW_MS of our clock. A transaction id seen
 *   before with different bill, amount, currency or payment time is refused and flagged.
 * - A NOTIFY never marks a bill paid by itself: we ask the gateway (GET_BILL, HMAC-signed, with a fresh
 *   `MaYeuCau` nonce its signed answer must echo, under PAYMENT_TIMEOUT_MS) and only its "paid, this amount, this
 *   transaction" settles the bill. Anything else is recorded and flagged in reconciliation.
 */
export const MESSAGE_FIELDS = {
  INIT: [
    'LoaiBanTin',
    'PhienBan',
    'MaDoiTac',
    'MaThamChieu',
    'SoTien',
    'MaTienTe',
    'NgonNgu',
    'ThongTinGiaoDich',
    'ThoiGianGD',
    'UrlQuayLai',
    'UrlThongBao',
  ],
  INIT_RESULT: ['MaLoi', 'MaDoiTac', 'MaThamChieu', 'MaGiaoDich', 'UrlThanhToan'],
  GET_BILL: ['LoaiBanTin', 'PhienBan', 'MaDoiTac', 'MaThamChieu', 'MaYeuCau', 'ThoiGianGD'],
  GET_BILL_RESULT: [
    'MaLoi',
    'MaDoiTac',
    'MaThamChieu',
    'MaYeuCau',
    'MaGiaoDich',
    'SoTien',
    'MaTienTe',
    'TrangThai',
    'ThoiGianThanhToan',
  ],
  NOTIFY: [
    'LoaiBanTin',
    'PhienBan',
    'MaDoiTac',
    'MaThamChieu',
    'MaGiaoDich',
    'SoTien',
    'MaTienTe',
    'TrangThai',
    'ThoiGianThanhToan',
    'ThoiGianGD',
  ],
  NOTIFY_RESULT: ['MaLoi', 'MaDoiTac', 'MaThamChieu', 'MaGiaoDich'],
} as const;

export type MessageType = keyof typeof MESSAGE_FIELDS;
export const PROTOCOL_VERSION = '2.0.0';
export const CURRENCY = 'VND';
/** A NOTIFY is accepted only when its `ThoiGianGD` is at most this far from our clock (either way). */
export const CALLBACK_WINDOW_MS = 5 * 60_000;
/** Transaction states at the gateway: created, succeeded, failed. */
export type GatewayState = 'khoi-tao' | 'thanh-cong' | 'that-bai';
/** `MaLoi` codes: "00" = success (the only answer we sign). */
export const OK = '00';
export const CODES = {
  ok: OK,
  unknownBill: '01',
  mismatch: '02',
  /** The bill is already paid (another way): the gateway must not capture this payment. */
  alreadyPaid: '03',
  /** The gateway's own status query did not confirm the payment. */
  notConfirmed: '04',
  stale: '05',
  badMessage: '97',
  /** Try again later (our status query could not reach the gateway). */
  retry: '99',
} as const;

const asField = (v: unknown) => (v === undefined || v === null ? '' : String(v));

export const checksum = (type: MessageType, message: Record<string, unknown>, secret: string) =>
  createHmac('sha256', secret)
    .update(JSON.stringify([type, ...MESSAGE_FIELDS[type].map((f) => asField(message[f]))]), 'utf8')
    .digest('hex');

/** Constant-time comparison of a message's `MaXacThuc` with the HMAC we compute. */
export const verifyChecksum = (type: MessageType, message: Record<string, unknown>, secret: string) => {
  const given = typeof message.MaXacThuc === 'string' ? message.MaXacThuc : '';
  if (!/^[0-9a-fA-F]{64}$/.test(given)) return false;
  const expected = Buffer.from(checksum(type, message, secret), 'hex');
  return timingSafeEqual(Buffer.from(given, 'hex'), expected);
};

export const sign = <T extends Record<string, unknown>>(type: MessageType, message: T, secret: string) => ({
  ...message,
  MaXacThuc: checksum(type, message, secret),
});

/** `yyyyMMddHHmmss` in Asia/Ho_Chi_Minh (UTC+7, no daylight saving). */
export const gatewayTime = (d: Date) => {
  const t = new Date(d.getTime() + 7 * 3600_000).toISOString();
  return t.slice(0, 19).replace(/[-T:]/g, '');
};

export const parseGatewayTime = (s: unknown): Date | null => {
  if (typeof s !== 'string' || !/^\d{14}$/.test(s)) return null;
  const iso = `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(8, 10)}:${s.slice(10, 12)}:${s.slice(12, 14)}+07:00`;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
};

export type GatewayConfig = { baseUrl: string; merchantId: string; secret: string; timeoutMs: number };

/** The gateway set up in the environment, or null: online payment is then not offered. */
export const gatewayConfig = (env: Env): GatewayConfig | null =>
  env.PAYMENT_GATEWAY_URL
    ? {
        baseUrl: env.PAYMENT_GATEWAY_URL.replace(/\/$/, ''),
        merchantId: env.PAYMENT_MERCHANT_ID,
        secret: env.PAYMENT_SECRET,
        timeoutMs: env.PAYMENT_TIMEOUT_MS,
      }
    : null;

export type BillStatus = {
  state: GatewayState | 'unknown';
  gatewayRef: string | null;
  amount: number | null;
  currency: string | null;
  paidAt: Date | null;
};

export type GatewayClient = {
  /** INIT: registers the bill at the gateway; returns its transaction id and the page where the citizen pays. */
  init: (bill: {
    billCode: string;
    amount: number;
    description: string;
    returnUrl: string;
    notifyUrl: string;
    now?: Date;
  }) => Promise<{ gatewayRef: string; payUrl: string }>;
  /**
   * GET_BILL: the gateway's own view of a bill; `unknown` when it has never heard of it. Throws
   * PAYMENT_GATEWAY_FAILED when it does not answer in time or its answer is not a signed answer to this query.
   */
  getBill: (billCode: string, now?: Date) => Promise<BillStatus>;
};

const post = async (cfg: GatewayConfig, path: string, body: unknown) => {
  let res: Response;
  try {
    res = await fetch(`${cfg.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(cfg.timeoutMs),
    });
  } catch (err) {
    throw appError('PAYMENT_GATEWAY_FAILED', { reason: (err as Error).name });
  }
  if (!res.ok) throw appError('PAYMENT_GATEWAY_FAILED', { status: res.status });
  try {
    const parsed = (await res.json()) as unknown;
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
    return parsed as Record<string, unknown>;
  } catch (err) {
    // A body cut off by the timeout, or not a JSON object.
    throw appError('PAYMENT_GATEWAY_FAILED', { reason: (err as Error).name });
  }
};

const GATEWAY_STATES: readonly string[] = ['khoi-tao', 'thanh-cong', 'that-bai'];

/** A whole number of dong written as digits (or a JSON integer); anything else is null. */
export const parseAmount = (v: unknown): number | null => {
  const s = typeof v === 'number' ? String(v) : typeof v === 'string' ? v : '';
  return /^[1-9]\d{0,11}$/.test(s) ? Number(s) : null;
};

export const createGatewayClient = (cfg: GatewayConfig): GatewayClient => ({
  init: async (bill) => {
    const message = sign(
      'INIT',
      {
        LoaiBanTin: 'INIT',
        PhienBan: PROTOCOL_VERSION,
        MaDoiTac: cfg.merchantId,
        MaThamChieu: bill.billCode,
        SoTien: bill.amount,
        MaTienTe: CURRENCY,
        NgonNgu: 'vi-VN',
        LoaiHinhThanhToan: 'PAY',
        ThongTinGiaoDich: bill.description,
        ThoiGianGD: gatewayTime(bill.now ?? new Date()),
        UrlQuayLai: bill.returnUrl,
        UrlThongBao: bill.notifyUrl,
      },
      cfg.secret,
    );
    const answer = await post(cfg, '/init', message);
    if (!verifyChecksum('INIT_RESULT', answer, cfg.secret) || answer.MaDoiTac !== cfg.merchantId)
      throw appError('PAYMENT_GATEWAY_FAILED', { reason: 'checksum' });
    if (answer.MaLoi !== OK || answer.MaThamChieu !== bill.billCode)
      throw appError('PAYMENT_GATEWAY_FAILED', { code: String(answer.MaLoi ?? '') });
    const payUrl = String(answer.UrlThanhToan ?? '');
    if (!/^https?:\/\//.test(payUrl)) throw appError('PAYMENT_GATEWAY_FAILED', { reason: 'no payment URL' });
    const gatewayRef = String(answer.MaGiaoDich ?? '');
    if (!/^[\w.-]{1,64}$/.test(gatewayRef))
      throw appError('PAYMENT_GATEWAY_FAILED', { reason: 'no transaction id' });
    return { gatewayRef, payUrl };
  },
  getBill: async (billCode, now) => {
    // A fresh nonce the signed answer must echo: an old answer (for this bill or another) replayed is refused.
    const nonce = randomBytes(12).toString('hex');
    const message = sign(
      'GET_BILL',
      {
        LoaiBanTin: 'GET_BILL',
        PhienBan: PROTOCOL_VERSION,
        MaDoiTac: cfg.merchantId,
        MaThamChieu: billCode,
        MaYeuCau: nonce,
        ThoiGianGD: gatewayTime(now ?? new Date()),
      },
      cfg.secret,
    );
    const answer = await post(cfg, '/bill', message);
    if (
      !verifyChecksum('GET_BILL_RESULT', answer, cfg.secret) ||
      answer.MaDoiTac !== cfg.merchantId ||
      answer.MaYeuCau !== nonce ||
      answer.MaThamChieu !== billCode
    )
      throw appError('PAYMENT_GATEWAY_FAILED', { reason: 'checksum' });
    if (answer.MaLoi !== OK)
      return { state: 'unknown', gatewayRef: null, amount: null, currency: null, paidAt: null };
    const state = String(answer.TrangThai);
    return {
      state: GATEWAY_STATES.includes(state) ? (state as GatewayState) : 'unknown',
      gatewayRef: answer.MaGiaoDich ? String(answer.MaGiaoDich) : null,
      amount: parseAmount(answer.SoTien),
      currency: answer.MaTienTe ? String(answer.MaTienTe) : null,
      paidAt: parseGatewayTime(answer.ThoiGianThanhToan),
    };
  },
});

/** True when the gateway's own answer says this bill was paid in full, in dong, by transaction `gatewayRef`. */
export const confirmsPayment = (
  status: BillStatus,
  bill: { amount: number; gatewayRef: string | null },
  gatewayRef: string | null = bill.gatewayRef,
) =>
  status.state === 'thanh-cong' &&
  status.amount === bill.amount &&
  status.currency === CURRENCY &&
  status.gatewayRef !== null &&
  (gatewayRef === null || status.gatewayRef === gatewayRef);
