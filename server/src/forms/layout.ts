import { PDFDocument, type PDFImage, type PDFPage, type RGB, rgb } from 'pdf-lib';
import QRCode from 'qrcode';
import { embedFonts, type FontRole, type Fonts } from './fonts';
import type { FormApplicant, FormOffice } from './types';

export const A5: [number, number] = [419.53, 595.28];
export const A4: [number, number] = [595.28, 841.89];
export const A4_LANDSCAPE: [number, number] = [841.89, 595.28];

export const BLACK = rgb(0, 0, 0);
export const GREY = rgb(0.35, 0.35, 0.35);
const RULE = rgb(0.25, 0.25, 0.25);
const HEADER_FILL = rgb(0.92, 0.92, 0.92);

export type Align = 'left' | 'center' | 'right';
/** A piece of text in one weight; a paragraph is a list of runs wrapped together. */
export type Run = { text: string; bold?: boolean };
export type Rich = string | Run[];

// ---------------------------------------------------------------------------------------------------------
// Text: NFC, widths, wrapping

/**
 * pdf-lib does no mark positioning, so decomposed Vietnamese (base letter + combining accent) prints with the
 * accent beside the letter; NFC picks the precomposed glyphs. Control characters would print as boxes.
 */
export const nfc = (text: string): string => {
  let out = '';
  for (const ch of text.normalize('NFC')) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '\n') out += ch;
    else if (code === 9) out += ' ';
    else if (code >= 32 && code !== 127) out += ch;
  }
  return out;
};

// Widths at 1000 pt per font role; the same two font files are used for every document.
const widthCache: Record<FontRole, Map<string, number>> = { regular: new Map(), bold: new Map() };

export const textWidth = (fonts: Fonts, text: string, size: number, bold = false): number => {
  const role: FontRole = bold ? 'bold' : 'regular';
  const cache = widthCache[role];
  let w = cache.get(text);
  if (w === undefined) {
    w = fonts[role].widthOfTextAtSize(text, 1000);
    if (cache.size > 50_000) cache.clear();
    cache.set(text, w);
  }
  return (w * size) / 1000;
};

export const lineHeight = (size: number): number => size * 1.36;
/** Distance from the top of a line box to the baseline; leaves room for stacked accents such as "Ế". */
const ascent = (size: number): number => size * 1.04;

type Piece = { text: string; bold: boolean; width: number };
export type Line = { pieces: Piece[]; width: number };

const toRuns = (rich: Rich, bold = false): Run[] =>
  typeof rich === 'string' ? [{ text: rich, bold }] : rich;

/** Greedy word wrap by measured width; words longer than a line are split between characters. */
export const wrap = (fonts: Fonts, rich: Rich, size: number, maxWidth: number): Line[] => {
  const lines: Line[] = [];
  let line: Line = { pieces: [], width: 0 };
  let space: Piece | null = null;
  const append = (piece: Piece) => {
    const last = line.pieces.at(-1);
    if (last && last.bold === piece.bold) {
      last.text += piece.text;
      last.width += piece.width;
    } else line.pieces.push({ ...piece });
    line.width += piece.width;
  };
  const breakLine = () => {
    lines.push(line);
    line = { pieces: [], width: 0 };
    space = null;
  };
  const addWord = (word: string, bold: boolean) => {
    const w = textWidth(fonts, word, size, bold);
    const sw = space && line.pieces.length > 0 ? space.width : 0;
    if (line.width + sw + w <= maxWidth || (line.pieces.length === 0 && w <= maxWidth)) {
      if (sw && space) append(space);
      append({ text: word, bold, width: w });
      space = null;
      return;
    }
    if (w <= maxWidth) {
      breakLine();
      append({ text: word, bold, width: w });
      return;
    }
    // A word wider than the line (a long code or URL): fill the current line, then continue character-wise.
    if (sw && space) append(space);
    space = null;
    for (const ch of word) {
      const cw = textWidth(fonts, ch, size, bold);
      if (line.width + cw > maxWidth && line.pieces.length > 0) breakLine();
      append({ text: ch, bold, width: cw });
    }
  };
  for (const run of toRuns(rich)) {
    const bold = run.bold ?? false;
    const paragraphs = nfc(run.text).split('\n');
    paragraphs.forEach((para, pi) => {
      if (pi > 0) breakLine();
      for (const token of para.split(/(\s+)/)) {
        if (token === '') continue;
        if (/^\s+$/.test(token)) space = { text: ' ', bold, width: textWidth(fonts, ' ', size, bold) };
        else addWord(token, bold);
      }
    });
  }
  if (line.pieces.length > 0 || lines.length === 0) lines.push(line);
  return lines;
};

