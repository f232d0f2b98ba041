/**
 * The service groups each office with desks starts with, by the procedure fields they serve; `desks` names
 * the desks (by their seeded name) that call the group at the service centre, where desks are specialised.
 * Post offices' desks call every group.
 */
export const queueGroups = [
  {
    code: 'A',
    nameVi: 'Tư pháp – hộ tịch, chứng thực',
    nameEn: 'Justice – civil status, certification',
    fields: ['Hộ tịch', 'Chứng thực', 'Lý lịch tư pháp', 'Quốc tịch'],
    desks: ['Quầy 1 – Tư pháp'],
  },
  {
    code: 'B',
    nameVi: 'Công an – cư trú, xuất nhập cảnh, giấy phép lái xe',
    nameEn: 'Police – residence, passports, driving licences',
    fields: ['Đăng ký, quản lý cư trú', 'Quản lý xuất nhập cảnh', 'Sát hạch, cấp giấy phép lái xe'],
    desks: ['Quầy 2 – Công an'],
  },
  {
    code: 'C',
    nameVi: 'Kinh doanh, xây dựng',
    nameEn: 'Business registration, construction',
    fields: [
      'Thành lập và hoạt động của hộ kinh doanh',
      'Thành lập và hoạt động doanh nghiệp',
      'Hoạt động xây dựng',
    ],
    desks: ['Quầy 3 – Tài chính (đăng ký kinh doanh)', 'Quầy 4 – Xây dựng'],
  },
  {
    code: 'D',
    nameVi: 'Nhận kết quả, dịch vụ bưu chính',
    nameEn: 'Collect results, postal services',
    fields: [],
    desks: ['Quầy 5 – Trả kết quả'],
  },
] as const;
