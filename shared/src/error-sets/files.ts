import type { ErrorEntry } from '../errors';

/** Errors of the file store and the scanning station's files: Vietnamese first (what to do), English second. */
export const FILES_ERRORS = {
  STORAGE_UNAVAILABLE: {
    status: 503,
    vi: 'Kho lưu trữ tệp tạm thời không phản hồi nên tệp chưa được lưu (không có gì bị lưu dở). Vui lòng thử lại sau ít phút; nếu vẫn lỗi, hãy báo quản trị hệ thống.',
    en: 'The file storage is not responding, so the file was not stored (nothing was half-stored). Please try again in a few minutes; if it persists, tell the system administrator.',
  },
  FILE_MISSING: {
    status: 503,
    vi: 'Tệp đã ghi nhận nhưng không còn trong kho lưu trữ tệp (có thể các máy chủ không dùng chung kho). Vui lòng quét lại trang này và báo quản trị hệ thống.',
    en: 'The file is on record but missing from the file storage (the servers may not share one storage). Please scan this page again and tell the system administrator.',
  },
  PAGES_NOT_READY: {
    status: 409,
    vi: 'Còn trang đang xử lý hoặc bị lỗi nên chưa thể ký. Vui lòng đợi các trang xử lý xong, quét lại trang bị lỗi rồi ký lại.',
    en: 'Some pages are still being processed or have failed, so the component cannot be signed yet. Please wait for them, scan failed pages again, then sign.',
  },
} as const satisfies Record<string, ErrorEntry>;