// ---------------------------------------------------------------------------------------------------------
// Frame: a flow of content down pages. A measuring frame draws nothing, so a form can be laid out once to
// find the font size at which it fits, then drawn for real.

export type Margins = { top: number; right: number; bottom: number; left: number };
export type Frame = {
  doc: PDFDocument;
  fonts: Fonts;
  pageSize: [number, number];
  margin: Margins;
  measuring: boolean;
  page: PDFPage | undefined;
  /** Top of the next line, in PDF points from the page bottom. */
  y: number;
  pages: number;
  /** Draws a running head on every page after the first (e.g. "Liên 1 (tiếp theo)"). */
  continuation?: (f: Frame) => void;
};

export const createFrame = (
  doc: PDFDocument,
  fonts: Fonts,
  pageSize: [number, number],
  margin: Margins,
  measuring = false,
): Frame => ({ doc, fonts, pageSize, margin, measuring, page: undefined, y: 0, pages: 0 });

export const addPage = (f: Frame): void => {
  f.pages += 1;
  f.page = f.measuring ? undefined : f.doc.addPage(f.pageSize);
  f.y = f.pageSize[1] - f.margin.top;
  if (f.pages > 1) f.continuation?.(f);
};

export const contentWidth = (f: Frame): number => f.pageSize[0] - f.margin.left - f.margin.right;
const pageTop = (f: Frame): number => f.pageSize[1] - f.margin.top;

/** Starts a new page when `height` does not fit below the cursor (unless the page is still empty). */
export const ensureSpace = (f: Frame, height: number): void => {
  if (f.pages === 0) addPage(f);
  if (f.y - height < f.margin.bottom && f.y < pageTop(f)) addPage(f);
};

export const gap = (f: Frame, height: number): void => {
  f.y -= height;
};

/** Draws one line whose top is at `top`; `width` is the box used for alignment. */
const drawLine = (
  f: Frame,
  line: Line,
  x: number,
  top: number,
  width: number,
  size: number,
  align: Align,
  color: RGB,
) => {
  if (f.measuring || !f.page) return;
  let cx = align === 'center' ? x + (width - line.width) / 2 : align === 'right' ? x + width - line.width : x;
  const y = top - ascent(size);
  for (const p of line.pieces) {
    f.page.drawText(p.text, { x: cx, y, size, font: p.bold ? f.fonts.bold : f.fonts.regular, color });
    cx += p.width;
  }
};

export type TextOptions = {
  size: number;
  x?: number;
  width?: number;
  align?: Align;
  bold?: boolean;
  color?: RGB;
  /** Drawn before the first line; following lines are indented past it (numbered and bulleted items). */
  bullet?: string;
  after?: number;
};

/** A paragraph in the flow: wraps, moves the cursor down and breaks pages between lines. */
export const paragraph = (f: Frame, rich: Rich, o: TextOptions): void => {
  const x = o.x ?? f.margin.left;
  const width = o.width ?? contentWidth(f) - (x - f.margin.left);
  const bulletWidth = o.bullet ? textWidth(f.fonts, `${o.bullet} `, o.size, o.bold) : 0;
  const lines = wrap(
    f.fonts,
    typeof rich === 'string' ? [{ text: rich, bold: o.bold }] : rich,
    o.size,
    width - bulletWidth,
  );
  const lh = lineHeight(o.size);
  lines.forEach((line, i) => {
    ensureSpace(f, lh);
    if (i === 0 && o.bullet) {
      const bullet = wrap(f.fonts, [{ text: o.bullet, bold: o.bold }], o.size, bulletWidth)[0]!;
      drawLine(f, bullet, x, f.y, bulletWidth, o.size, 'left', o.color ?? BLACK);
    }
    drawLine(f, line, x + bulletWidth, f.y, width - bulletWidth, o.size, o.align ?? 'left', o.color ?? BLACK);
    f.y -= lh;
  });
  f.y -= o.after ?? 0;
};

