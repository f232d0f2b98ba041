import type { ErrorEntry } from '../errors';

/** Errors of the agency API, API keys and webhooks: Vietnamese first (what to do), English second. */
export const AGENCY_API_ERRORS = {
  AGENCY_API_KEY_INVALID: {
    status: 401,
    vi: 'Khóa API không hợp lệ hoặc đã bị thu hồi. Vui lòng gửi khóa đúng trong tiêu đề Authorization: Bearer <khóa>, hoặc đề nghị quản trị viên PostDesk cấp khóa mới.',
    en: 'The API key is not valid or has been revoked. Please send a valid key in the Authorization: Bearer <key> header, or ask the PostDesk administrator for a new key.',
  },
  AGENCY_API_IDEMPOTENCY_KEY_REQUIRED: {
    status: 400,
    vi: 'Thiếu tiêu đề Idempotency-Key (1–100 ký tự chữ, số, dấu - _ . :). Vui lòng gửi một khóa riêng cho mỗi thao tác và dùng lại đúng khóa đó khi gửi lại.',
    en: 'The Idempotency-Key header is missing or malformed (1–100 letters, digits, - _ . :). Please send a key of your own for each action and reuse that same key when you resend it.',
  },
  AGENCY_API_IDEMPOTENCY_MISMATCH: {
    status: 422,
    vi: 'Khóa Idempotency-Key này đã được dùng cho một yêu cầu khác (khác đường dẫn hoặc nội dung). Vui lòng dùng khóa mới cho thao tác mới; để gửi lại thao tác cũ, gửi đúng nội dung cũ.',
    en: 'This Idempotency-Key was already used for a different request (another path or body). Please use a new key for a new action; to resend the earlier action, send exactly the same body.',
  },
  AGENCY_API_NOT_AN_AGENCY: {
    status: 400,
    vi: 'Đơn vị được chọn không phải cơ quan giải quyết hồ sơ. Vui lòng chọn một cơ quan (sở, ngành, công an, UBND) rồi thử lại.',
    en: 'The office chosen is not a deciding agency. Please choose an agency (department, police, people’s committee) and try again.',
  },
  AGENCY_WEBHOOK_URL_INVALID: {
    status: 400,
    vi: 'Địa chỉ webhook phải là URL https (http chỉ dùng khi thử nghiệm). Vui lòng nhập địa chỉ đầy đủ, ví dụ https://he-thong.so-tu-phap.gov.vn/postdesk.',
    en: 'The webhook address must be an https URL (http only in testing). Please enter the full address, e.g. https://system.agency.gov.vn/postdesk.',
  },
  AGENCY_WEBHOOK_SECRET_WEAK: {
    status: 400,
    vi: 'Khóa bí mật của webhook phải dài ít nhất 32 ký tự. Vui lòng để trống để PostDesk tự tạo, hoặc nhập khóa dài hơn.',
    en: 'The webhook secret must be at least 32 characters long. Please leave it empty for PostDesk to generate one, or enter a longer one.',
  },
  PORTAL_SIGNATURE_INVALID: {
    status: 401,
    vi: 'Chữ ký HMAC của yêu cầu không đúng hoặc thời điểm gửi lệch quá 5 phút. Vui lòng ký lại nội dung bằng khóa bí mật dùng chung với thời điểm hiện tại rồi gửi lại.',
    en: 'The request’s HMAC signature is wrong or its timestamp is more than 5 minutes off. Please sign the body again with the shared secret and the current time, then resend.',
  },
  PORTAL_INBOUND_DISABLED: {
    status: 503,
    vi: 'PostDesk chưa được cấu hình để nhận hồ sơ từ Cổng dịch vụ công. Vui lòng liên hệ quản trị viên để đặt PORTAL_INBOUND_SECRET.',
    en: 'PostDesk is not configured to receive dossiers from the public-service portal. Please ask the administrator to set PORTAL_INBOUND_SECRET.',
  },
  PORTAL_PROCEDURE_UNKNOWN: {
    status: 422,
    vi: 'Mã thủ tục (MaTTHC) không có trong danh mục PostDesk nhận qua bưu chính. Vui lòng kiểm tra mã thủ tục rồi gửi lại.',
    en: 'The procedure code (MaTTHC) is not in the catalogue PostDesk handles by post. Please check the procedure code and send again.',
  },
} as const satisfies Record<string, ErrorEntry>;
