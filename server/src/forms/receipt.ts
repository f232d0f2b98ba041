import type { PDFImage } from 'pdf-lib';
import {
  A5,
  addPage,
  applicantLines,
  componentForm,
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
  type Margins,
  paragraph,
  qrBlock,
  row,
  saveDocument,
  signatureBlock,
  table,
  title,
} from './layout';
import type { ReceiptData } from './types';

export const RECEIPT_FORM = 'Mẫu 01 - Giấy tiếp nhận hồ sơ và hẹn trả kết quả';
const COPIES = ['Liên 1: Lưu tại Bộ phận Một cửa', 'Liên 2: Giao người nộp hồ sơ'] as const;
const MARGIN: Margins = { top: 26, right: 28, bottom: 24, left: 28 };
const QR_SIDE = 64;
const pad2 = (n: number) => String(n).padStart(2, '0');

const CHANNELS = { direct: 'Trực tiếp', postal: 'Qua dịch vụ bưu chính công ích' } as const;

const drawCopy = (f: Frame, d: ReceiptData, s: number, copy: string, qr: PDFImage | undefined) => {
  formHeader(f, { office: d.office, size: s * 0.86, date: d.receivedAt });
  gap(f, s * 0.9);
  title(f, 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả', s + 2, 1);
  paragraph(f, [{ text: 'Mã hồ sơ: ' }, { text: d.dossierCode, bold: true }], {
    size: s + 3.5,
    align: 'center',
  });
  paragraph(f, `(${copy})`, { size: s * 0.92, align: 'center', color: GREY, after: s * 0.6 });

  const line = (label: string, value: string, bold = false) =>
    paragraph(f, [{ text: `${label}: ` }, { text: value, bold }], { size: s });
  line('Bộ phận tiếp nhận và trả kết quả', d.office.name);
  if (d.provider) line('Đơn vị tiếp nhận thay (dịch vụ bưu chính công ích)', d.provider.name);
  applicantLines(f, {
    applicant: d.applicant,
    procedure: d.procedure,
    size: s,
    nameLabel: 'Tiếp nhận hồ sơ của',
  });
  line('Hình thức nộp hồ sơ', CHANNELS[d.channel]);
  gap(f, s * 0.3);

  const item = (n: number, runs: { text: string; bold?: boolean }[]) =>
    paragraph(f, runs, { size: s, bullet: `${n}.` });
  item(1, [{ text: 'Thành phần hồ sơ nộp gồm:' }]);
  gap(f, s * 0.25);
  table(
    f,
    [
      { header: 'STT', weight: 6, align: 'center' },
      { header: 'Tên giấy tờ', weight: 62 },
      { header: 'Hình thức', weight: 19, align: 'center' },
      { header: 'Số bản', weight: 8, align: 'center' },
    ],
    d.components.map((c, i) => [
      String(i + 1),
      c.reused ? [{ text: `${c.name} ` }, { text: '(tái sử dụng dữ liệu số)', bold: true }] : c.name,
      componentForm(c.form),
      pad2(c.copies),
    ]),
    { size: s * 0.9 },
  );
  gap(f, s * 0.35);
  item(2, [{ text: `Số lượng hồ sơ: ${pad2(d.sets)} (bộ)` }]);
  item(3, [
    {
      text: `Thời gian giải quyết hồ sơ theo quy định là: ${d.processingTime ?? `${d.processingWorkingDays} ngày làm việc`}`,
    },
  ]);
  item(4, [{ text: `Thời gian nhận hồ sơ: ${formatDateTime(d.receivedAt)}` }]);
  item(5, [
    { text: 'Thời gian trả kết quả giải quyết hồ sơ: ' },
    { text: formatDateTime(d.dueAt), bold: true },
  ]);
  item(6, [
    { text: 'Đăng ký nhận kết quả tại: ' },
    d.returnMethod.kind === 'post'
      ? { text: `Qua dịch vụ Bưu chính công ích: ${d.returnMethod.address}`, bold: true }
      : { text: 'Tại Bộ phận Một cửa', bold: true },
  ]);

  const fees = [...d.fees];
  if (d.postalTariff !== null)
    fees.push({ label: 'Cước dịch vụ bưu chính công ích', amount: d.postalTariff });
  if (fees.length === 0) item(7, [{ text: 'Phí, lệ phí: Không' }]);
  else {
    item(7, [{ text: 'Phí, lệ phí, cước dịch vụ:' }]);
    const indent = f.margin.left + s * 1.3;
    for (const fee of fees) {
      paragraph(f, `${fee.label}: ${formatMoney(fee.amount)}`, { size: s, bullet: '-', x: indent });
    }
    const total = fees.reduce((sum, fee) => sum + fee.amount, 0);
    paragraph(f, [{ text: 'Tổng cộng: ' }, { text: formatMoney(total), bold: true }], { size: s, x: indent });
  }
  gap(f, s * 0.3);
  paragraph(f, `Vào Sổ theo dõi hồ sơ, Quyển số: ${d.book.volume}, Số thứ tự: ${d.book.entry}`, {
    size: s,
    bold: true,
    after: s * 0.6,
  });

  const sign = s * 0.9;
  row(f, [
    { ...signatureBlock(f, { title: 'NGƯỜI NỘP HỒ SƠ' }, sign, QR_SIDE - sign * 2.5), weight: 38 },
    { ...qrBlock(f, qr, QR_SIDE, 'Quét mã để tra cứu hồ sơ', s * 0.72), weight: 24 },
    {
      ...signatureBlock(f, { title: 'NGƯỜI TIẾP NHẬN HỒ SƠ', name: d.clerkName }, sign, QR_SIDE - sign * 2.5),
      weight: 38,
    },
  ]);
};

/** Mẫu 01, A5: two pages, one per copy (Liên 1 stays at the desk, Liên 2 goes to the applicant). */
export const renderReceipt = async (d: ReceiptData): Promise<Uint8Array> => {
  const { doc, fonts } = await createDocument();
  const qr = await embedQr(doc, d.trackingUrl);
  const size = fitSize(doc, fonts, A5, MARGIN, (f, s) => drawCopy(f, d, s, COPIES[1], undefined), 9.5, 6);
  for (const copy of COPIES) {
    const f = createFrame(doc, fonts, A5, MARGIN);
    f.continuation = (next) =>
      paragraph(next, `Mã hồ sơ ${d.dossierCode} - ${copy} (tiếp theo)`, { size: 7, color: GREY, after: 4 });
    addPage(f);
    drawCopy(f, d, size, copy, qr);
  }
  return saveDocument(doc, {
    title: `Giấy tiếp nhận hồ sơ và hẹn trả kết quả ${d.dossierCode}`,
    subject: RECEIPT_FORM,
    author: d.office.name,
    createdAt: d.receivedAt,
  });
};
