import type { ErrorEntry } from '../errors';

/** Errors of the holiday calendars an administrator manages and of the publicity points entered per unit. */
export const CALENDAR_ERRORS = {
  HOLIDAY_CALENDAR_NO_DRAFT: {
    status: 409,
    vi: 'Năm này chưa có bản nháp lịch nghỉ lễ. Vui lòng bấm "Nạp/sửa năm" để tạo bản nháp trước khi sửa hoặc công bố.',
    en: 'This year has no draft holiday calendar. Please load or open the year for correction before editing or publishing it.',
  },
  HOLIDAY_CALENDAR_DAY_INVALID: {
    status: 400,
    vi: 'Ngày này không hợp lệ cho lịch năm đã chọn (khác năm, hoặc ngày làm bù không phải thứ Bảy/Chủ nhật, hoặc ngày nghỉ rơi vào cuối tuần). Vui lòng kiểm tra lại.',
    en: 'This day does not fit the chosen year (another year, a make-up working day that is not a weekend, or a day off on a weekend). Please check it.',
  },
  HOLIDAY_CALENDAR_STALE: {
    status: 409,
    vi: 'Bản nháp đã được người khác sửa. Vui lòng tải lại trang, xem thay đổi rồi thực hiện lại.',
    en: 'Someone else has changed the draft. Please reload the page, review the change and try again.',
  },
  PUBLICITY_UNIT_UNKNOWN: {
    status: 404,
    vi: 'Không tìm thấy đơn vị có mã này. Vui lòng kiểm tra mã đơn vị trong tệp nhập.',
    en: 'No unit has this code. Please check the unit codes in the imported file.',
  },
} as const satisfies Record<string, ErrorEntry>;
