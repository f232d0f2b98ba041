import type { SeedOffice } from './types';

/**
 * Offices of the demo province (Thành phố Huế, code 46).
 *
 * ELECTRONIC ID CODES ARE PLAUSIBLE, NOT VERIFIED. They follow the shapes of Decision 20/2020/QĐ-TTg
 * (left to right: level-1 code `MX1X2`, then `.level2.level3`) and of the legacy QCVN 102:2016
 * scheme (`V1V2V3.Z1Z2.Y1Y2.MX1X2`, right to left). `H57` as Huế's level-1 code is our best
 * recollection and is not confirmed; the level-2/3 numbers are invented. Sở Tư pháp carries a
 * legacy code so that both schemes appear in the demo.
 *
 * Post offices are not state bodies: they receive on behalf of a one-stop department (Decision 468), the
 * provincial centre and, in a commune that has one, the commune's centre (`serves`, default first), and the
 * dossier code carries that department's id. Their own codes (`H57.90.x`) name them as the receiving service
 * provider, and prefix the codes of dossiers received before departments were modelled.
 *
 * Addresses and phone numbers are demo values: the streets are real streets in the named ward,
 * house numbers and phones are plausible, not checked (except Bưu điện at 8 Hoàng Hoa Thám and the
 * centre at 1 Lê Lai, which we believe to be right).
 *
 * Since 1 March 2025 driving licences are issued by the police (Law on Road Traffic Order and
 * Safety 2024), so the driving-licence procedures sit with Công an thành phố Huế, not Sở Xây dựng
 * (which absorbed the former Sở Giao thông vận tải). Business registration sits with Sở Tài chính
 * (which absorbed Sở Kế hoạch và Đầu tư on 1 March 2025).
 */
