// PDF forms: milliseconds per Mẫu 01 receipt (two A5 copies with a QR code), the form a desk prints for every
// dossier, and per 100-row Mẫu 06 tracking book (A4 landscape, several pages), printed at the end of a day.
import { renderReceipt, renderTrackingBook } from '../../server/src/forms';
import type { FormOffice, ReceiptData, TrackingBookRow } from '../../server/src/forms/types';

const office: FormOffice = {
  name: 'Bưu điện Văn hóa xã Phú Mậu',
  code: 'H42.01.05',
  parentName: 'Bưu điện thành phố Huế',
  place: 'Huế',
};
const receivedAt = new Date('2023-08-15T01:15:00Z');

const receipt = (i: number): ReceiptData => ({
  office,
  dossierCode: `H42.01-230815-${String(i).padStart(4, '0')}`,
  applicant: {
    fullName: 'Tôn Nữ Thị Hoàng Oanh',
    address: 'Số 27 kiệt 14 đường Nguyễn Sinh Cung, phường Vỹ Dạ, thành phố Huế',
    phone: '0905123456',
    email: 'oanh@example.vn',
  },
  procedure: { code: '1.000894', name: 'Đăng ký khai sinh có yếu tố nước ngoài tại khu vực biên giới' },
  components: [
    { name: 'Tờ khai đăng ký khai sinh theo mẫu quy định', form: 'original', copies: 1 },
    { name: 'Giấy chứng sinh do cơ sở y tế nơi trẻ sinh ra cấp', form: 'original', copies: 1 },
    { name: 'Căn cước công dân của người đi đăng ký', form: 'copy', copies: 1, reused: true },
    { name: 'Giấy chứng nhận kết hôn của cha mẹ trẻ', form: 'original_or_certified_copy', copies: 1 },
  ],
  sets: 1,
  processingWorkingDays: 5,
  receivedAt,
  dueAt: new Date('2023-08-22T09:00:00Z'),
  channel: 'direct',
  returnMethod: { kind: 'post', address: 'Số 27 kiệt 14 Nguyễn Sinh Cung, phường Vỹ Dạ, thành phố Huế' },
  fees: [{ label: 'Lệ phí đăng ký khai sinh', amount: 75000 }],
  postalTariff: 26000,
  book: { volume: '01/2023', entry: i },
  clerkName: 'Lê Văn Bình',
  trackingUrl: `https://postdesk.example.vn/tra-cuu/H42.01-230815-${String(i).padStart(4, '0')}`,
});

const bookRows = (n: number): TrackingBookRow[] =>
  Array.from({ length: n }, (_, i) => ({
    dossierCode: `H42.01-230815-${String(i + 1).padStart(4, '0')}`,
    procedureName: i % 2 ? 'Đăng ký thường trú' : 'Cấp đổi giấy phép lái xe do ngành Giao thông vận tải cấp',
    sets: 1,
    applicantName: 'Nguyễn Văn Đức',
    applicantContact: `Số ${i + 1} đường Lê Lợi, phường Thuận Hóa / 0905123456`,
    agencyName: 'Ủy ban nhân dân phường Thuận Hóa',
    receivedAt: new Date(receivedAt.getTime() + i * 600_000),
    dueAt: new Date(receivedAt.getTime() + 5 * 86_400_000),
    forwardedAt: null,
    resultReceivedAt: null,
    returnedAt: null,
    note: '',
  }));

const time = async (runs: number, warmup: number, render: (i: number) => Promise<Uint8Array>) => {
  for (let i = 0; i < warmup; i++) await render(i);
  const ms: number[] = [];
  let bytes = 0;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    bytes = (await render(i)).length;
    ms.push(performance.now() - started);
  }
  ms.sort((a, b) => a - b);
  const mean = ms.reduce((s, x) => s + x, 0) / ms.length;
  const p95 = ms[Math.min(ms.length - 1, Math.ceil(ms.length * 0.95) - 1)]!;
  return { mean, p95, bytes };
};

export const run = async () => {
  const r = await time(50, 5, (i) => renderReceipt(receipt(i + 1)));
  process.stdout.write(
    `Mẫu 01 receipt (2 × A5)      mean ${r.mean.toFixed(1).padStart(6)} ms   p95 ${r.p95.toFixed(1).padStart(6)} ms   ${(r.bytes / 1024).toFixed(0)} KiB\n`,
  );
  const rows = bookRows(100);
  const b = await time(10, 2, () =>
    renderTrackingBook({
      office,
      from: '2023-08-01',
      to: '2023-08-31',
      volume: '01/2023',
      rows,
      printedAt: receivedAt,
    }),
  );
  process.stdout.write(
    `Mẫu 06 book, 100 rows (A4)   mean ${b.mean.toFixed(1).padStart(6)} ms   p95 ${b.p95.toFixed(1).padStart(6)} ms   ${(b.bytes / 1024).toFixed(0)} KiB\n`,
  );
};
