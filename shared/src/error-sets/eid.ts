import type { ErrorEntry } from '../errors';

/** Errors of the citizen's sign-in with the national e-ID (VNeID): Vietnamese first, English second. */
export const EID_ERRORS = {
  EID_NOT_CONFIGURED: {
    status: 503,
    vi: 'Đăng nhập bằng VNeID chưa được bật tại đây. Vui lòng tra cứu hồ sơ bằng mã hồ sơ và số điện thoại.',
    en: 'Signing in with VNeID is not available here. Please follow your dossier with its code and your phone number.',
  },
  EID_PROVIDER_UNAVAILABLE: {
    status: 503,
    vi: 'Không kết nối được với hệ thống định danh VNeID. Vui lòng thử lại sau ít phút, hoặc tra cứu bằng mã hồ sơ và số điện thoại.',
    en: 'The VNeID identity service cannot be reached. Please try again in a few minutes, or follow your dossier with its code and phone number.',
  },
  EID_STATE_MISMATCH: {
    status: 400,
    vi: 'Phiên đăng nhập VNeID không khớp hoặc đã hết hạn. Vui lòng bấm "Đăng nhập bằng VNeID" để đăng nhập lại.',
    en: 'The VNeID sign-in does not match this browser or has expired. Please press "Sign in with VNeID" to sign in again.',
  },
  EID_CANCELLED: {
    status: 400,
    vi: 'Bạn đã hủy đăng nhập VNeID. Vui lòng đăng nhập lại nếu muốn xem hồ sơ của mình.',
    en: 'The VNeID sign-in was cancelled. Please sign in again to see your dossiers.',
  },
  EID_CODE_REJECTED: {
    status: 401,
    vi: 'Hệ thống VNeID không chấp nhận lượt đăng nhập này (mã đã dùng hoặc hết hạn). Vui lòng đăng nhập lại.',
    en: 'VNeID did not accept this sign-in (its code was already used or has expired). Please sign in again.',
  },
  EID_TOKEN_INVALID: {
    status: 401,
    vi: 'Không xác minh được thông tin đăng nhập nhận từ VNeID, nên chưa đăng nhập. Vui lòng đăng nhập lại; nếu vẫn lỗi, liên hệ bưu điện.',
    en: 'The sign-in data received from VNeID could not be verified, so you are not signed in. Please sign in again; if it keeps failing, tell the post office.',
  },
} as const satisfies Record<string, ErrorEntry>;