/** A wrapped text box at a fixed place (not in the flow); returns its height. */
export const textBox = (
  f: Frame,
  rich: Rich,
  o: { x: number; top: number; width: number; size: number; align?: Align; bold?: boolean; color?: RGB },
): number => {
  const lines = wrap(
    f.fonts,
    typeof rich === 'string' ? [{ text: rich, bold: o.bold }] : rich,
    o.size,
    o.width,
  );
  const lh = lineHeight(o.size);
  lines.forEach((line, i) => {
    drawLine(f, line, o.x, o.top - i * lh, o.width, o.size, o.align ?? 'left', o.color ?? BLACK);
  });
  return lines.length * lh;
};

export const hline = (f: Frame, x1: number, x2: number, y: number, thickness = 0.6): void => {
  if (f.measuring || !f.page) return;
  f.page.drawLine({ start: { x: x1, y }, end: { x: x2, y }, thickness, color: RULE });
};

/** The largest size (down to `min`) at which `text` fits on one line of `width`. */
export const fitOneLine = (
  f: Frame,
  text: string,
  width: number,
  size: number,
  min: number,
  bold = false,
): number => {
  let s = size;
  while (s > min && textWidth(f.fonts, nfc(text), s, bold) > width) s -= 0.25;
  return s;
};

// ---------------------------------------------------------------------------------------------------------
// Blocks side by side: header columns, signature blocks, the QR code

/** A block in a row; draws itself from `top` and returns the height it used (also when measuring). */
export type Block = { weight: number; draw: (x: number, top: number, width: number) => number };

export const row = (
  f: Frame,
  blocks: Block[],
  o: { x?: number; width?: number; gapX?: number } = {},
): void => {
  const x0 = o.x ?? f.margin.left;
  const total = o.width ?? contentWidth(f) - (x0 - f.margin.left);
  const gapX = o.gapX ?? 8;
  const weights = blocks.reduce((s, b) => s + b.weight, 0);
  const usable = total - gapX * (blocks.length - 1);
  const widths = blocks.map((b) => (usable * b.weight) / weights);
  // Measure first so the whole row moves to the next page together.
  const measuring = f.measuring;
  f.measuring = true;
  let x = x0;
  const heights = blocks.map((b, i) => {
    const h = b.draw(x, f.y, widths[i]!);
    x += widths[i]! + gapX;
    return h;
  });
  f.measuring = measuring;
  const height = Math.max(0, ...heights);
  ensureSpace(f, height);
  x = x0;
  blocks.forEach((b, i) => {
    b.draw(x, f.y, widths[i]!);
    x += widths[i]! + gapX;
  });
  f.y -= height;
};

/** Left: parent body and issuing unit; right: the national motto and the place and date, as in TT 01/2018. */
export const formHeader = (f: Frame, o: { office: FormOffice; size: number; date?: Date }): void => {
  const { office, size } = o;
  const upper = (s: string) => nfc(s).toLocaleUpperCase('vi');
  const left: Block = {
    weight: 42,
    draw: (x, top, width) => {
      let h = 0;
      if (office.parentName)
        h += textBox(f, upper(office.parentName), { x, top, width, size, align: 'center' });
      h += textBox(f, upper(office.name), { x, top: top - h, width, size, align: 'center', bold: true });
      const rule = Math.min(width * 0.4, 70);
      hline(f, x + (width - rule) / 2, x + (width + rule) / 2, top - h - 2.5);
      return h + 5;
    },
  };
  const right: Block = {
    weight: 58,
    draw: (x, top, width) => {
      const motto = 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM';
      const motto2 = 'Độc lập - Tự do - Hạnh phúc';
      const s = fitOneLine(f, motto, width, size, size * 0.75, true);
      let h = textBox(f, motto, { x, top, width, size: s, align: 'center', bold: true });
      h += textBox(f, motto2, { x, top: top - h, width, size, align: 'center', bold: true });
      const w2 = textWidth(f.fonts, nfc(motto2), size, true);
      hline(f, x + (width - w2) / 2, x + (width + w2) / 2, top - h - 2);
      h += 6;
      if (o.date) {
        const place = office.place ? `${office.place}, ngày` : 'Ngày';
        const text = `${place} ${formatLongDate(o.date)}`;
        h += textBox(f, text, { x, top: top - h, width, size: size * 0.95, align: 'center', color: GREY });
      }
      return h;
    },
  };
  row(f, [left, right], { gapX: 6 });
};

