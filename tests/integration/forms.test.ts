// The PDF forms, checked with the tools a reader's machine would use: qpdf for structure, poppler for the
// text a search or a screen reader gets back, the page size and count, and the embedded QR image.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  renderGuidance,
  renderReceipt,
  renderRefusal,
  renderSupplementRequest,
  renderTrackingBook,
} from '../../server/src/forms';
import { formatDateTime, formatDateTimeShort, formatMoney } from '../../server/src/forms/layout';
import type {
  FormOffice,
  GuidanceData,
  ReceiptData,
  RefusalData,
  SupplementData,
  TrackingBookData,
  TrackingBookRow,
} from '../../server/src/forms/types';

// FORMS_OUT=/some/dir keeps the PDFs for a look (pdftoppm -r 80 -png); otherwise they go to a temp dir.
const keep = process.env.FORMS_OUT;
const dir = keep ?? mkdtempSync(join(tmpdir(), 'postdesk-forms-'));
afterAll(() => {
  if (!keep) rmSync(dir, { recursive: true, force: true });
});

const write = (name: string, bytes: Uint8Array) => {
  const path = join(dir, `${name}.pdf`);
  writeFileSync(path, bytes);
  return path;
};
const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8' });
/** `-layout` keeps the visual arrangement; `-raw` keeps drawing order, so a wrapped cell reads as one text. */
const text = (path: string, mode: '-layout' | '-raw' = '-layout') =>
  run('pdftotext', [mode, '-enc', 'UTF-8', path, '-']).normalize('NFC');
const flat = (s: string) => s.replace(/\s+/g, ' ');
const info = (path: string) => {
  const out = run('pdfinfo', [path]);
  const field = (name: string) => out.match(new RegExp(`^${name}:\\s*(.*)$`, 'm'))?.[1]?.trim() ?? '';
  return { pages: Number(field('Pages')), size: field('Page size'), out, field };
};
const qpdfCheck = (path: string) => spawnSync('qpdf', ['--check', path], { encoding: 'utf8' });
const images = (path: string) =>
  run('pdfimages', ['-list', path])
    .split('\n')
    .slice(2)
    .filter((l) => l.trim() !== '');

const A5 = '419.53 x 595.28 pts';
const A4 = '595.28 x 841.89 pts';
const A4_LANDSCAPE = '841.89 x 595.28 pts';

const office: FormOffice = {
  name: 'Bưu điện Văn hóa xã Phú Mậu',
  code: 'H42.01.05',
  parentName: 'Bưu điện thành phố Huế',
  place: 'Huế',
  phone: '0234 3822 123',
  address: '12 Nguyễn Huệ, phường Thuận Hóa, thành phố Huế',
};
const applicant = {
  fullName: 'Tôn Nữ Thị Hoàng Oanh Nguyễn Phước',
  citizenId: '046190012345',
  address: 'Số 27 kiệt 14 đường Nguyễn Sinh Cung, phường Vỹ Dạ, thành phố Huế, tỉnh Thừa Thiên Huế',
  phone: '0905123456',
  email: 'oanh.tnth@example.vn',
};
const procedure = {
  code: '1.000894',
  name: 'Đăng ký khai sinh có yếu tố nước ngoài tại khu vực biên giới và cấp bản sao trích lục hộ tịch',
};
// 08:15 on 15/08/2023 in Huế is 01:15 UTC; the forms must print Vietnamese wall-clock time on any machine.
const receivedAt = new Date('2023-08-15T01:15:00Z');
const dueAt = new Date('2023-08-22T09:00:00Z');

