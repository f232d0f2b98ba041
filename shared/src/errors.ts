import { AGENCY_ERRORS } from './error-sets/agency';
import { AGENCY_API_ERRORS } from './error-sets/agency-api';
import { PAYMENTS_ERRORS } from './error-sets/payments';
import { COURIER_ERRORS } from './error-sets/courier';
import { CITIZEN_ERRORS } from './error-sets/citizen';
import { EID_ERRORS } from './error-sets/eid';
import { BOARD_ERRORS } from './error-sets/board';
import { SECURITY_ERRORS } from './error-sets/security';
import { FILES_ERRORS } from './error-sets/files';
import { CALENDAR_ERRORS } from './error-sets/calendars';
import { COMPETENCE_ERRORS } from './error-sets/competence';
import { TIMESTAMPING_ERRORS } from './error-sets/timestamping';
import { QUEUE_ERRORS } from './error-sets/queue';

export type HttpStatus = 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429 | 500 | 503;

export type ErrorEntry = { status: HttpStatus; vi: string; en: string };

/**
 * Every error a user can meet, with what to do about it: Vietnamese first, English second.
 * Messages never carry internals or personal data; the specifics travel in `details`.
 */
const CORE_ERRORS = {
  VALIDATION_FAILED: {
    status: 400,
    vi: 'Thông tin nhập chưa hợp lệ. Vui lòng kiểm tra các trường được đánh dấu và nhập lại.',
    en: 'Some of the information entered is not valid. Please check the highlighted fields and try again.',
  },
  CITIZEN_ID_INVALID: {
    status: 400,
    vi: 'Số định danh cá nhân phải gồm đúng 12 chữ số. Vui lòng đối chiếu với thẻ căn cước và nhập lại.',
    en: 'The personal identification number must be exactly 12 digits. Please check it against the ID card and enter it again.',
  },
  DOSSIER_CODE_INVALID: {
    status: 400,
    vi: 'Mã hồ sơ không đúng dạng <mã cơ quan>-<YYMMDD>-<NNNN>. Vui lòng kiểm tra lại mã in trên Giấy tiếp nhận hồ sơ.',
    en: 'The dossier code is not of the form <agency id>-<YYMMDD>-<NNNN>. Please check the code printed on the receipt.',
  },
  AGENCY_ID_INVALID: {
    status: 400,
    vi: 'Mã định danh cơ quan không hợp lệ (ví dụ đúng: H42.01 hoặc 000.00.01.H22). Vui lòng kiểm tra lại mã.',
    en: 'The agency identifier is not valid (valid examples: H42.01 or 000.00.01.H22). Please check the code.',
  },
  PROCEDURE_CODE_INVALID: {
    status: 400,
    vi: 'Mã thủ tục hành chính phải có dạng 1.000894 (hoặc 1.000894.01 với dịch vụ công trực tuyến). Vui lòng kiểm tra lại.',
    en: 'A procedure code looks like 1.000894 (or 1.000894.01 for an online service). Please check the code.',
  },
  RESULT_TYPE_CODE_INVALID: {
    status: 400,
    vi: 'Mã loại kết quả phải có dạng KQ.G15.000031. Vui lòng kiểm tra lại theo Cơ sở dữ liệu quốc gia về TTHC.',
    en: 'A result-type code looks like KQ.G15.000031. Please check it against the national procedure database.',
  },
  QR_INVALID: {
    status: 400,
    vi: 'Không đọc được mã QR trên thẻ căn cước. Vui lòng quét lại mã QR ở mặt trước thẻ, hoặc nhập thông tin bằng tay.',
    en: 'The ID card QR code could not be read. Please scan the QR code on the front of the card again, or type the details in.',
  },
  UNAUTHENTICATED: {
    status: 401,
    vi: 'Phiên làm việc đã hết hạn hoặc bạn chưa đăng nhập. Vui lòng đăng nhập lại.',
    en: 'Your session has ended or you are not signed in. Please sign in again.',
  },
  FORBIDDEN: {
    status: 403,
    vi: 'Tài khoản của bạn không có quyền thực hiện việc này. Nếu cần quyền, vui lòng liên hệ quản trị viên đơn vị.',
    en: 'Your account may not do this. If you need access, please ask your office administrator.',
  },
  LOGIN_FAILED: {
    status: 401,
    vi: 'Tên đăng nhập hoặc mật khẩu không đúng, hoặc đã đăng nhập sai nhiều lần từ máy này. Vui lòng kiểm tra và thử lại sau ít phút; nếu vẫn không được, liên hệ quản trị viên.',
    en: 'The username or password is wrong, or there were too many failed sign-ins from this device. Please check them and try again in a few minutes; if it still fails, ask an administrator.',
  },
  ACCOUNT_LOCKED: {
    status: 403,
    vi: 'Tài khoản tạm bị khóa do đăng nhập sai nhiều lần. Vui lòng thử lại sau, hoặc liên hệ quản trị viên để mở khóa.',
    en: 'The account is locked for a while after too many failed sign-ins. Please try later, or ask an administrator to unlock it.',
  },
  RATE_LIMITED: {
    status: 429,
    vi: 'Bạn đã thao tác quá nhiều lần trong thời gian ngắn. Vui lòng đợi một phút rồi thử lại.',
    en: 'Too many attempts in a short time. Please wait a minute and try again.',
  },
  NOT_FOUND: {
    status: 404,
    vi: 'Không tìm thấy nội dung yêu cầu. Vui lòng kiểm tra lại đường dẫn hoặc mã đã nhập.',
    en: 'What you asked for was not found. Please check the link or the code entered.',
  },
  DOSSIER_NOT_FOUND: {
    status: 404,
    vi: 'Không tìm thấy hồ sơ hoặc bạn không có quyền xem hồ sơ này. Vui lòng kiểm tra lại mã hồ sơ.',
    en: 'The dossier was not found, or you may not see it. Please check the dossier code.',
  },
  PROCEDURE_NOT_FOUND: {
    status: 404,
    vi: 'Không tìm thấy thủ tục hành chính đang có hiệu lực với mã này. Vui lòng tra cứu lại trong danh mục thủ tục.',
    en: 'No procedure in force has this code. Please look it up again in the procedure catalogue.',
  },
  TRANSITION_NOT_ALLOWED: {
    status: 409,
    vi: 'Thao tác này không thực hiện được ở trạng thái hiện tại của hồ sơ. Vui lòng tải lại hồ sơ để xem trạng thái mới nhất.',
    en: 'This action is not possible in the dossier’s current state. Please reload the dossier to see its latest state.',
  },
  ROLE_NOT_ALLOWED: {
    status: 403,
    vi: 'Vai trò của bạn không được thực hiện bước này của hồ sơ. Vui lòng chuyển hồ sơ cho cán bộ có thẩm quyền thực hiện bước này.',
    en: 'Your role may not take this step on a dossier. Please pass the dossier to the official competent for this step.',
  },
  GUARD_FAILED: {
    status: 422,
    vi: 'Hồ sơ chưa đủ điều kiện cho thao tác này (xem lý do kèm theo). Vui lòng xử lý theo hướng dẫn rồi thử lại.',
    en: 'The dossier does not yet meet the conditions for this action (see the reason given). Please follow it and try again.',
  },
  ROLE_UNKNOWN: {
    status: 400,
    vi: 'Vai trò không hợp lệ. Vui lòng chọn một trong các vai trò: văn thư tiếp nhận, bưu tá, cán bộ cơ quan, giám sát, quản trị.',
    en: 'Unknown role. Please choose one of: clerk, courier, agency official, supervisor, admin.',
  },
  FILE_TOO_LARGE: {
    status: 413,
    vi: 'Tệp quá lớn. Vui lòng quét lại với độ phân giải thấp hơn hoặc tách thành nhiều tệp nhỏ hơn.',
    en: 'The file is too large. Please scan it again at a lower resolution or split it into smaller files.',
  },
  FILE_TYPE_NOT_ALLOWED: {
    status: 422,
    vi: 'Loại tệp này không được chấp nhận. Vui lòng tải lên tệp PDF, JPEG hoặc PNG.',
    en: 'This type of file is not accepted. Please upload a PDF, JPEG or PNG file.',
  },
  CONFLICT: {
    status: 409,
    vi: 'Dữ liệu vừa được người khác thay đổi. Vui lòng tải lại trang và thực hiện lại thao tác.',
    en: 'Someone else has just changed this. Please reload the page and do it again.',
  },
  IDEMPOTENCY_CONFLICT: {
    status: 409,
    vi: 'Yêu cầu này đã được gửi trước đó với nội dung khác. Vui lòng tải lại trang để xem kết quả, không gửi lại.',
    en: 'This request was already sent with different content. Please reload the page to see the outcome rather than resending.',
  },
  HOLIDAY_TABLE_MISSING: {
    status: 503,
    vi: 'Chưa có lịch nghỉ lễ của năm cần tính hạn xử lý. Vui lòng báo quản trị viên nạp lịch nghỉ lễ năm đó.',
    en: 'The holiday table for the year needed to compute the deadline is missing. Please ask an administrator to load it.',
  },
  INTERNAL: {
    status: 500,
    vi: 'Đã có lỗi xảy ra. Vui lòng thử lại sau ít phút; nếu vẫn lỗi, hãy báo bộ phận hỗ trợ kèm mã yêu cầu.',
    en: 'Something went wrong. Please try again in a few minutes; if it persists, tell support the request id.',
  },
  UNAVAILABLE: {
    status: 503,
    vi: 'Hệ thống liên thông tạm thời không phản hồi. Thao tác đã được ghi nhận để gửi lại; vui lòng thử lại sau ít phút.',
    en: 'A connected system is not responding for now. Please try again in a few minutes.',
  },
  DATABASE_UNAVAILABLE: {
    status: 503,
    vi: 'Hệ thống tạm thời không kết nối được cơ sở dữ liệu. Thao tác chưa được lưu; vui lòng đợi một lát rồi thử lại.',
    en: 'The system cannot reach its database for the moment. Nothing was saved; please wait a moment and try again.',
  },
  PAGE_PROCESSING_FAILED: {
    status: 503,
    vi: 'Trang này chưa xử lý được sau nhiều lần thử (máy chủ xử lý bị gián đoạn). Bấm “Xử lý lại”; nếu vẫn lỗi, hãy quét lại trang.',
    en: 'This page could not be processed after several tries (the processing server was interrupted). Please press “Process again”; if it fails again, scan the page again.',
  },
  PHONE_INVALID: {
    status: 400,
    vi: 'Số điện thoại không phải số Việt Nam hợp lệ (ví dụ: 0905 123 456 hoặc 0234 3822 123). Vui lòng hỏi lại người nộp và nhập lại.',
    en: 'The phone number is not a valid Vietnamese number (e.g. 0905 123 456 or 0234 3822 123). Please ask the applicant again.',
  },
  EMAIL_INVALID: {
    status: 400,
    vi: 'Địa chỉ thư điện tử không hợp lệ. Vui lòng kiểm tra lại hoặc để trống.',
    en: 'The email address is not valid. Please check it or leave it empty.',
  },
  COMMUNE_UNKNOWN: {
    status: 400,
    vi: 'Không tìm thấy xã/phường đã chọn. Vui lòng chọn lại trong danh sách.',
    en: 'The selected commune was not found. Please choose it again from the list.',
  },
  COMPONENTS_INCOMPLETE: {
    status: 422,
    vi: 'Hồ sơ còn thiếu thành phần bắt buộc nên chưa thể tiếp nhận. Hãy lập Phiếu yêu cầu bổ sung (Mẫu 02) liệt kê đủ các giấy tờ còn thiếu.',
    en: 'Required components are missing, so the dossier cannot be received. Please issue a supplement request (Form 02) listing everything missing.',
  },
  DELIVERY_NOT_ALLOWED: {
    status: 422,
    vi: 'Thủ tục này không cho phép trả kết quả qua bưu chính. Hãy chọn nhận kết quả tại Bộ phận Một cửa.',
    en: 'This procedure does not allow the result to be delivered by post. Please choose collection at the one-stop desk.',
  },
  REASON_REQUIRED: {
    status: 400,
    vi: 'Vui lòng ghi rõ lý do từ chối để in vào Phiếu từ chối (Mẫu 03).',
    en: 'Please state the reason for refusal; it is printed on the refusal slip (Form 03).',
  },
  REUSE_NOT_ALLOWED: {
    status: 422,
    vi: 'Giấy tờ được chọn để tái sử dụng không thuộc người nộp này hoặc đã hết hiệu lực. Hãy nhận bản giấy hoặc chọn giấy tờ khác.',
    en: 'The document chosen for reuse does not belong to this applicant or is no longer valid. Please take the paper copy or choose another document.',
  },
  TOKEN_PIN_INVALID: {
    status: 401,
    vi: 'Mã PIN của thiết bị ký số (token) không đúng. Vui lòng nhập lại; token có thể bị khóa sau nhiều lần sai.',
    en: 'The signing token PIN is wrong. Please enter it again; the token may lock after several wrong attempts.',
  },
  TOKEN_NOT_FOUND: {
    status: 503,
    vi: 'Không tìm thấy thiết bị ký số (token) hoặc khóa ký của bạn. Vui lòng cắm token và thử lại, hoặc báo bộ phận hỗ trợ.',
    en: 'Your signing token or key was not found. Please plug in the token and try again, or tell support.',
  },
  TOKEN_REMOVED: {
    status: 503,
    vi: 'Thiết bị ký số (token) bị rút ra trong lúc ký. Vui lòng cắm lại token và ký lại; các trang đã quét vẫn được giữ.',
    en: 'The signing token was removed while signing. Please plug it back in and sign again; scanned pages are kept.',
  },
  SIGNATURE_INVALID: {
    status: 422,
    vi: 'Chữ ký số của tệp không hợp lệ hoặc tệp đã bị sửa sau khi ký. Vui lòng yêu cầu bản đã ký đúng.',
    en: 'The file’s digital signature is invalid or the file was changed after signing. Please ask for a correctly signed copy.',
  },
  SOFTWARE_KEY_IN_PRODUCTION: {
    status: 503,
    vi: 'Hệ thống chưa cấu hình thiết bị ký số (PKCS#11) nên không thể ký trong môi trường vận hành. Vui lòng báo quản trị hệ thống.',
    en: 'No PKCS#11 signing module is configured, so signing is refused in production. Please tell the system administrator.',
  },
  PDF_ENCRYPTED: {
    status: 422,
    vi: 'Tệp PDF đã được đặt mật khẩu nên không thể xử lý. Vui lòng xin bản không đặt mật khẩu hoặc quét bản giấy.',
    en: 'The PDF is password-protected and cannot be processed. Please ask for an unprotected copy or scan the paper.',
  },
  PDF_INVALID: {
    status: 422,
    vi: 'Tệp không phải là PDF hợp lệ. Vui lòng kiểm tra lại tệp hoặc quét lại bản giấy.',
    en: 'The file is not a valid PDF. Please check the file or scan the paper again.',
  },
  TRACK_NOT_FOUND: {
    status: 404,
    vi: 'Không tìm thấy hồ sơ với mã và số điện thoại này. Vui lòng kiểm tra mã trên Giấy tiếp nhận và số điện thoại đã đăng ký.',
    en: 'No dossier matches this code and phone number. Please check the code on your receipt and the phone number you gave.',
  },
  IMAGE_INVALID: {
    status: 422,
    vi: 'Không đọc được ảnh quét (tệp hỏng hoặc không đầy đủ). Vui lòng quét lại trang này; các trang khác vẫn được giữ.',
    en: 'The scanned image cannot be read (damaged or incomplete file). Please scan this page again; other pages are kept.',
  },
  SCAN_TYPE_NOT_ALLOWED: {
    status: 422,
    vi: 'Loại tệp này không số hóa được. Vui lòng tải lên tệp PDF, JPEG, PNG, TIFF (một hoặc nhiều trang), WebP hoặc HEIF/AVIF.',
    en: 'This type of file cannot be digitized. Please upload a PDF, JPEG, PNG, TIFF (single or multi-page), WebP or HEIF/AVIF file.',
  },
  SCAN_HEIC_UNSUPPORTED: {
    status: 422,
    vi: 'Ảnh HEIC (định dạng mặc định của iPhone) chưa đọc được. Vui lòng chụp lại ở chế độ "Tương thích nhất" (JPEG) hoặc tải lên tệp PDF, JPEG, PNG, TIFF, WebP hoặc HEIF/AVIF.',
    en: 'HEIC photos (the iPhone default) cannot be read yet. Please take the photo again in "Most Compatible" (JPEG) mode, or upload a PDF, JPEG, PNG, TIFF, WebP or HEIF/AVIF file.',
  },
  IMAGE_TOO_LARGE: {
    status: 413,
    vi: 'Ảnh có quá nhiều điểm ảnh để xử lý an toàn. Vui lòng quét lại ở độ phân giải 300 dpi.',
    en: 'The image has too many pixels to process safely. Please scan it again at 300 dpi.',
  },
} as const satisfies Record<string, ErrorEntry>;

