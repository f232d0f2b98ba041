import { appError, type GroupBy, INDICATORS, type IndicatorKey } from '@postdesk/shared';
import ExcelJS from 'exceljs';
import type { Db } from '../db/client';
import { deadlineBoard, drilldown, monthFigures, monthsBack, namesOf, summarize, trend } from './service';

export type Cell = string | number | null;
export type Table = { title: string; columns: string[]; rows: Cell[][] };

const INDICATOR_VI: Record<IndicatorKey, string> = {
  onTime: 'Đúng hạn',
  electronicResult: 'Kết quả điện tử',
  digitization: 'Số hóa',
  reuse: 'Tái sử dụng',
  online: 'Trực tuyến',
  onlinePayment: 'Thanh toán trực tuyến',
  satisfaction: 'Hài lòng',
};
export const indicatorLabel = (k: IndicatorKey) => INDICATOR_VI[k];

const local = (iso: string | null) =>
  iso ? new Date(new Date(iso).getTime() + 7 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ') : null;

export type TableQuery = {
  officeIds: string[];
  month: string;
  groupBy: GroupBy;
  key?: string;
  indicator?: IndicatorKey | 'postal';
  now: Date;
};

/** The tables the pages show, as plain rows for CSV, XLSX and the PDF report (Vietnamese headings). */
export const buildTable = async (db: Db, name: string, q: TableQuery): Promise<Table> => {
  if (name === 'deadlines') {
    const board = await deadlineBoard(db, { officeIds: q.officeIds, now: q.now });
    return {
      title: 'Bảng theo dõi hạn xử lý',
      columns: [
        'Mã hồ sơ',
        'Thủ tục',
        'Bưu cục',
        'Cơ quan',
        'Hạn trả',
        'Giờ làm việc còn lại',
        'Đang ở',
        'Mức rủi ro',
      ],
      rows: board.rows.map((r) => [
        r.code,
        `${r.procedureCode} ${r.procedureName}`,
        r.officeName,
        r.agencyName,
        local(r.effectiveDueAt),
        r.hoursLeft,
        r.where,
        r.risk,
      ]),
    };
  }
  if (name === 'indicators') {
    const s = summarize(await monthFigures(db, q));
    return {
      title: `Chỉ số phục vụ (Quyết định 766) tháng ${q.month}`,
      columns: [
        'Hạng',
        'Đơn vị',
        ...INDICATORS.flatMap((k) => [`${INDICATOR_VI[k]} (%)`, `${INDICATOR_VI[k]} (tử/mẫu)`]),
        'Công khai, minh bạch (điểm)',
        'Tổng điểm',
        'Điểm tối đa',
        'Tỷ lệ điểm (%)',
      ],
      rows: s.groups.map((g) => [
        g.rank,
        g.name,
        ...INDICATORS.flatMap((k) => {
          const r = g.indicators[k];
          return [r.rate, `${r.numerator}/${r.denominator}`];
        }),
        g.publicityEntered ? g.groupPoints.publicity : 'chưa nhập',
        g.totalPoints,
        g.attainablePoints,
        g.score,
      ]),
    };
  }
  if (name === 'drilldown') {
    if (!q.key || !q.indicator) throw appError('BOARD_REPORT_UNKNOWN');
    const d = drilldown(await monthFigures(db, q), q.key, q.indicator);
    return {
      title: `Hồ sơ của chỉ số ${q.indicator === 'postal' ? 'Bưu chính' : INDICATOR_VI[q.indicator]} tháng ${q.month}`,
      columns: ['Mã hồ sơ', 'Thủ tục', 'Bưu cục', 'Cơ quan', 'Tiếp nhận', 'Hạn trả', 'Trong tử số', 'Lý do'],
      rows: [...d.numerator, ...d.excluded].map((r) => [
        r.code,
        `${r.procedureCode} ${r.procedureName}`,
        r.officeName,
        r.agencyName,
        local(r.receivedAt),
        local(r.dueAt),
        r.inNumerator ? 'có' : 'không',
        r.reason,
      ]),
    };
  }
  if (name === 'trend') {
    const months = monthsBack(q.month, 12);
    const by = q.groupBy === 'office' || q.groupBy === 'agency' ? q.groupBy : 'none';
    const points = await trend(db, { officeIds: q.officeIds, months, groupBy: by });
    const names =
      by === 'none' ? { all: 'Tất cả' } : await namesOf(db, by, [...new Set(points.map((p) => p.key))]);
    return {
      title: `Xu hướng theo tháng (${months[0]} – ${q.month})`,
      columns: [
        'Tháng',
        'Đơn vị',
        'Tiếp nhận',
        'Đúng hạn (%)',
        'Số hóa (%)',
        'Tái sử dụng (%)',
        'Trực tuyến (%)',
        'Thanh toán TT (%)',
        'Kết quả điện tử (%)',
        'Hài lòng (%)',
        'Qua bưu chính (%)',
      ],
      rows: points.map((p) => [
        p.month,
        names[p.key] ?? p.key,
        p.received,
        p.onTime,
        p.digitization,
        p.reuse,
        p.online,
        p.onlinePayment,
        p.electronicResult,
        p.satisfaction,
        p.postalShare,
      ]),
    };
  }
  throw appError('BOARD_REPORT_UNKNOWN');
};

const csvCell = (v: Cell) => {
  if (v === null) return '';
  const s = String(v);
  // A cell starting with = + - @ would be a formula in a spreadsheet: prefix it so it stays text.
  const safe = /^[=+\-@]/.test(s) && typeof v === 'string' ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
};

/** UTF-8 with a byte-order mark, so Excel opens the Vietnamese text correctly. */
export const toCsv = (t: Table) =>
  `\uFEFF${[t.columns, ...t.rows].map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;

export const toXlsx = async (t: Table) => {
  const book = new ExcelJS.Workbook();
  book.creator = 'PostDesk';
  const sheet = book.addWorksheet('Báo cáo');
  sheet.addRow([t.title]).font = { bold: true, size: 13 };
  const header = sheet.addRow(t.columns);
  header.font = { bold: true };
  for (const r of t.rows) sheet.addRow(r);
  sheet.columns.forEach((c, i) => {
    const widest = Math.max(
      ...[t.columns[i] ?? '', ...t.rows.map((r) => String(r[i] ?? ''))].map((s) => s.length),
    );
    c.width = Math.min(60, Math.max(8, widest + 2));
  });
  sheet.views = [{ state: 'frozen', ySplit: 2 }];
  return new Uint8Array(await book.xlsx.writeBuffer());
};
