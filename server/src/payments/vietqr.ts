import QRCode from 'qrcode';
import { BanksObject, QRPay } from 'vietnam-qr-pay';
import { DEMO_VIETQR_ACCOUNT, DEMO_VIETQR_BANK_BIN, type Env } from '../env';

export type VietQrAccount = {
  bankBin: string;
  bankName: string;
  account: string;
  accountName: string;
  demo: boolean;
};

/**
 * The account citizens transfer to. The demo defaults are marked `demo` (the page says so); in production they
 * are not offered at all: a made-up account must never receive real money.
 */
export const vietQrAccount = (env: Env): VietQrAccount | null => {
  const demo =
    env.PAYMENT_VIETQR_BANK_BIN === DEMO_VIETQR_BANK_BIN &&
    env.PAYMENT_VIETQR_ACCOUNT === DEMO_VIETQR_ACCOUNT;
  if (demo && env.NODE_ENV === 'production') return null;
  // A renamed bank keeps its BIN: prefer the entry that is not marked deprecated (LienVietPostBank → LPBank).
  const banks = Object.values(BanksObject).filter((b) => b.bin === env.PAYMENT_VIETQR_BANK_BIN);
  const bank = banks.find((b) => !(b as { deprecated?: boolean }).deprecated) ?? banks[0];
  return {
    bankBin: env.PAYMENT_VIETQR_BANK_BIN,
    bankName: bank ? `${bank.shortName} (${bank.name})` : env.PAYMENT_VIETQR_BANK_BIN,
    account: env.PAYMENT_VIETQR_ACCOUNT,
    accountName: env.PAYMENT_VIETQR_ACCOUNT_NAME,
    demo,
  };
};

/** The VietQR (EMVCo) content of a dynamic QR: this account, this amount, the bill code in the purpose. */
export const vietQrContent = (account: VietQrAccount, amount: number, purpose: string) =>
  QRPay.initVietQR({
    bankBin: account.bankBin,
    bankNumber: account.account,
    amount: String(amount),
    purpose,
  }).build();

/** The QR as an SVG data URL for an <img>: sharp at any size on a phone, and small. */
export const vietQrImage = async (content: string) => {
  const svg = await QRCode.toString(content, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
};
