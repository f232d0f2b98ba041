import type { SeedProvince } from './types';

/**
 * Thành phố Huế (province code 46), unchanged by the 1 July 2025 merger of provinces.
 * Since 1 July 2025 it has 40 commune-level units, 21 phường and 19 xã
 * (Nghị quyết 1675/NQ-UBTVQH15 of 16 June 2025).
 *
 * Codes: the list "Danh mục và mã số các đơn vị hành chính cấp xã" issued with
 * Công văn 1027/CTK-CSCL (Cục Thống kê, 25 June 2025), read from a public copy of that list,
 * not from the official PDF itself.
 * Coordinates: approximate centre of each unit (the old town or commune seat), good to about
 * a kilometre. Fine for maps and route planning in the demo; not survey data.
 */
export const province: SeedProvince = {
  code: '46',
  name: 'Thành phố Huế',
  communes: [
    // 21 phường
    { code: '19753', name: 'Phường Phú Xuân', kind: 'phuong', lat: 16.4735, lng: 107.5805 },
    { code: '19774', name: 'Phường Kim Long', kind: 'phuong', lat: 16.4602, lng: 107.5545 },
    { code: '19777', name: 'Phường Vỹ Dạ', kind: 'phuong', lat: 16.4748, lng: 107.6048 },
    { code: '19789', name: 'Phường Thuận Hóa', kind: 'phuong', lat: 16.464, lng: 107.593 },
    { code: '19815', name: 'Phường An Cựu', kind: 'phuong', lat: 16.4525, lng: 107.6055 },
    { code: '19813', name: 'Phường Thủy Xuân', kind: 'phuong', lat: 16.437, lng: 107.576 },
    { code: '19804', name: 'Phường Hương An', kind: 'phuong', lat: 16.488, lng: 107.542 },
    { code: '20014', name: 'Phường Hóa Châu', kind: 'phuong', lat: 16.526, lng: 107.58 },
    { code: '19930', name: 'Phường Mỹ Thượng', kind: 'phuong', lat: 16.503, lng: 107.625 },
    { code: '19909', name: 'Phường Dương Nỗ', kind: 'phuong', lat: 16.507, lng: 107.609 },
    { code: '19900', name: 'Phường Thuận An', kind: 'phuong', lat: 16.556, lng: 107.639 },
    { code: '19996', name: 'Phường Hương Trà', kind: 'phuong', lat: 16.528, lng: 107.485 },
    { code: '20017', name: 'Phường Kim Trà', kind: 'phuong', lat: 16.508, lng: 107.505 },
    { code: '19969', name: 'Phường Thanh Thủy', kind: 'phuong', lat: 16.445, lng: 107.63 },
    { code: '19975', name: 'Phường Hương Thủy', kind: 'phuong', lat: 16.418, lng: 107.638 },
    { code: '19960', name: 'Phường Phú Bài', kind: 'phuong', lat: 16.399, lng: 107.696 },
    { code: '19819', name: 'Phường Phong Điền', kind: 'phuong', lat: 16.57, lng: 107.355 },
    { code: '19858', name: 'Phường Phong Thái', kind: 'phuong', lat: 16.575, lng: 107.415 },
    { code: '19831', name: 'Phường Phong Dinh', kind: 'phuong', lat: 16.618, lng: 107.315 },
    { code: '19828', name: 'Phường Phong Phú', kind: 'phuong', lat: 16.648, lng: 107.345 },
    { code: '19873', name: 'Phường Phong Quảng', kind: 'phuong', lat: 16.625, lng: 107.43 },
    // 19 xã
    { code: '19885', name: 'Xã Đan Điền', kind: 'xa', lat: 16.595, lng: 107.475 },
    { code: '19867', name: 'Xã Quảng Điền', kind: 'xa', lat: 16.586, lng: 107.506 },
    { code: '19945', name: 'Xã Phú Vinh', kind: 'xa', lat: 16.548, lng: 107.695 },
    { code: '19918', name: 'Xã Phú Hồ', kind: 'xa', lat: 16.49, lng: 107.665 },
    { code: '19942', name: 'Xã Phú Vang', kind: 'xa', lat: 16.475, lng: 107.73 },
    { code: '20122', name: 'Xã Vinh Lộc', kind: 'xa', lat: 16.395, lng: 107.84 },
    { code: '20131', name: 'Xã Hưng Lộc', kind: 'xa', lat: 16.345, lng: 107.805 },
    { code: '20140', name: 'Xã Lộc An', kind: 'xa', lat: 16.315, lng: 107.77 },
    { code: '20107', name: 'Xã Phú Lộc', kind: 'xa', lat: 16.292, lng: 107.886 },
    { code: '20137', name: 'Xã Chân Mây - Lăng Cô', kind: 'xa', lat: 16.235, lng: 108.065 },
    { code: '20182', name: 'Xã Long Quảng', kind: 'xa', lat: 16.3, lng: 107.68 },
    { code: '20179', name: 'Xã Nam Đông', kind: 'xa', lat: 16.125, lng: 107.665 },
    { code: '20161', name: 'Xã Khe Tre', kind: 'xa', lat: 16.17, lng: 107.725 },
    { code: '20035', name: 'Xã Bình Điền', kind: 'xa', lat: 16.34, lng: 107.49 },
    { code: '20056', name: 'Xã A Lưới 1', kind: 'xa', lat: 16.37, lng: 107.15 },
    { code: '20044', name: 'Xã A Lưới 2', kind: 'xa', lat: 16.275, lng: 107.235 },
    { code: '20071', name: 'Xã A Lưới 3', kind: 'xa', lat: 16.23, lng: 107.275 },
    { code: '20101', name: 'Xã A Lưới 4', kind: 'xa', lat: 16.145, lng: 107.34 },
    { code: '20050', name: 'Xã A Lưới 5', kind: 'xa', lat: 16.075, lng: 107.43 },
  ],
};
