import type { SeedComponent, SeedProcedure } from './types';

/**
 * Administrative procedures (TTHC) of the demo, Thành phố Huế, as they stand after the two-tier
 * local government reform of 1 July 2025.
 *
 * About the codes (each procedure says which kind it is):
 * - `// code: confirmed`: given by our own domain brief (1.000894 marriage registration).
 * - `// code: seen in public sources`: the same code-to-name pairing appears in two or more
 *   independent public code bases built from the national portals (DVCQG, the Ministry of Public
 *   Security's portal). Not checked against the national TTHC database itself.
 * - `// code plausible, not verified`: the shape is right, the number is our guess.
 *
 * Fees are the national rates we know (Bộ Tài chính circulars); where the rate is set by the
 * provincial People's Council the value is plausible and says so. Processing times are the legal
 * maxima in working days; "same day" procedures use 1 (a request received after 15:00 is answered
 * the next working day).
 */

/** Deciding bodies; codes as in offices.ts. */
const SO_TU_PHAP = '000.00.13.H57';
const SO_XAY_DUNG = 'H57.20';
const SO_TAI_CHINH = 'H57.05';
const CONG_AN_TP = 'H57.40';
const CONG_AN_PHUONG_THUAN_HOA = 'H57.40.10';
const UBND_PHU_XUAN = 'H57.101';
const UBND_THUAN_HOA = 'H57.102';
const UBND_PHU_LOC = 'H57.103';

/** Postal tariff one way (VND): ordinary dossier / heavy dossier (drawings, business files). */
const TARIFF = 26_000;
const TARIFF_HEAVY = 31_500;

const uyQuyen = (code: string): SeedComponent => ({
  code,
  name: 'Văn bản ủy quyền (trường hợp nộp thay, nhận thay)',
  form: 'original_or_certified_copy',
  copies: 1,
  required: false,
  note: 'Cha, mẹ, vợ, chồng, con, anh, chị, em ruột nộp thay không cần ủy quyền nhưng xuất trình giấy tờ chứng minh quan hệ',
});

const LUAT_HO_TICH = [
  'Luật Hộ tịch số 60/2014/QH13',
  'Nghị định số 123/2015/NĐ-CP quy định chi tiết một số điều và biện pháp thi hành Luật Hộ tịch',
  'Thông tư số 04/2020/TT-BTP hướng dẫn thi hành Luật Hộ tịch và Nghị định số 123/2015/NĐ-CP',
  'Nghị định số 120/2025/NĐ-CP về phân định thẩm quyền của chính quyền địa phương 02 cấp trong lĩnh vực tư pháp',
];

const LUAT_DOANH_NGHIEP = [
  'Luật Doanh nghiệp số 59/2020/QH14',
  'Nghị định số 168/2025/NĐ-CP về đăng ký doanh nghiệp',
  'Thông tư số 47/2019/TT-BTC quy định mức thu, chế độ thu, nộp, quản lý và sử dụng phí cung cấp thông tin doanh nghiệp, lệ phí đăng ký doanh nghiệp',
];

const LUAT_CU_TRU = [
  'Luật Cư trú số 68/2020/QH14',
  'Nghị định số 154/2024/NĐ-CP quy định chi tiết một số điều của Luật Cư trú',
  'Thông tư số 55/2021/TT-BCA quy định chi tiết một số điều và biện pháp thi hành Luật Cư trú',
  'Thông tư số 75/2022/TT-BTC quy định mức thu, chế độ thu, nộp, quản lý và sử dụng lệ phí đăng ký cư trú',
];

const LUAT_GPLX = [
  'Luật Trật tự, an toàn giao thông đường bộ số 36/2024/QH15',
  'Thông tư số 35/2024/TT-BCA quy định về sát hạch, cấp giấy phép lái xe',
  'Thông tư số 37/2023/TT-BTC quy định mức thu, chế độ thu, nộp, quản lý và sử dụng lệ phí cấp giấy phép lái xe',
];

const LUAT_XAY_DUNG = [
  'Luật Xây dựng số 50/2014/QH13, sửa đổi, bổ sung bởi Luật số 62/2020/QH14',
  'Nghị định số 175/2024/NĐ-CP quy định chi tiết một số điều và biện pháp thi hành Luật Xây dựng về quản lý hoạt động xây dựng',
];

