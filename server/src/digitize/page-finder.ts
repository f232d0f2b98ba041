// Page finding on a phone photo: the sheet (or an ID card) lying on a darker desk, seen at an angle. Its four
// corners are found on the measuring copy (the largest bright region, each side fitted as a straight line
// through sub-pixel edge points), and the full-resolution image is mapped back to a rectangle by the
// homography between the two. A sheet lying straight on a scanner bed (a rotated rectangle) is left to the
// text deskew, which is more precise for it.
import { otsu, histogram, type Raster } from './image-raster';

export type Point = { x: number; y: number };
/** Corners clockwise from the top left. */
export type Quad = [Point, Point, Point, Point];

/** ISO/IEC 7810 ID-1 (citizen ID cards, bank cards): 85.60 × 53.98 mm. */
export const ID1_MM = { long: 85.6, short: 53.98 };
const ID1_RATIO = ID1_MM.long / ID1_MM.short;
const A4_RATIO = 297 / 210;

export type FoundPage = {
  /** Corners in the measuring copy's pixels. */
  quad: Quad;
  kind: 'card' | 'a4' | 'sheet';
  /** Long side over short side of the rectified page. */
  ratio: number;
};

/** The largest 4-connected region of `mask`, as a label image (1 inside) with its pixel count. */
const largestRegion = (mask: Uint8Array, width: number, height: number) => {
  const label = new Int32Array(width * height);
  const stack = new Int32Array(width * height);
  let best = 0;
  let bestSize = 0;
  let next = 0;
  for (let start = 0; start < mask.length; start += 1) {
    if (!mask[start] || label[start]) continue;
    next += 1;
    let size = 0;
    let top = 0;
    stack[top++] = start;
    label[start] = next;
    while (top > 0) {
      const p = stack[--top]!;
      size += 1;
      const x = p % width;
      if (x > 0 && mask[p - 1] && !label[p - 1]) {
        label[p - 1] = next;
        stack[top++] = p - 1;
      }
      if (x < width - 1 && mask[p + 1] && !label[p + 1]) {
        label[p + 1] = next;
        stack[top++] = p + 1;
      }
      if (p >= width && mask[p - width] && !label[p - width]) {
        label[p - width] = next;
        stack[top++] = p - width;
      }
      if (p < mask.length - width && mask[p + width] && !label[p + width]) {
        label[p + width] = next;
        stack[top++] = p + width;
      }
    }
    if (size > bestSize) {
      bestSize = size;
      best = next;
    }
  }
  const region = new Uint8Array(width * height);
  for (let i = 0; i < region.length; i += 1) region[i] = label[i] === best ? 1 : 0;
  return { region, size: bestSize };
};

/** A line a·x + b·y = c (a² + b² = 1) fitted through points by total least squares. */
const fitLine = (points: Point[]) => {
  const n = points.length;
  let mx = 0;
  let my = 0;
  for (const p of points) {
    mx += p.x / n;
    my += p.y / n;
  }
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const p of points) {
    sxx += (p.x - mx) ** 2;
    sxy += (p.x - mx) * (p.y - my);
    syy += (p.y - my) ** 2;
  }
  // The normal is the eigenvector of the smaller eigenvalue of the scatter matrix.
  const theta = 0.5 * Math.atan2(2 * sxy, sxx - syy);
  const a = -Math.sin(theta);
  const b = Math.cos(theta);
  return { a, b, c: a * mx + b * my };
};

const intersect = (l: ReturnType<typeof fitLine>, m: ReturnType<typeof fitLine>): Point | null => {
  const det = l.a * m.b - l.b * m.a;
  if (Math.abs(det) < 1e-9) return null;
  return { x: (l.c * m.b - l.b * m.c) / det, y: (l.a * m.c - l.c * m.a) / det };
};

const distance = (p: Point, q: Point) => Math.hypot(p.x - q.x, p.y - q.y);
const angle = (p: Point, q: Point) => (Math.atan2(q.y - p.y, q.x - p.x) * 180) / Math.PI;

/**
 * Sub-pixel points of one side of the region: walking along the rough side from `from` to `to` (the middle
 * 80 %), the first region pixel met coming from outside (`outward` is the unit step away from the page),
 * placed where the grey level crosses the threshold.
 */
