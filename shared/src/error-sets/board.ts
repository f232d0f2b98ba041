import type { ErrorEntry } from '../errors';

/** Errors of the supervisor's deadline board and indicators: Vietnamese first (what to do), English second. */
export const BOARD_ERRORS = {
  BOARD_OFFICE_NOT_YOURS: {
    status: 403,
    vi: 'Bạn không giám sát đơn vị này. Vui lòng chọn một trong các bưu cục bạn được phân công giám sát.',
    en: 'You do not supervise this office. Please choose one of the post offices you are assigned to supervise.',
  },
  BOARD_PERIOD_INVALID: {
    status: 400,
    vi: 'Kỳ báo cáo không hợp lệ. Vui lòng chọn một tháng dạng YYYY-MM, từ năm 2022 đến tháng hiện tại.',
    en: 'The reporting period is not valid. Please choose a month as YYYY-MM, from 2022 up to the current month.',
  },
  BOARD_REPORT_UNKNOWN: {
    status: 404,
    vi: 'Không có bảng báo cáo này. Vui lòng mở lại trang Chỉ số và tải bảng từ nút Xuất CSV/XLSX.',
    en: 'There is no such report table. Please reopen the Indicators page and download the table with its CSV/XLSX button.',
  },
} as const satisfies Record<string, ErrorEntry>;