/** The centred title: form name in bold capitals, then optional lines below it. */
export const title = (f: Frame, text: string, size: number, after = 2): void => {
  paragraph(f, nfc(text).toLocaleUpperCase('vi'), { size, bold: true, align: 'center', after });
};

export type Signature = { title: string; hint?: string; name?: string; note?: string };

export const signatureBlock = (f: Frame, s: Signature, size: number, space = size * 5.5): Block => ({
  weight: 1,
  draw: (x, top, width) => {
    let h = 0;
    if (s.note) h += textBox(f, s.note, { x, top, width, size: size * 0.9, align: 'center', color: GREY });
    h += textBox(f, s.title, { x, top: top - h, width, size, align: 'center', bold: true });
    h += textBox(f, s.hint ?? '(Ký, ghi rõ họ tên)', {
      x,
      top: top - h,
      width,
      size: size * 0.85,
      align: 'center',
      color: GREY,
    });
    h += space;
    if (s.name) h += textBox(f, s.name, { x, top: top - h, width, size, align: 'center', bold: true });
    return h;
  },
});

/** A QR code with its caption below; the image is drawn at `side` points (≥ 1.9 cm scans from a phone). */
export const qrBlock = (
  f: Frame,
  image: PDFImage | undefined,
  side: number,
  caption: string,
  size: number,
): Block => ({
  weight: 1,
  draw: (x, top, width) => {
    const qx = x + (width - side) / 2;
    if (!f.measuring && f.page && image)
      f.page.drawImage(image, { x: qx, y: top - side, width: side, height: side });
    const h = side + 2;
    return h + textBox(f, caption, { x, top: top - h, width, size, align: 'center', color: GREY });
  },
});

export const embedQr = async (doc: PDFDocument, text: string): Promise<PDFImage> => {
  // 8 px per module keeps module edges crisp when a viewer scales the image; the 2-module white margin plus
  // the page's whitespace gives the quiet zone scanners need.
  const png = await QRCode.toBuffer(text, { type: 'png', errorCorrectionLevel: 'M', margin: 2, scale: 8 });
  return doc.embedPng(png);
};

// ---------------------------------------------------------------------------------------------------------
// Tables

export type Column = { header: string; weight: number; align?: Align };
export type TableOptions = {
  size: number;
  headerSize?: number;
  /** The "(1) (2) (3)…" row under the header that official books carry. */
  numbered?: boolean;
  padding?: number;
};

