import {
  type Frame,
  formatDateTime,
  formHeader,
  GREY,
  gap,
  type Margins,
  paragraph,
  renderA5Slip,
  row,
  signatureBlock,
  textBox,
  title,
} from './layout';
import type { FormApplicant, FormOffice } from './types';

/** Mẫu 04 — Phiếu xin lỗi và hẹn lại ngày trả kết quả */
export type ApologyData = {
  /** The agency that handles the dossier and apologises. */
  agency: FormOffice;
  /** The one-stop desk that received it (a copy goes there). */
  desk: FormOffice;
  applicant: FormApplicant;
  procedure: { code: string; name: string };
  dossierCode: string;
  receivedAt: Date;
  previousDueAt: Date;
  newDueAt: Date;
  reason: string;
  issuedAt: Date;
  officialName: string;
};

export const APOLOGY_FORM = 'Mẫu 04 - Phiếu xin lỗi và hẹn lại ngày trả kết quả';
const MARGIN: Margins = { top: 26, right: 28, bottom: 24, left: 28 };
const FORM_TITLE = 'Phiếu xin lỗi và hẹn lại ngày trả kết quả';

const draw = (f: Frame, d: ApologyData, s: number) => {
  formHeader(f, { office: d.agency, size: s * 0.86, date: d.issuedAt });
  gap(f, s * 0.9);
  title(f, FORM_TITLE, s + 2, s * 0.8);
  paragraph(f, [{ text: 'Kính gửi: Ông/Bà ' }, { text: d.applicant.fullName, bold: true }], {
    size: s,
    align: 'center',
    after: s * 0.2,
  });
  if (d.applicant.address) paragraph(f, `Địa chỉ: ${d.applicant.address}`, { size: s });
  if (d.applicant.phone) paragraph(f, `Số điện thoại: ${d.applicant.phone}`, { size: s });
  gap(f, s * 0.3);
  paragraph(
    f,
    [
      {
        text: `Lúc ${formatDateTime(d.receivedAt)}, ${d.desk.name} tiếp nhận hồ sơ đề nghị giải quyết thủ tục `,
      },
      { text: d.procedure.name, bold: true },
      { text: ` (Mã TTHC: ${d.procedure.code}) của Ông/Bà. Mã hồ sơ: ` },
      { text: d.dossierCode, bold: true },
      { text: '.' },
    ],
    { size: s, after: s * 0.25 },
  );
  paragraph(
    f,
    [
      { text: 'Thời gian hẹn trả kết quả giải quyết hồ sơ: ' },
      { text: formatDateTime(d.previousDueAt), bold: true },
      { text: '.' },
    ],
    { size: s, after: s * 0.25 },
  );
  paragraph(
    f,
    `Tuy nhiên, đến nay ${d.agency.name} chưa trả kết quả giải quyết hồ sơ cho Ông/Bà đúng thời hạn ghi trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả.`,
    { size: s, after: s * 0.25 },
  );
  paragraph(f, [{ text: 'Lý do: ', bold: true }, { text: d.reason }], { size: s, after: s * 0.25 });
  paragraph(
    f,
    [
      {
        text: `Sự chậm trễ này đã gây phiền hà, tốn kém chi phí, công sức của Ông/Bà. ${d.agency.name} xin lỗi Ông/Bà và sẽ trả kết quả giải quyết hồ sơ cho Ông/Bà vào: `,
      },
      { text: formatDateTime(d.newDueAt), bold: true },
      { text: '.' },
    ],
    { size: s, after: s * 0.25 },
  );
  paragraph(f, 'Xin trân trọng cảm ơn sự hợp tác của Ông/Bà./.', { size: s, after: s * 0.6 });
  const recipients = {
    weight: 1,
    draw: (x: number, top: number, width: number) => {
      const small = s * 0.85;
      let h = textBox(f, 'Nơi nhận:', { x, top, width, size: small, bold: true });
      for (const line of ['- Như trên;', `- ${d.desk.name};`, '- Lưu: VT.']) {
        h += textBox(f, line, { x, top: top - h, width, size: small });
      }
      return h;
    },
  };
  row(f, [
    recipients,
    signatureBlock(
      f,
      { title: 'THỦ TRƯỞNG CƠ QUAN GIẢI QUYẾT', hint: '(Ký, ghi rõ họ tên)', name: d.officialName },
      s * 0.95,
    ),
  ]);
  paragraph(f, 'Theo Mẫu số 04 ban hành kèm theo Thông tư số 01/2018/TT-VPCP', {
    size: s * 0.7,
    color: GREY,
  });
};

/** Mẫu 04, A5, one page: the reason for the delay and the new date, once per dossier. */
export const renderApology = (d: ApologyData): Promise<Uint8Array> =>
  renderA5Slip({
    formTitle: FORM_TITLE,
    draw: (f, s) => draw(f, d, s),
    margin: MARGIN,
    max: 9.5,
    min: 6.5,
    info: {
      title: `${FORM_TITLE} - ${d.dossierCode}`,
      subject: APOLOGY_FORM,
      author: d.agency.name,
      createdAt: d.issuedAt,
    },
  });