const receipt = (over: Partial<ReceiptData> = {}): ReceiptData => ({
  office,
  dossierCode: 'H42.01-230815-0001',
  applicant,
  procedure,
  components: [
    {
      name: 'Tờ khai đăng ký khai sinh theo mẫu quy định (có xác nhận của Ủy ban nhân dân cấp xã nơi cư trú)',
      form: 'original',
      copies: 1,
    },
    { name: 'Giấy chứng sinh do cơ sở y tế nơi trẻ sinh ra cấp', form: 'original', copies: 1 },
    { name: 'Căn cước công dân của người đi đăng ký', form: 'copy', copies: 1, reused: true },
    { name: 'Giấy chứng nhận kết hôn của cha mẹ trẻ', form: 'original_or_certified_copy', copies: 2 },
    {
      name: 'Văn bản ủy quyền có chứng thực (trường hợp ủy quyền thực hiện thủ tục đăng ký khai sinh)',
      form: 'original',
      copies: 1,
    },
    { name: 'Hộ chiếu của cha hoặc mẹ là người nước ngoài', form: 'copy', copies: 1 },
  ],
  sets: 1,
  processingWorkingDays: 5,
  receivedAt,
  dueAt,
  channel: 'postal',
  returnMethod: { kind: 'post', address: 'Số 27 kiệt 14 Nguyễn Sinh Cung, phường Vỹ Dạ, thành phố Huế' },
  fees: [
    { label: 'Lệ phí đăng ký khai sinh', amount: 0 },
    { label: 'Phí cấp bản sao trích lục hộ tịch', amount: 8000 },
  ],
  postalTariff: 26000,
  book: { volume: '01/2023', entry: 125 },
  clerkName: 'Lê Văn Bình',
  trackingUrl: 'https://postdesk.example.vn/tra-cuu/H42.01-230815-0001',
  ...over,
});

