/**
 * Kinds of documents that recur across procedures. A component of one procedure can be satisfied by a
 * digitized document of the same kind from an earlier dossier of the same citizen. Application forms
 * (tờ khai, đơn) are specific to their procedure and never reused.
 */
const PATTERNS: [RegExp, string][] = [
  [/^(tờ khai|đơn|giấy đề nghị)/i, ''],
  [/căn cước|cccd|chứng minh nhân dân/i, 'citizen_id_card'],
  [/ảnh .*4\s?x\s?6/i, 'portrait_photo'],
  [/giấy khám sức khỏe/i, 'health_certificate'],
  [/giấy phép lái xe/i, 'driving_licence'],
  [/xác nhận tình trạng hôn nhân/i, 'marital_status_certificate'],
  [/giấy chứng sinh/i, 'birth_notice'],
  [/giấy khai sinh/i, 'birth_certificate'],
  [/hộ chiếu/i, 'passport'],
  [/quyền sử dụng đất/i, 'land_use_right'],
  [/chỗ ở hợp pháp/i, 'lawful_residence_proof'],
  [/văn bằng/i, 'diploma'],
];

export const documentTypeOf = (componentName: string): string | undefined => {
  const hit = PATTERNS.find(([re]) => re.test(componentName.normalize('NFC')));
  return hit?.[1] || undefined;
};
