import type { PDFImage } from 'pdf-lib';
import sharp from 'sharp';
import {
  A4,
  addPage,
  componentForm,
  createDocument,
  createFrame,
  type Frame,
  formatDateTime,
  formatMoney,
  formHeader,
  GREY,
  gap,
  type Margins,
  paragraph,
  row,
  saveDocument,
  table,
  title,
} from '../forms/layout';

export type ProofPdfData = {
  kind: 'pickup' | 'delivery' | 'failed_pickup' | 'failed_delivery';
  proofId: string;
  office: { name: string; code: string; address?: string; phone?: string };
  dossierCode: string | null;
  procedureName: string;
  address: string;
  contactName: string | null;
  courierName: string;
  serverAt: Date;
  deviceAt: Date | null;
  position: { lat: number; lng: number; accuracyM: number | null } | null;
  payload: Record<string, unknown>;
  otpVerified: boolean;
  /** PNG/JPEG bytes: the citizen's signature, and up to 6 photos (shown as thumbnails). */
  signature: Uint8Array | null;
  photos: Uint8Array[];
  /** Delivery: the recipient on the dossier. */
  recipientName: string | null;
  attempt?: number;
};

const MARGIN: Margins = { top: 32, right: 36, bottom: 32, left: 36 };
const SIZE = 10;

const TITLES: Record<ProofPdfData['kind'], [string, string]> = {
  pickup: ['Phiếu gửi hồ sơ', '(Nhận hồ sơ tại địa chỉ của tổ chức, cá nhân qua dịch vụ bưu chính công ích)'],
  delivery: [
    'Biên bản giao kết quả tại nhà',
    '(Trả kết quả giải quyết thủ tục hành chính qua dịch vụ bưu chính công ích)',
  ],
  failed_pickup: ['Biên bản nhận hồ sơ không thành công', '(Không nhận được hồ sơ tại địa chỉ đã hẹn)'],
  failed_delivery: ['Giấy mời nhận kết quả', '(Phát không thành công; người nhận vắng mặt hoặc không nhận)'],
};

const REASONS: Record<string, string> = {
  absent: 'Người nhận vắng mặt',
  refused: 'Người nhận từ chối nhận',
  wrong_address: 'Sai địa chỉ, không tìm thấy người nhận',
  unreachable: 'Không liên lạc được qua điện thoại',
  other: 'Lý do khác',
};

const thumb = async (bytes: Uint8Array, side: number) =>
  sharp(bytes, { limitInputPixels: 40_000_000 })
    .rotate()
    .resize(side, side, { fit: 'inside', withoutEnlargement: true })
    .flatten({ background: '#ffffff' })
    .jpeg({ quality: 70 })
    .toBuffer();

const line = (f: Frame, label: string, value: string, bold = false) =>
  paragraph(f, [{ text: `${label}: ` }, { text: value, bold }], { size: SIZE });

