/** Texts of the deciding-agency and one-stop-department box on the intake page: `en` has every key of `vi`. */
export const vi = {
  'routing.title': 'Cơ quan giải quyết và đơn vị tiếp nhận',
  'routing.agency': 'Cơ quan giải quyết',
  'routing.pending': 'Chọn xã/phường của người nộp để xác định cơ quan giải quyết.',
  'routing.source.assignment': 'theo bảng phân công thẩm quyền của xã/phường',
  'routing.source.procedure': 'cơ quan công bố của thủ tục (xã/phường này chưa có phân công)',
  'routing.change': 'Đổi cơ quan',
  'routing.keep': 'Giữ theo phân công',
  'routing.choose': 'Cơ quan giải quyết khác',
  'routing.reason': 'Lý do đổi (ghi vào nhật ký hồ sơ)',
  'routing.department': 'Tiếp nhận thay cho bộ phận một cửa',
  'routing.defaultMark': '(mặc định)',
};

export const en: Record<keyof typeof vi, string> = {
  'routing.title': 'Deciding agency and receiving department',
  'routing.agency': 'Deciding agency',
  'routing.pending': "Choose the applicant's commune to find the deciding agency.",
  'routing.source.assignment': "from the commune's competence assignment",
  'routing.source.procedure': "the procedure's published agency (no assignment for this commune)",
  'routing.change': 'Change agency',
  'routing.keep': 'Keep the assigned one',
  'routing.choose': 'Another deciding agency',
  'routing.reason': "Reason for the change (kept in the dossier's log)",
  'routing.department': 'Received on behalf of the one-stop department',
  'routing.defaultMark': '(default)',
};
