import type { ErrorEntry } from '../errors';

/** Errors of citizen requests, one-time codes, feedback and notifications: Vietnamese first, English second. */
export const CITIZEN_ERRORS = {
  OTP_INVALID: {
    status: 400,
    vi: 'Mã xác nhận không đúng hoặc đã hết hạn. Vui lòng kiểm tra tin nhắn mới nhất hoặc yêu cầu gửi lại mã.',
    en: 'The confirmation code is wrong or has expired. Please check the latest text message or ask for a new code.',
  },
  OTP_TOO_MANY_ATTEMPTS: {
    status: 429,
    vi: 'Đã nhập sai mã quá nhiều lần. Vui lòng yêu cầu gửi mã mới.',
    en: 'The code was entered wrongly too many times. Please ask for a new code.',
  },
  OTP_TOO_MANY_REQUESTS: {
    status: 429,
    vi: 'Đã gửi quá nhiều mã tới số điện thoại này. Vui lòng đợi 15 phút rồi thử lại.',
    en: 'Too many codes were sent to this phone number. Please wait 15 minutes and try again.',
  },
} as const satisfies Record<string, ErrorEntry>;
