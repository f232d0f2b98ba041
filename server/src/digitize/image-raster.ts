// Raster helpers for the scan pipeline, on raw 8-bit buffers in plain JS: the pixels are decoded once by
// sharp and every measurement and the final resampling happen here, which is cheaper than asking libvips
// for several passes over an A4 page at 300 dpi.

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
  const { width: sw, height: sh, channels, data } = src;
  const out = new Uint8Array(o.width * o.height * channels);
  const lut = o.lut ?? linearTable(1, 0);
  const theta = (o.skewDegrees * Math.PI) / 180;
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  const sx = o.crop.width / o.width;
  const sy = o.crop.height / o.height;
  const cx = (sw - 1) / 2;
  const cy = (sh - 1) / 2;
  const bg = lut[o.background]!;
  const stepX = cos * sx;
  const stepY = sin * sx;
  const maxX = sw - 1;
  const maxY = sh - 1;
  if (channels === 1) {
    warpGrey(src, out, o, { cos, sin, sx, sy, cx, cy, bg, lut });
    return { data: out, width: o.width, height: o.height, channels };
  }
  for (let v = 0; v < o.height; v += 1) {
    const dy = o.crop.top + (v + 0.5) * sy - 0.5 - cy;
    const dx0 = o.crop.left + 0.5 * sx - 0.5 - cx;
    let x = cx + cos * dx0 - sin * dy;
    let y = cy + sin * dx0 + cos * dy;
    let q = v * o.width * channels;
    for (let u = 0; u < o.width; u += 1, x += stepX, y += stepY) {
      if (x < 0 || y < 0 || x > maxX || y > maxY) {
        for (let c = 0; c < channels; c += 1) out[q++] = bg;
        continue;
      }
      const x0 = x | 0;
      const y0 = y | 0;
      const fx = x - x0;
      const fy = y - y0;
      const x1 = x0 < maxX ? 1 : 0;
      const y1 = y0 < maxY ? sw : 0;
      const p = (y0 * sw + x0) * channels;
      const px = x1 * channels;
      const py = y1 * channels;
      for (let c = 0; c < channels; c += 1) {
        const a = data[p + c]!;
        const b = data[p + px + c]!;
        const d = data[p + py + c]!;
        const e = data[p + py + px + c]!;
        const top = a + (b - a) * fx;
        const bottom = d + (e - d) * fx;
        out[q++] = lut[(top + (bottom - top) * fy + 0.5) | 0]!;
      }
    }
  }
  return { data: out, width: o.width, height: o.height, channels };
};

/** The one-band case of `warp` in 16.16 fixed point: most of the time of a page is spent here. */
const warpGrey = (
  src: Raster,
  out: Uint8Array,
  o: WarpOptions,
  k: {
    cos: number;
    sin: number;
    sx: number;
    sy: number;
    cx: number;
    cy: number;
    bg: number;
    lut: Uint8Array;
  },
) => {
  const { width: sw, height: sh, data } = src;
  const { lut, bg } = k;
  const ONE = 65536;
  const stepX = Math.round(k.cos * k.sx * ONE);
  const stepY = Math.round(k.sin * k.sx * ONE);
  const limitX = (sw - 1) * ONE;
  const limitY = (sh - 1) * ONE;
  for (let v = 0; v < o.height; v += 1) {
    const dy = o.crop.top + (v + 0.5) * k.sy - 0.5 - k.cy;
    const dx0 = o.crop.left + 0.5 * k.sx - 0.5 - k.cx;
    let x = Math.round((k.cx + k.cos * dx0 - k.sin * dy) * ONE);
    let y = Math.round((k.cy + k.sin * dx0 + k.cos * dy) * ONE);
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

/**
 * `warp` and the threshold in one pass for 1-bit pages, sampling the nearest source pixel: a threshold
 * leaves no grey for bilinear weights to smooth, and at 300 dpi the one-pixel steps of a turned stroke are
 * invisible (Leptonica deskews 1-bit pages by shears the same way). One byte per pixel, 255 = ink and
 * 0 = paper: what the CCITT G4 encoder wants (`encodeG4`), ink as fax black runs.
 */
export const warpInk = (src: Raster, o: Omit<WarpOptions, 'lut'>, threshold: number) => {
  const { width: sw, height: sh, data } = src;
  const theta = (o.skewDegrees * Math.PI) / 180;
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  const sx = o.crop.width / o.width;
  const sy = o.crop.height / o.height;
  const cx = (sw - 1) / 2;
  const cy = (sh - 1) / 2;
  const ONE = 65536;
  const HALF = 32768;
  const stepX = Math.round(cos * sx * ONE);
  const stepY = Math.round(sin * sx * ONE);
  const limitX = (sw - 0.5) * ONE;
  const limitY = (sh - 0.5) * ONE;
  const outside = o.background >= threshold ? 0 : 255;
  // A table instead of a comparison per pixel: ink (below the threshold) is 255.
  const ink = new Uint8Array(256);
  for (let v = 0; v < threshold && v < 256; v += 1) ink[v] = 255;
  const out = new Uint8Array(o.width * o.height);
  for (let v = 0; v < o.height; v += 1) {
    const dy = o.crop.top + (v + 0.5) * sy - 0.5 - cy;
    const dx0 = o.crop.left + 0.5 * sx - 0.5 - cx;
    // Offset by half a pixel so that truncation rounds to the nearest source pixel.
    let x = Math.round((cx + cos * dx0 - sin * dy) * ONE) + HALF;
    let y = Math.round((cy + sin * dx0 + cos * dy) * ONE) + HALF;
    let q = v * o.width;
    const end = q + o.width;
    for (; q < end; q += 1, x += stepX, y += stepY) {
      out[q] =
        x < 0 || y < 0 || x >= limitX || y >= limitY ? outside : ink[data[(y >> 16) * sw + (x >> 16)]!]!;
    }
  }
  return out;
};