/** Every error code: the core ones above and each feature's own set (in `error-sets/`). */
export const ERRORS = {
  ...CORE_ERRORS,
  ...AGENCY_ERRORS,
  ...AGENCY_API_ERRORS,
  ...PAYMENTS_ERRORS,
  ...COURIER_ERRORS,
  ...CITIZEN_ERRORS,
  ...EID_ERRORS,
  ...BOARD_ERRORS,
  ...SECURITY_ERRORS,
  ...FILES_ERRORS,
  ...CALENDAR_ERRORS,
  ...COMPETENCE_ERRORS,
  ...TIMESTAMPING_ERRORS,
  ...QUEUE_ERRORS,
} as const satisfies Record<string, ErrorEntry>;

export type ErrorCode = keyof typeof ERRORS;

export const ERROR_CODES = Object.keys(ERRORS) as ErrorCode[];

export class AppError extends Error {
  override name = 'AppError';
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, details?: Record<string, unknown>) {
    // The English text is for logs; users get the catalogue entry through toErrorBody.
    super(`${code}: ${ERRORS[code].en}`);
    this.code = code;
    if (details !== undefined) this.details = details;
  }
}

export const appError = (code: ErrorCode, details?: Record<string, unknown>) => new AppError(code, details);

export const isAppError = (value: unknown): value is AppError => value instanceof AppError;

export const isErrorCode = (value: unknown): value is ErrorCode =>
  typeof value === 'string' && Object.hasOwn(ERRORS, value);

export const errorMessage = (code: ErrorCode, lang: 'vi' | 'en') => ERRORS[code][lang];

export type ErrorBody = {
  code: ErrorCode;
  message: string;
  messageEn: string;
  details: Record<string, unknown> | null;
};

/** What a client sees for any thrown value; anything that is not an AppError becomes INTERNAL, without its text. */
export const toErrorBody = (err: unknown): ErrorBody => {
  if (!isAppError(err))
    return { code: 'INTERNAL', message: ERRORS.INTERNAL.vi, messageEn: ERRORS.INTERNAL.en, details: null };
  const entry = ERRORS[err.code];
  return { code: err.code, message: entry.vi, messageEn: entry.en, details: err.details ?? null };
};
