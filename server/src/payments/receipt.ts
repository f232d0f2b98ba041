import { appError } from '@postdesk/shared';
import { eq } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../db/client';
import { dossiers, offices, payments, procedures, users } from '../db/schema';
import type { FileStore } from '../files/store';
import {
  A5,
  addPage,
  createDocument,
  createFrame,
  embedQr,
  type Frame,
  fitSize,
  formatDateTime,
  formatMoney,
  formHeader,
  GREY,
  gap,
  hline,
  type Margins,
  paragraph,
  qrBlock,
  row,
  saveDocument,
  signatureBlock,
  textBox,
  title,
} from '../forms/layout';
import { signPdf } from '../signing';
import type { Signer } from '../signing/signer';
import { obligationReason, type PaymentKind, type PaymentMethod } from './bills';
import { amountInWords } from './words';

export const KIND_LABEL_VI: Record<PaymentKind, string> = {
  fee: 'Phí, lệ phí giải quyết thủ tục hành chính',
  postal_tariff: 'Cước dịch vụ bưu chính công ích',
  financial_obligation: 'Nghĩa vụ tài chính',
};

const METHOD_LABEL_VI: Record<PaymentMethod, string> = {
  cash: 'Tiền mặt',
  online: 'Trực tuyến qua cổng thanh toán',
  vietqr: 'Chuyển khoản ngân hàng (VietQR)',
};

export type PaymentReceiptData = {
  billCode: string;
  kind: PaymentKind;
  reason: string | null;
  amount: number;
  method: PaymentMethod;
  gatewayRef: string | null;
  paidAt: Date;
  dossierCode: string | null;
  procedure: { code: string; name: string };
  office: { name: string; code: string; address: string; phone: string | null };
  agencyName: string;
  /** The clerk or courier who took cash or saw the transfer arrive; null for online payments. */
  collectorName: string | null;
  /** The public page of this bill; its QR lets anyone check the receipt is real. */
  checkUrl: string;
  /** E-receipt form symbol, series and number (per unit and year); null on bills paid before numbering. */
  receipt: { form: string; series: string; number: number } | null;
  /** Who paid: the dossier's applicant. */
  payerName: string | null;
  /** The bank's reference of a transfer recorded at the desk. */
  bankRef: string | null;
};

const MARGIN: Margins = { top: 26, right: 28, bottom: 24, left: 28 };
const QR_SIDE = 62;

/** The payer's receipt (A5): what was paid, for what, how and when, the amount in figures and in words. */
export const renderPaymentReceipt = async (d: PaymentReceiptData): Promise<Uint8Array> => {
  const { doc, fonts } = await createDocument();
  const qr = await embedQr(doc, d.checkUrl);
  const draw = (f: Frame, s: number) => {
    formHeader(f, {
      office: {
        name: d.office.name,
        code: d.office.code,
        parentName: 'Tổng công ty Bưu điện Việt Nam',
        place: 'Huế',
      },
      size: s * 0.86,
      date: d.paidAt,
    });
    gap(f, s * 0.9);
    title(f, d.kind === 'postal_tariff' ? 'Biên lai thu tiền' : 'Biên lai thu phí, lệ phí', s + 3, 1);
    paragraph(f, '(Biên lai điện tử - liên giao người nộp tiền)', {
      size: s * 0.92,
      align: 'center',
      color: GREY,
      after: 2,
    });
    if (d.receipt)
      paragraph(
        f,
        [
          { text: 'Mẫu số: ' },
          { text: d.receipt.form, bold: true },
          { text: '   Ký hiệu: ' },
          { text: d.receipt.series, bold: true },
          { text: '   Số: ' },
          { text: String(d.receipt.number).padStart(7, '0'), bold: true },
        ],
        { size: s, align: 'center', after: 2 },
      );
    paragraph(f, [{ text: 'Mã khoản thu: ' }, { text: d.billCode, bold: true }], {
      size: s + 1,
      align: 'center',
      after: s * 0.8,
    });
    const line = (label: string, value: string, bold = false) =>
      paragraph(f, [{ text: `${label}: ` }, { text: value, bold }], { size: s, after: s * 0.25 });
    if (d.payerName) line('Họ tên người nộp tiền', d.payerName, true);
    line('Mã hồ sơ', d.dossierCode ?? 'chưa cấp', true);
    line('Thủ tục hành chính', `${d.procedure.name} (mã ${d.procedure.code})`);
    line('Nội dung thu', KIND_LABEL_VI[d.kind]);
    if (d.reason) line('Lý do', d.reason);
    if (d.kind === 'financial_obligation') line('Cơ quan yêu cầu', d.agencyName);
    gap(f, s * 0.3);
    paragraph(f, [{ text: 'Số tiền: ' }, { text: formatMoney(d.amount), bold: true }], {
      size: s + 2,
      after: s * 0.25,
    });
    paragraph(f, [{ text: 'Bằng chữ: ' }, { text: `${amountInWords(d.amount)}.`, bold: true }], {
      size: s,
      after: s * 0.5,
    });
    line('Hình thức thanh toán', METHOD_LABEL_VI[d.method]);
    if (d.method === 'online' && d.gatewayRef) line('Mã giao dịch của cổng thanh toán', d.gatewayRef);
    if (d.method === 'vietqr' && d.bankRef) line('Mã giao dịch ngân hàng', d.bankRef);
    line('Thời điểm thanh toán', formatDateTime(d.paidAt));
    line(
      'Đơn vị thu',
      `${d.office.name}, ${d.office.address}${d.office.phone ? ` - ĐT ${d.office.phone}` : ''}`,
    );
    gap(f, s * 0.6);
    row(f, [
      qrBlock(f, qr, QR_SIDE, 'Quét mã để kiểm tra biên lai', s * 0.78),
      signatureBlock(
        f,
        {
          title: d.collectorName ? 'Người thu tiền' : 'Đơn vị thu tiền',
          hint: '(Biên lai điện tử do hệ thống lập)',
          name: d.collectorName ?? 'ĐÃ THU TIỀN',
        },
        s * 0.95,
        s * 1.6,
      ),
    ]);
    gap(f, s * 0.6);
    if (f.page && !f.measuring) hline(f, f.margin.left, f.pageSize[0] - f.margin.right, f.y + 2, 0.4);
    gap(f, 3);
    textBox(f, `Biên lai này xác nhận khoản tiền đã nhận cho hồ sơ nêu trên. Kiểm tra tại: ${d.checkUrl}`, {
      x: f.margin.left,
      top: f.y,
      width: f.pageSize[0] - f.margin.left - f.margin.right,
      size: s * 0.72,
      color: GREY,
    });
  };
  const size = fitSize(doc, fonts, A5, MARGIN, draw, 10.5, 7);
  const f = createFrame(doc, fonts, A5, MARGIN);
  f.continuation = (next) =>
    paragraph(next, 'Biên lai thu tiền (tiếp theo)', { size: 7, color: GREY, after: 4 });
  addPage(f);
  draw(f, size);
  return saveDocument(doc, {
    title: `Biên lai thu tiền ${d.billCode}`,
    subject: `${KIND_LABEL_VI[d.kind]} - hồ sơ ${d.dossierCode ?? ''}`.trim(),
    author: d.office.name,
    createdAt: d.paidAt,
  });
};

