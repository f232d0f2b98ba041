import type { ErrorEntry } from '../errors';

/** Errors of the counter queue: tickets, bookings and the desk's calls. */
export const QUEUE_ERRORS = {
  QUEUE_SLOT_HOLIDAY: {
    status: 422,
    vi: 'Ngày đã chọn là ngày nghỉ (cuối tuần hoặc ngày lễ), bộ phận một cửa không làm việc. Vui lòng chọn một ngày làm việc khác.',
    en: 'The chosen day is a day off (a weekend or public holiday) and the desk is closed. Please choose another working day.',
  },
  QUEUE_SLOT_OUTSIDE_HOURS: {
    status: 422,
    vi: 'Giờ đã chọn nằm ngoài giờ làm việc của bưu cục. Vui lòng chọn một khung giờ trong danh sách.',
    en: 'The chosen time is outside the office hours. Please pick one of the listed time slots.',
  },
  QUEUE_SLOT_PAST: {
    status: 422,
    vi: 'Khung giờ đã chọn đã qua hoặc quá xa (chỉ đặt trước tối đa 14 ngày). Vui lòng chọn khung giờ khác.',
    en: 'The chosen slot has passed or is too far ahead (bookings open 14 days ahead). Please choose another slot.',
  },
  QUEUE_SLOT_FULL: {
    status: 409,
    vi: 'Khung giờ này đã hết chỗ. Vui lòng chọn khung giờ khác.',
    en: 'This time slot is fully booked. Please choose another slot.',
  },
  QUEUE_OFFICE_CLOSED: {
    status: 422,
    vi: 'Bưu cục hiện không làm việc (ngoài giờ hoặc ngày nghỉ), nên chưa cấp số thứ tự. Vui lòng quay lại trong giờ làm việc hoặc đặt lịch trước.',
    en: 'The office is closed now (outside hours or a day off), so no queue number can be issued. Please come back during office hours or book a slot.',
  },
  QUEUE_ALREADY_WAITING: {
    status: 409,
    vi: 'Số điện thoại này đã có một số thứ tự đang chờ tại bưu cục. Vui lòng dùng số đã lấy.',
    en: 'This phone number already holds a queue number waiting at this office. Please use that number.',
  },
  QUEUE_KIOSK_KEY_INVALID: {
    status: 403,
    vi: 'Máy lấy số chưa được cấp phép cho bưu cục này. Vui lòng nhờ giám sát viên mở lại đường dẫn máy lấy số.',
    en: 'This kiosk is not authorised for this office. Please ask a supervisor to open the kiosk link again.',
  },
  QUEUE_TICKET_NOT_FOUND: {
    status: 404,
    vi: 'Không tìm thấy số thứ tự này tại bưu cục của bạn. Vui lòng kiểm tra lại.',
    en: 'This queue number was not found at your office. Please check it.',
  },
  QUEUE_TICKET_NOT_AT_DESK: {
    status: 409,
    vi: 'Số thứ tự này không còn đang được phục vụ tại quầy của bạn (đã xong, đã bỏ qua hoặc quầy khác đã gọi). Vui lòng gọi số tiếp theo.',
    en: 'This number is no longer being served at your desk (finished, skipped or called by another desk). Please call the next number.',
  },
  QUEUE_DESK_UNKNOWN: {
    status: 404,
    vi: 'Quầy này không thuộc bưu cục bạn đang làm việc. Vui lòng chọn lại quầy của bạn.',
    en: 'This desk does not belong to the office you are working for. Please choose your desk again.',
  },
  QUEUE_GROUP_UNKNOWN: {
    status: 404,
    vi: 'Nhóm dịch vụ này không có tại bưu cục. Vui lòng chọn một nhóm trong danh sách.',
    en: 'This service group does not exist at the office. Please choose one from the list.',
  },
} as const satisfies Record<string, ErrorEntry>;
