// Raster helpers for the scan pipeline, on raw 8-bit buffers in plain JS: the pixels are decoded once by
// sharp and every measurement and the final resampling happen here, which is cheaper than asking libvips
// for several passes over an A4 page at 300 dpi.

import { G4Encoder } from './ccitt';

export type Raster = { data: Uint8Array; width: number; height: number; channels: 1 | 3 };

export type Box = { left: number; top: number; width: number; height: number };

/** Luma of interleaved RGB (ITU-R BT.601 weights, as libvips uses for `b-w`). */
export const toGrey = (rgb: Raster): Raster => {
  if (rgb.channels === 1) return rgb;
  const n = rgb.width * rgb.height;
  const out = new Uint8Array(n);
  const src = rgb.data;
  for (let i = 0, p = 0; i < n; i += 1, p += 3) {
    out[i] = (src[p]! * 77 + src[p + 1]! * 150 + src[p + 2]! * 29) >> 8;
  }
  return { data: out, width: rgb.width, height: rgb.height, channels: 1 };
};

/** Box-filter reduction by an integer factor: a cheap, noise-averaging copy for measuring the page. */
export const shrink = (src: Raster, factor: number): Raster => {
  if (factor <= 1) return src;
  const { width, height, channels, data } = src;
  const w = Math.floor(width / factor);
  const h = Math.floor(height / factor);
  const out = new Uint8Array(w * h * channels);
  const span = w * factor * channels;
  const columns = new Uint32Array(span);
  const area = factor * factor;
  for (let y = 0; y < h; y += 1) {
    columns.fill(0);
    for (let dy = 0; dy < factor; dy += 1) {
      const row = (y * factor + dy) * width * channels;
      for (let i = 0; i < span; i += 1) columns[i]! += data[row + i]!;
    }
    let q = y * w * channels;
    for (let x = 0; x < w; x += 1) {
      const base = x * factor * channels;
      for (let c = 0; c < channels; c += 1) {
        let sum = 0;
        for (let k = 0; k < factor; k += 1) sum += columns[base + k * channels + c]!;
        out[q++] = (sum / area + 0.5) | 0;
      }
    }
  }
  return { data: out, width: w, height: h, channels };
};

/** Grey-level counts, of the whole image or of a box in it (with `rowStep` > 1, of every n-th row). */
export const histogram = (grey: Uint8Array, box?: Box, width = 0, rowStep = 1) => {
  if (!box) {
    const counts = new Uint32Array(256);
    for (let i = 0; i < grey.length; i += 1) counts[grey[i]!]! += 1;
    return Float64Array.from(counts);
  }
  const hist = new Float64Array(256);
  for (let y = box.top; y < box.top + box.height; y += rowStep) {
    const row = y * width;
    for (let x = box.left; x < box.left + box.width; x += 1) hist[grey[row + x]!]! += 1;
  }
  return hist;
};

/** The grey level below which `share` of the pixels lie. */
export const percentile = (hist: Float64Array, share: number) => {
  const total = hist.reduce((s, v) => s + v, 0);
  let seen = 0;
  for (let v = 0; v < 256; v += 1) {
    seen += hist[v]!;
    if (seen >= share * total) return v;
  }
  return 255;
};

/** Otsu's threshold: the level that best separates ink from paper (maximal between-class variance). */
export const otsu = (hist: Float64Array) => {
  let total = 0;
  let sum = 0;
  for (let v = 0; v < 256; v += 1) {
    total += hist[v]!;
    sum += v * hist[v]!;
  }
  let weightBelow = 0;
  let sumBelow = 0;
  let best = 0;
  let threshold = 128;
  for (let v = 0; v < 256; v += 1) {
    weightBelow += hist[v]!;
    if (weightBelow === 0) continue;
    const weightAbove = total - weightBelow;
    if (weightAbove === 0) break;
    sumBelow += v * hist[v]!;
    const meanBelow = sumBelow / weightBelow;
    const meanAbove = (sum - sumBelow) / weightAbove;
    const between = weightBelow * weightAbove * (meanBelow - meanAbove) ** 2;
    if (between > best) {
      best = between;
      threshold = v + 1;
    }
  }
  return threshold;
};

/** A 256-entry table for `linear(a, b)`: out = clamp(a·in + b). */
export const linearTable = (a: number, b: number) => {
  const lut = new Uint8Array(256);
  for (let v = 0; v < 256; v += 1) lut[v] = Math.max(0, Math.min(255, Math.round(a * v + b)));
  return lut;
};