/**
 * The receipt of a paid bill: rendered once, signed PAdES with the unit's key when a signer is given (the
 * server's default key: the post office issues the receipt, not the clerk), kept in the file store (its hash on
 * the bill), the same bytes on every later download. Not paid yet: PAYMENT_RECEIPT_NOT_READY; unknown code:
 * PAYMENT_NOT_FOUND.
 */
export const receiptFor = async (
  db: Db,
  files: FileStore,
  opts: { billCode: string; publicUrl: string; signer?: Signer },
): Promise<Uint8Array> => {
  const agency = alias(offices, 'agency');
  const [row] = await db
    .select({
      bill: payments,
      dossierCode: dossiers.code,
      procedure: { code: procedures.code, name: procedures.name },
      office: { name: offices.name, code: offices.code, address: offices.address, phone: offices.phone },
      agencyName: agency.name,
      collectorName: users.fullName,
    })
    .from(payments)
    .innerJoin(dossiers, eq(dossiers.id, payments.dossierId))
    .innerJoin(procedures, eq(procedures.id, dossiers.procedureId))
    .innerJoin(offices, eq(offices.id, dossiers.receivingOfficeId))
    .innerJoin(agency, eq(agency.id, dossiers.agencyId))
    .leftJoin(users, eq(users.id, payments.recordedBy))
    .where(eq(payments.billCode, opts.billCode));
  if (!row) throw appError('PAYMENT_NOT_FOUND');
  const { bill } = row;
  if (bill.state !== 'paid' || !bill.paidAt) throw appError('PAYMENT_RECEIPT_NOT_READY');
  if (bill.receiptSha256) {
    try {
      return new Uint8Array(await files.get(bill.receiptSha256));
    } catch {
      // The stored file is gone: render it again from the bill (same data, same receipt).
    }
  }
  const rendered = await renderPaymentReceipt({
    billCode: opts.billCode,
    kind: bill.kind,
    reason: bill.kind === 'financial_obligation' ? await obligationReason(db, bill.dossierId) : null,
    amount: bill.amount,
    method: bill.method,
    gatewayRef: bill.gatewayRef,
    paidAt: bill.paidAt,
    dossierCode: row.dossierCode,
    procedure: row.procedure,
    office: row.office,
    agencyName: row.agencyName,
    collectorName: row.collectorName,
    checkUrl: `${opts.publicUrl.replace(/\/$/, '')}/pay/${opts.billCode}`,
    receipt:
      bill.receiptForm && bill.receiptSeries && bill.receiptNumber
        ? { form: bill.receiptForm, series: bill.receiptSeries, number: bill.receiptNumber }
        : null,
    payerName: bill.payerName,
    bankRef: bill.bankRef,
  });
  const bytes = opts.signer
    ? await signPdf(rendered, opts.signer, {
        reason: `Biên lai thu tiền ${opts.billCode}`,
        location: row.office.name,
        name: row.office.name,
      })
    : rendered;
  const stored = await files.put(db, { bytes, allowed: ['application/pdf'] });
  await db.update(payments).set({ receiptSha256: stored.sha256 }).where(eq(payments.id, bill.id));
  return bytes;
};
