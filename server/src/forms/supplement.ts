import {
  applicantLines,
  closingSignature,
  type Frame,
  formatDateTime,
  formHeader,
  gap,
  type Margins,
  paragraph,
  renderA5Slip,
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
  closingSignature(f, { title: 'NGƯỜI HƯỚNG DẪN', name: d.clerkName, form: 'Mẫu số 02' }, s);
};

/** Mẫu 02, A5, one page: every missing item listed once. */
export const renderSupplementRequest = (d: SupplementData): Promise<Uint8Array> =>
  renderA5Slip({
    formTitle: FORM_TITLE,
    draw: (f, s) => draw(f, d, s),
    margin: MARGIN,
    max: 9.5,
    min: 6.5,
    info: {
      title: `${FORM_TITLE} - ${d.applicant.fullName}`,
      subject: SUPPLEMENT_FORM,
      author: d.office.name,
      createdAt: d.issuedAt,
    },
  });