const sidePoints = (
  grey: Raster,
  region: Uint8Array,
  threshold: number,
  from: Point,
  to: Point,
  outward: Point,
) => {
  const { width, height, data } = grey;
  const points: Point[] = [];
  const length = distance(from, to);
  const reach = Math.max(6, Math.round(length * 0.04));
  for (let s = 0.1 * length; s <= 0.9 * length; s += 1) {
    const t = s / length;
    const bx = from.x + (to.x - from.x) * t;
    const by = from.y + (to.y - from.y) * t;
    let previous = -1;
    for (let k = reach; k >= -reach; k -= 1) {
      const x = Math.round(bx + outward.x * k);
      const y = Math.round(by + outward.y * k);
      if (x < 0 || y < 0 || x >= width || y >= height) continue;
      const p = y * width + x;
      if (region[p]) {
        if (previous < 0) break;
        // Between the last outside pixel and this one: where the level crosses the threshold.
        const outside = data[previous]!;
        const inside = data[p]!;
        const f =
          inside > outside ? Math.min(1, Math.max(0, (threshold - outside) / (inside - outside))) : 0.5;
        const px = previous % width;
        const py = (previous / width) | 0;
        points.push({ x: px + (x - px) * f, y: py + (y - py) * f });
        break;
      }
      previous = p;
    }
  }
  return points;
};

/**
 * The sheet or card on a photo: its corners (measuring-copy pixels) when a bright region of at least 12 %
 * of the image lies inside it with the desk visible around, and when it is not already a straight-sided
 * rectangle (within 0.4°): those are left to the deskew. Null when there is nothing to correct.
 */
export const findPage = (grey: Raster): FoundPage | null => {
  const { width, height, data } = grey;
  const threshold = otsu(histogram(data));
  // A desk scan is paper to its edges: when a quarter of the image's frame is paper-bright, the sheet runs
  // off the image and there are no corners to find (the cheap test that spares every desk scan the search).
  let frameBright = 0;
  for (let x = 0; x < width; x += 1) {
    if (data[x]! >= threshold) frameBright += 1;
    if (data[(height - 1) * width + x]! >= threshold) frameBright += 1;
  }
  for (let y = 0; y < height; y += 1) {
    if (data[y * width]! >= threshold) frameBright += 1;
    if (data[y * width + width - 1]! >= threshold) frameBright += 1;
  }
  if (frameBright > 0.25 * 2 * (width + height)) return null;
  const mask = new Uint8Array(width * height);
  for (let i = 0; i < mask.length; i += 1) mask[i] = data[i]! >= threshold ? 1 : 0;
  const { region, size } = largestRegion(mask, width, height);
  if (size < 0.12 * width * height) return null;
  // Rough corners: the region's extremes along the diagonals.
  const extremes = { tl: Infinity, tr: -Infinity, br: -Infinity, bl: Infinity };
  const rough = { tl: { x: 0, y: 0 }, tr: { x: 0, y: 0 }, br: { x: 0, y: 0 }, bl: { x: 0, y: 0 } };
  let touches = 0;
  const edges = { left: false, right: false, top: false, bottom: false };
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      if (!region[y * width + x]) continue;
      if (x === 0) edges.left = true;
      if (x === width - 1) edges.right = true;
      if (y === 0) edges.top = true;
      if (y === height - 1) edges.bottom = true;
      if (x + y < extremes.tl) {
        extremes.tl = x + y;
        rough.tl = { x, y };
      }
      if (x - y > extremes.tr) {
        extremes.tr = x - y;
        rough.tr = { x, y };
      }
      if (x + y > extremes.br) {
        extremes.br = x + y;
        rough.br = { x, y };
      }
      if (x - y < extremes.bl) {
        extremes.bl = x - y;
        rough.bl = { x, y };
      }
    }
  }
  touches = Object.values(edges).filter(Boolean).length;
  // A page running off the photo has no four corners to find: it is left as it is.
  if (touches > 0) return null;
  const corners = [rough.tl, rough.tr, rough.br, rough.bl];
  const centre = {
    x: corners.reduce((s, p) => s + p.x, 0) / 4,
    y: corners.reduce((s, p) => s + p.y, 0) / 4,
  };
  const lines = corners.map((from, i) => {
    const to = corners[(i + 1) % 4]!;
    const len = distance(from, to);
    // The side's normal, pointing away from the centre.
    let normal = { x: (to.y - from.y) / len, y: -(to.x - from.x) / len };
    const mid = { x: (from.x + to.x) / 2, y: (from.y + to.y) / 2 };
    if ((mid.x - centre.x) * normal.x + (mid.y - centre.y) * normal.y < 0)
      normal = { x: -normal.x, y: -normal.y };
    const points = sidePoints(grey, region, threshold, from, to, normal);
    return points.length >= 8 ? fitLine(points) : null;
  });
  if (lines.some((l) => !l)) return null;
  const quad = lines.map((l, i) => intersect(lines[(i + 3) % 4]!, l!)) as (Point | null)[];
  if (quad.some((p) => !p || p.x < -2 || p.y < -2 || p.x > width + 1 || p.y > height + 1)) return null;
  const [tl, tr, br, bl] = quad as Quad;
  const top = angle(tl, tr);
  const bottom = angle(bl, br);
  const left = angle(tl, bl) - 90;
  const right = angle(tr, br) - 90;
  const spread = Math.max(top, bottom, left, right) - Math.min(top, bottom, left, right);
  const across = (distance(tl, tr) + distance(bl, br)) / 2;
  const down = (distance(tl, bl) + distance(tr, br)) / 2;
  const ratio = Math.max(across, down) / Math.min(across, down);
  const kind =
    Math.abs(ratio / ID1_RATIO - 1) < 0.06 ? 'card' : Math.abs(ratio / A4_RATIO - 1) < 0.08 ? 'a4' : 'sheet';
  if (spread < 0.4 && kind !== 'card') return null;
  return { quad: [tl, tr, br, bl], kind, ratio };
};

