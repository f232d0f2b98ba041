import {
  A5,
  addPage,
  applicantLines,
  createDocument,
  createFrame,
  type Frame,
  fitSize,
  formatDateTime,
  formHeader,
  GREY,
  gap,
  type Margins,
  paragraph,
  row,
  saveDocument,
  signatureBlock,
  title,
} from './layout';
import type { SupplementData } from './types';

export const SUPPLEMENT_FORM = 'Mẫu 02 - Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ';
const MARGIN: Margins = { top: 26, right: 28, bottom: 24, left: 28 };
const FORM_TITLE = 'Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ';

const draw = (f: Frame, d: SupplementData, s: number) => {
  formHeader(f, { office: d.office, size: s * 0.86, date: d.issuedAt });
  gap(f, s * 0.9);
  title(f, FORM_TITLE, s + 2, s * 0.8);
  applicantLines(f, { applicant: d.applicant, procedure: d.procedure, size: s, nameLabel: 'Hồ sơ của' });
  paragraph(f, `Thời gian tiếp nhận hồ sơ: ${formatDateTime(d.issuedAt)}`, { size: s, after: s * 0.4 });
  paragraph(
    f,
    `Sau khi xem xét hồ sơ, Bộ phận Một cửa - ${d.office.name} đề nghị Ông/Bà bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:`,
    { size: s, after: s * 0.25 },
  );
  d.missing.forEach((m, i) => {
    paragraph(f, m.item, { size: s, bold: true, bullet: `${i + 1}.`, x: f.margin.left + s });
    if (m.note) paragraph(f, `Lý do, hướng dẫn: ${m.note}`, { size: s * 0.95, x: f.margin.left + s * 2.3 });
  });
  gap(f, s * 0.5);
  paragraph(
    f,
    [
      { text: 'Bộ phận Một cửa chỉ yêu cầu bổ sung, hoàn thiện hồ sơ một lần. ', bold: true },
      {
        text: `Danh sách trên gồm đầy đủ ${d.missing.length} nội dung cần bổ sung, hoàn thiện; khi nộp lại hồ sơ, Ông/Bà mang theo phiếu này.`,
      },
    ],
    { size: s, after: s * 0.3 },
  );
  const phone = d.helpPhone ?? d.office.phone;
  if (phone) {
    paragraph(
      f,
      `Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà liên hệ ${d.clerkName}, số điện thoại ${phone} để được hướng dẫn.`,
      { size: s, after: s * 0.6 },
    );
  } else gap(f, s * 0.6);
  row(f, [
    { weight: 1, draw: () => 0 },
    signatureBlock(f, { title: 'NGƯỜI HƯỚNG DẪN', name: d.clerkName }, s * 0.95),
  ]);
  paragraph(f, 'Theo Mẫu số 02 ban hành kèm theo Thông tư số 01/2018/TT-VPCP', {
    size: s * 0.7,
    color: GREY,
  });
};

/** Mẫu 02, A5, one page: every missing item listed once. */
export const renderSupplementRequest = async (d: SupplementData): Promise<Uint8Array> => {
  const { doc, fonts } = await createDocument();
  const size = fitSize(doc, fonts, A5, MARGIN, (f, s) => draw(f, d, s), 9.5, 6.5);
  const f = createFrame(doc, fonts, A5, MARGIN);
  f.continuation = (next) => paragraph(next, `${FORM_TITLE} (tiếp theo)`, { size: 7, color: GREY, after: 4 });
  addPage(f);
  draw(f, d, size);
  return saveDocument(doc, {
    title: `${FORM_TITLE} - ${d.applicant.fullName}`,
    subject: SUPPLEMENT_FORM,
    author: d.office.name,
    createdAt: d.issuedAt,
  });
};
