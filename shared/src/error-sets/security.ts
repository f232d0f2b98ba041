import type { ErrorEntry } from '../errors';

/** Errors of the checks that keep duties apart and abuse costly: Vietnamese first (what to do), English second. */
export const SECURITY_ERRORS = {
  TOKEN_PIN_ATTEMPTS_EXCEEDED: {
    status: 429,
    vi: 'Bạn đã nhập sai mã PIN của token quá số lần cho phép. Để token không bị khóa, hệ thống tạm dừng nhận PIN của bạn; vui lòng đợi rồi thử lại hoặc báo quản trị viên.',
    en: 'You typed a wrong token PIN too many times. So that the token does not lock, your PIN is not accepted for a while; please wait and try again, or tell the administrator.',
  },
  DUTIES_CONFLICT: {
    status: 422,
    vi: 'Không thể giao vai trò này: một tài khoản không được vừa làm việc cho bưu điện vừa làm việc cho cơ quan giải quyết, và vai trò cán bộ cơ quan chỉ được giao tại cơ quan giải quyết (vai trò bưu điện chỉ tại bưu cục, trung tâm). Vui lòng tạo tài khoản riêng cho từng bên.',
    en: 'This role cannot be given: one account may not work both for the post office and for a deciding agency, agency roles belong only to deciding agencies and postal roles only to post offices or the service centre. Please create a separate account for each side.',
  },
  PDF_TOO_MANY_PAGES: {
    status: 413,
    vi: 'Tệp PDF có quá nhiều trang để xử lý trong một lần tải lên, hoặc hồ sơ đã đạt số trang tối đa. Vui lòng tách tệp thành nhiều phần nhỏ hơn hoặc chỉ quét các trang cần thiết.',
    en: 'The PDF has too many pages for one upload, or the dossier has reached its page limit. Please split the file into smaller parts or scan only the pages that are needed.',
  },
} as const satisfies Record<string, ErrorEntry>;