/**
 * The homography taking output pixel (u, v) of a width × height rectangle to the source point inside `quad`
 * (corners clockwise from the top left), as the 3 × 3 matrix's eight free entries.
 */
export const rectToQuad = (width: number, height: number, quad: Quad) => {
  const rect = [
    { x: 0, y: 0 },
    { x: width, y: 0 },
    { x: width, y: height },
    { x: 0, y: height },
  ];
  // Eight equations in h0…h7 (h8 = 1), solved by Gaussian elimination with partial pivoting.
  const m: number[][] = [];
  for (let i = 0; i < 4; i += 1) {
    const { x: u, y: v } = rect[i]!;
    const { x, y } = quad[i]!;
    m.push([u, v, 1, 0, 0, 0, -u * x, -v * x, x]);
    m.push([0, 0, 0, u, v, 1, -u * y, -v * y, y]);
  }
  for (let c = 0; c < 8; c += 1) {
    let pivot = c;
    for (let r = c + 1; r < 8; r += 1) if (Math.abs(m[r]![c]!) > Math.abs(m[pivot]![c]!)) pivot = r;
    [m[c], m[pivot]] = [m[pivot]!, m[c]!];
    for (let r = 0; r < 8; r += 1) {
      if (r === c) continue;
      const f = m[r]![c]! / m[c]![c]!;
      for (let k = c; k < 9; k += 1) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  return Array.from({ length: 8 }, (_, i) => m[i]![8]! / m[i]![i]!);
};

/** The source image mapped through homography `h` (from rectToQuad) into a width × height raster, bilinear. */
export const warpPerspective = (
  src: Raster,
  h: number[],
  width: number,
  height: number,
  background = 255,
) => {
  const { width: sw, height: sh, data, channels } = src;
  const out = new Uint8Array(width * height * channels);
  const [h0, h1, h2, h3, h4, h5, h6, h7] = h as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  for (let v = 0; v < height; v += 1) {
    const cv = v + 0.5;
    let q = v * width * channels;
    for (let u = 0; u < width; u += 1) {
      const cu = u + 0.5;
      const w = h6 * cu + h7 * cv + 1;
      const x = (h0 * cu + h1 * cv + h2) / w - 0.5;
      const y = (h3 * cu + h4 * cv + h5) / w - 0.5;
      if (x < 0 || y < 0 || x >= sw - 1 || y >= sh - 1) {
        for (let c = 0; c < channels; c += 1) out[q++] = background;
        continue;
      }
      const xi = x | 0;
      const yi = y | 0;
      const fx = x - xi;
      const fy = y - yi;
      const p = (yi * sw + xi) * channels;
      const below = sw * channels;
      for (let c = 0; c < channels; c += 1) {
        const a = data[p + c]!;
        const b = data[p + channels + c]!;
        const d = data[p + below + c]!;
        const e = data[p + below + channels + c]!;
        const topRow = a + (b - a) * fx;
        const bottomRow = d + (e - d) * fx;
        out[q++] = (topRow + (bottomRow - topRow) * fy + 0.5) | 0;
      }
    }
  }
  return { data: out, width, height, channels } satisfies Raster;
};

/**
 * Evens out the light of a photo (a phone's shadow, a lamp's fall-off): the paper's brightness is estimated
 * per 32-pixel block (the brightest of its pixels, then the brightest of each 3 × 3 blocks so that text and
 * photos do not count as shadow, then smoothed), and every pixel is brightened by the paper's level over the
 * local one (at most twice), so one threshold fits the whole page.
 */
export const evenLight = (src: Raster): Raster => {
  const { width, height, channels, data } = src;
  const block = 32;
  const cols = Math.ceil(width / block);
  const rows = Math.ceil(height / block);
  const peak = new Float64Array(cols * rows);
  for (let y = 0; y < height; y += 2) {
    const j = (y / block) | 0;
    for (let x = 0; x < width; x += 2) {
      const p = (y * width + x) * channels;
      const v = channels === 3 ? (data[p]! * 77 + data[p + 1]! * 150 + data[p + 2]! * 29) >> 8 : data[p]!;
      const k = j * cols + ((x / block) | 0);
      if (v > peak[k]!) peak[k] = v;
    }
  }
  const around = (grid: Float64Array, pick: (values: number[]) => number) =>
    Float64Array.from(grid, (_, k) => {
      const i = k % cols;
      const j = (k - i) / cols;
      const values: number[] = [];
      for (let dj = -1; dj <= 1; dj += 1)
        for (let di = -1; di <= 1; di += 1) {
          const ni = i + di;
          const nj = j + dj;
          if (ni >= 0 && nj >= 0 && ni < cols && nj < rows) values.push(grid[nj * cols + ni]!);
        }
      return pick(values);
    });
  const paper = around(
    around(peak, (v) => Math.max(...v)),
    (v) => v.reduce((s, x) => s + x, 0) / v.length,
  );
  const level = [...paper].sort((a, b) => a - b)[Math.floor(paper.length * 0.9)]!;
  const out = new Uint8Array(data.length);
  const gainRow = new Float64Array(width);
  for (let y = 0; y < height; y += 1) {
    const fy = Math.min(rows - 1, Math.max(0, (y + 0.5) / block - 0.5));
    const j0 = Math.floor(fy);
    const j1 = Math.min(rows - 1, j0 + 1);
    const ty = fy - j0;
    for (let x = 0; x < width; x += 1) {
      const fx = Math.min(cols - 1, Math.max(0, (x + 0.5) / block - 0.5));
      const i0 = Math.floor(fx);
      const i1 = Math.min(cols - 1, i0 + 1);
      const tx = fx - i0;
      const local =
        (paper[j0 * cols + i0]! * (1 - tx) + paper[j0 * cols + i1]! * tx) * (1 - ty) +
        (paper[j1 * cols + i0]! * (1 - tx) + paper[j1 * cols + i1]! * tx) * ty;
      gainRow[x] = Math.min(2, Math.max(1, level / Math.max(1, local)));
    }
    let p = y * width * channels;
    for (let x = 0; x < width; x += 1) {
      const g = gainRow[x]!;
      for (let c = 0; c < channels; c += 1, p += 1) {
        const v = data[p]! * g;
        out[p] = v > 255 ? 255 : v;
      }
    }
  }
  return { data: out, width, height, channels };
};
