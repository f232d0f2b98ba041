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
  InkThumbnail,
  linearTable,
  otsu,
  percentile,
  type Raster,
  toGrey,
  warp,
  warpInkG4,
} from './image-raster';
import { isEncryptedPdf, requireScanType, type ScanMime } from './image-sniff';
import { evenLight, findPage, ID1_MM, type Quad, rectToQuad, warpPerspective } from './page-finder';
import { findRegions } from './regions';

export const DEFAULT_MAX_PIXELS = 100_000_000;
/** A4 at 300 dpi, the resolution digitized copies are kept at. */
export const A4_PIXELS = { short: 2480, long: 3508 };
const A4_INCHES = { short: 8.27, long: 11.69 };
const MEASURE_WIDTH = 620;
const THUMBNAIL_WIDTH = 240;
/** A multi-page TIFF: at most this many pages, and this many pixels in all (about 40 A4 pages at 300 dpi). */
const MAX_TIFF_PAGES = 200;
const MAX_TIFF_PIXELS = 350_000_000;
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

/**
 * A multi-page TIFF within its budgets, judged from each page's header before any is decoded: a few
 * kilobytes of compressed TIFF can hold hundreds of huge blank pages, each costing seconds of CPU.
 */
const checkTiffBudget = async (bytes: Uint8Array, pages: number, maxPixels: number) => {
  if (pages > MAX_TIFF_PAGES) throw appError('IMAGE_TOO_LARGE', { pages, limit: MAX_TIFF_PAGES });
  let total = 0;
  for (let page = 0; page < pages; page += 1) {
    let meta: Metadata;
    try {
      meta = await sharp(bytes, { page, limitInputPixels: maxPixels }).metadata();
    } catch (err) {
      throw toImageError(err, page);
    }
    const pixels = (meta.width ?? 0) * (meta.height ?? 0);
    if (pixels > maxPixels)
      throw appError('IMAGE_TOO_LARGE', { page, width: meta.width, height: meta.height });
    total += pixels;
    if (total > MAX_TIFF_PIXELS)
      throw appError('IMAGE_TOO_LARGE', { pages, totalPixels: total, limit: MAX_TIFF_PIXELS });
  }
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
  if (header.pages > 1) await checkTiffBudget(bytes, header.pages, maxPixels);
  try {
    await sharp(bytes, { limitInputPixels: maxPixels, failOn: 'warning' })
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
  await checkTiffBudget(bytes, header.pages, maxPixels);
  const pages: Uint8Array[] = [];
  for (let page = 0; page < header.pages; page += 1) {
    try {
      const png = await sharp(bytes, { page, limitInputPixels: maxPixels, failOn: 'warning' })
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

/** A photo, seal or signature kept as a small JPEG over the 1-bit layer, in the page's pixels. */
export type PageRegion = {
  kind: 'colour' | 'grey';
  left: number;
  top: number;
  width: number;
  height: number;
  data: Uint8Array;
};

/**
 * A page ready for the PDF. `bilevel`: CCITT G4 (T.6, K -1) data of the 1-bit page, ink as black, with the
 * regions drawn over it (mixed raster content); `jpeg`: the whole page as one image.
 */
export type PageImage =
  | { kind: 'bilevel'; data: Uint8Array; width: number; height: number; regions: PageRegion[] }
  | { kind: 'jpeg'; data: Uint8Array; width: number; height: number; grey: boolean };

/** Why the clerk should look at a page before signing it. */
export type ReviewReason = 'blank' | 'low_contrast' | 'cut_off';

export type ProcessedPage = {
  /** `colour` or `grey` when anything is kept in colour or grey (a region or the whole page). */
  mode: PageMode;
  width: number;
  height: number;
  /** Pixels per inch of the output, so the page prints at its real size. */
  dpi: number;
  /** The skew found and corrected, clockwise degrees. */
  skewDegrees: number;
  /** A photographed sheet or ID card found by its corners and its perspective undone. */
  found: 'a4' | 'sheet' | 'card' | null;
  /** What the auto mode looked at: share of the paper in colour and grey regions, the 1-bit threshold. */
  measures: { colourShare: number; toneShare: number; threshold: number };
  review: ReviewReason[];
  image: PageImage;
  /** JPEG, 240 px wide, of the final page (the 1-bit layer with its regions), what the clerk checks. */
  thumbnail: Uint8Array;
};

/** Regions covering more than this share of the paper: the whole page is kept as one JPEG instead. */
const WHOLE_PAGE_SHARE = 0.45;
const REGION_QUALITY = 70;

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
    let image = sharp(bytes, { page, limitInputPixels: maxPixels, failOn: 'warning' }).autoOrient();
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
  // 255 holds every pixel the scanner clipped (noise above white): a spike, not the paper's level.
  const top = hist[255]! > 2 * hist[254]! ? 255 : 256;
  for (let v = split; v < top; v += 1) {
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
 * Never crop ink away: every small dark group (a letter, a word, a line of a header; not the scanner bed,
 * which spans half the image) that touches the paper's box or lies within 4 % of it widens the box to hold
 * it whole. Ink touching the image's own edge means the scan itself cut something off: the page is flagged.
 */
const keepInk = (grey: Raster, box: Box, threshold: number) => {
  const { width, height, data } = grey;
  const label = new Uint8Array(width * height);
  const stack: number[] = [];
  const margin = { x: Math.round(width * 0.04), y: Math.round(height * 0.04) };
  const groups: { left: number; top: number; right: number; bottom: number; edge: boolean }[] = [];
  for (let start = 0; start < data.length; start += 1) {
    const v = data[start]!;
    if (label[start] || v === 0 || v >= threshold) continue;
    label[start] = 1;
    stack.push(start);
    const g = { left: width, top: height, right: -1, bottom: -1, edge: false };
    while (stack.length > 0) {
      const p = stack.pop()!;
      const x = p % width;
      const y = (p - x) / width;
      if (x < g.left) g.left = x;
      if (x > g.right) g.right = x;
      if (y < g.top) g.top = y;
      if (y > g.bottom) g.bottom = y;
      if (x === 0 || y === 0 || x === width - 1 || y === height - 1) g.edge = true;
      for (let dy = -1; dy <= 1; dy += 1) {
        const ny = y + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx += 1) {
          const nx = x + dx;
          if (nx < 0 || nx >= width) continue;
          const q = ny * width + nx;
          const w = data[q]!;
          if (!label[q] && w !== 0 && w < threshold) {
            label[q] = 1;
            stack.push(q);
          }
        }
      }
    }
    if (g.right - g.left < width / 2 && g.bottom - g.top < height / 2) groups.push(g);
  }
  let { left, top } = box;
  let right = box.left + box.width - 1;
  let bottom = box.top + box.height - 1;
  let cutOff = false;
  for (let changed = true; changed; ) {
    changed = false;
    for (const g of groups) {
      const near =
        g.right >= left - margin.x &&
        g.left <= right + margin.x &&
        g.bottom >= top - margin.y &&
        g.top <= bottom + margin.y;
      if (!near) continue;
      if (g.edge) cutOff = true;
      if (g.left < left || g.right > right || g.top < top || g.bottom > bottom) {
        left = Math.min(left, g.left);
        top = Math.min(top, g.top);
        right = Math.max(right, g.right);
        bottom = Math.max(bottom, g.bottom);
        changed = true;
      }
    }
  }
  return { box: { left, top, width: right - left + 1, height: bottom - top + 1 }, cutOff };
};

/**
 * A photographed sheet or card: its corners found on the measuring copy and the full image mapped back to
 * a rectangle, at 300 dpi when its shape says what it is (A4, or an ID-1 card at its real 85.6 × 54 mm).
 */
const straightenPhoto = (raster: Raster, small: Raster, smallGrey: Raster) => {
  const found = findPage(smallGrey);
  if (!found) return null;
  const fx = raster.width / small.width;
  const fy = raster.height / small.height;
  // Measuring pixel i covers full pixels [i·f, (i + 1)·f): edges scale as they are.
  const quad = found.quad.map((p) => ({ x: p.x * fx, y: p.y * fy })) as Quad;
  const [tl, tr, br, bl] = quad;
  const across = (Math.hypot(tr.x - tl.x, tr.y - tl.y) + Math.hypot(br.x - bl.x, br.y - bl.y)) / 2;
  const down = (Math.hypot(bl.x - tl.x, bl.y - tl.y) + Math.hypot(br.x - tr.x, br.y - tr.y)) / 2;
  const landscape = across > down;
  let long = Math.max(across, down);
  let ratio = found.ratio;
  let dpi = 0;
  if (found.kind === 'card') {
    ratio = ID1_MM.long / ID1_MM.short;
    long = Math.min(long, Math.round((ID1_MM.long / 25.4) * 300));
    dpi = long / (ID1_MM.long / 25.4);
  } else if (found.kind === 'a4') {
    ratio = A4_PIXELS.long / A4_PIXELS.short;
    long = Math.min(long, A4_PIXELS.long);
    dpi = long / A4_INCHES.long;
  } else {
    long = Math.min(long, A4_PIXELS.long);
  }
  const short = long / ratio;
  const width = Math.round(landscape ? long : short);
  const height = Math.round(landscape ? short : long);
  // The fitted edges lie where the desk turns into paper: half a millimetre inside them, no desk is left.
  const inset = Math.max(2, long * 0.002);
  const centre = { x: (tl.x + tr.x + br.x + bl.x) / 4, y: (tl.y + tr.y + br.y + bl.y) / 4 };
  const inside = quad.map((p) => {
    const d = Math.hypot(p.x - centre.x, p.y - centre.y);
    return {
      x: p.x + ((centre.x - p.x) * inset * Math.SQRT2) / d,
      y: p.y + ((centre.y - p.y) * inset * Math.SQRT2) / d,
    };
  }) as Quad;
  const corrected = warpPerspective(raster, rectToQuad(width, height, inside), width, height);
  return { raster: evenLight(corrected), kind: found.kind, dpi };
};

/**
 * Cleans one scanned page: EXIF orientation and the clerk's turn; on a photo, the sheet or ID card found by
 * its corners and its perspective undone; crop to the paper (never through ink), deskew, contrast stretch
 * (a `linear(a, b)` from the paper's level and the ink's percentile), then 1-bit by Otsu's threshold with
 * the photos, seals and signatures kept over it as small grey or colour JPEGs (mixed raster content). A page
 * mostly photo is kept whole as one JPEG; a forced mode is followed as it is. Output is at most A4 at 300 dpi.
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
  const decoded = await decode(bytes, options, options.mode === 'auto' || options.mode === 'colour');
  let { raster, density } = decoded;
  let small = await measuringCopy(raster);
  let smallGrey = toGrey(small);
  lap('decode + measuring copy');
  const photo = straightenPhoto(raster, small, smallGrey);
  if (photo) {
    raster = photo.raster;
    density = photo.dpi;
    small = await measuringCopy(raster);
    smallGrey = toGrey(small);
    lap('page corners + perspective');
  }
  const box = decoded.box;
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
  // Corners turned in from outside the scan are 0, which findPaper and keepInk leave out.
  const straight = (r: Raster) =>
    warp(r, { skewDegrees, crop: whole(r), width: r.width, height: r.height, background: 0 });
  const straightGrey = straight(smallGrey);

  const grey = toGrey(raster);
  // Every fourth row is plenty for the levels, at a quarter of the cost.
  const hist = histogram(grey.data, whole(grey), grey.width, 4);
  const threshold = otsu(hist);
  const paper = paperLevel(hist);
  const ink = Math.min(threshold - 1, percentile(hist, 0.005));
  const white = Math.max(ink + 32, paper.level - 1.5 * paper.sigma);
  const lut = linearTable(255 / (white - ink), (-255 * ink) / (white - ink));
  // Nothing darker than the paper's noise, even in the darkest 0.02 % (a few letters): a blank page, kept
  // white rather than thresholded into speckles, and flagged for the clerk.
  const blank = paper.level - percentile(hist, 0.0002) < Math.max(50, 5 * paper.sigma);
  const paperFound = photo ? whole(straightGrey) : findPaper(straightGrey, smallPaper.level);
  // On a blank page the threshold splits the paper's noise: there is no ink to keep, nor any region.
  const kept = blank
    ? { box: paperFound, cutOff: false }
    : keepInk(straightGrey, paperFound, otsu(smallHist));
  const paperBox = kept.box;

  const regions =
    options.mode === 'auto' && !blank
      ? findRegions(
          small.channels === 3 ? straight(small) : straightGrey,
          straightGrey,
          paperBox,
          smallPaper.level,
          lut,
        )
      : [];
  const paperArea = paperBox.width * paperBox.height;
  const shareOf = (kind: 'colour' | 'grey') =>
    regions.filter((r) => r.kind === kind).reduce((s, r) => s + r.box.width * r.box.height, 0) / paperArea;
  const measures = { colourShare: shareOf('colour'), toneShare: shareOf('grey'), threshold };
  // An ID card is kept whole in colour: its photo, emblem and security print are what make it one.
  const card = photo?.kind === 'card';
  const wholePage = card || measures.colourShare + measures.toneShare > WHOLE_PAGE_SHARE;
  const mode: PageMode =
    options.mode !== 'auto'
      ? options.mode === 'colour' && raster.channels === 1
        ? 'grey'
        : options.mode
      : measures.colourShare > 0 || (card && raster.channels === 3)
        ? 'colour'
        : measures.toneShare > 0
          ? 'grey'
          : 'bilevel';
  const asJpeg = options.mode === 'auto' ? wholePage : mode !== 'bilevel';

  lap('crop + levels + regions');
  const fx = raster.width / small.width;
  const fy = raster.height / small.height;
  const crop = scaleBox(paperBox, fx, fy, raster);
  const fit = Math.min(1, box.width / crop.width, box.height / crop.height);
  const width = Math.round(crop.width * fit);
  const height = Math.round(crop.height * fit);
  const geometry = { skewDegrees, crop, width, height, background: paper.level };
  const thumbHeight = Math.max(1, Math.round((THUMBNAIL_WIDTH * height) / width));
  let image: PageImage;
  let thumbnail: Uint8Array;
  if (asJpeg) {
    const data = await jpeg(warp(mode === 'colour' ? raster : grey, { ...geometry, lut }), JPEG_QUALITY);
    image = { kind: 'jpeg', data, width, height, grey: mode !== 'colour' };
    lap('warp + JPEG');
    thumbnail = new Uint8Array(
      await sharp(data)
        .resize(THUMBNAIL_WIDTH, thumbHeight, { fit: 'fill' })
        .jpeg({ quality: 70 })
        .toBuffer(),
    );
  } else {
    // Each region in the output's pixels, and the part of the straightened source it shows.
    const placed = regions
      .map((r) => {
        const left = Math.max(0, Math.floor((r.box.left - paperBox.left) * fx * fit));
        const top = Math.max(0, Math.floor((r.box.top - paperBox.top) * fy * fit));
        const right = Math.min(width, Math.ceil((r.box.left + r.box.width - paperBox.left) * fx * fit));
        const bottom = Math.min(height, Math.ceil((r.box.top + r.box.height - paperBox.top) * fy * fit));
        return { kind: r.kind, left, top, width: right - left, height: bottom - top };
      })
      .filter((r) => r.width > 0 && r.height > 0);
    const inkThumb = new InkThumbnail(width, height, THUMBNAIL_WIDTH, thumbHeight);
    const data = warpInkG4(grey, geometry, blank && placed.length === 0 ? 0 : threshold, {
      blank: placed,
      thumb: inkThumb,
    });
    lap('warp + 1-bit + G4');
    const layers: PageRegion[] = [];
    for (const r of placed) {
      const source = r.kind === 'colour' && raster.channels === 3 ? raster : grey;
      const part = warp(source, {
        skewDegrees,
        crop: {
          left: crop.left + r.left / fit,
          top: crop.top + r.top / fit,
          width: r.width / fit,
          height: r.height / fit,
        },
        width: r.width,
        height: r.height,
        background: paper.level,
        lut,
      });
      if (source.channels === 3) whitenPaper(part);
      layers.push({
        ...r,
        kind: source.channels === 3 ? 'colour' : 'grey',
        data: await jpeg(part, REGION_QUALITY),
      });
    }
    image = { kind: 'bilevel', data, width, height, regions: layers };
    lap('regions + JPEG');
    thumbnail = await composeThumbnail(
      inkThumb.pixels(),
      layers,
      width / THUMBNAIL_WIDTH,
      height / thumbHeight,
    );
  }
  lap('thumbnail');

  const review: ReviewReason[] = [];
  if (blank) review.push('blank');
  else if (white - ink < 90) review.push('low_contrast');
  if (kept.cutOff) review.push('cut_off');

  const [short, long] = width <= height ? [width, height] : [height, width];
  const dpi = density > 0 ? density * fit : Math.max(short / A4_INCHES.short, long / A4_INCHES.long);
  return {
    mode,
    width,
    height,
    dpi: Math.round(dpi),
    skewDegrees,
    found: photo?.kind ?? null,
    measures,
    review,
    image,
    thumbnail,
  };
};

/**
 * Around a seal or a signature the paper is only noise once stretched: light, colourless pixels become
 * white, so the region shows ink on clean paper (and its JPEG is smaller). Faint ink keeps its colour,
 * which is what tells it from paper.
 */
const whitenPaper = (rgb: Raster) => {
  const { data } = rgb;
  for (let p = 0; p < data.length; p += 3) {
    const r = data[p]!;
    const g = data[p + 1]!;
    const b = data[p + 2]!;
    const min = r < g ? (r < b ? r : b) : g < b ? g : b;
    const max = r > g ? (r > b ? r : b) : g > b ? g : b;
    if (min >= 200 && max - min < 16) {
      data[p] = 255;
      data[p + 1] = 255;
      data[p + 2] = 255;
    }
  }
};

/** The 1-bit layer's thumbnail with each region's own JPEG laid over it where the page shows it. */
const composeThumbnail = async (base: Raster, regions: PageRegion[], sx: number, sy: number) => {
  const layers = await Promise.all(
    regions.map(async (r) => {
      const left = Math.floor(r.left / sx);
      const top = Math.floor(r.top / sy);
      const width = Math.max(1, Math.min(base.width - left, Math.round(r.width / sx)));
      const height = Math.max(1, Math.min(base.height - top, Math.round(r.height / sy)));
      const input = await sharp(r.data)
        .resize(width, height, { fit: 'fill' })
        .toColourspace('srgb')
        .png()
        .toBuffer();
      return { input, left, top };
    }),
  );
  let image = sharp(base.data, { raw: base });
  image = layers.length > 0 ? image.toColourspace('srgb').composite(layers) : image.toColourspace('b-w');
  return new Uint8Array(await image.jpeg({ quality: 70 }).toBuffer());
};