describe('Mẫu 01 receipt', () => {
  it('prints two A5 copies with every field, the components and a QR code', async () => {
    const data = receipt();
    const path = write('receipt', await renderReceipt(data));
    expect(qpdfCheck(path).status).toBe(0);
    const pdf = info(path);
    expect(pdf.pages).toBe(2);
    expect(pdf.size.startsWith(A5)).toBe(true);
    expect(pdf.field('Title')).toBe('Giấy tiếp nhận hồ sơ và hẹn trả kết quả H42.01-230815-0001');
    expect(pdf.field('Subject')).toBe('Mẫu 01 - Giấy tiếp nhận hồ sơ và hẹn trả kết quả');
    expect(pdf.field('Author')).toBe(office.name);
    expect(pdf.field('Creator')).toBe('PostDesk');
    expect(pdf.field('Producer')).toBe('PostDesk');

    const page1 = text(path).split('\f')[0]!;
    const page2 = text(path).split('\f')[1]!;
    for (const page of [page1, page2]) {
      expect(page).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
      expect(page).toContain('Độc lập - Tự do - Hạnh phúc');
      expect(page).toContain('GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ');
      expect(page).toContain('H42.01-230815-0001');
      expect(page).toContain('Tôn Nữ Thị Hoàng Oanh Nguyễn Phước');
      expect(page).toContain('Quét mã để tra cứu hồ sơ');
      expect(page).toContain('NGƯỜI NỘP HỒ SƠ');
      expect(page).toContain('NGƯỜI TIẾP NHẬN HỒ SƠ');
      expect(page).toContain('Lê Văn Bình');
    }
    expect(page1).toContain('Liên 1: Lưu tại Bộ phận Một cửa');
    expect(page2).toContain('Liên 2: Giao người nộp hồ sơ');

    const all = flat(text(path, '-raw'));
    for (const c of data.components) expect(all).toContain(c.name);
    expect(all).toContain('Căn cước công dân của người đi đăng ký (tái sử dụng dữ liệu số)');
    expect(all).toContain('Bản chính hoặc bản sao chứng thực');
    expect(all).toContain(procedure.name);
    expect(all).toContain('Mã TTHC: 1.000894');
    expect(all).toContain('Số lượng hồ sơ: 01 (bộ)');
    expect(all).toContain('5 ngày làm việc');
    // Asia/Ho_Chi_Minh wall clock: 01:15Z is 08:15, 09:00Z is 16:00.
    expect(all).toContain('Thời gian nhận hồ sơ: 08 giờ 15 phút, ngày 15/08/2023');
    expect(all).toContain('Thời gian trả kết quả giải quyết hồ sơ: 16 giờ 00 phút, ngày 22/08/2023');
    expect(all).toContain('Huế, ngày 15 tháng 08 năm 2023');
    expect(all).toContain('Qua dịch vụ Bưu chính công ích: Số 27 kiệt 14 Nguyễn Sinh Cung');
    expect(all).toContain('Hình thức nộp hồ sơ: Qua dịch vụ bưu chính công ích');
    expect(all).toContain('Phí cấp bản sao trích lục hộ tịch: 8.000 đồng');
    expect(all).toContain('Cước dịch vụ bưu chính công ích: 26.000 đồng');
    expect(all).toContain('Tổng cộng: 34.000 đồng');
    expect(all).toContain('Vào Sổ theo dõi hồ sơ, Quyển số: 01/2023, Số thứ tự: 125');
    expect(all).toContain(applicant.address);
    expect(all).toContain('0905123456');
    expect(all).toContain('oanh.tnth@example.vn');

    // One QR image, drawn on both copies.
    const qr = images(path);
    expect(qr.length).toBeGreaterThanOrEqual(1);
    expect(qr[0]).toMatch(/image\s+\d+\s+\d+/);
  });

  it('prints desk return, direct channel and no fees', async () => {
    const path = write(
      'receipt-desk',
      await renderReceipt(
        receipt({ channel: 'direct', returnMethod: { kind: 'desk' }, fees: [], postalTariff: null }),
      ),
    );
    expect(qpdfCheck(path).status).toBe(0);
    const all = flat(text(path, '-raw'));
    expect(all).toContain('Đăng ký nhận kết quả tại: Tại Bộ phận Một cửa');
    expect(all).toContain('Hình thức nộp hồ sơ: Trực tiếp');
    expect(all).toContain('Phí, lệ phí: Không');
    expect(all).not.toContain('Cước dịch vụ');
    expect(info(path).pages).toBe(2);
  });

  const manyComponents = (n: number) =>
    Array.from({ length: n }, (_, i) => ({
      name: `Giấy tờ chứng minh số ${i + 1}: bản xác nhận thông tin về cư trú của người yêu cầu đăng ký`,
      form: 'copy' as const,
      copies: 1,
    }));

  it('keeps each copy on one page with twelve long components, by shrinking the type', async () => {
    const components = manyComponents(12);
    const path = write('receipt-many', await renderReceipt(receipt({ components })));
    expect(info(path).pages).toBe(2);
    const all = flat(text(path, '-raw'));
    for (const c of components) expect(all).toContain(c.name);
  });

  it('continues a copy on a marked page when even the smallest type overflows', async () => {
    const components = manyComponents(30);
    const path = write('receipt-overflow', await renderReceipt(receipt({ components })));
    expect(qpdfCheck(path).status).toBe(0);
    const pdf = info(path);
    expect(pdf.pages % 2).toBe(0);
    expect(pdf.pages).toBeGreaterThan(2);
    const pages = text(path).split('\f');
    expect(pages[pdf.pages / 2]).toContain('Liên 2: Giao người nộp hồ sơ');
    expect(flat(pages[1]!)).toContain('Liên 1: Lưu tại Bộ phận Một cửa (tiếp theo)');
    const all = flat(text(path, '-raw'));
    for (const c of components) expect(all).toContain(c.name);
  });

  it('prints decomposed (NFD) input with precomposed glyphs', async () => {
    const nfd = 'Nguyễn Thị Ngọc Ánh'.normalize('NFD');
    const path = write('receipt-nfd', await renderReceipt(receipt({ applicant: { fullName: nfd } })));
    const page = text(path);
    expect(page).toContain('Nguyễn Thị Ngọc Ánh'.normalize('NFC'));
    expect(page).not.toMatch(/\p{M}/u);
  });
});