export type WarpOptions = {
  /** The content's clockwise skew in degrees, undone by the warp. */
  skewDegrees: number;
  /** The part of the deskewed page to keep, in source pixels. */
  crop: Box;
  width: number;
  height: number;
  /** Source value used outside the image (the paper's level, so corners come out white). */
  background: number;
  lut?: Uint8Array;
};

/**
 * Deskew, crop and resample in one bilinear pass: output pixel (u, v) reads the source where the content
 * of the straightened page at (crop.left + u·sx, crop.top + v·sy) lies, the page turning about its centre.
 */
export const warp = (src: Raster, o: WarpOptions): Raster => {
  const k = warpConstants(src, o);
  const out = new Uint8Array(o.width * o.height * src.channels);
  if (src.channels === 1) warpGrey(src, out, o, k);
  else warpRgb(src, out, o, k);
  return { data: out, width: o.width, height: o.height, channels: src.channels };
};

type WarpConstants = {
  cos: number;
  sin: number;
  sx: number;
  sy: number;
  cx: number;
  cy: number;
  bg: number;
  lut: Uint8Array;
};

const warpConstants = (src: Raster, o: WarpOptions): WarpConstants => {
  const theta = (o.skewDegrees * Math.PI) / 180;
  const lut = o.lut ?? linearTable(1, 0);
  return {
    cos: Math.cos(theta),
    sin: Math.sin(theta),
    sx: o.crop.width / o.width,
    sy: o.crop.height / o.height,
    cx: (src.width - 1) / 2,
    cy: (src.height - 1) / 2,
    bg: lut[o.background]!,
    lut,
  };
};

/** Fixed-point (16.16) source position of the first pixel of output row v, and the step per pixel. */
const rowStart = (o: WarpOptions, k: WarpConstants, v: number) => {
  const ONE = 65536;
  const dy = o.crop.top + (v + 0.5) * k.sy - 0.5 - k.cy;
  const dx0 = o.crop.left + 0.5 * k.sx - 0.5 - k.cx;
  return {
    x: Math.round((k.cx + k.cos * dx0 - k.sin * dy) * ONE),
    y: Math.round((k.cy + k.sin * dx0 + k.cos * dy) * ONE),
    stepX: Math.round(k.cos * k.sx * ONE),
    stepY: Math.round(k.sin * k.sx * ONE),
  };
};

/** The one-band case of `warp` in 16.16 fixed point. */
const warpGrey = (src: Raster, out: Uint8Array, o: WarpOptions, k: WarpConstants) => {
  const { width: sw, height: sh, data } = src;
  const { lut, bg } = k;
  const limitX = (sw - 1) * 65536;
  const limitY = (sh - 1) * 65536;
  for (let v = 0; v < o.height; v += 1) {
    let { x, y, stepX, stepY } = rowStart(o, k, v);
    let q = v * o.width;
    const end = q + o.width;
    for (; q < end; q += 1, x += stepX, y += stepY) {
      if (x < 0 || y < 0 || x >= limitX || y >= limitY) {
        out[q] = bg;
        continue;
      }
      const p = (y >> 16) * sw + (x >> 16);
      const fx = (x >> 8) & 255;
      const fy = (y >> 8) & 255;
      const a = data[p]!;
      const b = data[p + 1]!;
      const c = data[p + sw]!;
      const d = data[p + sw + 1]!;
      const top = (a << 8) + (b - a) * fx;
      const bottom = (c << 8) + (d - c) * fx;
      out[q] = lut[((top << 8) + (bottom - top) * fy + 32768) >> 16]!;
    }
  }
};

