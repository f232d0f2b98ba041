import {
  A4_LANDSCAPE,
  addPage,
  type Column,
  createDocument,
  createFrame,
  formatDateTimeShort,
  formatIsoDate,
  formHeader,
  GREY,
  gap,
  type Margins,
  nfc,
  paragraph,
  saveDocument,
  table,
  textWidth,
  title,
} from './layout';
import type { TrackingBookData, TrackingBookRow } from './types';

export const TRACKING_BOOK_FORM = 'Mẫu 06 - Sổ theo dõi hồ sơ';
const MARGIN: Margins = { top: 26, right: 24, bottom: 34, left: 24 };
const SIZE = 7.5;

const COLUMNS: Column[] = [
  { header: 'STT', weight: 3.6, align: 'center' },
  // Wide enough for a full code on one line (`000.00.13.H57-261124-0001` at 7.5 pt).
  { header: 'Mã hồ sơ', weight: 15 },
  { header: 'Tên TTHC', weight: 13 },
  { header: 'Số lượng hồ sơ (bộ)', weight: 5, align: 'center' },
  { header: 'Tên cá nhân/ tổ chức', weight: 10 },
  { header: 'Địa chỉ/ Số điện thoại', weight: 11 },
  { header: 'Cơ quan chủ trì giải quyết', weight: 10 },
  { header: 'Ngày/giờ nhận', weight: 6.8, align: 'center' },
  { header: 'Ngày/giờ hẹn trả', weight: 6.8, align: 'center' },
  { header: 'Chuyển hồ sơ đến cơ quan giải quyết (ngày, ký nhận)', weight: 8, align: 'center' },
  { header: 'Nhận kết quả (ngày)', weight: 6.8, align: 'center' },
  { header: 'Trả kết quả cho cá nhân/ tổ chức (ngày, ký nhận)', weight: 8, align: 'center' },
  { header: 'Ghi chú', weight: 6 },
];

const when = (d: Date | null) => (d ? formatDateTimeShort(d) : '');

const cells = (r: TrackingBookRow, i: number) => [
  String(i + 1),
  r.dossierCode,
  r.procedureName,
  String(r.sets),
  r.applicantName,
  r.applicantContact,
  r.agencyName,
  when(r.receivedAt),
  when(r.dueAt),
  when(r.forwardedAt),
  when(r.resultReceivedAt),
  when(r.returnedAt),
  r.note,
];

/** Mẫu 06, A4 landscape: the tracking book for a date range, header repeated and "Trang x/y" on every page. */
export const renderTrackingBook = async (d: TrackingBookData): Promise<Uint8Array> => {
  const { doc, fonts } = await createDocument();
  const f = createFrame(doc, fonts, A4_LANDSCAPE, MARGIN);
  addPage(f);
  formHeader(f, { office: d.office, size: 9.5 });
  gap(f, 6);
  title(f, 'Sổ theo dõi hồ sơ', 15, 1);
  paragraph(f, `Quyển số: ${d.volume}`, { size: 10, align: 'center', bold: true });
  paragraph(f, `Từ ngày ${formatIsoDate(d.from)} đến ngày ${formatIsoDate(d.to)}`, {
    size: 10,
    align: 'center',
    after: 8,
  });
  table(f, COLUMNS, d.rows.map(cells), { size: SIZE, headerSize: SIZE, numbered: true });
  if (d.rows.length === 0) {
    gap(f, 6);
    paragraph(f, 'Không có hồ sơ nào được tiếp nhận trong khoảng thời gian này.', {
      size: 9,
      align: 'center',
    });
  }

  const pages = doc.getPages();
  const footer = nfc(
    `Sổ theo dõi hồ sơ - ${d.office.name} - Quyển số ${d.volume} - In lúc ${formatDateTimeShort(d.printedAt)}`,
  );
  const y = MARGIN.bottom - 18;
  pages.forEach((page, i) => {
    const number = nfc(`Trang ${i + 1}/${pages.length}`);
    page.drawText(footer, { x: MARGIN.left, y, size: 7, font: fonts.regular, color: GREY });
    const w = textWidth(fonts, number, 8);
    page.drawText(number, { x: A4_LANDSCAPE[0] - MARGIN.right - w, y, size: 8, font: fonts.regular });
  });

  return saveDocument(doc, {
    title: `Sổ theo dõi hồ sơ ${d.office.name} ${formatIsoDate(d.from)} - ${formatIsoDate(d.to)}`,
    subject: TRACKING_BOOK_FORM,
    author: d.office.name,
    createdAt: d.printedAt,
  });
};