export const offices: SeedOffice[] = [
  // ── Provincial public-administration service centre (Decree 118/2025) ──
  {
    code: 'H57.36',
    scheme: 'qd20',
    name: 'Trung tâm Phục vụ hành chính công thành phố Huế',
    kind: 'service_centre',
    communeCode: '19789',
    address: '01 Lê Lai, phường Thuận Hóa, thành phố Huế',
    lat: 16.4623,
    lng: 107.5889,
    phone: '0234 3822 399',
    desks: [
      'Quầy 1 – Tư pháp',
      'Quầy 2 – Công an',
      'Quầy 3 – Tài chính (đăng ký kinh doanh)',
      'Quầy 4 – Xây dựng',
      'Quầy 5 – Trả kết quả',
    ],
  },

  // ── Public postal service (Bưu điện) ──
  {
    code: 'H57.90.01',
    scheme: 'qd20',
    name: 'Bưu điện thành phố Huế',
    kind: 'post_office',
    communeCode: '19789',
    address: '08 Hoàng Hoa Thám, phường Thuận Hóa, thành phố Huế',
    lat: 16.4668,
    lng: 107.5893,
    phone: '0234 3823 485',
    desks: ['Quầy 1', 'Quầy 2', 'Quầy 3'],
    serves: ['H57.36'],
  },
  {
    code: 'H57.90.02',
    scheme: 'qd20',
    name: 'Bưu điện trung tâm Phú Xuân',
    kind: 'post_office',
    communeCode: '19753',
    address: '41 Trần Hưng Đạo, phường Phú Xuân, thành phố Huế',
    lat: 16.4723,
    lng: 107.5873,
    phone: '0234 3524 112',
    desks: ['Quầy 1', 'Quầy 2'],
    serves: ['H57.36', 'H57.101.01'],
  },
  {
    code: 'H57.90.03',
    scheme: 'qd20',
    name: 'Bưu điện phường Phú Bài',
    kind: 'post_office',
    communeCode: '19960',
    address: '1229 Nguyễn Tất Thành, phường Phú Bài, thành phố Huế',
    lat: 16.3985,
    lng: 107.6972,
    phone: '0234 3861 201',
    desks: ['Quầy 1', 'Quầy 2'],
    serves: ['H57.36'],
  },
  {
    code: 'H57.90.04',
    scheme: 'qd20',
    name: 'Bưu điện xã Phú Lộc',
    kind: 'post_office',
    communeCode: '20107',
    address: '133 Lý Thánh Tông, xã Phú Lộc, thành phố Huế',
    lat: 16.2912,
    lng: 107.8871,
    phone: '0234 3871 105',
    desks: ['Quầy 1', 'Quầy 2', 'Quầy 3'],
    serves: ['H57.103.01', 'H57.36'],
  },

  // ── Commune-level public-administration service centres (Decree 118/2025) ──
  {
    code: 'H57.101.01',
    scheme: 'qd20',
    name: 'Trung tâm Phục vụ hành chính công phường Phú Xuân',
    kind: 'commune_service_centre',
    communeCode: '19753',
    address: '73 Đinh Tiên Hoàng, phường Phú Xuân, thành phố Huế',
    lat: 16.4751,
    lng: 107.583,
    phone: '0234 3522 310',
  },
  {
    code: 'H57.103.01',
    scheme: 'qd20',
    name: 'Trung tâm Phục vụ hành chính công xã Phú Lộc',
    kind: 'commune_service_centre',
    communeCode: '20107',
    address: '125 Lý Thánh Tông, xã Phú Lộc, thành phố Huế',
    lat: 16.2926,
    lng: 107.8857,
    phone: '0234 3871 210',
  },

  // ── Deciding agencies, provincial level ──
  {
    code: '000.00.13.H57',
    scheme: 'legacy',
    name: 'Sở Tư pháp thành phố Huế',
    kind: 'agency',
    communeCode: '19789',
    address: '15 Lý Thường Kiệt, phường Thuận Hóa, thành phố Huế',
    lat: 16.4632,
    lng: 107.5902,
    phone: '0234 3822 580',
  },
  {
    code: 'H57.20',
    scheme: 'qd20',
    name: 'Sở Xây dựng thành phố Huế',
    kind: 'agency',
    communeCode: '19789',
    address: '04 Tôn Đức Thắng, phường Thuận Hóa, thành phố Huế',
    lat: 16.4588,
    lng: 107.5842,
    phone: '0234 3822 721',
  },
  {
    code: 'H57.05',
    scheme: 'qd20',
    name: 'Sở Tài chính thành phố Huế',
    kind: 'agency',
    communeCode: '19789',
    address: '07 Tôn Đức Thắng, phường Thuận Hóa, thành phố Huế',
    lat: 16.4594,
    lng: 107.5851,
    phone: '0234 3822 514',
  },
  {
    code: 'H57.40',
    scheme: 'qd20',
    name: 'Công an thành phố Huế',
    kind: 'agency',
    communeCode: '19789',
    address: '27 Trần Cao Vân, phường Thuận Hóa, thành phố Huế',
    lat: 16.4651,
    lng: 107.5956,
    phone: '0234 3822 190',
  },

  // ── Deciding agencies, commune level ──
  {
    code: 'H57.40.10',
    scheme: 'qd20',
    name: 'Công an phường Thuận Hóa',
    kind: 'agency',
    communeCode: '19789',
    address: '22 Nguyễn Huệ, phường Thuận Hóa, thành phố Huế',
    lat: 16.4618,
    lng: 107.5923,
    phone: '0234 3832 113',
  },
  {
    code: 'H57.101',
    scheme: 'qd20',
    name: 'Ủy ban nhân dân phường Phú Xuân',
    kind: 'commune_committee',
    communeCode: '19753',
    address: '73 Đinh Tiên Hoàng, phường Phú Xuân, thành phố Huế',
    lat: 16.4752,
    lng: 107.5829,
    phone: '0234 3522 309',
  },
  {
    code: 'H57.102',
    scheme: 'qd20',
    name: 'Ủy ban nhân dân phường Thuận Hóa',
    kind: 'commune_committee',
    communeCode: '19789',
    address: '24 Tố Hữu, phường Thuận Hóa, thành phố Huế',
    lat: 16.4601,
    lng: 107.6011,
    phone: '0234 3825 306',
  },
  {
    code: 'H57.103',
    scheme: 'qd20',
    name: 'Ủy ban nhân dân xã Phú Lộc',
    kind: 'commune_committee',
    communeCode: '20107',
    address: '125 Lý Thánh Tông, xã Phú Lộc, thành phố Huế',
    lat: 16.2925,
    lng: 107.8858,
    phone: '0234 3871 209',
  },
];
