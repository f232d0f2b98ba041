// The scan pipeline: bytes from the scanner, phone or upload in, a clean page out (1-bit for text, grey or
// colour JPEG where a photo or a seal matters), ready for assembleComponentPdf. Pure functions: no database,
// no files. sharp decodes and encodes; measuring, deskewing and thresholding happen on the raw pixels once.
import { appError, isAppError } from '@postdesk/shared';
import { PDFDocument } from 'pdf-lib';
import sharp, { type Metadata } from 'sharp';
import { estimateSkew } from './deskew';
import {
  type Box,
  histogram,
  linearTable,
  otsu,
  percentile,
  type Raster,
  toGrey,
  warp,
  warpInkG4,
} from './image-raster';
import { isEncryptedPdf, requireScanType, type ScanMime } from './image-sniff';

export const DEFAULT_MAX_PIXELS = 100_000_000;
/** A4 at 300 dpi, the resolution digitized copies are kept at. */
export const A4_PIXELS = { short: 2480, long: 3508 };
const A4_INCHES = { short: 8.27, long: 11.69 };
const MEASURE_WIDTH = 620;
const THUMBNAIL_WIDTH = 240;
const MAX_TIFF_PAGES = 500;
const JPEG_QUALITY = 60;

export type ScanInfo = { kind: 'image' | 'pdf'; mime: ScanMime; pages: number };

export type InspectScanOptions = {
  maxBytes: number;
  maxPixels?: number;
  /** What the upload claimed to be (its MIME type or file name), only to word the refusal. */
  declared?: string;
};

const toImageError = (err: unknown, page?: number) => {
  if (isAppError(err)) return err;
  const reason = err instanceof Error ? err.message : String(err);
  if (/pixel limit/i.test(reason)) return appError('IMAGE_TOO_LARGE', { page });
  return appError('IMAGE_INVALID', { page, reason: reason.split('\n')[0] });
};

/** Header-only look at an image (no pixel is decoded), refusing decompression bombs. */
const readHeader = async (bytes: Uint8Array, maxPixels: number) => {
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: maxPixels }).metadata();
  } catch (err) {
    throw toImageError(err);
  }
  const width = meta.width ?? 0;
  const height = meta.pageHeight ?? meta.height ?? 0;
  if (width <= 0 || height <= 0) throw appError('IMAGE_INVALID', { reason: 'no dimensions' });
  if (width * height > maxPixels) throw appError('IMAGE_TOO_LARGE', { width, height, maxPixels });
  return { meta, width, height, pages: meta.format === 'tiff' ? (meta.pages ?? 1) : 1 };
};

const loadPdf = async (bytes: Uint8Array) => {
  if (isEncryptedPdf(bytes)) throw appError('PDF_ENCRYPTED');
  try {
    const doc = await PDFDocument.load(bytes, { updateMetadata: false });
    if (doc.getPageCount() === 0) throw appError('PDF_INVALID', { reason: 'no pages' });
    return doc;
  } catch (err) {
    if (isAppError(err)) throw err;
    if (err instanceof Error && err.name === 'EncryptedPDFError') throw appError('PDF_ENCRYPTED');
    throw appError('PDF_INVALID', {
      reason: err instanceof Error ? err.message.split('\n')[0] : 'unreadable',
    });
  }
};

/**
 * What an upload is and how many pages it holds, refusing what the desk cannot digitize: too many bytes,
 * an unknown type, a pixel bomb (judged from the header, before anything is decoded), a damaged image (the
 * first page is decoded at reduced size with truncation treated as an error), an encrypted or broken PDF.
 */
export const inspectScan = async (bytes: Uint8Array, options: InspectScanOptions): Promise<ScanInfo> => {
  if (bytes.byteLength > options.maxBytes) {
    throw appError('FILE_TOO_LARGE', { size: bytes.byteLength, limit: options.maxBytes });
  }
  const mime = requireScanType(bytes, options.declared);
  if (mime === 'application/pdf') {
    const doc = await loadPdf(bytes);
    return { kind: 'pdf', mime, pages: doc.getPageCount() };
  }
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  const header = await readHeader(bytes, maxPixels);
  if (header.pages > MAX_TIFF_PAGES) throw appError('IMAGE_TOO_LARGE', { pages: header.pages });
  try {
    await sharp(bytes, { limitInputPixels: maxPixels, failOn: 'truncated' })
      .resize(64, 64, { fit: 'inside' })
      .raw()
      .toBuffer();
  } catch (err) {
    throw toImageError(err, 0);
  }
  return { kind: 'image', mime, pages: header.pages };
};

