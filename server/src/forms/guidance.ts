import type { PDFImage } from 'pdf-lib';
import {
  A4,
  addPage,
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
  table,
  textBox,
  title,
} from './layout';
import type { GuidanceData } from './types';

export const GUIDANCE_FORM = 'Phiếu hướng dẫn thực hiện thủ tục hành chính';
const MARGIN: Margins = { top: 30, right: 36, bottom: 28, left: 36 };
const QR_SIDE = 78;

const draw = (f: Frame, d: GuidanceData, s: number, qr: PDFImage | undefined) => {
  const p = d.procedure;
  formHeader(f, { office: d.office, size: s * 0.9 });
  gap(f, s);
  title(f, 'Phiếu hướng dẫn thực hiện thủ tục hành chính', s + 3, s * 0.3);
  paragraph(f, p.name, { size: s + 1.5, bold: true, align: 'center' });
  paragraph(f, `Mã thủ tục: ${p.code} - Lĩnh vực: ${p.field}`, {
    size: s,
    align: 'center',
    color: GREY,
    after: s * 0.8,
  });

  const heading = (n: number, text: string, value?: string) =>
    paragraph(f, [{ text: `${text}${value === undefined ? '' : ': '}`, bold: true }, { text: value ?? '' }], {
      size: s,
      bullet: `${n}.`,
      bold: true,
      after: s * 0.2,
    });
  const indent = f.margin.left + s * 1.4;
  const sub = (text: string) => paragraph(f, text, { size: s, bullet: '-', x: indent });

  heading(1, 'Cơ quan giải quyết', p.agencyName);
  heading(
    2,
    'Thời hạn giải quyết',
    `${p.processingWorkingDays} ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ`,
  );
  heading(3, 'Kết quả giải quyết', p.resultName);
  heading(4, 'Thành phần hồ sơ');
  table(
    f,
    [
      { header: 'STT', weight: 5, align: 'center' },
      { header: 'Tên giấy tờ', weight: 42 },
      { header: 'Hình thức', weight: 15, align: 'center' },
      { header: 'Số bản', weight: 7, align: 'center' },
      { header: 'Bắt buộc', weight: 11, align: 'center' },
      { header: 'Ghi chú', weight: 20 },
    ],
    p.components.map((c, i) => [
      String(i + 1),
      c.name,
      componentForm(c.form),
      String(c.copies).padStart(2, '0'),
      c.required ? 'Bắt buộc' : 'Nếu có',
      c.note ?? '',
    ]),
    { size: s * 0.92 },
  );
  gap(f, s * 0.5);

  if (p.fees.length === 0) heading(5, 'Phí, lệ phí', 'Không');
  else {
    heading(5, 'Phí, lệ phí');
    for (const fee of p.fees) sub(`${fee.label}: ${formatMoney(fee.amount)}`);
  }
  heading(6, 'Dịch vụ bưu chính công ích');
  sub(`Nhận hồ sơ tại nhà qua bưu điện: ${p.pickupAllowed ? 'Có' : 'Không áp dụng'}`);
  sub(`Trả kết quả tại nhà qua bưu điện: ${p.deliveryAllowed ? 'Có' : 'Không áp dụng'}`);
  if (p.pickupAllowed || p.deliveryAllowed)
    sub(`Cước dịch vụ bưu chính công ích: ${formatMoney(p.postalTariff)}/chiều`);
  heading(7, 'Căn cứ pháp lý');
  if (p.legalBasis.length === 0) sub('Theo quy định hiện hành.');
  for (const basis of p.legalBasis) sub(basis);
  gap(f, s * 0.8);

  const office = d.office;
  row(f, [
    {
      weight: 70,
      draw: (x, top, width) => {
        let h = textBox(f, 'Nơi tiếp nhận hồ sơ và hướng dẫn:', { x, top, width, size: s });
        h += textBox(f, office.name, { x, top: top - h, width, size: s, bold: true });
        if (office.address)
          h += textBox(f, `Địa chỉ: ${office.address}`, { x, top: top - h, width, size: s });
        if (office.phone) h += textBox(f, `Điện thoại: ${office.phone}`, { x, top: top - h, width, size: s });
        h += s * 0.5;
        h += textBox(f, `In lúc ${formatDateTime(d.printedAt)}`, {
          x,
          top: top - h,
          width,
          size: s * 0.85,
          color: GREY,
        });
        return h;
      },
    },
    { ...qrBlock(f, qr, QR_SIDE, 'Quét mã để xem thủ tục trên danh mục', s * 0.75), weight: 30 },
  ]);
};

/**
 * The guidance sheet a citizen takes home: one A4 page; long procedures get a smaller font (down to 5.5 pt),
 * not a second page. Only content that overflows even at 5.5 pt continues on a second page.
 */
export const renderGuidance = async (d: GuidanceData): Promise<Uint8Array> => {
  const { doc, fonts } = await createDocument();
  const qr = await embedQr(doc, d.catalogUrl);
  const size = fitSize(doc, fonts, A4, MARGIN, (f, s) => draw(f, d, s, undefined), 10.5, 5.5);
  const f = createFrame(doc, fonts, A4, MARGIN);
  f.continuation = (next) =>
    paragraph(next, `${d.procedure.name} (tiếp theo)`, { size: 7, color: GREY, after: 4 });
  addPage(f);
  draw(f, d, size, qr);
  return saveDocument(doc, {
    title: `Hướng dẫn thủ tục ${d.procedure.code} - ${d.procedure.name}`,
    subject: GUIDANCE_FORM,
    author: d.office.name,
    createdAt: d.printedAt,
  });
};
