/** Texts of the desk hand-over of picked-up dossiers: Vietnamese first; `en` must have every key of `vi`. */
export const vi = {
  'pickup.title': 'Hồ sơ bưu tá đã thu gom',
  'pickup.hint':
    'Đối chiếu số niêm phong với túi hồ sơ bưu tá giao, rồi bấm “Tiếp nhận” để kiểm tra và cấp mã.',
  'pickup.loading': 'Đang tải hồ sơ bưu tá đã thu gom…',
  'pickup.empty': 'Không có hồ sơ nào bưu tá thu gom đang chờ giao tại quầy.',
  'pickup.count': '{n} hồ sơ chờ bàn giao',
  'pickup.col.seal': 'Số niêm phong',
  'pickup.col.procedure': 'Thủ tục',
  'pickup.col.contact': 'Người nộp',
  'pickup.col.courier': 'Bưu tá',
  'pickup.col.pickedUpAt': 'Thu gom lúc',
  'pickup.col.note': 'Phiếu gửi',
  'pickup.col.action': 'Bàn giao',
  'pickup.noSeal': 'không có số',
  'pickup.noCourier': 'chưa rõ',
  'pickup.note': 'Phiếu gửi hồ sơ (PDF)',
  'pickup.noteLabel': 'Mở phiếu gửi hồ sơ niêm phong {seal}',
  'pickup.receive': 'Tiếp nhận',
  'pickup.receiveLabel': 'Tiếp nhận hồ sơ niêm phong {seal} của {name}',
  'pickup.components': '{present}/{total} thành phần bưu tá đã thu',
  'pickup.banner':
    'Tiếp nhận hồ sơ bưu tá thu gom — niêm phong {seal}, thu lúc {at}. Thời điểm bàn giao tại quầy là thời điểm tiếp nhận; đã điền sẵn theo phiếu gửi, vui lòng kiểm tra lại giấy tờ trong túi.',
  'pickup.notFound':
    'Hồ sơ bưu tá thu gom này không còn chờ bàn giao (có thể đã được tiếp nhận). Vui lòng quay lại trang Hôm nay để xem danh sách mới.',
  'pickup.backToday': 'Về trang Hôm nay',
};

export type PickupKey = keyof typeof vi;

export const en: Record<PickupKey, string> = {
  'pickup.title': 'Dossiers collected by couriers',
  'pickup.hint':
    'Check the seal number against the courier’s bag, then press “Receive” to check the papers and issue a code.',
  'pickup.loading': 'Loading dossiers collected by couriers…',
  'pickup.empty': 'No dossier collected by a courier is waiting to be handed over at the desk.',
  'pickup.count': '{n} waiting for hand-over',
  'pickup.col.seal': 'Seal number',
  'pickup.col.procedure': 'Procedure',
  'pickup.col.contact': 'Applicant',
  'pickup.col.courier': 'Courier',
  'pickup.col.pickedUpAt': 'Collected at',
  'pickup.col.note': 'Dispatch note',
  'pickup.col.action': 'Hand-over',
  'pickup.noSeal': 'no number',
  'pickup.noCourier': 'unknown',
  'pickup.note': 'Dispatch note (PDF)',
  'pickup.noteLabel': 'Open the dispatch note of seal {seal}',
  'pickup.receive': 'Receive',
  'pickup.receiveLabel': 'Receive the dossier sealed {seal} from {name}',
  'pickup.components': '{present}/{total} components collected',
  'pickup.banner':
    'Receiving a dossier collected by a courier — seal {seal}, collected at {at}. The hand-over at the desk is the time of receipt; filled in from the dispatch note, please check the papers in the bag.',
  'pickup.notFound':
    'This collected dossier is no longer waiting for hand-over (it may have been received already). Please go back to the Today page for the current list.',
  'pickup.backToday': 'Back to Today',
};