export type SplitScan = { kind: 'image'; pages: Uint8Array[] } | { kind: 'pdf'; pages: number };

/**
 * One image per page: a multi-page TIFF is cut into lossless single-page PNGs; a single image comes back
 * as it is; a PDF only reports its page count, since its pages are copied into the output untouched.
 */
export const splitScan = async (
  bytes: Uint8Array,
  options: { maxPixels?: number } = {},
): Promise<SplitScan> => {
  const mime = requireScanType(bytes);
  if (mime === 'application/pdf') return { kind: 'pdf', pages: (await loadPdf(bytes)).getPageCount() };
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  const header = await readHeader(bytes, maxPixels);
  if (header.pages <= 1) return { kind: 'image', pages: [bytes] };
  if (header.pages > MAX_TIFF_PAGES) throw appError('IMAGE_TOO_LARGE', { pages: header.pages });
  const pages: Uint8Array[] = [];
  for (let page = 0; page < header.pages; page += 1) {
    try {
      const png = await sharp(bytes, { page, limitInputPixels: maxPixels, failOn: 'truncated' })
        .png({ compressionLevel: 1 })
        .withDensity(header.meta.density ?? 300)
        .toBuffer();
      pages.push(new Uint8Array(png));
    } catch (err) {
      throw toImageError(err, page);
    }
  }
  return { kind: 'image', pages };
};

export type PageMode = 'bilevel' | 'grey' | 'colour';

export type ProcessPageOptions = {
  mode: 'auto' | PageMode;
  /** The clerk's turn, clockwise, after the camera's EXIF orientation has been applied. */
  rotate?: 0 | 90 | 180 | 270;
  /** Page of a multi-page TIFF, from 0. */
  page?: number;
  maxPixels?: number;
  /** Adds the CPU milliseconds of this process spent in each stage (for the benchmark's profile). */
  profile?: Record<string, number>;
};

/**
 * A page ready for the PDF. `bilevel`: CCITT G4 (T.6, K -1) data of the 1-bit page, ink as black.
 */
export type PageImage =
  | { kind: 'bilevel'; data: Uint8Array; width: number; height: number }
  | { kind: 'jpeg'; data: Uint8Array; width: number; height: number; grey: boolean };

export type ProcessedPage = {
  mode: PageMode;
  width: number;
  height: number;
  /** Pixels per inch of the output, so the page prints at its real size. */
  dpi: number;
  /** The skew found and corrected, clockwise degrees. */
  skewDegrees: number;
  /** What the auto mode looked at: share of strongly coloured pixels, share of the page in mid-tones. */
  measures: { colourShare: number; toneShare: number; threshold: number };
  image: PageImage;
  /** JPEG, 240 px wide, of the processed page. */
  thumbnail: Uint8Array;
};

/** A strongly coloured pixel: red seals, blue signatures, coloured letterheads; not yellowed paper. */
const COLOUR_CHROMA = 70;
/** Coloured share of the page above which it is kept in colour (a 4 cm seal is about 2 % of A4). */
const COLOUR_SHARE = 0.002;
/** Share of the page in photo-like mid-tone blocks above which it is kept in grey (an ID photo ≈ 2 %). */
const TONE_SHARE = 0.012;