describe('Mẫu 02 supplement request', () => {
  it('lists everything missing once, on one A5 page', async () => {
    const data: SupplementData = {
      office,
      applicant,
      procedure,
      missing: [
        {
          item: 'Giấy chứng sinh do cơ sở y tế nơi trẻ sinh ra cấp',
          note: 'Bản đã nộp là bản chụp không có chứng thực; mang bản chính để đối chiếu.',
        },
        {
          item: 'Văn bản ủy quyền có chứng thực',
          note: 'Người nộp không phải cha, mẹ của trẻ nên cần văn bản ủy quyền theo quy định.',
        },
        { item: 'Tờ khai đăng ký khai sinh: bổ sung chữ ký của người yêu cầu' },
      ],
      issuedAt: receivedAt,
      clerkName: 'Lê Văn Bình',
      helpPhone: '0234 3822 456',
    };
    const path = write('supplement', await renderSupplementRequest(data));
    expect(qpdfCheck(path).status).toBe(0);
    const pdf = info(path);
    expect(pdf.pages).toBe(1);
    expect(pdf.size.startsWith(A5)).toBe(true);
    expect(pdf.field('Subject')).toBe('Mẫu 02 - Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ');
    const all = flat(text(path, '-raw'));
    expect(all).toContain('PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ');
    expect(all).toContain('Hồ sơ của: Tôn Nữ Thị Hoàng Oanh Nguyễn Phước');
    expect(all).toContain(procedure.name);
    for (const m of data.missing) {
      expect(all).toContain(m.item);
      if (m.note) expect(all).toContain(m.note);
    }
    expect(all).toContain('Bộ phận Một cửa chỉ yêu cầu bổ sung, hoàn thiện hồ sơ một lần');
    expect(all).toContain(`Thời gian tiếp nhận hồ sơ: ${formatDateTime(receivedAt)}`);
    expect(all).toContain('0234 3822 456');
    expect(all).toContain('NGƯỜI HƯỚNG DẪN');
    expect(all).toContain('Lê Văn Bình');
  });
});

describe('Mẫu 03 refusal', () => {
  it('states the reasons and is signed by the receiver, on one A5 page', async () => {
    const data: RefusalData = {
      office,
      applicant,
      procedure,
      reasons: [
        'Trẻ đã được đăng ký khai sinh tại Ủy ban nhân dân phường Vỹ Dạ ngày 02/03/2023; không đăng ký khai sinh lần thứ hai.',
        'Thủ tục không thuộc phạm vi tiếp nhận qua dịch vụ bưu chính công ích theo danh mục đã công bố.',
      ],
      issuedAt: receivedAt,
      clerkName: 'Lê Văn Bình',
    };
    const path = write('refusal', await renderRefusal(data));
    expect(qpdfCheck(path).status).toBe(0);
    const pdf = info(path);
    expect(pdf.pages).toBe(1);
    expect(pdf.size.startsWith(A5)).toBe(true);
    const all = flat(text(path, '-raw'));
    expect(all).toContain('PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ');
    expect(all).toContain(applicant.fullName);
    expect(all).toContain(procedure.name);
    for (const r of data.reasons) expect(all).toContain(r);
    expect(all).toContain('NGƯỜI TIẾP NHẬN HỒ SƠ');
    expect(all).toContain('Huế, ngày 15 tháng 08 năm 2023');
  });
});