export const procedures: SeedProcedure[] = [
  // ════════════════ Hộ tịch (civil status), commune level ════════════════
  {
    keywords: ['giấy khai sinh', 'làm khai sinh'],
    code: '1.001193', // code: seen in public sources
    name: 'Đăng ký khai sinh',
    field: 'Hộ tịch',
    agencyCode: UBND_THUAN_HOA,
    level: 'commune',
    processingWorkingDays: 1,
    fees: [], // miễn lệ phí đăng ký khai sinh đúng hạn (Luật Hộ tịch, Điều 11)
    postalTariff: TARIFF,
    pickupAllowed: true,
    deliveryAllowed: true,
    legalBasis: LUAT_HO_TICH,
    resultName: 'Giấy khai sinh (bản chính)',
    resultIsPaper: true,
    components: [
      {
        code: 'TP01',
        name: 'Tờ khai đăng ký khai sinh (theo mẫu)',
        form: 'original',
        copies: 1,
        required: true,
      },
      {
        code: 'TP02',
        name: 'Giấy chứng sinh',
        form: 'original',
        copies: 1,
        required: true,
        note: 'Không có Giấy chứng sinh thì nộp văn bản của người làm chứng xác nhận việc sinh hoặc giấy cam đoan về việc sinh',
      },
      {
        code: 'TP03',
        name: 'Giấy chứng nhận kết hôn của cha, mẹ',
        form: 'copy',
        copies: 1,
        required: false,
        note: 'Chỉ khi cha, mẹ đã đăng ký kết hôn và thông tin chưa có trong Cơ sở dữ liệu hộ tịch điện tử',
      },
      uyQuyen('TP04'),
    ],
    effectiveFrom: '2025-07-01',
  },
  {
    code: '1.000894', // code: confirmed (domain brief §6.3)
    name: 'Đăng ký kết hôn',
    field: 'Hộ tịch',
    agencyCode: UBND_THUAN_HOA,
    level: 'commune',
    processingWorkingDays: 1, // 5 working days when the conditions must be verified
    fees: [], // miễn lệ phí đăng ký kết hôn của công dân Việt Nam cư trú ở trong nước
    postalTariff: TARIFF,
    pickupAllowed: true,
    // Both parties must be present to sign the register and receive the certificate.
    deliveryAllowed: false,
    legalBasis: ['Luật Hôn nhân và gia đình số 52/2014/QH13', ...LUAT_HO_TICH],
    resultName: 'Giấy chứng nhận kết hôn (bản chính, mỗi bên một bản)',
    resultIsPaper: true,
    components: [
      {
        code: 'TP01',
        name: 'Tờ khai đăng ký kết hôn (theo mẫu)',
        form: 'original',
        copies: 1,
        required: true,
        note: 'Hai bên nam, nữ có thể khai chung một tờ khai',
      },
      {
        code: 'TP02',
        name: 'Giấy xác nhận tình trạng hôn nhân',
        form: 'original',
        copies: 1,
        required: false,
        note: 'Khi bên nam hoặc nữ không cư trú tại nơi đăng ký kết hôn và thông tin chưa có trong Cơ sở dữ liệu hộ tịch điện tử',
      },
      {
        code: 'TP03',
        name: 'Bản án, quyết định ly hôn đã có hiệu lực pháp luật (nếu đã từng ly hôn)',
        form: 'copy',
        copies: 1,
        required: false,
      },
    ],
    effectiveFrom: '2025-07-01',
  },
  {
    code: '1.000656', // code: seen in public sources
    name: 'Đăng ký khai tử',
    field: 'Hộ tịch',
    agencyCode: UBND_PHU_XUAN,
    level: 'commune',
    processingWorkingDays: 1,
    fees: [], // miễn lệ phí đăng ký khai tử đúng hạn
    postalTariff: TARIFF,
    pickupAllowed: true,
    deliveryAllowed: true,
    legalBasis: LUAT_HO_TICH,
    resultName: 'Trích lục khai tử (bản chính)',
    resultIsPaper: true,
    components: [
      {
        code: 'TP01',
        name: 'Tờ khai đăng ký khai tử (theo mẫu)',
        form: 'original',
        copies: 1,
        required: true,
      },
      {
        code: 'TP02',
        name: 'Giấy báo tử hoặc giấy tờ thay Giấy báo tử',
        form: 'original',
        copies: 1,
        required: true,
        note: 'Do cơ sở y tế, cơ quan công an hoặc Tòa án cấp tùy trường hợp',
      },
      uyQuyen('TP03'),
    ],
    effectiveFrom: '2025-07-01',
  },
  {
    code: '2.000635', // code: seen in public sources
    name: 'Cấp bản sao trích lục hộ tịch',
    field: 'Hộ tịch',
    agencyCode: UBND_PHU_XUAN,
    level: 'commune',
    processingWorkingDays: 1,
    fees: [{ label: 'Phí cấp bản sao trích lục hộ tịch (8.000 đồng/bản sao)', amount: 8_000, kind: 'fee' }],
    postalTariff: TARIFF,
    pickupAllowed: true,
    deliveryAllowed: true,
    legalBasis: [
      ...LUAT_HO_TICH,
      'Thông tư số 281/2016/TT-BTC quy định mức thu, chế độ thu, nộp, quản lý và sử dụng phí khai thác, sử dụng thông tin trong Cơ sở dữ liệu hộ tịch',
    ],
    resultName: 'Bản sao trích lục hộ tịch',
    resultIsPaper: true,
    components: [
      {
        code: 'TP01',
        name: 'Tờ khai cấp bản sao trích lục hộ tịch (theo mẫu)',
        form: 'original',
        copies: 1,
        required: true,
      },
      uyQuyen('TP02'),
    ],
    effectiveFrom: '2025-07-01',
  },
  {
    code: '1.004873', // code: seen in public sources
    name: 'Cấp Giấy xác nhận tình trạng hôn nhân',
    field: 'Hộ tịch',
    agencyCode: UBND_PHU_XUAN,
    level: 'commune',
    processingWorkingDays: 3,
    fees: [
      {
        // rate set by the provincial People's Council; value plausible, not verified
        label: 'Lệ phí cấp Giấy xác nhận tình trạng hôn nhân (mức do HĐND thành phố quy định)',
        amount: 15_000,
        kind: 'charge',
      },
    ],
    postalTariff: TARIFF,
    pickupAllowed: true,
    deliveryAllowed: true,
    legalBasis: [
      ...LUAT_HO_TICH,
      'Thông tư số 85/2019/TT-BTC hướng dẫn về phí và lệ phí thuộc thẩm quyền quyết định của Hội đồng nhân dân tỉnh',
    ],
    resultName: 'Giấy xác nhận tình trạng hôn nhân',
    resultIsPaper: true,
    components: [
      {
        code: 'TP01',
        name: 'Tờ khai cấp Giấy xác nhận tình trạng hôn nhân (theo mẫu)',
        form: 'original',
        copies: 1,
        required: true,
      },
      {
        code: 'TP02',
        name: 'Giấy tờ chứng minh đã ly hôn hoặc người kia đã chết (nếu đã từng kết hôn)',
        form: 'copy',
        copies: 1,
        required: false,
      },
      {
        code: 'TP03',
        name: 'Giấy xác nhận tình trạng hôn nhân đã cấp trước đây (khi đề nghị cấp lại)',
        form: 'original',
        copies: 1,
        required: false,
        note: 'Cơ quan thu hồi bản đã cấp',
      },
    ],
    effectiveFrom: '2025-07-01',
  },

  // ════════════════ Chứng thực (certification), commune level ════════════════
  {
    keywords: ['công chứng', 'sao y', 'photo công chứng'],
    code: '2.000815', // code: seen in public sources
    name: 'Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan, tổ chức có thẩm quyền của Việt Nam cấp hoặc chứng nhận',
    field: 'Chứng thực',
    agencyCode: UBND_PHU_LOC,
    level: 'commune',
    processingWorkingDays: 1,
    fees: [
      {
        label:
          'Phí chứng thực bản sao từ bản chính (2.000 đồng/trang; từ trang thứ ba 1.000 đồng/trang, tối đa 200.000 đồng/bản)',
        amount: 2_000,
        kind: 'fee',
      },
    ],
    postalTariff: TARIFF,
    // The certifier must compare the copy against the original in front of the requester.
    pickupAllowed: false,
    deliveryAllowed: true,
    legalBasis: [
      'Nghị định số 23/2015/NĐ-CP về cấp bản sao từ sổ gốc, chứng thực bản sao từ bản chính, chứng thực chữ ký và chứng thực hợp đồng, giao dịch',
      'Thông tư số 01/2020/TT-BTP quy định chi tiết và hướng dẫn thi hành Nghị định số 23/2015/NĐ-CP',
      'Thông tư số 226/2016/TT-BTC quy định mức thu, chế độ thu, nộp, quản lý và sử dụng phí chứng thực',
    ],
    resultName: 'Bản sao có chứng thực',
    resultIsPaper: true,
    components: [
      {
        code: 'TP01',
        name: 'Bản chính giấy tờ, văn bản làm cơ sở để chứng thực bản sao',
        form: 'original',
        copies: 1,
        required: true,
        note: 'Trả lại người yêu cầu ngay sau khi đối chiếu',
      },
      {
        code: 'TP02',
        name: 'Bản sao cần chứng thực',
        form: 'copy',
        copies: 1,
        required: false,
        note: 'Khi người yêu cầu tự chụp sẵn; nếu không, cơ quan chụp từ bản chính',
      },
    ],
    effectiveFrom: '2025-07-01',
  },
  {
    code: '2.000884', // code: seen in public sources
    name: 'Chứng thực chữ ký trong các giấy tờ, văn bản',
    field: 'Chứng thực',
    agencyCode: UBND_PHU_LOC,
    level: 'commune',
    processingWorkingDays: 1,
    fees: [{ label: 'Phí chứng thực chữ ký (10.000 đồng/trường hợp)', amount: 10_000, kind: 'fee' }],
    postalTariff: TARIFF,
    // The requester must sign in front of the certifying officer.
    pickupAllowed: false,
    deliveryAllowed: true,
    legalBasis: [
      'Nghị định số 23/2015/NĐ-CP về cấp bản sao từ sổ gốc, chứng thực bản sao từ bản chính, chứng thực chữ ký và chứng thực hợp đồng, giao dịch',
      'Thông tư số 01/2020/TT-BTP quy định chi tiết và hướng dẫn thi hành Nghị định số 23/2015/NĐ-CP',
      'Thông tư số 226/2016/TT-BTC quy định mức thu, chế độ thu, nộp, quản lý và sử dụng phí chứng thực',
    ],
    resultName: 'Giấy tờ, văn bản đã được chứng thực chữ ký',
    resultIsPaper: true,
    components: [
      {
        code: 'TP01',
        name: 'Giấy tờ, văn bản cần chứng thực chữ ký',
        form: 'original',
        copies: 1,
        required: true,
        note: 'Người yêu cầu ký trước mặt người thực hiện chứng thực',
      },
      {
        code: 'TP02',
        name: 'Thẻ Căn cước, Căn cước công dân hoặc Hộ chiếu còn giá trị sử dụng',
        form: 'copy',
        copies: 1,
        required: true,
        note: 'Xuất trình bản chính để đối chiếu',
      },
    ],
    effectiveFrom: '2025-07-01',
  },

  // ════════════════ Hộ kinh doanh, commune level ════════════════
  {
    keywords: ['giấy phép kinh doanh', 'mở cửa hàng'],
    code: '1.001612', // code: seen in public sources
    name: 'Đăng ký thành lập hộ kinh doanh',
    field: 'Thành lập và hoạt động của hộ kinh doanh',
    agencyCode: UBND_PHU_LOC,
    level: 'commune',
    processingWorkingDays: 3,
    fees: [
      {
        // rate set by the provincial People's Council; value plausible, not verified
        label: 'Lệ phí đăng ký hộ kinh doanh (mức do HĐND thành phố quy định)',
        amount: 100_000,
        kind: 'charge',
      },
    ],
    postalTariff: TARIFF,
    pickupAllowed: true,
    deliveryAllowed: true,
    legalBasis: [
      'Luật Doanh nghiệp số 59/2020/QH14',
      'Nghị định số 168/2025/NĐ-CP về đăng ký doanh nghiệp',
      'Thông tư số 85/2019/TT-BTC hướng dẫn về phí và lệ phí thuộc thẩm quyền quyết định của Hội đồng nhân dân tỉnh',
    ],
    resultName: 'Giấy chứng nhận đăng ký hộ kinh doanh',
    resultIsPaper: true,
    components: [
      {
        code: 'TP01',
        name: 'Giấy đề nghị đăng ký hộ kinh doanh (theo mẫu)',
        form: 'original',
        copies: 1,
        required: true,
      },
      {
        code: 'TP02',
        name: 'Bản sao giấy tờ pháp lý của cá nhân đối với chủ hộ kinh doanh và các thành viên hộ gia đình đăng ký',
        form: 'copy',
        copies: 1,
        required: false,
        note: 'Không phải nộp khi thông tin đã có trong Cơ sở dữ liệu quốc gia về dân cư',
      },
      {
        code: 'TP03',
        name: 'Biên bản họp thành viên hộ gia đình về việc thành lập hộ kinh doanh',
        form: 'copy',
        copies: 1,
        required: false,
        note: 'Khi các thành viên hộ gia đình cùng đăng ký hộ kinh doanh',
      },
      uyQuyen('TP04'),
    ],
    effectiveFrom: '2025-07-01',
  },

  // ════════════════ Xây dựng ════════════════
  {
    code: '1.013225', // code: seen in public sources (the 2025 commune-level variant; older code 1.009122)
    name: 'Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ',
    field: 'Hoạt động xây dựng',
    agencyCode: UBND_THUAN_HOA,
    level: 'commune',
    processingWorkingDays: 15,
    fees: [
      {
        // rate set by the provincial People's Council; value plausible, not verified
        label: 'Lệ phí cấp giấy phép xây dựng nhà ở riêng lẻ (mức do HĐND thành phố quy định)',
        amount: 75_000,
        kind: 'charge',
      },
    ],
    postalTariff: TARIFF_HEAVY,
    pickupAllowed: true,
    deliveryAllowed: true,
    legalBasis: LUAT_XAY_DUNG,
    resultName: 'Giấy phép xây dựng',
    resultIsPaper: true,
    components: [
      {
        code: 'TP01',
        name: 'Đơn đề nghị cấp giấy phép xây dựng (theo mẫu)',
        form: 'original',
        copies: 1,
        required: true,
      },
      {
        code: 'TP02',
        name: 'Giấy tờ chứng minh quyền sử dụng đất theo quy định của pháp luật về đất đai',
        form: 'original_or_certified_copy',
        copies: 1,
        required: true,
      },
      {
        code: 'TP03',
        name: 'Bản vẽ thiết kế xây dựng (mặt bằng, mặt cắt, mặt đứng, móng, đấu nối hạ tầng)',
        form: 'original',
        copies: 2,
        required: true,
      },
      {
        code: 'TP04',
        name: 'Bản cam kết bảo đảm an toàn đối với công trình liền kề',
        form: 'original',
        copies: 1,
        required: false,
        note: 'Khi công trình xây chen có tầng hầm hoặc liền kề công trình hiện hữu',
      },
    ],
    effectiveFrom: '2025-07-01',
  },
  {
    code: '1.009974', // code plausible, not verified
    name: 'Cấp giấy phép xây dựng mới đối với công trình cấp I, cấp II (công trình không theo tuyến)',
    field: 'Hoạt động xây dựng',
    agencyCode: SO_XAY_DUNG,
    level: 'province',
    processingWorkingDays: 20,
    fees: [
      {
        // rate set by the provincial People's Council; value plausible, not verified
        label: 'Lệ phí cấp giấy phép xây dựng công trình (mức do HĐND thành phố quy định)',
        amount: 150_000,
        kind: 'charge',
      },
    ],
    postalTariff: TARIFF_HEAVY,
    pickupAllowed: true,
    deliveryAllowed: true,
    legalBasis: LUAT_XAY_DUNG,
    resultName: 'Giấy phép xây dựng',
    resultIsPaper: true,
    components: [
      {
        code: 'TP01',
        name: 'Đơn đề nghị cấp giấy phép xây dựng (theo mẫu)',
        form: 'original',
        copies: 1,
        required: true,
      },
      {
        code: 'TP02',
        name: 'Giấy tờ chứng minh quyền sử dụng đất theo quy định của pháp luật về đất đai',
        form: 'original_or_certified_copy',
        copies: 1,
        required: true,
      },
      {
        code: 'TP03',
        name: 'Quyết định phê duyệt dự án và văn bản thông báo kết quả thẩm định báo cáo nghiên cứu khả thi của cơ quan chuyên môn về xây dựng',
        form: 'copy',
        copies: 1,
        required: true,
      },
      {
        code: 'TP04',
        name: 'Hồ sơ bản vẽ thiết kế xây dựng triển khai sau thiết kế cơ sở',
        form: 'original',
        copies: 2,
        required: true,
      },
      {
        code: 'TP05',
        name: 'Văn bản thẩm duyệt thiết kế về phòng cháy và chữa cháy',
        form: 'copy',
        copies: 1,
        required: false,
        note: 'Đối với công trình thuộc diện phải thẩm duyệt',
      },
    ],
    effectiveFrom: '2025-07-01',
  },
  {
    code: '1.009982', // code plausible, not verified
    name: 'Cấp chứng chỉ hành nghề hoạt động xây dựng lần đầu hạng II, hạng III',
    field: 'Hoạt động xây dựng',
    agencyCode: SO_XAY_DUNG,
    level: 'province',
    processingWorkingDays: 20, // processing time plausible, not verified
    fees: [{ label: 'Lệ phí cấp chứng chỉ hành nghề hoạt động xây dựng', amount: 300_000, kind: 'charge' }],
    postalTariff: TARIFF,
    pickupAllowed: true,
    deliveryAllowed: true,
    legalBasis: [
      ...LUAT_XAY_DUNG,
      'Thông tư số 38/2022/TT-BTC quy định mức thu, chế độ thu, nộp, quản lý và sử dụng phí, lệ phí trong hoạt động xây dựng',
    ],
    resultName: 'Chứng chỉ hành nghề hoạt động xây dựng',
    resultIsPaper: true,
    components: [
      {
        code: 'TP01',
        name: 'Đơn đề nghị cấp chứng chỉ hành nghề hoạt động xây dựng (theo mẫu)',
        form: 'original',
        copies: 1,
        required: true,
      },
      {
        code: 'TP02',
        name: 'Ảnh màu cỡ 4x6 cm',
        form: 'original',
        copies: 1,
        required: true,
        note: 'Nền màu trắng, chụp trong thời gian không quá 06 tháng',
      },
      {
        code: 'TP03',
        name: 'Văn bằng do cơ sở đào tạo hợp pháp cấp phù hợp với lĩnh vực đề nghị',
        form: 'copy',
        copies: 1,
        required: true,
      },
      {
        code: 'TP04',
        name: 'Bản khai kinh nghiệm công việc chuyên môn (theo mẫu)',
        form: 'original',
        copies: 1,
        required: true,
      },
    ],
    effectiveFrom: '2025-07-01',
  },

  // ════════════════ Đăng ký doanh nghiệp (Sở Tài chính) ════════════════
  {
    code: '2.001610', // code plausible, not verified
    name: 'Đăng ký thành lập công ty trách nhiệm hữu hạn một thành viên',
    field: 'Thành lập và hoạt động doanh nghiệp',
    agencyCode: SO_TAI_CHINH,
    level: 'province',
    processingWorkingDays: 3,
    fees: [
      { label: 'Lệ phí đăng ký doanh nghiệp (miễn khi đăng ký qua mạng)', amount: 50_000, kind: 'charge' },
      { label: 'Phí công bố nội dung đăng ký doanh nghiệp', amount: 100_000, kind: 'fee' },
    ],
    postalTariff: TARIFF_HEAVY,
    pickupAllowed: true,
    deliveryAllowed: true,
    legalBasis: LUAT_DOANH_NGHIEP,
    resultName: 'Giấy chứng nhận đăng ký doanh nghiệp',
    resultIsPaper: true,
    components: [
      {
        code: 'TP01',
        name: 'Giấy đề nghị đăng ký doanh nghiệp (theo mẫu)',
        form: 'original',
        copies: 1,
        required: true,
      },
      { code: 'TP02', name: 'Điều lệ công ty', form: 'original', copies: 1, required: true },
      {
        code: 'TP03',
        name: 'Bản sao giấy tờ pháp lý của cá nhân hoặc tổ chức là chủ sở hữu công ty',
        form: 'copy',
        copies: 1,
        required: true,
      },
      {
        code: 'TP04',
        name: 'Bản sao giấy tờ pháp lý của người đại diện theo ủy quyền và văn bản cử người đại diện theo ủy quyền',
        form: 'copy',
        copies: 1,
        required: false,
        note: 'Khi chủ sở hữu công ty là tổ chức',
      },
      uyQuyen('TP05'),
    ],
    effectiveFrom: '2025-07-01',
  },
  {
    code: '2.001583', // code plausible, not verified
    name: 'Đăng ký thành lập doanh nghiệp tư nhân',
    field: 'Thành lập và hoạt động doanh nghiệp',
    agencyCode: SO_TAI_CHINH,
    level: 'province',
    processingWorkingDays: 3,
    fees: [
      { label: 'Lệ phí đăng ký doanh nghiệp (miễn khi đăng ký qua mạng)', amount: 50_000, kind: 'charge' },
      { label: 'Phí công bố nội dung đăng ký doanh nghiệp', amount: 100_000, kind: 'fee' },
    ],
    postalTariff: TARIFF,
    pickupAllowed: true,
    deliveryAllowed: true,
    legalBasis: LUAT_DOANH_NGHIEP,
    resultName: 'Giấy chứng nhận đăng ký doanh nghiệp',
    resultIsPaper: true,
    components: [
      {
        code: 'TP01',
        name: 'Giấy đề nghị đăng ký doanh nghiệp (theo mẫu)',
        form: 'original',
        copies: 1,
        required: true,
      },
      {
        code: 'TP02',
        name: 'Bản sao giấy tờ pháp lý của cá nhân đối với chủ doanh nghiệp tư nhân',
        form: 'copy',
        copies: 1,
        required: true,
      },
      uyQuyen('TP03'),
    ],
    effectiveFrom: '2025-07-01',
  },

  // ════════════════ Quốc tịch (Sở Tư pháp) ════════════════
  {
    code: '1.005139', // code plausible, not verified
    name: 'Xác nhận có quốc tịch Việt Nam ở trong nước',
    field: 'Quốc tịch',
    agencyCode: SO_TU_PHAP,
    level: 'province',
    processingWorkingDays: 5, // processing time plausible, not verified
    fees: [{ label: 'Lệ phí xác nhận có quốc tịch Việt Nam', amount: 100_000, kind: 'charge' }],
    postalTariff: TARIFF,
    pickupAllowed: true,
    deliveryAllowed: true,
    legalBasis: [
      'Luật Quốc tịch Việt Nam số 24/2008/QH12 (sửa đổi, bổ sung năm 2014 và năm 2025)',
      'Nghị định số 16/2020/NĐ-CP quy định chi tiết một số điều và biện pháp thi hành Luật Quốc tịch Việt Nam',
      'Thông tư số 281/2016/TT-BTC quy định mức thu, chế độ thu, nộp, quản lý và sử dụng lệ phí quốc tịch',
    ],
    resultName: 'Giấy xác nhận có quốc tịch Việt Nam',
    resultIsPaper: true,
    components: [
      {
        code: 'TP01',
        name: 'Tờ khai đề nghị xác nhận có quốc tịch Việt Nam (theo mẫu)',
        form: 'original',
        copies: 1,
        required: true,
      },
      {
        code: 'TP02',
        name: 'Giấy tờ làm căn cứ xác định quốc tịch Việt Nam (Giấy khai sinh, Hộ chiếu, Quyết định cho nhập quốc tịch…)',
        form: 'copy',
        copies: 1,
        required: true,
      },
      uyQuyen('TP03'),
    ],
    effectiveFrom: '2025-07-01',
  },

  // ════════════════ Công an thành phố Huế, provincial level ════════════════
  {
    // Issued by the provincial police since the transfer from Sở Tư pháp (earlier code 2.000488).
    keywords: ['LLTP', 'lý lịch'],
    code: '3.000333', // code: seen in public sources
    name: 'Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam',
    field: 'Lý lịch tư pháp',
    agencyCode: CONG_AN_TP,
    level: 'province',
    processingWorkingDays: 10, // up to 15 when verification is needed
    fees: [
      {
        label:
          'Phí cung cấp thông tin lý lịch tư pháp (100.000 đồng đối với sinh viên, người có công với cách mạng)',
        amount: 200_000,
        kind: 'fee',
      },
    ],
    postalTariff: TARIFF,
    pickupAllowed: true,
    deliveryAllowed: true,
    legalBasis: [
      'Luật Lý lịch tư pháp số 28/2009/QH12',
      'Nghị định số 111/2010/NĐ-CP quy định chi tiết một số điều và biện pháp thi hành Luật Lý lịch tư pháp',
      'Thông tư số 244/2016/TT-BTC quy định mức thu, chế độ thu, nộp, quản lý và sử dụng phí cung cấp thông tin lý lịch tư pháp',
    ],
    resultName: 'Phiếu lý lịch tư pháp số 1',
    resultIsPaper: true,
    components: [
      {
        code: 'TP01',
        name: 'Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp (theo mẫu)',
        form: 'original',
        copies: 1,
        required: true,
      },
      {
        code: 'TP02',
        name: 'Thẻ Căn cước hoặc Căn cước công dân',
        form: 'copy',
        copies: 1,
        required: true,
        note: 'Xuất trình bản chính để đối chiếu; không cần khi đã xác thực qua tài khoản định danh điện tử',
      },
      uyQuyen('TP03'),
    ],
    effectiveFrom: '2025-07-01', // date of the transfer to the police: plausible, not verified
  },
  {
    keywords: ['passport', 'làm hộ chiếu'],
    code: '1.001456', // code: seen in public sources
    name: 'Cấp hộ chiếu phổ thông ở trong nước (thực hiện tại cấp tỉnh)',
    field: 'Quản lý xuất nhập cảnh',
    agencyCode: CONG_AN_TP,
    level: 'province',
    processingWorkingDays: 8,
    fees: [{ label: 'Lệ phí cấp hộ chiếu phổ thông (có gắn chíp điện tử)', amount: 200_000, kind: 'charge' }],
    postalTariff: TARIFF,
    // The applicant must appear in person for photo and fingerprints; the passport may be delivered by post.
    pickupAllowed: false,
    deliveryAllowed: true,
    legalBasis: [
      'Luật Xuất cảnh, nhập cảnh của công dân Việt Nam số 49/2019/QH14, sửa đổi, bổ sung bởi Luật số 23/2023/QH15',
      'Thông tư số 25/2021/TT-BTC quy định mức thu, chế độ thu, nộp, quản lý và sử dụng phí, lệ phí trong lĩnh vực xuất cảnh, nhập cảnh',
    ],
    resultName: 'Hộ chiếu phổ thông',
    resultIsPaper: true,
    components: [
      {
        code: 'TP01',
        name: 'Tờ khai đề nghị cấp hộ chiếu phổ thông ở trong nước (mẫu TK01)',
        form: 'original',
        copies: 1,
        required: true,
      },
      {
        code: 'TP02',
        name: 'Ảnh chân dung cỡ 4x6 cm',
        form: 'original',
        copies: 2,
        required: true,
        note: 'Mặt nhìn thẳng, đầu để trần, nền màu trắng; hoặc chụp trực tiếp tại nơi nộp hồ sơ',
      },
      {
        code: 'TP03',
        name: 'Hộ chiếu phổ thông đã cấp lần gần nhất',
        form: 'original',
        copies: 1,
        required: false,
        note: 'Nếu còn giá trị sử dụng thì nộp lại để hủy giá trị',
      },
    ],
    effectiveFrom: '2025-07-01',
  },
  {
    keywords: ['bằng lái', 'bằng lái xe', 'GPLX', 'đổi bằng'],
    code: '3.000347', // code: seen in public sources
    name: 'Đổi giấy phép lái xe',
    field: 'Sát hạch, cấp giấy phép lái xe',
    agencyCode: CONG_AN_TP,
    level: 'province',
    processingWorkingDays: 5,
    fees: [{ label: 'Lệ phí cấp đổi giấy phép lái xe', amount: 135_000, kind: 'charge' }],
    postalTariff: TARIFF,
    pickupAllowed: true,
    // The courier takes back the old licence on delivery (it is recovered by the agency).
    deliveryAllowed: true,
    legalBasis: LUAT_GPLX,
    resultName: 'Giấy phép lái xe',
    resultIsPaper: true,
    components: [
      {
        code: 'TP01',
        name: 'Đơn đề nghị đổi giấy phép lái xe (theo mẫu)',
        form: 'original',
        copies: 1,
        required: true,
      },
      {
        code: 'TP02',
        name: 'Giấy khám sức khỏe của người lái xe',
        form: 'original',
        copies: 1,
        required: false,
        note: 'Theo hạng giấy phép; do cơ sở y tế có thẩm quyền cấp, còn giá trị sử dụng',
      },
      {
        code: 'TP03',
        name: 'Giấy phép lái xe đề nghị đổi',
        form: 'copy',
        copies: 1,
        required: true,
        note: 'Bản chính bị thu hồi khi nhận giấy phép lái xe mới',
      },
    ],
    effectiveFrom: '2025-03-01',
  },
  {
    keywords: ['bằng lái quốc tế', 'GPLX quốc tế', 'IDP'],
    code: '3.000352', // code plausible, not verified
    name: 'Cấp giấy phép lái xe quốc tế',
    field: 'Sát hạch, cấp giấy phép lái xe',
    agencyCode: CONG_AN_TP,
    level: 'province',
    processingWorkingDays: 5,
    fees: [{ label: 'Lệ phí cấp giấy phép lái xe quốc tế', amount: 135_000, kind: 'charge' }],
    postalTariff: TARIFF,
    pickupAllowed: true,
    deliveryAllowed: true,
    legalBasis: LUAT_GPLX,
    resultName: 'Giấy phép lái xe quốc tế (mẫu theo Công ước Viên 1968)',
    resultIsPaper: true,
    components: [
      {
        code: 'TP01',
        name: 'Tờ khai đề nghị cấp giấy phép lái xe quốc tế (theo mẫu)',
        form: 'original',
        copies: 1,
        required: true,
      },
      {
        code: 'TP02',
        name: 'Giấy phép lái xe quốc gia còn giá trị sử dụng',
        form: 'copy',
        copies: 1,
        required: true,
      },
      { code: 'TP03', name: 'Hộ chiếu còn giá trị sử dụng', form: 'copy', copies: 1, required: true },
    ],
    effectiveFrom: '2025-03-01',
  },

  // ════════════════ Cư trú, commune police ════════════════
  {
    keywords: ['hộ khẩu', 'nhập hộ khẩu', 'cư trú'],
    code: '1.004222', // code: seen in public sources
    name: 'Đăng ký thường trú',
    field: 'Đăng ký, quản lý cư trú',
    agencyCode: CONG_AN_PHUONG_THUAN_HOA,
    level: 'commune',
    processingWorkingDays: 7,
    fees: [
      { label: 'Lệ phí đăng ký thường trú (10.000 đồng khi nộp trực tuyến)', amount: 20_000, kind: 'charge' },
    ],
    postalTariff: TARIFF,
    pickupAllowed: true,
    // No paper result since the household book was abolished: the database is updated and the
    // applicant is notified electronically, so there is nothing to deliver.
    deliveryAllowed: false,
    legalBasis: LUAT_CU_TRU,
    resultName:
      'Thông báo kết quả giải quyết; thông tin thường trú được cập nhật vào Cơ sở dữ liệu về cư trú',
    resultIsPaper: false,
    components: [
      {
        code: 'TP01',
        name: 'Tờ khai thay đổi thông tin cư trú (mẫu CT01)',
        form: 'original',
        copies: 1,
        required: true,
        note: 'Có ý kiến đồng ý của chủ hộ, chủ sở hữu chỗ ở hợp pháp; người chưa thành niên có ý kiến đồng ý của cha, mẹ hoặc người giám hộ',
      },
      {
        code: 'TP02',
        name: 'Giấy tờ, tài liệu chứng minh việc sở hữu hoặc sử dụng chỗ ở hợp pháp',
        form: 'copy',
        copies: 1,
        required: true,
        note: 'Không phải nộp khi thông tin đã có trong cơ sở dữ liệu chuyên ngành',
      },
      {
        code: 'TP03',
        name: 'Giấy tờ chứng minh quan hệ nhân thân với chủ hộ, thành viên hộ gia đình',
        form: 'copy',
        copies: 1,
        required: false,
        note: 'Khi đăng ký thường trú vào chỗ ở của người thân',
      },
    ],
    effectiveFrom: '2025-07-01',
  },
  {
    keywords: ['KT3', 'cư trú'],
    code: '1.004194', // code: seen in public sources
    name: 'Đăng ký tạm trú',
    field: 'Đăng ký, quản lý cư trú',
    agencyCode: CONG_AN_PHUONG_THUAN_HOA,
    level: 'commune',
    processingWorkingDays: 3,
    fees: [
      { label: 'Lệ phí đăng ký tạm trú (7.000 đồng khi nộp trực tuyến)', amount: 15_000, kind: 'charge' },
    ],
    postalTariff: TARIFF,
    pickupAllowed: true,
    deliveryAllowed: false,
    legalBasis: LUAT_CU_TRU,
    resultName: 'Thông báo kết quả giải quyết; thông tin tạm trú được cập nhật vào Cơ sở dữ liệu về cư trú',
    resultIsPaper: false,
    components: [
      {
        code: 'TP01',
        name: 'Tờ khai thay đổi thông tin cư trú (mẫu CT01)',
        form: 'original',
        copies: 1,
        required: true,
        note: 'Có ý kiến đồng ý của chủ hộ, chủ sở hữu chỗ ở hợp pháp (trừ khi đã có văn bản đồng ý)',
      },
      {
        code: 'TP02',
        name: 'Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp (hợp đồng thuê, mượn, ở nhờ…)',
        form: 'copy',
        copies: 1,
        required: true,
      },
    ],
    effectiveFrom: '2025-07-01',
  },
];