/** A bordered table with wrapped cells; rows never split, and the header repeats on every new page. */
export const table = (f: Frame, columns: Column[], rows: Rich[][], o: TableOptions): void => {
  const pad = o.padding ?? Math.max(1.5, o.size * 0.3);
  const headerSize = o.headerSize ?? o.size;
  const x0 = f.margin.left;
  const total = contentWidth(f);
  const weights = columns.reduce((s, c) => s + c.weight, 0);
  const widths = columns.map((c) => (total * c.weight) / weights);

  const layout = (cells: Rich[], size: number, bold: boolean) => {
    const wrapped = cells.map((c, i) =>
      wrap(f.fonts, typeof c === 'string' ? [{ text: c, bold }] : c, size, widths[i]! - 2 * pad),
    );
    const height = Math.max(...wrapped.map((l) => l.length)) * lineHeight(size) + 2 * pad;
    return { wrapped, height, size };
  };
  const drawRow = (r: ReturnType<typeof layout>, header: boolean) => {
    let x = x0;
    r.wrapped.forEach((lines, i) => {
      const w = widths[i]!;
      if (!f.measuring && f.page) {
        f.page.drawRectangle({
          x,
          y: f.y - r.height,
          width: w,
          height: r.height,
          borderColor: RULE,
          borderWidth: 0.5,
          ...(header ? { color: HEADER_FILL } : {}),
        });
      }
      const align = header ? 'center' : (columns[i]!.align ?? 'left');
      // Header cells are centred vertically as well, like the printed books.
      const offset = header ? (r.height - 2 * pad - lines.length * lineHeight(r.size)) / 2 : 0;
      lines.forEach((line, li) => {
        drawLine(
          f,
          line,
          x + pad,
          f.y - pad - offset - li * lineHeight(r.size),
          w - 2 * pad,
          r.size,
          align,
          BLACK,
        );
      });
      x += w;
    });
    f.y -= r.height;
  };

  const head = layout(
    columns.map((c) => c.header),
    headerSize,
    true,
  );
  const numbers = o.numbered
    ? layout(
        columns.map((_, i) => `(${i + 1})`),
        headerSize * 0.85,
        false,
      )
    : undefined;
  const drawHead = () => {
    drawRow(head, true);
    if (numbers) drawRow(numbers, true);
  };
  const headHeight = head.height + (numbers?.height ?? 0);
  const bodies = rows.map((cells) => layout(cells, o.size, false));
  ensureSpace(f, headHeight + (bodies[0]?.height ?? 0));
  drawHead();
  for (const body of bodies) {
    if (f.y - body.height < f.margin.bottom) {
      addPage(f);
      drawHead();
    }
    drawRow(body, false);
  }
};

// ---------------------------------------------------------------------------------------------------------
// Fitting a form to a page

/**
 * The largest base font size in [min, max] (steps of 0.25 pt) at which `draw` stays on one page per frame,
 * found on measuring frames. Returns `min` when even that overflows; the form then continues on more pages.
 */
export const fitSize = (
  doc: PDFDocument,
  fonts: Fonts,
  pageSize: [number, number],
  margin: Margins,
  draw: (f: Frame, size: number) => void,
  max: number,
  min: number,
): number => {
  const fits = (size: number) => {
    const f = createFrame(doc, fonts, pageSize, margin, true);
    addPage(f);
    draw(f, size);
    return f.pages === 1;
  };
  if (fits(max)) return max;
  let lo = 0; // in quarter points above min
  let hi = Math.round((max - min) * 4);
  if (!fits(min)) return min;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (fits(min + mid / 4)) lo = mid;
    else hi = mid;
  }
  return min + lo / 4;
};

// ---------------------------------------------------------------------------------------------------------
// Document

export const createDocument = async (): Promise<{ doc: PDFDocument; fonts: Fonts }> => {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const fonts = await embedFonts(doc);
  return { doc, fonts };
};

export type DocumentInfo = { title: string; subject: string; author: string; createdAt: Date };

export const saveDocument = async (doc: PDFDocument, info: DocumentInfo): Promise<Uint8Array> => {
  doc.setTitle(nfc(info.title), { showInWindowTitleBar: true });
  doc.setSubject(nfc(info.subject));
  doc.setAuthor(nfc(info.author));
  doc.setCreator('PostDesk');
  doc.setProducer('PostDesk');
  doc.setLanguage('vi-VN');
  doc.setCreationDate(info.createdAt);
  doc.setModificationDate(info.createdAt);
  return doc.save({ useObjectStreams: false });
};

// ---------------------------------------------------------------------------------------------------------
// Dates and money. Vietnam has had no daylight saving since 1975: Asia/Ho_Chi_Minh is UTC+7 all year, so the
// wall clock is the instant shifted by seven hours, read with getUTC* (never the machine's time zone).

const VN_OFFSET_MS = 7 * 3600 * 1000;
const two = (n: number) => String(n).padStart(2, '0');
const wall = (d: Date) => {
  const t = new Date(d.getTime() + VN_OFFSET_MS);
  return {
    day: two(t.getUTCDate()),
    month: two(t.getUTCMonth() + 1),
    year: String(t.getUTCFullYear()),
    hour: two(t.getUTCHours()),
    minute: two(t.getUTCMinutes()),
  };
};

/** dd/MM/yyyy */
export const formatDate = (d: Date): string => {
  const w = wall(d);
  return `${w.day}/${w.month}/${w.year}`;
};

