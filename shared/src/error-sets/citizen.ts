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
  PICKUP_NO_OFFICE: {
    status: 409,
    vi: 'Chưa có bưu điện nhận hồ sơ tại nhà ở xã, phường này. Vui lòng mang hồ sơ đến bưu điện gần nhất hoặc gọi tổng đài bưu điện.',
    en: 'No post office collects dossiers at home in this commune yet. Please take the dossier to the nearest post office or call the post office.',
  },
  PICKUP_NOT_ALLOWED: {
    status: 409,
    vi: 'Thủ tục này không nhận hồ sơ tại nhà qua bưu điện. Vui lòng nộp trực tiếp tại quầy hoặc chọn thủ tục khác.',
    en: 'This procedure cannot be collected at home by the post. Please lodge it at a desk or choose another procedure.',
  },
  PICKUP_DAY_INVALID: {
    status: 400,
    vi: 'Ngày hẹn không hợp lệ. Vui lòng chọn một ngày làm việc trong 7 ngày làm việc tới.',
    en: 'That day cannot be booked. Please choose a working day within the next 7 working days.',
  },
  DELIVERY_ALREADY_ASKED: {
    status: 409,
    vi: 'Hồ sơ này đã đăng ký giao kết quả tận nhà. Vui lòng tra cứu lại để xem khung giờ giao.',
    en: 'Home delivery is already arranged for this dossier. Please look it up again to see the delivery window.',
  },
  DELIVERY_TOO_LATE: {
    status: 409,
    vi: 'Hồ sơ ở bước này không thể chuyển sang giao tận nhà. Vui lòng liên hệ nơi tiếp nhận hồ sơ.',
    en: 'The dossier can no longer be switched to home delivery. Please contact the office that received it.',
  },
  FEEDBACK_NOT_YET: {
    status: 409,
    vi: 'Chỉ đánh giá được sau khi đã nhận kết quả. Vui lòng quay lại sau khi nhận kết quả.',
    en: 'The service can be rated only after the result has been received. Please come back once you have it.',
  },
  FEEDBACK_ALREADY_RATED: {
    status: 409,
    vi: 'Hồ sơ này đã được đánh giá. Nếu chưa hài lòng, vui lòng gửi phản ánh.',
    en: 'This dossier has already been rated. If something went wrong, please file a complaint.',
  },
  FEEDBACK_REASON_REQUIRED: {
    status: 400,
    vi: 'Vui lòng chọn ít nhất một lý do chưa hài lòng.',
    en: 'Please choose at least one reason you were not satisfied.',
  },
  COMPLAINT_NOT_FOUND: {
    status: 404,
    vi: 'Không tìm thấy phản ánh này trong các bưu cục bạn phụ trách. Vui lòng tải lại danh sách.',
    en: 'This complaint is not in the offices you supervise. Please reload the list.',
  },
  COMPLAINT_ALREADY_ANSWERED: {
    status: 409,
    vi: 'Phản ánh này đã được trả lời. Vui lòng tải lại danh sách để xem câu trả lời.',
    en: 'This complaint has already been answered. Please reload the list to see the answer.',
  },
  FEEDBACK_PROOF_REQUIRED: {
    status: 403,
    vi: 'Để đánh giá hoặc phản ánh, vui lòng quét mã QR trên Giấy tiếp nhận hồ sơ, hoặc nhập mã xác nhận được gửi tới số điện thoại của hồ sơ.',
    en: 'To rate or complain, please scan the QR code on your receipt, or enter the confirmation code sent to the dossier’s phone.',
  },
  TRACK_LINK_INVALID: {
    status: 404,
    vi: 'Đường dẫn tra cứu không hợp lệ. Vui lòng quét lại mã QR trên Giấy tiếp nhận, hoặc nhập mã hồ sơ và số điện thoại.',
    en: 'This tracking link is not valid. Please scan the QR code on your receipt again, or enter the dossier code and phone number.',
  },
  CONTACT_UNCHANGED: {
    status: 400,
    vi: 'Số điện thoại và địa chỉ nhận kết quả mới giống thông tin hiện có. Vui lòng nhập thông tin cần thay đổi.',
    en: 'The new phone number and delivery address are the same as those on file. Please enter what should change.',
  },
  CONTACT_NO_OLD_PHONE: {
    status: 409,
    vi: 'Hồ sơ chưa có số điện thoại để gửi mã xác nhận. Vui lòng đối chiếu thẻ căn cước của người nộp tại quầy.',
    en: 'The dossier has no phone number to send a code to. Please check the applicant’s ID card at the desk instead.',
  },
  CONTACT_ID_CARD_MISMATCH: {
    status: 409,
    vi: 'Số trên thẻ căn cước không phải của người nộp hồ sơ này. Vui lòng kiểm tra thẻ của chính người nộp, hoặc đổi bằng mã gửi tới số điện thoại cũ.',
    en: 'The ID card number is not that of this dossier’s applicant. Please check the applicant’s own card, or change the details with a code sent to the old phone.',
  },
  CONTACT_DELIVERY_NOT_ASKED: {
    status: 409,
    vi: 'Kết quả của hồ sơ này nhận tại quầy nên chưa có địa chỉ giao. Vui lòng hướng dẫn người dân đăng ký giao tận nhà trên trang tra cứu.',
    en: 'This dossier’s result is collected at the desk, so it has no delivery address. Please ask the citizen to request home delivery on the tracking page.',
  },
  CONTACT_CHANGE_TOO_LATE: {
    status: 409,
    vi: 'Hồ sơ đã kết thúc hoặc bưu tá đang giao kết quả, không đổi được thông tin liên hệ lúc này. Vui lòng liên hệ bưu cục phát.',
    en: 'The dossier is finished or a courier is delivering the result, so the contact details cannot change now. Please contact the delivering post office.',
  },
  CONTACT_CHANGE_NOT_FOUND: {
    status: 404,
    vi: 'Không tìm thấy yêu cầu đổi thông tin liên hệ đang chờ xác nhận. Vui lòng tạo yêu cầu mới.',
    en: 'No contact change is waiting for confirmation. Please start a new change.',
  },
  CONTACT_CHANGE_NEEDS_CONFIRMATION: {
    status: 409,
    vi: 'Số điện thoại khác với số người dân đã xác nhận khi đặt lịch. Hãy tiếp nhận với số đã xác nhận, rồi đổi số bằng chức năng "Đổi thông tin liên hệ".',
    en: 'The phone number differs from the one the citizen confirmed when booking. Please receive with the confirmed number, then use “Change contact details”.',
  },
  MAILBOX_DISABLED: {
    status: 403,
    vi: 'Hộp thư thử nghiệm không có trên máy chủ chính thức. Vui lòng xem tin nhắn trên điện thoại.',
    en: 'The test mailbox does not exist on the production server. Please read the messages on the phone.',
  },
} as const satisfies Record<string, ErrorEntry>;