/** The three-band (RGB) case of `warp`, the same arithmetic per band. */
const warpRgb = (src: Raster, out: Uint8Array, o: WarpOptions, k: WarpConstants) => {
  const { width: sw, height: sh, data } = src;
  const { lut, bg } = k;
  const limitX = (sw - 1) * 65536;
  const limitY = (sh - 1) * 65536;
  const row = sw * 3;
  for (let v = 0; v < o.height; v += 1) {
    let { x, y, stepX, stepY } = rowStart(o, k, v);
    let q = v * o.width * 3;
    const end = q + o.width * 3;
    for (; q < end; q += 3, x += stepX, y += stepY) {
      if (x < 0 || y < 0 || x >= limitX || y >= limitY) {
        out[q] = bg;
        out[q + 1] = bg;
        out[q + 2] = bg;
        continue;
      }
      const p = ((y >> 16) * sw + (x >> 16)) * 3;
      const fx = (x >> 8) & 255;
      const fy = (y >> 8) & 255;
      // The three bands written out, which V8 runs faster than a loop over them.
      const r0 = data[p]!;
      const r1 = data[p + 3]!;
      const r2 = data[p + row]!;
      const r3 = data[p + row + 3]!;
      const rt = (r0 << 8) + (r1 - r0) * fx;
      const rb = (r2 << 8) + (r3 - r2) * fx;
      out[q] = lut[((rt << 8) + (rb - rt) * fy + 32768) >> 16]!;
      const g0 = data[p + 1]!;
      const g1 = data[p + 4]!;
      const g2 = data[p + row + 1]!;
      const g3 = data[p + row + 4]!;
      const gt = (g0 << 8) + (g1 - g0) * fx;
      const gb = (g2 << 8) + (g3 - g2) * fx;
      out[q + 1] = lut[((gt << 8) + (gb - gt) * fy + 32768) >> 16]!;
      const b0 = data[p + 2]!;
      const b1 = data[p + 5]!;
      const b2 = data[p + row + 2]!;
      const b3 = data[p + row + 5]!;
      const bt = (b0 << 8) + (b1 - b0) * fx;
      const bb = (b2 << 8) + (b3 - b2) * fx;
      out[q + 2] = lut[((bt << 8) + (bb - bt) * fy + 32768) >> 16]!;
    }
  }
};

/**
 * `warp` and the threshold in one pass for 1-bit pages, straight into the CCITT G4 coder: the nearest source
 * pixel is sampled (a threshold leaves no grey for bilinear weights to smooth, and at 300 dpi the one-pixel
 * steps of a turned stroke are invisible; Leptonica deskews 1-bit pages by shears the same way), and each row
 * goes to the coder as the positions where ink starts and stops. A row of a page turned by a few degrees reads
 * long stretches of one source row: those stretches are found first, so the inner loop is a load, a shift and
 * a comparison per pixel. Returns the G4 data (ink black).
 */
export const warpInkG4 = (
  src: Raster,
  o: Omit<WarpOptions, 'lut'>,
  threshold: number,
  extra: { blank?: Box[]; thumb?: InkThumbnail } = {},
) => {
  const { width: sw, height: sh, data } = src;
  const k = warpConstants(src, o);
  const ONE = 65536;
  const HALF = 32768;
  const { stepX, stepY } = rowStart(o, k, 0);
  const limitX = (sw - 0.5) * ONE;
  const limitY = (sh - 0.5) * ONE;
  const outsideInk = o.background < threshold;
  const width = o.width;
  const encoder = new G4Encoder(width, o.height);
  const changes = new Int32Array(width + 1);
  for (let v = 0; v < o.height; v += 1) {
    const start = rowStart(o, k, v);
    // Offset by half a pixel so that truncation rounds to the nearest source pixel.
    const x0 = start.x + HALF;
    const y0 = start.y + HALF;
    const inside = (u: number) => {
      const x = x0 + u * stepX;
      const y = y0 + u * stepY;
      return x >= 0 && y >= 0 && x < limitX && y < limitY;
    };
    // The pixels that read the source: one stretch [lo, hi), since both coordinates move linearly.
    const [lo, hi] = insideSpan(inside, width, x0, y0, stepX, stepY, limitX, limitY);
    let n = 0;
    let black = false;
    if (outsideInk && (lo > 0 || hi === lo)) {
      changes[n++] = 0;
      black = true;
    }
    let u = lo;
    let x = x0 + u * stepX;
    while (u < hi) {
      // A stretch of pixels reading one source row: up to where y crosses into the next row (or the previous
      // one), ⌈distance / step⌉ — exact in doubles for these magnitudes, which the unit test holds to.
      const row = (y0 + u * stepY) >> 16;
      const cross = stepY > 0 ? (row + 1) * ONE : row * ONE - 1;
      const end = stepY === 0 ? hi : Math.min(hi, Math.max(u + 1, Math.ceil((cross - y0) / stepY)));
      const base = row * sw;
      // Two tight loops, one per colour, each looking for the pixel where the colour turns.
      while (u < end) {
        if (black) {
          while (u < end && data[base + (x >> 16)]! < threshold) {
            u += 1;
            x += stepX;
          }
        } else {
          while (u < end && data[base + (x >> 16)]! >= threshold) {
            u += 1;
            x += stepX;
          }
        }
        if (u < end) {
          changes[n++] = u;
          black = !black;
        }
      }
    }
    if (outsideInk !== black && hi < width && hi > lo) {
      changes[n++] = hi;
      black = !black;
    }
    if (extra.blank) n = blankSpans(changes, n, width, v, extra.blank);
    extra.thumb?.row(v, changes, n);
    encoder.row(changes, n);
  }
  return encoder.finish();
};

