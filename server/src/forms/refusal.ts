import {
  A5,
  addPage,
  applicantLines,
  createDocument,
  createFrame,
  type Frame,
  fitSize,
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
  row(f, [
    { weight: 1, draw: () => 0 },
    signatureBlock(f, { title: 'NGƯỜI TIẾP NHẬN HỒ SƠ', name: d.clerkName }, s * 0.95),
  ]);
  paragraph(f, 'Theo Mẫu số 03 ban hành kèm theo Thông tư số 01/2018/TT-VPCP', {
    size: s * 0.7,
    color: GREY,
  });
};

/** Mẫu 03, A5, one page, with the reasons for refusing the dossier. */
export const renderRefusal = async (d: RefusalData): Promise<Uint8Array> => {
  const { doc, fonts } = await createDocument();
  const size = fitSize(doc, fonts, A5, MARGIN, (f, s) => draw(f, d, s), 9.5, 6.5);
  const f = createFrame(doc, fonts, A5, MARGIN);
  f.continuation = (next) => paragraph(next, `${FORM_TITLE} (tiếp theo)`, { size: 7, color: GREY, after: 4 });
  addPage(f);
  draw(f, d, size);
  return saveDocument(doc, {
    title: `${FORM_TITLE} - ${d.applicant.fullName}`,
    subject: REFUSAL_FORM,
    author: d.office.name,
    createdAt: d.issuedAt,
  });
};
