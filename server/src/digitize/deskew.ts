import { histogram, otsu, shrink } from './image-raster';

/** Width of the measuring copy: about 75 dpi for A4, a quarter of a 300 dpi scan. */
const MEASURE_WIDTH = 620;
const MAX_DEGREES = 5;

/**
 * Ink pixels of the binarised page, leaving out solid dark areas (photos, the scanner bed, black bars):
 * their straight edges would vote for the bed's angle rather than the text's.
 */
const inkPoints = (grey: Uint8Array, width: number, height: number) => {
  const threshold = otsu(histogram(grey));
  const cell = 8;
  const cols = Math.ceil(width / cell);
  const rows = Math.ceil(height / cell);
  const dense = new Uint8Array(cols * rows);
  const counts = new Uint16Array(cols * rows);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      if (grey[y * width + x]! < threshold) counts[((y / cell) | 0) * cols + ((x / cell) | 0)]! += 1;
    }
  }
  for (let i = 0; i < counts.length; i += 1) dense[i] = counts[i]! > cell * cell * 0.7 ? 1 : 0;
  let count = 0;
  for (let i = 0; i < counts.length; i += 1) if (!dense[i]) count += counts[i]!;
  const xs = new Float64Array(count);
  const ys = new Float64Array(count);
  let n = 0;
  for (let y = 0; y < height; y += 1) {
    const cellRow = ((y / cell) | 0) * cols;
    for (let x = 0; x < width; x += 1) {
      if (grey[y * width + x]! < threshold && !dense[cellRow + ((x / cell) | 0)]) {
        xs[n] = x - width / 2;
        ys[n] = y;
        n += 1;
      }
    }
  }
  return { xs, ys };
};

/**
 * Sharpness of the horizontal projection once the page is turned back by `degrees`: text lines collapse
 * into narrow, dense rows exactly at the right angle, so the sum of squared row-to-row differences peaks.
 */
const profileScore = (
  xs: Float64Array,
  ys: Float64Array,
  size: { width: number; height: number },
  degrees: number,
) => {
  const slope = Math.tan((degrees * Math.PI) / 180);
  const margin = Math.ceil((Math.abs(slope) * size.width) / 2) + 2;
  const bins = new Float64Array(size.height + 2 * margin);
  for (let i = 0; i < xs.length; i += 1) {
    const row = (ys[i]! - xs[i]! * slope + margin + 0.5) | 0;
    if (row >= 0 && row < bins.length) bins[row]! += 1;
  }
  let score = 0;
  for (let i = 1; i < bins.length; i += 1) score += (bins[i]! - bins[i - 1]!) ** 2;
  return score;
};

/**
 * The clockwise skew of a page in degrees (within ±5°; turn the page by the opposite angle to straighten
 * it), from horizontal projection profiles of a binarised copy at about 75 dpi: 0.5° steps first, then
 * 0.1° and 0.025° around the best, with a parabola through the last three scores. Returns 0 when there is
 * no text to measure (a blank page, a photo).
 */
export const estimateSkew = (grey: Uint8Array, width: number, height: number) => {
  const factor = Math.max(1, Math.round(width / MEASURE_WIDTH));
  const small = shrink({ data: grey, width, height, channels: 1 }, factor);
  const { xs, ys } = inkPoints(small.data, small.width, small.height);
  if (xs.length < 200) return 0;
  const score = (deg: number) => profileScore(xs, ys, small, deg);
  // Every fourth ink pixel is plenty to find the neighbourhood of the angle.
  const sparse = { xs: xs.filter((_, i) => i % 4 === 0), ys: ys.filter((_, i) => i % 4 === 0) };
  const coarseScore = (deg: number) => profileScore(sparse.xs, sparse.ys, small, deg);

  let best = 0;
  let bestScore = 0;
  const search = (from: number, to: number, step: number, measure = score) => {
    for (let deg = from; deg <= to + 1e-9; deg += step) {
      const s = measure(deg);
      if (s > bestScore) {
        bestScore = s;
        best = deg;
      }
    }
  };
  search(-MAX_DEGREES, MAX_DEGREES, 0.5, coarseScore);
  const coarse = best;
  search(coarse - 0.5, coarse + 0.5, 0.1, coarseScore);
  const medium = best;
  const zeroScore = score(0);
  bestScore = score(medium);
  const fine = 0.025;
  search(medium - 0.1, medium + 0.1, fine);
  const left = score(best - fine);
  const right = score(best + fine);
  const curvature = left - 2 * bestScore + right;
  const offset = curvature < 0 ? (0.5 * fine * (left - right)) / curvature : 0;
  const angle = best + Math.max(-fine, Math.min(fine, offset));
  // A profile barely sharper than at 0° means no text lines to go by: leave the page as it is.
  if (bestScore < zeroScore * 1.02) return 0;
  return Math.max(-MAX_DEGREES, Math.min(MAX_DEGREES, Math.round(angle * 100) / 100));
};
