import { createHash, timingSafeEqual } from 'node:crypto';
import { appError } from '@postdesk/shared';
import type { Env } from '../env';

/**
 * The payment gateway's messages, in the style of the national portal's payment platform (PayGov):
 * `LoaiBanTin` INIT (create a bill, answer carries `UrlThanhToan`), GET_BILL (status poll), NOTIFY (the
 * gateway's callback to us). Every message carries `MaXacThuc` = SHA-256 (hex) of its fields, in the order
 * below, joined with "|", then "|" and the shared secret.
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
  GET_BILL: ['LoaiBanTin', 'PhienBan', 'MaDoiTac', 'MaThamChieu', 'ThoiGianGD'],
  GET_BILL_RESULT: [
    'MaLoi',
    'MaDoiTac',
    'MaThamChieu',
    'MaGiaoDich',
    'SoTien',
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
    'TrangThai',
    'ThoiGianThanhToan',
  ],
  NOTIFY_RESULT: ['MaLoi', 'MaThamChieu'],
} as const;

export type MessageType = keyof typeof MESSAGE_FIELDS;
export const PROTOCOL_VERSION = '1.0.6';
/** Transaction states at the gateway: created, succeeded, failed. */
export type GatewayState = 'khoi-tao' | 'thanh-cong' | 'that-bai';
/** `MaLoi` "00" = success. */
export const OK = '00';

export const checksum = (type: MessageType, message: Record<string, unknown>, secret: string) => {
  const fields = MESSAGE_FIELDS[type].map((f) => {
    const v = message[f];
    return v === undefined || v === null ? '' : String(v);
  });
  return createHash('sha256')
    .update([...fields, secret].join('|'), 'utf8')
    .digest('hex');
};

/** Constant-time comparison of a message's `MaXacThuc` with the one we compute. */
export const verifyChecksum = (type: MessageType, message: Record<string, unknown>, secret: string) => {
  const given = typeof message.MaXacThuc === 'string' ? message.MaXacThuc.toLowerCase() : '';
  const expected = checksum(type, message, secret);
  if (given.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(expected));
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
  /** GET_BILL: the gateway's view of a bill; `unknown` when it has never heard of it. */
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
    return (await res.json()) as Record<string, unknown>;
  } catch {
    throw appError('PAYMENT_GATEWAY_FAILED', { reason: 'not JSON' });
  }
};

const GATEWAY_STATES: readonly string[] = ['khoi-tao', 'thanh-cong', 'that-bai'];

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
        MaTienTe: 'VND',
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
    if (!verifyChecksum('INIT_RESULT', answer, cfg.secret))
      throw appError('PAYMENT_GATEWAY_FAILED', { reason: 'checksum' });
    if (answer.MaLoi !== OK || answer.MaThamChieu !== bill.billCode)
      throw appError('PAYMENT_GATEWAY_FAILED', { code: String(answer.MaLoi ?? '') });
    const payUrl = String(answer.UrlThanhToan ?? '');
    if (!/^https?:\/\//.test(payUrl)) throw appError('PAYMENT_GATEWAY_FAILED', { reason: 'no payment URL' });
    return { gatewayRef: String(answer.MaGiaoDich ?? ''), payUrl };
  },
  getBill: async (billCode, now) => {
    const message = sign(
      'GET_BILL',
      {
        LoaiBanTin: 'GET_BILL',
        PhienBan: PROTOCOL_VERSION,
        MaDoiTac: cfg.merchantId,
        MaThamChieu: billCode,
        ThoiGianGD: gatewayTime(now ?? new Date()),
      },
      cfg.secret,
    );
    const answer = await post(cfg, '/bill', message);
    if (!verifyChecksum('GET_BILL_RESULT', answer, cfg.secret))
      throw appError('PAYMENT_GATEWAY_FAILED', { reason: 'checksum' });
    if (answer.MaLoi !== OK || answer.MaThamChieu !== billCode)
      return { state: 'unknown', gatewayRef: null, amount: null, paidAt: null };
    const state = String(answer.TrangThai);
    return {
      state: GATEWAY_STATES.includes(state) ? (state as GatewayState) : 'unknown',
      gatewayRef: answer.MaGiaoDich ? String(answer.MaGiaoDich) : null,
      amount: Number.isFinite(Number(answer.SoTien)) ? Number(answer.SoTien) : null,
      paidAt: parseGatewayTime(answer.ThoiGianThanhToan),
    };
  },
});
