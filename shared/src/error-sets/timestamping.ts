import type { ErrorEntry } from '../errors';

/** Errors of timestamping and long-term validation data (PAdES B-T to B-LTA): Vietnamese first, English second. */
export const TIMESTAMPING_ERRORS = {
  TSA_UNAVAILABLE: {
    status: 503,
    vi: 'Máy chủ cấp dấu thời gian (TSA) không trả lời hoặc trả lời sai nên chưa ký được. Vui lòng ký lại sau ít phút; các trang đã quét vẫn được giữ.',
    en: 'The timestamp server (TSA) did not answer or answered wrongly, so nothing was signed. Please sign again in a few minutes; scanned pages are kept.',
  },
  TSA_NOT_CONFIGURED: {
    status: 503,
    vi: 'Hệ thống chưa cấu hình máy chủ cấp dấu thời gian (TSA_URL) nên không ký trong môi trường vận hành: bản ký không có dấu thời gian sẽ không kiểm tra được khi chứng thư hết hạn. Vui lòng báo quản trị hệ thống.',
    en: 'No timestamp server (TSA_URL) is configured, so signing is refused in production: a signature without a timestamp cannot be checked once the certificate expires. Please tell the system administrator.',
  },
} as const satisfies Record<string, ErrorEntry>;