describe('Mẫu 06 tracking book', () => {
  const names = [
    'Nguyễn Văn Đức',
    'Trần Thị Hằng Nga',
    'Phạm Quốc Việt',
    'Công ty TNHH Thương mại Hương Giang',
  ];
  const procedures = [
    'Đăng ký khai sinh',
    'Cấp đổi giấy phép lái xe do ngành Giao thông vận tải cấp',
    'Đăng ký thường trú',
    'Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan có thẩm quyền của Việt Nam cấp',
  ];
  const rows: TrackingBookRow[] = Array.from({ length: 60 }, (_, i) => {
    const at = new Date(receivedAt.getTime() + i * 37 * 60_000);
    return {
      dossierCode: `H42.01-230815-${String(i + 1).padStart(4, '0')}`,
      procedureName: procedures[i % procedures.length]!,
      sets: 1 + (i % 3),
      applicantName: names[i % names.length]!,
      applicantContact: `Số ${i + 1} đường Lê Lợi, phường Thuận Hóa, thành phố Huế / 09051234${String(i).padStart(2, '0')}`,
      agencyName: i % 2 ? 'Ủy ban nhân dân phường Thuận Hóa' : 'Sở Xây dựng tỉnh Thừa Thiên Huế',
      receivedAt: at,
      dueAt: i % 7 === 6 ? null : new Date(at.getTime() + 5 * 86_400_000),
      forwardedAt: i % 3 ? new Date(at.getTime() + 3 * 3_600_000) : null,
      resultReceivedAt: null,
      returnedAt: null,
      note: i % 5 === 0 ? 'Trả kết quả qua dịch vụ bưu chính công ích' : '',
    };
  });
  const data: TrackingBookData = {
    office,
    from: '2023-08-01',
    to: '2023-08-31',
    volume: '01/2023',
    rows,
    printedAt: new Date('2023-08-31T10:30:00Z'),
  };

  it('prints an A4 landscape book with every row, the header on each page and Trang x/y', async () => {
    const path = write('book', await renderTrackingBook(data));
    expect(qpdfCheck(path).status).toBe(0);
    const pdf = info(path);
    expect(pdf.size.startsWith(A4_LANDSCAPE)).toBe(true);
    expect(pdf.pages).toBeGreaterThanOrEqual(3);
    const pages = text(path)
      .split('\f')
      .filter((p) => p.trim() !== '');
    expect(pages).toHaveLength(pdf.pages);
    expect(pages[0]).toContain('SỔ THEO DÕI HỒ SƠ');
    expect(pages[0]).toContain('Từ ngày 01/08/2023 đến ngày 31/08/2023');
    pages.forEach((page, i) => {
      expect(page).toContain(`Trang ${i + 1}/${pdf.pages}`);
      expect(page).toContain('Mã hồ sơ');
      expect(page).toContain('Tên TTHC');
      expect(page).toContain('Ghi chú');
    });
    const all = flat(text(path, '-raw'));
    for (const r of rows) expect(all).toContain(r.dossierCode);
    for (const p of procedures) expect(all).toContain(p);
    expect(all).toContain(rows[59]!.applicantContact);
    // Dates in the cells are dd/MM/yyyy HH:mm in Vietnamese time (wrapped inside the narrow column).
    expect(all).toContain(formatDateTimeShort(rows[0]!.receivedAt));
    expect(formatDateTimeShort(rows[0]!.receivedAt)).toBe('15/08/2023 08:15');
    expect(all).toContain(formatDateTimeShort(rows[0]!.dueAt!));
    expect(all).toContain('Trả kết quả qua dịch vụ bưu chính công ích');
  });

  it('keeps every letter searchable when documents are rendered one after another', async () => {
    // The parsed font is shared between documents; each must still map every glyph back to its letter.
    for (const round of [1, 2, 3]) {
      const path = write(
        `book-again-${round}`,
        await renderTrackingBook({ ...data, rows: rows.slice(0, 3) }),
      );
      expect(text(path)).toContain('SỔ THEO DÕI HỒ SƠ');
    }
  });

  it('prints an empty book on one page', async () => {
    const path = write('book-empty', await renderTrackingBook({ ...data, rows: [] }));
    expect(qpdfCheck(path).status).toBe(0);
    expect(info(path).pages).toBe(1);
    expect(text(path)).toContain('Trang 1/1');
  });
});