const decode = async (bytes: Uint8Array, options: ProcessPageOptions, colour: boolean) => {
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  const header = await readHeader(bytes, maxPixels);
  const page = options.page ?? 0;
  if (page >= header.pages) throw appError('VALIDATION_FAILED', { field: 'page', pages: header.pages });
  const swapExif = (header.meta.orientation ?? 1) >= 5;
  const swapUser = options.rotate === 90 || options.rotate === 270;
  const [w, h] = swapExif !== swapUser ? [header.height, header.width] : [header.width, header.height];
  const box = h >= w ? [A4_PIXELS.short, A4_PIXELS.long] : [A4_PIXELS.long, A4_PIXELS.short];
  const isColour = colour && (header.meta.channels ?? 1) >= 3 && header.meta.space !== 'b-w';
  try {
    let image = sharp(bytes, { page, limitInputPixels: maxPixels, failOn: 'truncated' }).autoOrient();
    if (options.rotate) image = image.rotate(options.rotate);
    // Well above 300 dpi A4: shrink while decoding. A little above (a bed border) waits for the crop.
    if (w > box[0]! * 1.1 || h > box[1]! * 1.1) {
      image = image.resize({ width: box[0], height: box[1], fit: 'inside' });
    }
    if (header.meta.hasAlpha) image = image.flatten({ background: '#ffffff' });
    image = isColour ? image.toColourspace('srgb').removeAlpha() : image.greyscale();
    const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
    const raster: Raster = {
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      width: info.width,
      height: info.height,
      channels: info.channels === 3 ? 3 : 1,
    };
    // The scanner's resolution, scaled by any shrink; unknown or a camera's nominal 72 dpi → none.
    const density =
      header.meta.density && header.meta.density >= 100 ? header.meta.density * (info.width / w) : 0;
    return { raster, density, box: { width: box[0]!, height: box[1]! } };
  } catch (err) {
    throw toImageError(err, page);
  }
};

// About 75 dpi for measuring the page. libvips' linear resize of the raw raster measured 18 ms of CPU
// against 39 ms for a JS box filter on the same page, so it stays in libvips.
const measuringCopy = async (raster: Raster) => {
  const factor = Math.max(1, Math.round(raster.width / MEASURE_WIDTH));
  const width = Math.max(1, Math.floor(raster.width / factor));
  const height = Math.max(1, Math.floor(raster.height / factor));
  const resized = sharp(raster.data, { raw: raster }).resize(width, height, {
    fit: 'fill',
    kernel: 'linear',
  });
  // A one-band raw input comes back as sRGB unless told otherwise.
  const data = await (raster.channels === 1 ? resized.toColourspace('b-w') : resized).raw().toBuffer();
  return {
    data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    width,
    height,
    channels: raster.channels,
  };
};

/** The paper's grey level: the brightest well-populated peak of the histogram. */
const paperLevel = (hist: Float64Array) => {
  const split = otsu(hist);
  let mode = 255;
  let peak = -1;
  for (let v = split; v < 256; v += 1) {
    if (hist[v]! > peak) {
      peak = hist[v]!;
      mode = v;
    }
  }
  // Spread of the paper's noise: the upper half-width at half maximum, σ ≈ HWHM / 1.18.
  let upper = mode;
  while (upper < 255 && hist[upper + 1]! > peak / 2) upper += 1;
  return { level: mode, sigma: Math.max(1, (upper - mode + 0.5) / 1.18) };
};

/**
 * The paper inside the scanner bed: from the outside in, the first rows and columns that are mostly at the
 * paper's brightness. A page scanned edge to edge (white lid, phone photo cropped by the app) keeps it all.
 */
const findPaper = (grey: Raster, paper: number): Box => {
  const { width, height, data } = grey;
  const bright = Math.max(1, paper * 0.75);
  const rowShare = new Float64Array(height);
  const colPaper = new Int32Array(width);
  const colSeen = new Int32Array(width);
  for (let y = 0; y < height; y += 1) {
    let paperInRow = 0;
    let seenInRow = 0;
    for (let x = 0, p = y * width; x < width; x += 1, p += 1) {
      const v = data[p]!;
      // 0 marks the corners the deskew brought in from outside the scan: neither paper nor bed.
      if (v === 0) continue;
      const isPaper = v >= bright ? 1 : 0;
      seenInRow += 1;
      paperInRow += isPaper;
      colSeen[x]! += 1;
      colPaper[x]! += isPaper;
    }
    rowShare[y] = seenInRow > 0 ? paperInRow / seenInRow : 0;
  }
  const colShare = Float64Array.from(colPaper, (n, x) => (colSeen[x]! > 0 ? n / colSeen[x]! : 0));
  const first = (share: Float64Array) => share.findIndex((s) => s > 0.5);
  const last = (share: Float64Array) => share.length - 1 - [...share].reverse().findIndex((s) => s > 0.5);
  const top = first(rowShare);
  const left = first(colShare);
  if (top < 0 || left < 0) return { left: 0, top: 0, width, height };
  // Step one measuring pixel inside, past the shadow of the paper's edge.
  const inset = (start: number, end: number, size: number) =>
    start === 0 && end === size - 1 ? [start, end] : [Math.min(start + 1, end), Math.max(end - 1, start)];
  const [y0, y1] = inset(top, last(rowShare), height);
  const [x0, x1] = inset(left, last(colShare), width);
  const box = { left: x0!, top: y0!, width: x1! - x0! + 1, height: y1! - y0! + 1 };
  return box.width * box.height >= 0.4 * width * height ? box : { left: 0, top: 0, width, height };
};

