import { INDICATORS } from '@postdesk/shared';
import { PDFDocument, type PDFPage, rgb } from 'pdf-lib';
import { embedFonts, type Fonts } from '../forms/fonts';
import { A4_LANDSCAPE } from '../forms/layout';
import type { CourierFigures, summarize } from './service';
import { indicatorLabel } from './tables';

type Summary = ReturnType<typeof summarize>;

const fmt = (v: number | null, suffix = '') =>
  v === null ? 'N/A' : `${v.toFixed(2).replace('.', ',')}${suffix}`;
const GREY = rgb(0.4, 0.4, 0.4);
const LINE = rgb(0.75, 0.75, 0.75);
const BAND = rgb(0.94, 0.95, 0.97);

/** The monthly report (A4 landscape): ranking of units with every indicator, points, postal and courier figures. */
export const renderMonthlyReport = async (opts: {
  summary: Summary;
  courier: CourierFigures;
  scopeName: string;
  generatedAt: Date;
}): Promise<Uint8Array> => {
  const { summary, courier } = opts;
  const doc = await PDFDocument.create();
  doc.setTitle(`Báo cáo chỉ số phục vụ tháng ${summary.month}`);
  doc.setAuthor('PostDesk');
  doc.setCreationDate(opts.generatedAt);
  doc.setModificationDate(opts.generatedAt);
  const fonts: Fonts = await embedFonts(doc);
  const [W, H] = A4_LANDSCAPE;
  const M = 36;
  let page: PDFPage = doc.addPage(A4_LANDSCAPE);
  let y = H - M;
  const text = (s: string, x: number, size = 9, bold = false, color = rgb(0, 0, 0)) =>
    page.drawText(s.normalize('NFC'), { x, y, size, font: bold ? fonts.bold : fonts.regular, color });
  const fit = (s: string, width: number, size: number) => {
    let out = s.normalize('NFC');
    while (out.length > 1 && fonts.regular.widthOfTextAtSize(out, size) > width) out = `${out.slice(0, -2)}…`;
    return out;
  };

  text('BÁO CÁO CHỈ SỐ CHẤT LƯỢNG PHỤC VỤ (Quyết định 766/QĐ-TTg)', M, 14, true);
  y -= 18;
  text(
    `Tháng ${summary.month.slice(5)}/${summary.month.slice(0, 4)} · ${opts.scopeName} · quy tắc ${summary.rulesVersion}`,
    M,
    10,
    false,
    GREY,
  );
  y -= 14;
  const at = new Date(opts.generatedAt.getTime() + 7 * 3_600_000)
    .toISOString()
    .slice(0, 16)
    .replace('T', ' ');
  text(
    `Lập lúc ${at} (giờ Việt Nam) từ nhật ký sự kiện hồ sơ. N/A: không có hồ sơ ở mẫu số.`,
    M,
    8,
    false,
    GREY,
  );
  y -= 22;

  const cols = [
    { label: 'Hạng', w: 34 },
    { label: 'Đơn vị', w: 168 },
    ...INDICATORS.map((k) => ({ label: indicatorLabel(k), w: 68 })),
    { label: 'Điểm', w: 52 },
    { label: '% điểm', w: 52 },
  ];
  const header = () => {
    page.drawRectangle({ x: M, y: y - 6, width: W - 2 * M, height: 28, color: BAND });
    let x = M + 3;
    for (const c of cols) {
      const words = c.label.split(' ');
      const half = Math.ceil(words.length / 2);
      const [l1, l2] =
        words.length > 2 ? [words.slice(0, half).join(' '), words.slice(half).join(' ')] : [c.label, ''];
      page.drawText(l1.normalize('NFC'), { x, y: y + 10, size: 7.5, font: fonts.bold });
      if (l2) page.drawText(l2.normalize('NFC'), { x, y: y + 1, size: 7.5, font: fonts.bold });
      x += c.w;
    }
    y -= 22;
  };
  header();
  for (const g of summary.groups) {
    if (y < M + 80) {
      page = doc.addPage(A4_LANDSCAPE);
      y = H - M;
      header();
    }
    let x = M + 3;
    const cells = [
      g.rank === null ? '–' : String(g.rank),
      fit(g.name, cols[1]!.w - 6, 8),
      ...INDICATORS.map((k) => fmt(g.indicators[k].rate, '%')),
      `${fmt(g.totalPoints)}/${g.attainablePoints}`,
      fmt(g.score),
    ];
    cells.forEach((cell, i) => {
      page.drawText(cell, { x, y, size: 8, font: i === 0 ? fonts.bold : fonts.regular });
      x += cols[i]!.w;
    });
    y -= 11;
    x = M + 3 + cols[0]!.w + cols[1]!.w;
    for (const k of INDICATORS) {
      const r = g.indicators[k];
      page.drawText(`${r.numerator}/${r.denominator} · ${fmt(r.points)}đ`, {
        x,
        y,
        size: 6.5,
        font: fonts.regular,
        color: GREY,
      });
      x += 68;
    }
    y -= 6;
    page.drawLine({ start: { x: M, y }, end: { x: W - M, y }, thickness: 0.4, color: LINE });
    y -= 12;
  }
  if (summary.groups.length === 0) {
    text('Không có hồ sơ nào trong kỳ.', M, 9, false, GREY);
    y -= 14;
  }

  y -= 10;
  if (y < M + 120) {
    page = doc.addPage(A4_LANDSCAPE);
    y = H - M;
  }
  text('Kênh bưu chính và bưu tá', M, 11, true);
  y -= 15;
  text(
    `Hồ sơ qua dịch vụ bưu chính công ích (KenhThucHien = 3): ${summary.postal.postal}/${summary.postal.received} = ${fmt(summary.postal.rate, '%')}`,
    M,
    9,
  );
  y -= 13;
  text(
    `Phát thành công lần đầu: ${courier.firstAttempt}/${courier.deliveries} = ${fmt(courier.firstAttemptRate, '%')} · Đạt chỉ tiêu J+n: ${courier.levelMet}/${courier.withLevel} = ${fmt(courier.levelRate, '%')} · Lần phát không thành công: ${courier.failedAttempts}`,
    M,
    9,
  );
  y -= 13;
  if (courier.reasons.length > 0) {
    text(`Lý do: ${courier.reasons.map((r) => `${r.reason} (${r.count})`).join('; ')}`, M, 9);
    y -= 13;
  }
  y -= 8;
  text('Điều gì nâng điểm', M, 11, true);
  y -= 15;
  const moves = summary.moves.slice(0, 12);
  if (moves.length === 0) {
    text('Mọi chỉ số có dữ liệu đều đạt điểm tối đa.', M, 9, false, GREY);
  }
  for (const m of moves) {
    if (y < M) {
      page = doc.addPage(A4_LANDSCAPE);
      y = H - M;
    }
    // Noto Sans has no arrow glyph: "→ 13.33 điểm" reads "thì đạt 13.33 điểm".
    const advice = m.text.vi.replaceAll(' → ', ' thì đạt ');
    text(fit(`• ${m.name} — ${indicatorLabel(m.indicator)}: ${advice}`, W - 2 * M, 9), M, 9);
    y -= 12;
  }
  return doc.save({ useObjectStreams: false });
};
