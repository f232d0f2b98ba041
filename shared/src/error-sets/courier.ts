import type { ErrorEntry } from '../errors';

/** Errors of courier tasks, routes, proofs at the door and the courier app: Vietnamese first (what to do), English second. */
export const COURIER_ERRORS = {
  COURIER_TASK_NOT_FOUND: {
    status: 404,
    vi: 'Không tìm thấy nhiệm vụ nhận/phát này tại bưu cục của bạn. Vui lòng tải lại danh sách nhiệm vụ trong ngày.',
    en: "This pickup or delivery task was not found at your post office. Please reload the day's task list.",
  },
  COURIER_TASK_REASSIGNED: {
    status: 409,
    vi: 'Nhiệm vụ này đã được giao cho bưu tá khác. Thao tác của bạn không được ghi; vui lòng liên hệ giám sát và tải lại lộ trình.',
    en: 'This task has been given to another courier. Your action was not recorded; please call your supervisor and reload your route.',
  },
  COURIER_TASK_CANCELLED: {
    status: 409,
    vi: 'Nhiệm vụ này đã bị hủy (hồ sơ đã rút hoặc đã trả tại quầy). Thao tác của bạn không được ghi; vui lòng giữ nguyên giấy tờ và liên hệ giám sát.',
    en: 'This task was cancelled (the dossier was withdrawn or handed back at the desk). Your action was not recorded; please keep the papers and call your supervisor.',
  },
  COURIER_TASK_CHANGED: {
    status: 409,
    vi: 'Nhiệm vụ đã được thay đổi sau khi bạn tải lộ trình (giờ hẹn, thứ tự hoặc người nhận). Thao tác không được ghi; vui lòng tải lại lộ trình và thực hiện lại.',
    en: 'The task was changed after you loaded your route (time window, order or recipient). Your action was not recorded; please reload your route and do it again.',
  },
  COURIER_TASK_CLOSED: {
    status: 409,
    vi: 'Nhiệm vụ này đã hoàn thành hoặc đã đóng, không thể giao hay thực hiện lại. Vui lòng tải lại danh sách nhiệm vụ.',
    en: 'This task is already done or closed and cannot be assigned or carried out again. Please reload the task list.',
  },
  COURIER_NOT_AT_OFFICE: {
    status: 400,
    vi: 'Người được chọn không phải bưu tá của bưu cục này. Vui lòng chọn một bưu tá trong danh sách.',
    en: 'The person chosen is not a courier of this post office. Please choose a courier from the list.',
  },
  COURIER_OUTSIDE_VIETNAM: {
    status: 400,
    vi: 'Tọa độ nằm ngoài lãnh thổ Việt Nam. Vui lòng bật định vị (GPS) trên điện thoại và thử lại, hoặc chọn lại vị trí trên bản đồ.',
    en: "The coordinates are outside Vietnam. Please turn on the phone's location (GPS) and try again, or pick the place on the map again.",
  },
  COURIER_ID_MISMATCH: {
    status: 422,
    vi: 'Số định danh không khớp với người nhận của hồ sơ. Vui lòng kiểm tra lại thẻ căn cước; nếu người khác nhận thay, chọn "Người nhận thay" và chụp giấy ủy quyền.',
    en: 'The id number does not match the dossier\'s recipient. Please check the id card again; if someone else collects it, choose "Proxy" and photograph the authorisation letter.',
  },
  COURIER_PROXY_LETTER_REQUIRED: {
    status: 422,
    vi: 'Người nhận thay phải có giấy ủy quyền và thẻ căn cước của chính mình. Vui lòng nhập số định danh của người nhận thay và chụp ảnh giấy ủy quyền.',
    en: "A proxy must show an authorisation letter and their own id card. Please enter the proxy's id number and photograph the authorisation letter.",
  },
  COURIER_IDENTITY_REQUIRED: {
    status: 422,
    vi: 'Chưa kiểm tra giấy tờ tùy thân của người nhận. Vui lòng nhập số định danh 12 chữ số hoặc quét mã QR trên thẻ căn cước.',
    en: "The recipient's identity has not been checked. Please type the 12-digit id number or scan the QR code on the id card.",
  },
  COURIER_OTP_REQUIRED: {
    status: 422,
    vi: 'Chưa nhập mã xác nhận người nhận nhận được qua tin nhắn. Vui lòng hỏi người nhận mã 6 chữ số và nhập vào.',
    en: 'The confirmation code the recipient received by text message has not been entered. Please ask the recipient for the 6-digit code and enter it.',
  },
  COURIER_SIGNATURE_REQUIRED: {
    status: 422,
    vi: 'Chưa có chữ ký của người dân trên màn hình. Vui lòng mời người dân ký rồi gửi lại.',
    en: 'The citizen has not signed on the screen yet. Please ask the citizen to sign, then send again.',
  },
  COURIER_UPLOAD_MISSING: {
    status: 422,
    vi: 'Ảnh hoặc chữ ký của thao tác này chưa được tải lên máy chủ. Vui lòng giữ điện thoại có mạng để ứng dụng gửi nốt ảnh, rồi đồng bộ lại.',
    en: 'A photo or signature of this action has not reached the server yet. Please stay online so the app can send the remaining photos, then sync again.',
  },
  COURIER_CHECKLIST_REQUIRED: {
    status: 422,
    vi: 'Danh sách kiểm tra thành phần hồ sơ chưa đủ: mỗi thành phần phải được đánh dấu có/thiếu và bản chính/bản sao. Vui lòng kiểm tra lại từng giấy tờ.',
    en: 'The component checklist is incomplete: mark each component present or missing, original or copy. Please go through every document again.',
  },
  COURIER_SEAL_REQUIRED: {
    status: 422,
    vi: 'Chưa nhập số niêm phong túi hồ sơ. Vui lòng niêm phong hồ sơ trước mặt người dân và nhập số niêm phong.',
    en: 'The seal number of the dossier bag is missing. Please seal the dossier in front of the citizen and enter the seal number.',
  },
  COURIER_UPLOAD_TOO_LARGE: {
    status: 413,
    vi: 'Ảnh quá lớn (tối đa 15 MB). Vui lòng chụp lại ở chất lượng thấp hơn hoặc chọn "Giảm dung lượng ảnh" trong ứng dụng.',
    en: 'The photo is too large (at most 15 MB). Please take it again at a lower quality, or turn on "Reduce photo size" in the app.',
  },
  COURIER_UPLOAD_TYPE: {
    status: 400,
    vi: 'Chỉ nhận ảnh JPEG hoặc PNG. Vui lòng chụp lại bằng máy ảnh của ứng dụng.',
    en: "Only JPEG or PNG photos are accepted. Please take the photo again with the app's camera.",
  },
  COURIER_UPLOAD_PIXELS: {
    status: 413,
    vi: 'Ảnh có quá nhiều điểm ảnh (tối đa 40 megapixel). Vui lòng chụp lại ở độ phân giải thấp hơn.',
    en: 'The photo has too many pixels (at most 40 megapixels). Please take it again at a lower resolution.',
  },
  COURIER_NO_RECIPIENT_PHONE: {
    status: 422,
    vi: 'Hồ sơ không có số điện thoại người nhận nên không gửi được mã xác nhận. Vui lòng cập nhật số điện thoại tại quầy trước khi giao phát.',
    en: 'The dossier has no recipient phone number, so no confirmation code can be sent. Please add the phone number at the desk before dispatching.',
  },
  COURIER_NO_POSITION: {
    status: 422,
    vi: 'Bưu cục chưa có tọa độ trên bản đồ nên không lập được lộ trình. Vui lòng nhờ quản trị viên cập nhật vị trí bưu cục.',
    en: 'The post office has no map position, so no route can be planned. Please ask the administrator to set the office position.',
  },
  COURIER_PLAN_STALE: {
    status: 409,
    vi: 'Danh sách nhiệm vụ đã thay đổi kể từ khi lập đề xuất lộ trình. Vui lòng lập lại đề xuất rồi chấp nhận.',
    en: 'The task list changed since the route proposal was made. Please make a new proposal, then accept it.',
  },
  COURIER_NO_COURIERS: {
    status: 422,
    vi: 'Bưu cục chưa có bưu tá nào để lập lộ trình. Vui lòng nhờ quản trị viên thêm tài khoản bưu tá.',
    en: 'The post office has no couriers to plan routes for. Please ask the administrator to add courier accounts.',
  },
} as const satisfies Record<string, ErrorEntry>;