/** Share of strongly coloured (and not dark) pixels within the paper. */
const colourShare = (rgb: Raster, box: Box) => {
  if (rgb.channels !== 3) return 0;
  let coloured = 0;
  for (let y = box.top; y < box.top + box.height; y += 1) {
    for (let x = box.left; x < box.left + box.width; x += 1) {
      const p = (y * rgb.width + x) * 3;
      const r = rgb.data[p]!;
      const g = rgb.data[p + 1]!;
      const b = rgb.data[p + 2]!;
      const max = Math.max(r, g, b);
      if (max > 80 && max - Math.min(r, g, b) > COLOUR_CHROMA) coloured += 1;
    }
  }
  return coloured / (box.width * box.height);
};

/**
 * Share of the paper covered by photo-like blocks (8×8 measuring pixels, about 2.7 mm): blocks mostly in
 * mid-tones after the contrast stretch whose four neighbours are too. A line of (even bold) text is one or
 * two blocks tall with paper above and below, so it never survives; a 3×4 cm ID photo is 11×15 blocks.
 */
const toneShare = (grey: Raster, box: Box, lut: Uint8Array) => {
  const cell = 8;
  const cols = Math.floor(box.width / cell);
  const rows = Math.floor(box.height / cell);
  if (cols < 3 || rows < 3) return 0;
  const tone = new Uint8Array(cols * rows);
  for (let j = 0; j < rows; j += 1) {
    for (let i = 0; i < cols; i += 1) {
      let mid = 0;
      for (let y = box.top + j * cell; y < box.top + (j + 1) * cell; y += 1) {
        const row = y * grey.width;
        for (let x = box.left + i * cell; x < box.left + (i + 1) * cell; x += 1) {
          const v = lut[grey.data[row + x]!]!;
          if (v >= 40 && v <= 215) mid += 1;
        }
      }
      tone[j * cols + i] = mid >= cell * cell * 0.75 ? 1 : 0;
    }
  }
  let kept = 0;
  for (let j = 1; j < rows - 1; j += 1) {
    for (let i = 1; i < cols - 1; i += 1) {
      const k = j * cols + i;
      if (tone[k] && tone[k - 1] && tone[k + 1] && tone[k - cols] && tone[k + cols]) kept += 1;
    }
  }
  return kept / (cols * rows);
};

const scaleBox = (box: Box, sx: number, sy: number, limit: { width: number; height: number }): Box => {
  const left = Math.max(0, Math.round(box.left * sx));
  const top = Math.max(0, Math.round(box.top * sy));
  return {
    left,
    top,
    width: Math.min(limit.width - left, Math.round(box.width * sx)),
    height: Math.min(limit.height - top, Math.round(box.height * sy)),
  };
};

// Huffman tables optimised per image save 5 % of a photo page's bytes for three times the encoding time
// (a noisy colour A4 page: 1.22 against 1.28 MB, 80 against 28 ms of CPU): not worth it at the desk.
const jpeg = async (raster: Raster, quality: number) =>
  new Uint8Array(
    await sharp(raster.data, { raw: raster })
      .toColourspace(raster.channels === 1 ? 'b-w' : 'srgb')
      .jpeg({ quality, optimiseCoding: false })
      .withDensity(300)
      .toBuffer(),
  );

/**
 * Cleans one scanned page: EXIF orientation and the clerk's turn, crop to the paper, deskew, contrast
 * stretch (a `linear(a, b)` from the paper's level and the ink's percentile, the cheap equivalent of
 * `normalise()`), then 1-bit by Otsu's threshold for text, or grey / colour JPEG for photos and seals.
 * The auto mode keeps colour when a seal or other strong colour covers ≥ 0.2 % of the paper, grey when
 * photo-like mid-tones cover ≥ 1.2 %, and goes 1-bit otherwise. Output is at most A4 at 300 dpi.
 */
