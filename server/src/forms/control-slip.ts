import {
  type Frame,
  formatDateTime,
  formatDateTimeShort,
  formHeader,
  GREY,
  gap,
  type Margins,
  paragraph,
  type Rich,
  renderA5Slip,
  table,
  title,
} from './layout';
import type { FormOffice } from './types';

export type HandOverTimeliness = 'early' | 'on_time' | 'late';

/** One hand-over of the dossier (or its result) between units, from the event log. */
export type HandOverRow = {
  from: string;
  to: string;
  at: Date;
  /** The person who handed over, and the one who received (when known). */
  giver?: string | null;
  receiver?: string | null;
  /** The time it was due by, for the early/on-time/late column. */
  dueBy?: Date | null;
  timeliness?: HandOverTimeliness | null;
  note?: string;
};

/** Mẫu 05 — Phiếu kiểm soát quá trình giải quyết hồ sơ */
export type ControlSlipData = {
  desk: FormOffice;
  dossierCode: string;
  applicantName: string;
  procedure: { code: string; name: string };
  receivedAt: Date;
  dueAt: Date | null;
  agencyName: string;
  rows: HandOverRow[];
  printedAt: Date;
};

export const CONTROL_SLIP_FORM = 'Mẫu 05 - Phiếu kiểm soát quá trình giải quyết hồ sơ';
const MARGIN: Margins = { top: 24, right: 22, bottom: 22, left: 22 };
const FORM_TITLE = 'Phiếu kiểm soát quá trình giải quyết hồ sơ';

const TIMELINESS: Record<HandOverTimeliness, string> = {
  early: 'Trước hạn',
  on_time: 'Đúng hạn',
  late: 'Quá hạn',
};

const cells = (r: HandOverRow, i: number): Rich[] => [
  [
    { text: `${i + 1}. Giao: `, bold: true },
    { text: `${r.from}\n` },
    { text: 'Nhận: ', bold: true },
    { text: r.to },
  ],
  [
    { text: formatDateTime(r.at) },
    ...(r.giver ? [{ text: `\nNgười giao: ${r.giver}` }] : []),
    ...(r.receiver ? [{ text: `\nNgười nhận: ${r.receiver}` }] : []),
  ],
  r.timeliness
    ? [
        { text: TIMELINESS[r.timeliness], bold: true },
        ...(r.dueBy ? [{ text: `\n(hạn ${formatDateTimeShort(r.dueBy)})` }] : []),
      ]
    : '',
  r.note ?? '',
];

const draw = (f: Frame, d: ControlSlipData, s: number) => {
  formHeader(f, {
    office: { ...d.desk, name: `Bộ phận tiếp nhận và trả kết quả - ${d.desk.name}` },
    size: s * 0.86,
  });
  gap(f, s * 0.8);
  title(f, FORM_TITLE, s + 2, s * 0.6);
  paragraph(f, [{ text: 'Mã hồ sơ: ' }, { text: d.dossierCode, bold: true }], { size: s, align: 'center' });
  paragraph(f, '(Kèm theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả)', {
    size: s * 0.85,
    align: 'center',
    color: GREY,
    after: s * 0.4,
  });
  paragraph(f, [{ text: 'Kèm theo hồ sơ của: ' }, { text: d.applicantName, bold: true }], { size: s });
  paragraph(f, `Thủ tục: ${d.procedure.name} (Mã TTHC: ${d.procedure.code})`, { size: s });
  paragraph(f, `Ngày, giờ nhận hồ sơ: ${formatDateTime(d.receivedAt)}`, { size: s });
  paragraph(f, `Ngày, giờ hẹn trả kết quả: ${d.dueAt ? formatDateTime(d.dueAt) : '………………'}`, { size: s });
  paragraph(f, [{ text: 'Cơ quan (bộ phận) giải quyết hồ sơ: ' }, { text: d.agencyName, bold: true }], {
    size: s,
  });
  paragraph(f, 'Cơ quan phối hợp giải quyết hồ sơ: không', { size: s, after: s * 0.5 });
  table(
    f,
    [
      { header: 'TÊN CƠ QUAN', weight: 29 },
      { header: 'THỜI GIAN GIAO, NHẬN HỒ SƠ', weight: 28 },
      { header: 'KẾT QUẢ GIẢI QUYẾT HỒ SƠ (Trước hạn/ đúng hạn/ quá hạn)', weight: 18, align: 'center' },
      { header: 'GHI CHÚ', weight: 25 },
    ],
    d.rows.map(cells),
    { size: s * 0.82, headerSize: s * 0.75 },
  );
  gap(f, s * 0.5);
  paragraph(
    f,
    `Phiếu lập tự động từ nhật ký hồ sơ lúc ${formatDateTimeShort(d.printedAt)}; thời gian giao, nhận là thời điểm ghi nhận trên hệ thống.`,
    { size: s * 0.7, color: GREY },
  );
  paragraph(f, 'Theo Mẫu số 05 ban hành kèm theo Thông tư số 01/2018/TT-VPCP', {
    size: s * 0.7,
    color: GREY,
  });
};

/** Mẫu 05, A5: every hand-over between the desk and the agency, with early/on-time/late against its due time. */
export const renderControlSlip = (d: ControlSlipData): Promise<Uint8Array> =>
  renderA5Slip({
    formTitle: FORM_TITLE,
    draw: (f, s) => draw(f, d, s),
    margin: MARGIN,
    max: 9,
    min: 6.5,
    info: {
      title: `${FORM_TITLE} - ${d.dossierCode}`,
      subject: CONTROL_SLIP_FORM,
      author: d.desk.name,
      createdAt: d.printedAt,
    },
  });