/** Proof of delivery / dispatch note / invitation, A4, Vietnamese, with signature, photos, GPS and both clocks. */
export const renderProofPdf = async (d: ProofPdfData): Promise<Uint8Array> => {
  const { doc, fonts } = await createDocument();
  const f = createFrame(doc, fonts, A4, MARGIN);
  addPage(f);
  formHeader(f, {
    office: { name: d.office.name, code: d.office.code, parentName: 'Bưu điện Việt Nam' },
    size: SIZE * 0.9,
    date: d.serverAt,
  });
  gap(f, 12);
  const [heading, sub] = TITLES[d.kind];
  title(f, heading, SIZE + 4, 1);
  paragraph(f, sub, { size: SIZE * 0.9, align: 'center', color: GREY, after: 8 });

  line(f, 'Mã hồ sơ', d.dossierCode ?? 'Chưa cấp (hồ sơ nhận tại nhà, mã cấp khi tiếp nhận tại quầy)', true);
  line(f, 'Thủ tục hành chính', d.procedureName);
  line(f, 'Địa chỉ', d.address);
  if (d.contactName && d.kind !== 'delivery') {
    line(f, d.kind === 'failed_delivery' ? 'Người nhận theo hồ sơ' : 'Người gửi hồ sơ', d.contactName);
  }
  line(f, 'Bưu tá thực hiện', d.courierName);
  line(f, 'Đơn vị', d.office.name);
  gap(f, 6);

  const p = d.payload;
  if (d.kind === 'pickup') {
    const checklist =
      (p.checklist as { name: string; form: 'original' | 'copy'; present: boolean; copies?: number }[]) ?? [];
    paragraph(f, 'Danh mục giấy tờ đã kiểm tra (theo thành phần hồ sơ công bố):', {
      size: SIZE,
      bold: true,
      after: 3,
    });
    table(
      f,
      [
        { header: 'STT', weight: 6, align: 'center' },
        { header: 'Tên giấy tờ', weight: 56 },
        { header: 'Hình thức', weight: 16, align: 'center' },
        { header: 'Số bản', weight: 9, align: 'center' },
        { header: 'Tình trạng', weight: 13, align: 'center' },
      ],
      checklist.map((c, i) => [
        String(i + 1),
        c.name,
        componentForm(c.form),
        String(c.copies ?? 1),
        c.present ? 'Có' : [{ text: 'Thiếu', bold: true }],
      ]),
      { size: SIZE * 0.9 },
    );
    gap(f, 6);
    const missing = checklist.filter((c) => !c.present);
    if (missing.length > 0) {
      paragraph(f, `Đã hướng dẫn người gửi bổ sung: ${missing.map((c) => c.name).join('; ')}.`, {
        size: SIZE,
        after: 3,
      });
    }
    line(f, 'Số niêm phong', String(p.sealNumber ?? ''), true);
    const fees = p.fees as { method: string; amount: number } | null;
    line(
      f,
      'Phí, lệ phí đã thu',
      fees && fees.amount > 0
        ? `${formatMoney(fees.amount)} (${fees.method === 'cash' ? 'tiền mặt' : fees.method === 'vietqr' ? 'chuyển khoản VietQR' : 'không thu'})`
        : 'Không thu',
    );
  } else if (d.kind === 'delivery') {
    const id = (p.identity ?? {}) as { mode?: string; idLast4?: string; proxyName?: string; source?: string };
    line(f, 'Người nhận theo hồ sơ', d.recipientName ?? '—');
    line(
      f,
      'Người trực tiếp nhận',
      id.mode === 'proxy' ? `${id.proxyName ?? ''} (nhận thay, có giấy ủy quyền)` : 'Chính người nhận',
      true,
    );
    line(
      f,
      'Giấy tờ tùy thân',
      `Thẻ căn cước số ****${id.idLast4 ?? ''} (${id.source === 'qr' ? 'quét mã QR' : 'nhập tay'})`,
    );
    line(f, 'Mã xác nhận qua tin nhắn', d.otpVerified ? 'Đã xác nhận đúng' : 'Chưa xác nhận');
    const recovered = (p.recovered as string[]) ?? [];
    line(f, 'Giấy tờ thu hồi cho cơ quan', recovered.length > 0 ? recovered.join('; ') : 'Không có');
    const cash = p.cash as { amount: number } | null;
    line(f, 'Tiền đã thu', cash && cash.amount > 0 ? formatMoney(cash.amount) : 'Không thu');
  } else {
    line(f, 'Lý do', REASONS[String(p.reason)] ?? String(p.reason ?? ''), true);
    if (p.note) line(f, 'Ghi chú', String(p.note));
    if (d.kind === 'failed_delivery' && d.attempt) {
      line(f, 'Lần mời nhận', `Lần ${d.attempt}`);
      paragraph(
        f,
        d.attempt >= 2
          ? 'Đã mời nhận hai lần không thành công: kết quả được chuyển trả về cơ quan giải quyết.'
          : 'Bưu điện sẽ phát lại sau ít nhất 2 ngày làm việc. Người nhận có thể liên hệ bưu cục để hẹn giờ nhận.',
        { size: SIZE, after: 3 },
      );
    }
  }
  gap(f, 6);
  paragraph(f, 'Thời gian và vị trí ghi nhận', { size: SIZE, bold: true, after: 2 });
  line(f, 'Giờ máy chủ', formatDateTime(d.serverAt));
  line(f, 'Giờ trên điện thoại bưu tá', d.deviceAt ? formatDateTime(d.deviceAt) : 'Không có');
  line(
    f,
    'Vị trí GPS',
    d.position
      ? `${d.position.lat.toFixed(6)}, ${d.position.lng.toFixed(6)}${d.position.accuracyM !== null ? ` (sai số khoảng ${Math.round(d.position.accuracyM)} m)` : ''}`
      : 'Không có (điện thoại không xác định được vị trí)',
  );
  line(f, 'Mã biên bản', d.proofId);
  gap(f, 8);

  // Photos, as thumbnails in one row.
  const photos: PDFImage[] = [];
  for (const bytes of d.photos.slice(0, 6)) {
    try {
      photos.push(await doc.embedJpg(await thumb(bytes, 360)));
    } catch {
      // An unreadable photo is left out rather than failing the whole proof.
    }
  }
  if (photos.length > 0) {
    paragraph(f, 'Ảnh chụp tại chỗ', { size: SIZE, bold: true, after: 3 });
    const side = 120;
    row(
      f,
      photos.map((img) => ({
        weight: 1,
        draw: (x: number, top: number, width: number) => {
          const s = Math.min(side, width);
          const scale = Math.min(s / img.width, s / img.height);
          if (!f.measuring && f.page) {
            f.page.drawImage(img, {
              x,
              y: top - img.height * scale,
              width: img.width * scale,
              height: img.height * scale,
            });
          }
          return s + 4;
        },
      })),
      { width: Math.min(photos.length * (side + 8), A4[0] - MARGIN.left - MARGIN.right) },
    );
    gap(f, 6);
  }

  let signature: PDFImage | null = null;
  if (d.signature) {
    try {
      const png = await sharp(d.signature, { limitInputPixels: 40_000_000 })
        .flatten({ background: '#ffffff' })
        .resize(600, 240, { fit: 'inside', withoutEnlargement: true })
        .png()
        .toBuffer();
      signature = await doc.embedPng(png);
    } catch {
      signature = null;
    }
  }
  const who =
    d.kind === 'pickup' ? 'NGƯỜI GỬI HỒ SƠ' : d.kind === 'delivery' ? 'NGƯỜI NHẬN' : 'NGƯỜI DÂN (nếu có)';
  row(f, [
    {
      weight: 1,
      draw: (x, top, width) => {
        let h = 0;
        if (!f.measuring && f.page) {
          f.page.drawText(who, {
            x: x + width / 2 - fonts.bold.widthOfTextAtSize(who, SIZE) / 2,
            y: top - SIZE,
            size: SIZE,
            font: fonts.bold,
          });
        }
        h += SIZE * 1.6;
        if (signature) {
          const scale = Math.min((width - 10) / signature.width, 70 / signature.height);
          if (!f.measuring && f.page) {
            f.page.drawImage(signature, {
              x: x + (width - signature.width * scale) / 2,
              y: top - h - signature.height * scale,
              width: signature.width * scale,
              height: signature.height * scale,
            });
          }
          h += signature.height * scale + 4;
        } else {
          h += 50;
        }
        return h;
      },
    },
    {
      weight: 1,
      draw: (x, top, width) => {
        const label = 'BƯU TÁ';
        if (!f.measuring && f.page) {
          f.page.drawText(label, {
            x: x + width / 2 - fonts.bold.widthOfTextAtSize(label, SIZE) / 2,
            y: top - SIZE,
            size: SIZE,
            font: fonts.bold,
          });
          const name = d.courierName.normalize('NFC');
          f.page.drawText(name, {
            x: x + width / 2 - fonts.regular.widthOfTextAtSize(name, SIZE) / 2,
            y: top - SIZE * 7,
            size: SIZE,
            font: fonts.regular,
          });
        }
        return SIZE * 8;
      },
    },
  ]);
  gap(f, 8);
  paragraph(
    f,
    'Biên bản được lập điện tử trên thiết bị của bưu tá; chữ ký, ảnh, vị trí và thời gian được lưu trữ trên hệ thống PostDesk.',
    { size: SIZE * 0.8, color: GREY },
  );
  return saveDocument(doc, {
    title: `${heading} ${d.dossierCode ?? ''}`.trim(),
    subject: heading,
    author: d.office.name,
    createdAt: d.serverAt,
  });
};
