import type { DossierEvent, DossierState } from './lifecycle';

type Words = { vi: string; en: string };

/** Where a dossier is, in the words a citizen uses: no status codes, no jargon. */
export const STATE_WORDS: Record<DossierState, Words> = {
  pickup_requested: {
    vi: 'Đã đặt lịch nhân viên bưu điện đến nhận hồ sơ tại nhà',
    en: 'A postal worker is booked to collect your dossier at home',
  },
  pickup_assigned: {
    vi: 'Nhân viên bưu điện sẽ đến nhận hồ sơ tại nhà',
    en: 'A postal worker will come to collect your dossier',
  },
  picked_up: {
    vi: 'Bưu điện đã nhận hồ sơ tại nhà và đang chuyển đến nơi tiếp nhận',
    en: 'The post collected your dossier and is taking it to the desk',
  },
  draft: { vi: 'Hồ sơ đang được kiểm tra tại quầy', en: 'Your dossier is being checked at the desk' },
  supplement_requested: { vi: 'Hồ sơ cần bổ sung giấy tờ', en: 'Your dossier needs more documents' },
  refused: { vi: 'Hồ sơ không được tiếp nhận', en: 'Your dossier was not accepted' },
  received: { vi: 'Hồ sơ đã được tiếp nhận', en: 'Your dossier has been received' },
  digitized: { vi: 'Hồ sơ đã được số hóa', en: 'Your dossier has been digitized' },
  forwarded: {
    vi: 'Hồ sơ đã được chuyển đến cơ quan giải quyết',
    en: 'Your dossier has been sent to the deciding agency',
  },
  in_review: { vi: 'Cơ quan đang giải quyết hồ sơ', en: 'The agency is processing your dossier' },
  agency_supplement_requested: {
    vi: 'Cơ quan giải quyết yêu cầu bổ sung giấy tờ',
    en: 'The agency needs more documents',
  },
  awaiting_payment: {
    vi: 'Đang chờ bạn nộp phí, lệ phí hoặc nghĩa vụ tài chính',
    en: 'Waiting for you to pay a fee or charge',
  },
  decided: { vi: 'Đã có kết quả giải quyết', en: 'A decision has been made' },
  result_ready: { vi: 'Kết quả đã sẵn sàng để trả', en: 'Your result is ready' },
  out_for_delivery: { vi: 'Bưu điện đang giao kết quả đến bạn', en: 'The post is delivering your result' },
  delivery_failed: {
    vi: 'Giao kết quả chưa thành công; bưu điện sẽ hẹn giao lại',
    en: 'Delivery did not succeed; the post will try again',
  },
  returned_to_agency: {
    vi: 'Kết quả đã được chuyển lại cơ quan vì không giao được',
    en: 'The result went back to the agency after failed deliveries',
  },
  delivered: { vi: 'Kết quả đã được giao đến bạn', en: 'Your result has been delivered' },
  returned: { vi: 'Bạn đã nhận kết quả tại quầy', en: 'You collected your result at the desk' },
  withdrawn: { vi: 'Hồ sơ đã được rút theo yêu cầu', en: 'The dossier was withdrawn at your request' },
  stopped: { vi: 'Cơ quan đã dừng giải quyết hồ sơ', en: 'The agency stopped processing the dossier' },
};

/** One line of the timeline per event; events a citizen would not notice are left out (null). */
export const EVENT_WORDS: Record<DossierEvent, Words | null> = {
  request_pickup: { vi: 'Đặt lịch nhận hồ sơ tại nhà', en: 'Home pickup requested' },
  assign_pickup: {
    vi: 'Đã phân công nhân viên đến nhận hồ sơ',
    en: 'A postal worker was assigned to collect it',
  },
  pick_up: { vi: 'Nhân viên bưu điện đã nhận hồ sơ tại nhà', en: 'Collected at your home' },
  fail_pickup: {
    vi: 'Chưa nhận được hồ sơ tại nhà; sẽ hẹn lại',
    en: 'Pickup did not happen; it will be rearranged',
  },
  start_intake: null,
  receive: { vi: 'Tiếp nhận hồ sơ và hẹn ngày trả kết quả', en: 'Dossier received; result date set' },
  request_supplement_at_desk: { vi: 'Quầy yêu cầu bổ sung giấy tờ', en: 'The desk asked for more documents' },
  refuse_at_desk: { vi: 'Quầy từ chối tiếp nhận hồ sơ', en: 'The desk did not accept the dossier' },
  complete_digitization: { vi: 'Số hóa hồ sơ', en: 'Dossier digitized' },
  forward: { vi: 'Chuyển hồ sơ đến cơ quan giải quyết', en: 'Sent to the deciding agency' },
  accept: { vi: 'Cơ quan bắt đầu giải quyết', en: 'The agency started processing' },
  request_supplement: { vi: 'Cơ quan yêu cầu bổ sung giấy tờ', en: 'The agency asked for more documents' },
  complete_supplement: { vi: 'Đã bổ sung giấy tờ', en: 'The missing documents were added' },
  request_payment: {
    vi: 'Cơ quan yêu cầu nộp phí hoặc nghĩa vụ tài chính',
    en: 'The agency asked for a payment',
  },
  confirm_payment: { vi: 'Đã nhận thanh toán', en: 'Payment received' },
  apologize_and_extend: {
    vi: 'Cơ quan xin lỗi và hẹn lại ngày trả kết quả',
    en: 'The agency apologised and set a new date',
  },
  decide: { vi: 'Có kết quả giải quyết', en: 'Decision made' },
  release_result: { vi: 'Kết quả sẵn sàng để trả', en: 'Result ready' },
  dispatch: { vi: 'Bưu điện bắt đầu giao kết quả', en: 'Out for delivery' },
  deliver: { vi: 'Đã giao kết quả', en: 'Delivered' },
  fail_delivery: { vi: 'Giao chưa thành công, đã để lại giấy mời', en: 'Delivery failed; a notice was left' },
  return_to_agency: { vi: 'Kết quả được chuyển lại cơ quan', en: 'Result returned to the agency' },
  hand_back: { vi: 'Trả kết quả tại quầy', en: 'Result handed over at the desk' },
  withdraw: { vi: 'Rút hồ sơ', en: 'Dossier withdrawn' },
  stop: { vi: 'Dừng giải quyết hồ sơ', en: 'Processing stopped' },
  change_contact: {
    vi: 'Đã thay đổi số điện thoại hoặc địa chỉ nhận kết quả',
    en: 'The phone number or delivery address was changed',
  },
};