describe('Phiếu hướng dẫn (guidance)', () => {
  const base: GuidanceData = {
    office,
    procedure: {
      code: '1.000894',
      name: procedure.name,
      field: 'Hộ tịch',
      agencyName: 'Ủy ban nhân dân phường Vỹ Dạ, thành phố Huế',
      processingWorkingDays: 5,
      components: [
        {
          name: 'Tờ khai đăng ký khai sinh theo mẫu',
          form: 'original',
          copies: 1,
          required: true,
          note: 'Mẫu tại Bưu điện hoặc Cổng Dịch vụ công quốc gia',
        },
        { name: 'Giấy chứng sinh', form: 'original', copies: 1, required: true },
        {
          name: 'Văn bản ủy quyền có chứng thực',
          form: 'original_or_certified_copy',
          copies: 1,
          required: false,
          note: 'Khi người khác nộp thay',
        },
      ],
      fees: [{ label: 'Lệ phí đăng ký khai sinh có yếu tố nước ngoài', amount: 75000 }],
      postalTariff: 26000,
      pickupAllowed: true,
      deliveryAllowed: true,
      legalBasis: [
        'Luật Hộ tịch số 60/2014/QH13',
        'Nghị định số 123/2015/NĐ-CP',
        'Quyết định số 45/2016/QĐ-TTg',
      ],
      resultName: 'Giấy khai sinh (bản chính) và bản sao trích lục',
    },
    catalogUrl: 'https://postdesk.example.vn/thu-tuc/1.000894',
    printedAt: receivedAt,
  };

  it('fits one A4 page with the components, fees, postal service and a QR code', async () => {
    const path = write('guidance', await renderGuidance(base));
    expect(qpdfCheck(path).status).toBe(0);
    const pdf = info(path);
    expect(pdf.pages).toBe(1);
    expect(pdf.size.startsWith(A4)).toBe(true);
    const all = flat(text(path, '-raw'));
    expect(all).toContain('PHIẾU HƯỚNG DẪN THỰC HIỆN THỦ TỤC HÀNH CHÍNH');
    expect(all).toContain(procedure.name);
    expect(all).toContain('Mã thủ tục: 1.000894');
    for (const c of base.procedure.components) expect(all).toContain(c.name);
    expect(all).toContain(`Lệ phí đăng ký khai sinh có yếu tố nước ngoài: ${formatMoney(75000)}`);
    expect(all).toContain('Cước dịch vụ bưu chính công ích: 26.000 đồng/chiều');
    for (const l of base.procedure.legalBasis) expect(all).toContain(l);
    expect(all).toContain('In lúc 08 giờ 15 phút, ngày 15/08/2023');
    expect(images(path)).toHaveLength(1);
  });

  it('stays on one page when the procedure is long, by shrinking the type', async () => {
    const components = Array.from({ length: 18 }, (_, i) => ({
      name: `Giấy tờ số ${i + 1}: văn bản chứng minh điều kiện theo quy định tại khoản ${i + 1} Điều 5 của Nghị định`,
      form: 'copy' as const,
      copies: 1,
      required: i % 2 === 0,
      note: 'Nộp kèm bản chính để đối chiếu nếu nộp bản chụp',
    }));
    const legalBasis = Array.from(
      { length: 8 },
      (_, i) => `Văn bản quy phạm pháp luật số ${i + 1}/2023/NĐ-CP`,
    );
    const path = write(
      'guidance-long',
      await renderGuidance({ ...base, procedure: { ...base.procedure, components, legalBasis } }),
    );
    expect(info(path).pages).toBe(1);
    const all = flat(text(path, '-raw'));
    for (const c of components) expect(all).toContain(c.name);
    for (const l of legalBasis) expect(all).toContain(l);
  });
});
