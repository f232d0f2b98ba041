import type { ErrorEntry } from '../errors';

/** Errors of the agency hand-off: forwarding, inbox, decisions, Mẫu 04/05: Vietnamese first (what to do), English second. */
export const AGENCY_ERRORS = {
  AGENCY_RESULT_UNSIGNED: {
    status: 422,
    vi: 'Tệp kết quả chưa được ký số. Vui lòng tải lên bản PDF đã ký số của cơ quan, hoặc chọn "Ký số trong PostDesk".',
    en: 'The result file is not digitally signed. Please upload the PDF your agency signed, or choose "Sign in PostDesk".',
  },
  AGENCY_RESULT_SIGNATURE_INVALID: {
    status: 422,
    vi: 'Chữ ký số trên tệp kết quả không hợp lệ hoặc tệp đã bị sửa sau khi ký. Vui lòng ký lại bản gốc và tải lên lại.',
    en: 'The signature on the result file is not valid, or the file was changed after signing. Please sign the original again and upload it.',
  },
  AGENCY_RESULT_REQUIRED: {
    status: 400,
    vi: 'Hồ sơ được giải quyết (chấp thuận) cần tệp kết quả PDF đã ký số. Vui lòng tải tệp kết quả lên.',
    en: 'An approved dossier needs a signed PDF result. Please upload the result file.',
  },
  AGENCY_STOP_REASON_REQUIRED: {
    status: 400,
    vi: 'Vui lòng ghi rõ lý do dừng giải quyết hồ sơ; lý do được báo cho công dân.',
    en: 'Please write why processing stops; the citizen is told the reason.',
  },
  AGENCY_REASONS_REQUIRED: {
    status: 400,
    vi: 'Vui lòng ghi rõ lý do không giải quyết hồ sơ; lý do được in cho công dân.',
    en: 'Please write the reasons for refusing the dossier; they are printed for the citizen.',
  },
  AGENCY_SUPPLEMENT_ITEMS_REQUIRED: {
    status: 400,
    vi: 'Vui lòng liệt kê đầy đủ, một lần, các giấy tờ hoặc nội dung cần bổ sung.',
    en: 'Please list, once and in full, the documents or details that must be added.',
  },
  AGENCY_ALREADY_DECIDED: {
    status: 409,
    vi: 'Hồ sơ đã có quyết định khác trước đó. Vui lòng tải lại hồ sơ để xem quyết định đã ghi nhận.',
    en: 'A different decision was already recorded for this dossier. Please reload the dossier to see it.',
  },
  AGENCY_NEW_DUE_INVALID: {
    status: 400,
    vi: 'Ngày hẹn trả mới phải sau hạn trả hiện tại. Vui lòng chọn lại ngày hẹn trả.',
    en: 'The new due date must be after the current due time. Please choose the new date again.',
  },
  AGENCY_SUPPLEMENT_NOT_DIGITIZED: {
    status: 409,
    vi: 'Còn giấy tờ bổ sung chưa được số hóa và ký số. Vui lòng quét và ký các giấy tờ bổ sung trước khi chuyển lại cơ quan.',
    en: 'Some added documents are not yet digitized and signed. Please scan and sign them before sending the dossier back to the agency.',
  },
  AGENCY_IDENTITY_MISMATCH: {
    status: 422,
    vi: 'Số định danh không khớp với người nộp hồ sơ. Vui lòng đối chiếu lại thẻ căn cước; nếu là người được ủy quyền, chọn "Người được ủy quyền".',
    en: 'The id number does not match the applicant. Please check the id card again; for a proxy, choose "Authorised person".',
  },
  AGENCY_AUTHORISATION_REQUIRED: {
    status: 400,
    vi: 'Người nhận thay phải có giấy ủy quyền. Vui lòng nhập số giấy ủy quyền, họ tên và số định danh của người nhận thay.',
    en: 'A proxy must bring an authorisation letter. Please enter its number, and the proxy’s name and id number.',
  },
  AGENCY_FORM_NOT_AVAILABLE: {
    status: 404,
    vi: 'Hồ sơ chưa có phiếu này (chưa phát sinh bước tương ứng). Vui lòng kiểm tra lại trạng thái hồ sơ.',
    en: 'This dossier has no such form yet (the step has not happened). Please check the dossier’s state.',
  },
} as const satisfies Record<string, ErrorEntry>;
