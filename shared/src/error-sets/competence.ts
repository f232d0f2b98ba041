import type { ErrorEntry } from '../errors';

/** Errors of the deciding agency resolved per dossier and of the department a post office receives for. */
export const COMPETENCE_ERRORS = {
  AGENCY_UNKNOWN: {
    status: 404,
    vi: 'Không tìm thấy cơ quan giải quyết có mã này (chỉ chọn được cơ quan nhà nước hoặc UBND xã/phường). Vui lòng chọn lại trong danh sách.',
    en: "No deciding agency has this code (only a state agency or a commune People's Committee can decide). Please choose one from the list.",
  },
  AGENCY_CHANGE_REASON_REQUIRED: {
    status: 400,
    vi: 'Đổi cơ quan giải quyết so với phân công cần ghi lý do (ví dụ: nơi xảy ra sự kiện khác nơi cư trú). Vui lòng nhập lý do.',
    en: 'Changing the deciding agency from the assigned one needs a reason (e.g. the event happened outside the place of residence). Please enter it.',
  },
  COMPETENCE_ROWS_INVALID: {
    status: 400,
    vi: 'Một số dòng phân công không hợp lệ (mã thủ tục, xã/phường, cơ quan hoặc ngày hiệu lực đã qua); chưa dòng nào được lưu. Vui lòng xem các dòng được đánh dấu, sửa rồi nhập lại.',
    en: 'Some assignment rows are not valid (procedure code, commune, agency, or an effective date in the past); nothing was saved. Please fix the marked rows and import again.',
  },
  DAILY_SEQUENCE_FULL: {
    status: 409,
    vi: 'Bộ phận một cửa này đã dùng hết 9.999 số hồ sơ của hôm nay (mã hồ sơ chỉ có 4 chữ số cho mỗi ngày). Hồ sơ chưa được tiếp nhận: vui lòng chọn bộ phận khác mà quầy phục vụ, hoặc hẹn công dân nộp vào ngày làm việc tiếp theo.',
    en: "This one-stop department has used all 9,999 of today's dossier numbers (a code has 4 digits per day). The dossier was not received: please choose another department the desk serves, or ask the citizen to come on the next working day.",
  },
  DEPARTMENT_NOT_SERVED: {
    status: 403,
    vi: 'Bưu điện này không được giao tiếp nhận hồ sơ thay cho bộ phận một cửa đã chọn. Vui lòng chọn một bộ phận trong danh sách của quầy.',
    en: "This post office is not assigned to receive dossiers for the chosen one-stop department. Please choose a department from the desk's list.",
  },
} as const satisfies Record<string, ErrorEntry>;