export const processPage = async (bytes: Uint8Array, options: ProcessPageOptions): Promise<ProcessedPage> => {
  const cpu = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  };
  let mark = options.profile ? cpu() : 0;
  const lap = (stage: string) => {
    if (!options.profile) return;
    const now = cpu();
    options.profile[stage] = (options.profile[stage] ?? 0) + now - mark;
    mark = now;
  };
  const { raster, density, box } = await decode(
    bytes,
    options,
    options.mode === 'auto' || options.mode === 'colour',
  );
  const small = await measuringCopy(raster);
  const smallGrey = toGrey(small);
  lap('decode + measuring copy');
  const skewDegrees = estimateSkew(smallGrey.data, smallGrey.width, smallGrey.height);
  lap('measure + deskew angle');

  const smallHist = histogram(smallGrey.data);
  const smallPaper = paperLevel(smallHist);
  const whole = (r: { width: number; height: number }) => ({
    left: 0,
    top: 0,
    width: r.width,
    height: r.height,
  });
  // Corners turned in from outside the scan are 0, which findPaper leaves out of its counts.
  const straight = (r: Raster) =>
    warp(r, { skewDegrees, crop: whole(r), width: r.width, height: r.height, background: 0 });
  const straightGrey = straight(smallGrey);
  const paperBox = findPaper(straightGrey, smallPaper.level);

  const grey = toGrey(raster);
  // Every fourth row is plenty for the levels, at a quarter of the cost.
  const hist = histogram(grey.data, whole(grey), grey.width, 4);
  const threshold = otsu(hist);
  const paper = paperLevel(hist);
  const ink = Math.min(threshold - 1, percentile(hist, 0.005));
  const white = Math.max(ink + 32, paper.level - 1.5 * paper.sigma);
  const lut = linearTable(255 / (white - ink), (-255 * ink) / (white - ink));

  const measures = {
    colourShare: raster.channels === 3 ? colourShare(straight(small), paperBox) : 0,
    toneShare: toneShare(straightGrey, paperBox, lut),
    threshold,
  };
  const mode: PageMode =
    options.mode !== 'auto'
      ? options.mode === 'colour' && raster.channels === 1
        ? 'grey'
        : options.mode
      : measures.colourShare >= COLOUR_SHARE
        ? 'colour'
        : measures.toneShare >= TONE_SHARE
          ? 'grey'
          : 'bilevel';

  lap('crop + levels + mode');
  const crop = scaleBox(paperBox, raster.width / small.width, raster.height / small.height, raster);
  const fit = Math.min(1, box.width / crop.width, box.height / crop.height);
  const width = Math.round(crop.width * fit);
  const height = Math.round(crop.height * fit);
  const geometry = { skewDegrees, crop, width, height, background: paper.level };
  const image: PageImage =
    mode === 'bilevel'
      ? {
          kind: 'bilevel',
          data: warpInkG4(grey, geometry, threshold),
          width,
          height,
        }
      : {
          kind: 'jpeg',
          data: await jpeg(warp(mode === 'colour' ? raster : grey, { ...geometry, lut }), JPEG_QUALITY),
          width,
          height,
          grey: mode === 'grey',
        };

  lap(mode === 'bilevel' ? 'warp + 1-bit + G4' : 'warp + JPEG');
  const thumbHeight = Math.max(1, Math.round((THUMBNAIL_WIDTH * height) / width));
  const thumbSource = mode === 'colour' ? small : smallGrey;
  const thumbnail = await jpeg(
    warp(thumbSource, {
      skewDegrees,
      crop: paperBox,
      width: THUMBNAIL_WIDTH,
      height: thumbHeight,
      background: smallPaper.level,
      lut,
    }),
    70,
  );

  lap('thumbnail');
  const [short, long] = width <= height ? [width, height] : [height, width];
  const dpi = density > 0 ? density * fit : Math.max(short / A4_INCHES.short, long / A4_INCHES.long);
  return {
    mode,
    width,
    height,
    dpi: Math.round(dpi),
    skewDegrees,
    measures,
    image,
    thumbnail,
  };
};