/** dd/MM/yyyy HH:mm */
export const formatDateTimeShort = (d: Date): string => {
  const w = wall(d);
  return `${w.day}/${w.month}/${w.year} ${w.hour}:${w.minute}`;
};

/** "HH giờ mm phút, ngày dd/MM/yyyy", the wording of the official forms. */
export const formatDateTime = (d: Date): string => {
  const w = wall(d);
  return `${w.hour} giờ ${w.minute} phút, ngày ${w.day}/${w.month}/${w.year}`;
};

/** "dd tháng MM năm yyyy", for the place-and-date line under the motto. */
export const formatLongDate = (d: Date): string => {
  const w = wall(d);
  return `${w.day} tháng ${w.month} năm ${w.year}`;
};

/** A calendar date given as YYYY-MM-DD (no time zone involved) as dd/MM/yyyy. */
export const formatIsoDate = (iso: string): string => {
  const [y, m, d] = iso.slice(0, 10).split('-');
  return `${d}/${m}/${y}`;
};

/** 30000 → "30.000 đồng" */
export const formatMoney = (amount: number): string => {
  const rounded = Math.round(amount);
  const digits = String(Math.abs(rounded)).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${rounded < 0 ? '-' : ''}${digits} đồng`;
};

export const componentForm = (form: 'original' | 'copy' | 'original_or_certified_copy'): string =>
  form === 'original' ? 'Bản chính' : form === 'copy' ? 'Bản sao' : 'Bản chính hoặc bản sao chứng thực';

// ---------------------------------------------------------------------------------------------------------
// Lines the A5 forms share

const BLANK = '………………';

/** Applicant, contact and requested procedure, as the forms' body opens. */
export const applicantLines = (
  f: Frame,
  o: { applicant: FormApplicant; procedure: { code: string; name: string }; size: number; nameLabel: string },
): void => {
  const { applicant: a, size } = o;
  paragraph(f, [{ text: `${o.nameLabel}: ` }, { text: a.fullName, bold: true }], { size });
  if (a.citizenId) paragraph(f, `Số định danh cá nhân: ${a.citizenId}`, { size });
  paragraph(f, `Địa chỉ: ${a.address || BLANK}`, { size });
  row(
    f,
    [
      {
        weight: 42,
        draw: (x, top, width) => textBox(f, `Số điện thoại: ${a.phone || BLANK}`, { x, top, width, size }),
      },
      {
        weight: 58,
        draw: (x, top, width) => textBox(f, `Email: ${a.email || BLANK}`, { x, top, width, size }),
      },
    ],
    { gapX: 4 },
  );
  paragraph(
    f,
    [
      { text: 'Nội dung yêu cầu giải quyết: ' },
      { text: o.procedure.name, bold: true },
      { text: ` (Mã TTHC: ${o.procedure.code})` },
    ],
    { size },
  );
};

/** The receiving clerk's signature on the right, then the circular the form follows, in small grey type. */
export const closingSignature = (
  f: Frame,
  o: { title: string; name: string; form: string },
  size: number,
): void => {
  row(f, [{ weight: 1, draw: () => 0 }, signatureBlock(f, { title: o.title, name: o.name }, size * 0.95)]);
  paragraph(f, `Theo ${o.form} ban hành kèm theo Thông tư số 01/2018/TT-VPCP`, {
    size: size * 0.7,
    color: GREY,
  });
};

/**
 * A one-page A5 slip in the largest type that fits (from `max` down to `min`); if even `min` overflows, it
 * goes on over a page marked "(tiếp theo)" rather than dropping anything.
 */
export const renderA5Slip = async (o: {
  formTitle: string;
  draw: (f: Frame, size: number) => void;
  margin: Margins;
  max: number;
  min: number;
  info: DocumentInfo;
}): Promise<Uint8Array> => {
  const { doc, fonts } = await createDocument();
  const size = fitSize(doc, fonts, A5, o.margin, o.draw, o.max, o.min);
  const f = createFrame(doc, fonts, A5, o.margin);
  f.continuation = (next) =>
    paragraph(next, `${o.formTitle} (tiếp theo)`, { size: 7, color: GREY, after: 4 });
  addPage(f);
  o.draw(f, size);
  return saveDocument(doc, o.info);
};
