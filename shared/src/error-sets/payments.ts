import type { ErrorEntry } from '../errors';

/** Errors of bills, the payment gateway, VietQR, cash and reconciliation: Vietnamese first (what to do), English second. */
export const PAYMENTS_ERRORS = {
  PAYMENT_NOT_FOUND: {
    status: 404,
    vi: 'Không tìm thấy khoản thu với mã này. Vui lòng kiểm tra lại mã khoản thu in trên giấy hoặc trong tin nhắn.',
    en: 'No bill has this code. Please check the bill code printed on the slip or in the message.',
  },
  PAYMENT_ALREADY_PAID: {
    status: 409,
    vi: 'Khoản thu này đã được thanh toán. Vui lòng không thu thêm; tải biên lai nếu người nộp cần.',
    en: 'This bill is already paid. Please do not collect it again; download the receipt if the payer needs it.',
  },
  PAYMENT_REFERENCE_REQUIRED: {
    status: 400,
    vi: 'Vui lòng nhập mã giao dịch ngân hàng của khoản chuyển khoản (xem trên ứng dụng ngân hàng hoặc sao kê), từ 4 đến 64 ký tự.',
    en: 'Please enter the bank transaction reference of the transfer (from the bank app or statement), 4 to 64 characters.',
  },
  PAYMENT_NOT_PAYABLE: {
    status: 409,
    vi: 'Khoản thu này đã bị hủy hoặc không còn hiệu lực. Vui lòng liên hệ quầy tiếp nhận để được lập khoản thu mới.',
    en: 'This bill was cancelled or is no longer valid. Please ask the desk for a new bill.',
  },
  PAYMENT_AMOUNT_INVALID: {
    status: 400,
    vi: 'Số tiền phải là số nguyên dương (đồng), không quá 1 tỷ đồng. Vui lòng nhập lại số tiền.',
    en: 'The amount must be a whole positive number of dong, at most 1 billion. Please enter the amount again.',
  },
  PAYMENT_AMOUNT_CHANGED: {
    status: 409,
    vi: 'Đã có khoản thu loại này đang chờ thanh toán trực tuyến với số tiền khác. Vui lòng chờ kết quả thanh toán hoặc hủy khoản thu cũ trước.',
    en: 'A bill of this kind is already being paid online with a different amount. Please wait for the payment result or cancel the old bill first.',
  },
  PAYMENT_ONLINE_UNAVAILABLE: {
    status: 503,
    vi: 'Thanh toán trực tuyến hiện chưa được cung cấp. Vui lòng chuyển khoản bằng mã VietQR hoặc nộp tiền mặt tại quầy.',
    en: 'Online payment is not offered at the moment. Please pay by bank transfer with the VietQR code or in cash at the desk.',
  },
  PAYMENT_GATEWAY_FAILED: {
    status: 503,
    vi: 'Cổng thanh toán đang không phản hồi. Vui lòng thử lại sau ít phút, hoặc chuyển khoản bằng mã VietQR.',
    en: 'The payment gateway is not answering. Please try again in a few minutes, or pay by bank transfer with the VietQR code.',
  },
  PAYMENT_CHECKSUM_INVALID: {
    status: 403,
    vi: 'Mã xác thực (MaXacThuc) của bản tin không đúng; bản tin bị từ chối. Vui lòng kiểm tra khóa bí mật và cách ghép trường.',
    en: 'The message checksum (MaXacThuc) is wrong; the message was refused. Please check the shared secret and the field order.',
  },
  PAYMENT_MISMATCH: {
    status: 409,
    vi: 'Số tiền hoặc mã đối tác trong bản tin không khớp với khoản thu. Vui lòng đối chiếu lại giao dịch với cổng thanh toán.',
    en: 'The amount or merchant in the message does not match the bill. Please reconcile the transaction with the gateway.',
  },
  PAYMENT_CALLBACK_STALE: {
    status: 403,
    vi: 'Bản tin thanh toán có thời gian gửi (ThoiGianGD) quá xa thời điểm hiện tại; bản tin bị từ chối. Vui lòng gửi lại bản tin mới với thời gian hiện tại và kiểm tra đồng hồ máy chủ.',
    en: 'The payment message was sent (ThoiGianGD) too far from the current time; it was refused. Please send a fresh message with the current time and check the server clock.',
  },
  PAYMENT_NOT_CONFIRMED: {
    status: 409,
    vi: 'Cổng thanh toán chưa xác nhận giao dịch này khi được hỏi lại; khoản thu chưa được ghi nhận là đã thanh toán. Vui lòng đối chiếu giao dịch với cổng thanh toán.',
    en: 'The payment gateway did not confirm this transaction when asked; the bill is not marked paid. Please reconcile the transaction with the gateway.',
  },
  PAYMENT_RECEIPT_NOT_READY: {
    status: 409,
    vi: 'Biên lai chỉ có sau khi khoản thu đã được thanh toán. Vui lòng thanh toán trước hoặc thử lại sau ít phút.',
    en: 'A receipt exists only once the bill is paid. Please pay first, or try again in a few minutes.',
  },
  PAYMENT_OBLIGATION_STATE: {
    status: 409,
    vi: 'Chỉ yêu cầu thực hiện nghĩa vụ tài chính khi hồ sơ đang được thẩm định. Vui lòng kiểm tra trạng thái hồ sơ.',
    en: 'A financial obligation can only be requested while the dossier is in review. Please check the dossier state.',
  },
} as const satisfies Record<string, ErrorEntry>;
