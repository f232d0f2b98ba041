import {
  applicantLines,
  closingSignature,
  type Frame,
  formHeader,
  gap,
  type Margins,
  paragraph,
  renderA5Slip,
  title,
} from './layout';
import type { RefusalData } from './types';

export const REFUSAL_FORM = 'Mẫu 03 - Phiếu từ chối tiếp nhận giải quyết hồ sơ';
const MARGIN: Margins = { top: 26, right: 28, bottom: 24, left: 28 };
const FORM_TITLE = 'Phiếu từ chối tiếp nhận giải quyết hồ sơ';

const draw = (f: Frame, d: RefusalData, s: number) => {
  formHeader(f, { office: d.office, size: s * 0.86, date: d.issuedAt });
  gap(f, s * 0.9);
  title(f, FORM_TITLE, s + 2, s * 0.8);
  paragraph(f, `Bộ phận tiếp nhận và trả kết quả: ${d.office.name}`, { size: s });
  applicantLines(f, {
    applicant: d.applicant,
    procedure: d.procedure,
    size: s,
    nameLabel: 'Tiếp nhận hồ sơ của',
  });
  gap(f, s * 0.4);
  paragraph(
    f,
    'Sau khi nghiên cứu, đối chiếu với quy định hiện hành, Bộ phận tiếp nhận và trả kết quả không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:',
    { size: s, after: s * 0.25 },
  );
  d.reasons.forEach((reason, i) => {
    paragraph(f, reason, { size: s, bullet: `${i + 1}.`, x: f.margin.left + s });
  });
  gap(f, s * 0.4);
  paragraph(f, 'Xin thông báo để Ông/Bà được biết và thực hiện./.', { size: s, after: s * 0.8 });
  closingSignature(f, { title: 'NGƯỜI TIẾP NHẬN HỒ SƠ', name: d.clerkName, form: 'Mẫu số 03' }, s);
};

/** Mẫu 03, A5, one page, with the reasons for refusing the dossier. */
export const renderRefusal = (d: RefusalData): Promise<Uint8Array> =>
  renderA5Slip({
    formTitle: FORM_TITLE,
    draw: (f, s) => draw(f, d, s),
    margin: MARGIN,
    max: 9.5,
    min: 6.5,
    info: {
      title: `${FORM_TITLE} - ${d.applicant.fullName}`,
      subject: REFUSAL_FORM,
      author: d.office.name,
      createdAt: d.issuedAt,
    },
  });