/** The pixels u in [0, width) of a row whose source position lies inside the image, as [lo, hi). */
const insideSpan = (
  inside: (u: number) => boolean,
  width: number,
  x0: number,
  y0: number,
  stepX: number,
  stepY: number,
  limitX: number,
  limitY: number,
): [number, number] => {
  let lo = 0;
  let hi = width;
  // Each coordinate c0 + u·step must lie in [0, limit): an interval of u, widened by one and trimmed below.
  for (const [c0, step, limit] of [
    [x0, stepX, limitX],
    [y0, stepY, limitY],
  ] as const) {
    if (step === 0) {
      if (c0 < 0 || c0 >= limit) return [0, 0];
      continue;
    }
    const a = -c0 / step;
    const b = (limit - c0) / step;
    lo = Math.max(lo, Math.floor(Math.min(a, b)) - 1);
    hi = Math.min(hi, Math.ceil(Math.max(a, b)) + 1);
  }
  lo = Math.max(0, lo);
  hi = Math.min(width, hi);
  while (lo < hi && !inside(lo)) lo += 1;
  while (hi > lo && !inside(hi - 1)) hi -= 1;
  return lo < hi ? [lo, hi] : [0, 0];
};

/**
 * Row v's colour changes with the boxes covering it turned white (the regions kept in colour or grey over
 * the 1-bit layer: a photo thresholded to 1-bit under them would only cost bytes). Returns the new count.
 */
export const blankSpans = (changes: Int32Array, n: number, width: number, v: number, boxes: Box[]) => {
  const spans = boxes.filter((b) => v >= b.top && v < b.top + b.height);
  if (spans.length === 0) return n;
  // Ink runs [changes[2i], changes[2i + 1]), the last one open to the row's end.
  const runs: number[] = [];
  for (let i = 0; i < n; i += 2) {
    let from = changes[i]!;
    const to = i + 1 < n ? changes[i + 1]! : width;
    for (const b of spans.sort((a, c) => a.left - c.left)) {
      const bl = Math.max(0, b.left);
      const br = Math.min(width, b.left + b.width);
      if (br <= from || bl >= to) continue;
      if (bl > from) runs.push(from, bl);
      from = Math.max(from, br);
    }
    if (from < to) runs.push(from, to);
  }
  let m = 0;
  for (let i = 0; i < runs.length; i += 2) {
    // Adjacent runs (split by an empty box) join again, so the changes stay strictly increasing.
    if (m > 0 && changes[m - 1] === runs[i]) {
      changes[m - 1] = runs[i + 1]!;
      continue;
    }
    changes[m++] = runs[i]!;
    changes[m++] = runs[i + 1]!;
  }
  if (m > 0 && changes[m - 1] === width) m -= 1;
  return m;
};

/**
 * A grey thumbnail of a 1-bit page made while it is coded: each ink run adds its covered area to the
 * thumbnail pixels it spans, so the thumbnail shows exactly the page that is signed.
 */
export class InkThumbnail {
  readonly ink: Float64Array;
  constructor(
    readonly pageWidth: number,
    readonly pageHeight: number,
    readonly width: number,
    readonly height: number,
  ) {
    this.ink = new Float64Array(width * height);
  }

  row(v: number, changes: Int32Array, n: number) {
    const ty = Math.min(this.height - 1, Math.floor((v * this.height) / this.pageHeight));
    const base = ty * this.width;
    const scale = this.width / this.pageWidth;
    for (let i = 0; i < n; i += 2) {
      const from = changes[i]!;
      const to = i + 1 < n ? changes[i + 1]! : this.pageWidth;
      const last = Math.min(this.width - 1, Math.floor((to - 1) * scale));
      for (let tx = Math.floor(from * scale); tx <= last; tx += 1) {
        const covered = Math.min(to, (tx + 1) / scale) - Math.max(from, tx / scale);
        if (covered > 0) this.ink[base + tx]! += covered;
      }
    }
  }

  /** The thumbnail as one-band pixels, white paper and black ink. */
  pixels(): Raster {
    const area = (this.pageWidth / this.width) * (this.pageHeight / this.height);
    const data = Uint8Array.from(this.ink, (ink) => Math.max(0, Math.round(255 * (1 - ink / area))));
    return { data, width: this.width, height: this.height, channels: 1 };
  }
}
