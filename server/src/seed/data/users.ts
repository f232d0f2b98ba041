import type { SeedUser } from './types';

/** The one password of every demo account. Never used outside the embedded demo. */
export const DEMO_PASSWORD = 'postdesk-demo';

/**
 * Demo accounts, one or more per role. Postal staff (clerks, couriers, the supervisor) belong to
 * post offices or work at the service centre's desks under Decision 468; agency officials belong to
 * the bodies that decide. Postal staff never hold an agency role.
 */
export const users: SeedUser[] = [
  // ── Administrator ──
  {
    username: 'admin',
    fullName: 'Nguyễn Phước Bảo Long',
    password: DEMO_PASSWORD,
    memberships: [{ officeCode: 'H57.36', role: 'admin' }],
  },

  // ── Supervisor (postal) ──
  {
    username: 'giamsat.nguyet',
    fullName: 'Trần Thị Minh Nguyệt',
    password: DEMO_PASSWORD,
    memberships: [
      { officeCode: 'H57.90.01', role: 'supervisor' },
      { officeCode: 'H57.90.02', role: 'supervisor' },
      { officeCode: 'H57.90.03', role: 'supervisor' },
      { officeCode: 'H57.90.04', role: 'supervisor' },
      { officeCode: 'H57.36', role: 'supervisor' },
    ],
  },

  // ── Counter clerks (giao dịch viên) ──
  {
    username: 'gdv.hang',
    fullName: 'Nguyễn Thị Thu Hằng',
    password: DEMO_PASSWORD,
    memberships: [{ officeCode: 'H57.90.01', role: 'clerk' }],
  },
  {
    username: 'gdv.quang',
    fullName: 'Lê Văn Quang',
    password: DEMO_PASSWORD,
    memberships: [{ officeCode: 'H57.90.02', role: 'clerk' }],
  },
  {
    username: 'gdv.ngoc',
    fullName: 'Hoàng Thị Bích Ngọc',
    password: DEMO_PASSWORD,
    memberships: [{ officeCode: 'H57.90.03', role: 'clerk' }],
  },
  {
    username: 'gdv.duyen',
    fullName: 'Phan Thị Mỹ Duyên',
    password: DEMO_PASSWORD,
    memberships: [{ officeCode: 'H57.90.04', role: 'clerk' }],
  },
  {
    // Postal staff seconded to the provincial service centre's desks (Decision 468 model).
    username: 'gdv.linh',
    fullName: 'Tôn Nữ Khánh Linh',
    password: DEMO_PASSWORD,
    memberships: [
      { officeCode: 'H57.36', role: 'clerk' },
      { officeCode: 'H57.90.01', role: 'clerk' },
    ],
  },

  // ── Couriers (bưu tá) ──
  {
    username: 'buuta.hung',
    fullName: 'Võ Văn Hùng',
    password: DEMO_PASSWORD,
    memberships: [{ officeCode: 'H57.90.01', role: 'courier' }],
  },
  {
    username: 'buuta.phuoc',
    fullName: 'Ngô Đình Phước',
    password: DEMO_PASSWORD,
    memberships: [{ officeCode: 'H57.90.03', role: 'courier' }],
  },
  {
    username: 'buuta.tam',
    fullName: 'Hồ Minh Tâm',
    password: DEMO_PASSWORD,
    memberships: [{ officeCode: 'H57.90.04', role: 'courier' }],
  },

  // ── Agency officials (one per deciding body) ──
  {
    username: 'stp.lan',
    fullName: 'Đặng Thị Lan',
    password: DEMO_PASSWORD,
    memberships: [{ officeCode: '000.00.13.H57', role: 'agency_official' }],
  },
  {
    username: 'sxd.khoa',
    fullName: 'Trương Quang Khoa',
    password: DEMO_PASSWORD,
    memberships: [{ officeCode: 'H57.20', role: 'agency_official' }],
  },
  {
    username: 'stc.vy',
    fullName: 'Huỳnh Thị Tường Vy',
    password: DEMO_PASSWORD,
    memberships: [{ officeCode: 'H57.05', role: 'agency_official' }],
  },
  {
    username: 'ca.dung',
    fullName: 'Nguyễn Tiến Dũng',
    password: DEMO_PASSWORD,
    memberships: [{ officeCode: 'H57.40', role: 'agency_official' }],
  },
  {
    username: 'ca.thuanhoa',
    fullName: 'Lê Công Thành',
    password: DEMO_PASSWORD,
    memberships: [{ officeCode: 'H57.40.10', role: 'agency_official' }],
  },
  {
    username: 'ubnd.phuxuan',
    fullName: 'Tôn Thất Bảo',
    password: DEMO_PASSWORD,
    memberships: [{ officeCode: 'H57.101', role: 'agency_official' }],
  },
  {
    username: 'ubnd.thuanhoa',
    fullName: 'Nguyễn Thị Hoài Thương',
    password: DEMO_PASSWORD,
    memberships: [{ officeCode: 'H57.102', role: 'agency_official' }],
  },
  {
    username: 'ubnd.phuloc',
    fullName: 'Hồ Văn Sỹ',
    password: DEMO_PASSWORD,
    memberships: [{ officeCode: 'H57.103', role: 'agency_official' }],
  },
];
