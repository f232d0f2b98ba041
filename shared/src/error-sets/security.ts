import type { ErrorEntry } from '../errors';

/**
 * Errors of the server's edge and of the checks that keep duties apart and abuse costly (bodies, text, origins,
 * passwords, text-message budgets, token PINs, roles, page limits): Vietnamese first (what to do), English second.
 */
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
  BODY_TOO_LARGE: {
    status: 413,
    vi: 'Dữ liệu gửi lên quá lớn. Vui lòng rút gọn nội dung, hoặc gửi tệp qua nút tải tệp lên.',
    en: 'The request is too large. Please shorten what you entered, or send files with the upload button.',
  },
  TEXT_INVALID: {
    status: 400,
    vi: 'Thông tin nhập chứa ký tự không hợp lệ (ký tự điều khiển hoặc ký tự ẩn). Vui lòng gõ lại các trường được đánh dấu thay vì dán từ nơi khác.',
    en: 'Some text contains characters that are not allowed (control or hidden characters). Please type the highlighted fields again instead of pasting them.',
  },
  ORIGIN_REFUSED: {
    status: 403,
    vi: 'Yêu cầu không đến từ trang PostDesk nên bị từ chối. Vui lòng mở lại PostDesk từ địa chỉ chính thức và thử lại.',
    en: 'The request did not come from a PostDesk page and was refused. Please open PostDesk from its official address and try again.',
  },
  PASSWORD_WEAK: {
    status: 400,
    vi: 'Mật khẩu mới chưa đủ mạnh: cần ít nhất 12 ký tự, khác tên đăng nhập và không phải mật khẩu phổ biến. Vui lòng chọn mật khẩu khác.',
    en: 'The new password is too weak: it needs at least 12 characters, must differ from the username and must not be a common password. Please choose another.',
  },
  PASSWORD_CURRENT_WRONG: {
    status: 400,
    vi: 'Mật khẩu hiện tại không đúng. Vui lòng nhập lại mật khẩu bạn đang dùng để đăng nhập.',
    en: 'The current password is wrong. Please enter the password you sign in with now.',
  },
  OTP_PHONE_NOT_MOBILE: {
    status: 400,
    vi: 'Mã xác nhận chỉ gửi được tới số điện thoại di động. Vui lòng nhập số di động 10 chữ số (bắt đầu bằng 03, 05, 07, 08 hoặc 09).',
    en: 'Confirmation codes can only be sent to a mobile number. Please enter a 10-digit mobile number (starting 03, 05, 07, 08 or 09).',
  },
  SMS_DAILY_BUDGET_EXHAUSTED: {
    status: 503,
    vi: 'Hôm nay hệ thống tạm ngừng gửi mã xác nhận qua tin nhắn. Vui lòng thử lại vào ngày mai, hoặc đến bưu điện gần nhất để được hỗ trợ.',
    en: 'Sending confirmation codes by text message is paused for today. Please try again tomorrow, or visit the nearest post office for help.',
  },
  TOTP_REQUIRED: {
    status: 401,
    vi: 'Tài khoản này cần mã xác thực hai bước. Vui lòng mở ứng dụng xác thực trên điện thoại và nhập mã 6 chữ số đang hiện.',
    en: 'This account needs a two-step verification code. Please open the authenticator app on your phone and enter the 6-digit code it shows.',
  },
  TOTP_INVALID: {
    status: 401,
    vi: 'Mã xác thực hai bước không đúng hoặc đã dùng. Vui lòng chờ mã mới trên ứng dụng xác thực rồi nhập lại.',
    en: 'The two-step verification code is wrong or was already used. Please wait for a new code in the authenticator app and enter it.',
  },
  TOTP_ALREADY_ENABLED: {
    status: 409,
    vi: 'Xác thực hai bước đã được bật cho tài khoản này. Muốn đổi điện thoại, vui lòng nhờ quản trị viên tắt rồi đăng ký lại.',
    en: 'Two-step verification is already on for this account. To move it to another phone, please ask an administrator to turn it off, then enrol again.',
  },
  TOTP_NOT_STARTED: {
    status: 409,
    vi: 'Chưa bắt đầu đăng ký xác thực hai bước. Vui lòng bấm "Bật xác thực hai bước" và quét mã QR trước.',
    en: 'Two-step verification enrolment has not started. Please choose "Turn on two-step verification" and scan the QR code first.',
  },
  TOTP_RESET_NEEDED: {
    status: 409,
    vi: 'Không đọc được khóa xác thực hai bước của tài khoản này (khóa bí mật của máy chủ đã được thay). Vui lòng nhờ một quản trị viên khác tắt xác thực hai bước cho bạn, đăng nhập bằng mật khẩu rồi đăng ký lại trên trang Tài khoản.',
    en: "This account's two-step verification key can no longer be read (the server's secret was changed). Please ask another administrator to turn two-step verification off for you, sign in with your password, then enrol again on the account page.",
  },
} as const satisfies Record<string, ErrorEntry>;
