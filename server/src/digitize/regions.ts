// Mixed raster content (MRC): the parts of a page that 1-bit would destroy, found on the straightened
// measuring copy (about 75 dpi). Coloured ink (seals, signatures, letterheads, even faded pink) is found by
// its chroma against the paper's own colour, never by its darkness; photos by blocks of mid-tones. Each
// becomes a box kept as a small colour or grey JPEG over the 1-bit text layer.
import type { Box, Raster } from './image-raster';

export type RegionKind = 'colour' | 'grey';
export type Region = { kind: RegionKind; box: Box };

/** Chroma (max − min of the white-balanced channels) from which a measuring pixel counts as coloured ink. */
const INK_CHROMA = 26;
/** Measuring pixels per side of a colour cell (≈ 1.4 mm) and the coloured pixels that make a cell coloured. */
const COLOUR_CELL = 4;
const COLOUR_PIXELS = 4;
/** A coloured mark smaller than this many cells (≈ 2 × 2 mm) is a speck or a JPEG fringe, not ink. */
const MIN_COLOUR_CELLS = 3;
/** Photo cells: 8 measuring pixels (≈ 2.7 mm), mostly in mid-tones, with their four neighbours too. */
const TONE_CELL = 8;
const MIN_TONE_CELLS = 6;

/** The paper's colour: the mean of each channel over pixels at least as bright as the paper's level. */
const paperColour = (rgb: Raster, box: Box, paperGrey: number) => {
  const sum = [0, 0, 0];
  let n = 0;
  for (let y = box.top; y < box.top + box.height; y += 2) {
    for (let x = box.left; x < box.left + box.width; x += 2) {
      const p = (y * rgb.width + x) * 3;
      const r = rgb.data[p]!;
      const g = rgb.data[p + 1]!;
      const b = rgb.data[p + 2]!;
      if ((r * 77 + g * 150 + b * 29) >> 8 < paperGrey - 4) continue;
      sum[0]! += r;
      sum[1]! += g;
      sum[2]! += b;
      n += 1;
    }
  }
  return n > 0 ? sum.map((s) => Math.max(64, s / n)) : [255, 255, 255];
};

/** Boxes (in cells) of the 8-connected groups of set cells, with their cell counts. */
const groups = (cells: Uint8Array, cols: number, rows: number) => {
  const seen = new Uint8Array(cells.length);
  const out: { left: number; top: number; right: number; bottom: number; count: number }[] = [];
  const stack: number[] = [];
  for (let start = 0; start < cells.length; start += 1) {
    if (!cells[start] || seen[start]) continue;
    seen[start] = 1;
    stack.push(start);
    const g = { left: cols, top: rows, right: -1, bottom: -1, count: 0 };
    while (stack.length > 0) {
      const k = stack.pop()!;
      const i = k % cols;
      const j = (k - i) / cols;
      g.count += 1;
      g.left = Math.min(g.left, i);
      g.right = Math.max(g.right, i);
      g.top = Math.min(g.top, j);
      g.bottom = Math.max(g.bottom, j);
      for (let dj = -1; dj <= 1; dj += 1) {
        for (let di = -1; di <= 1; di += 1) {
          const ni = i + di;
          const nj = j + dj;
          if (ni < 0 || nj < 0 || ni >= cols || nj >= rows) continue;
          const nk = nj * cols + ni;
          if (cells[nk] && !seen[nk]) {
            seen[nk] = 1;
            stack.push(nk);
          }
        }
      }
    }
    out.push(g);
  }
  return out;
};

/** Cells grown by one in every direction, so the strokes of one seal or signature join up. */
const dilate = (cells: Uint8Array, cols: number, rows: number) => {
  const out = new Uint8Array(cells.length);
  for (let j = 0; j < rows; j += 1) {
    for (let i = 0; i < cols; i += 1) {
      if (!cells[j * cols + i]) continue;
      for (let dj = -1; dj <= 1; dj += 1) {
        for (let di = -1; di <= 1; di += 1) {
          const ni = i + di;
          const nj = j + dj;
          if (ni >= 0 && nj >= 0 && ni < cols && nj < rows) out[nj * cols + ni] = 1;
        }
      }
    }
  }
  return out;
};

const toBox = (
  g: { left: number; top: number; right: number; bottom: number },
  cell: number,
  pad: number,
  within: Box,
): Box => {
  const left = Math.max(within.left, within.left + g.left * cell - pad);
  const top = Math.max(within.top, within.top + g.top * cell - pad);
  const right = Math.min(within.left + within.width, within.left + (g.right + 1) * cell + pad);
  const bottom = Math.min(within.top + within.height, within.top + (g.bottom + 1) * cell + pad);
  return { left, top, width: right - left, height: bottom - top };
};

/** Coloured ink: cells with enough pixels whose white-balanced chroma is high, grown and grouped. */
const colourRegions = (rgb: Raster, box: Box, paperGrey: number): Box[] => {
  if (rgb.channels !== 3) return [];
  const [pr, pg, pb] = paperColour(rgb, box, paperGrey) as [number, number, number];
  const cols = Math.floor(box.width / COLOUR_CELL);
  const rows = Math.floor(box.height / COLOUR_CELL);
  if (cols < 2 || rows < 2) return [];
  const counts = new Uint8Array(cols * rows);
  const kr = 255 / pr;
  const kg = 255 / pg;
  const kb = 255 / pb;
  for (let y = box.top; y < box.top + rows * COLOUR_CELL; y += 1) {
    const j = ((y - box.top) / COLOUR_CELL) | 0;
    for (let x = box.left; x < box.left + cols * COLOUR_CELL; x += 1) {
      const p = (y * rgb.width + x) * 3;
      const r = rgb.data[p]! * kr;
      const g = rgb.data[p + 1]! * kg;
      const b = rgb.data[p + 2]! * kb;
      const chroma = Math.max(r, g, b) - Math.min(r, g, b);
      if (chroma >= INK_CHROMA) counts[j * cols + (((x - box.left) / COLOUR_CELL) | 0)]! += 1;
    }
  }
  const cells = Uint8Array.from(counts, (n) => (n >= COLOUR_PIXELS ? 1 : 0));
  return groups(dilate(cells, cols, rows), cols, rows)
    .filter((g) => g.count >= MIN_COLOUR_CELLS + 8)
    .map((g) => toBox(g, COLOUR_CELL, 2, box));
};

/**
 * Photos: 8 × 8 cells mostly in mid-tones after the contrast stretch, kept when their four neighbours are
 * too (a line of even bold text is one or two cells tall with paper around it, so it never survives), grouped.
 */
const toneRegions = (grey: Raster, box: Box, lut: Uint8Array): Box[] => {
  const cols = Math.floor(box.width / TONE_CELL);
  const rows = Math.floor(box.height / TONE_CELL);
  if (cols < 3 || rows < 3) return [];
  const tone = new Uint8Array(cols * rows);
  for (let j = 0; j < rows; j += 1) {
    for (let i = 0; i < cols; i += 1) {
      let mid = 0;
      for (let y = box.top + j * TONE_CELL; y < box.top + (j + 1) * TONE_CELL; y += 1) {
        const row = y * grey.width;
        for (let x = box.left + i * TONE_CELL; x < box.left + (i + 1) * TONE_CELL; x += 1) {
          const v = lut[grey.data[row + x]!]!;
          if (v >= 40 && v <= 215) mid += 1;
        }
      }
      tone[j * cols + i] = mid >= TONE_CELL * TONE_CELL * 0.75 ? 1 : 0;
    }
  }
  const kept = new Uint8Array(cols * rows);
  for (let j = 1; j < rows - 1; j += 1) {
    for (let i = 1; i < cols - 1; i += 1) {
      const k = j * cols + i;
      if (tone[k] && tone[k - 1] && tone[k + 1] && tone[k - cols] && tone[k + cols]) kept[k] = 1;
    }
  }
  // The kept cells lost a ring to the neighbour rule; the group's box is widened by two cells to win it
  // back with the photo's darkest and lightest edges (hair, a white collar) that are not mid-tone.
  return groups(dilate(kept, cols, rows), cols, rows)
    .filter((g) => g.count >= MIN_TONE_CELLS + 8)
    .map((g) => toBox(g, TONE_CELL, TONE_CELL, box));
};

const overlaps = (a: Box, b: Box) =>
  a.left < b.left + b.width &&
  b.left < a.left + a.width &&
  a.top < b.top + b.height &&
  b.top < a.top + a.height;

const union = (a: Box, b: Box): Box => {
  const left = Math.min(a.left, b.left);
  const top = Math.min(a.top, b.top);
  return {
    left,
    top,
    width: Math.max(a.left + a.width, b.left + b.width) - left,
    height: Math.max(a.top + a.height, b.top + b.height) - top,
  };
};

/** Overlapping regions merged until none overlap; colour wins over grey. */
const merge = (regions: Region[]) => {
  const out = [...regions];
  for (let changed = true; changed; ) {
    changed = false;
    for (let i = 0; i < out.length && !changed; i += 1) {
      for (let j = i + 1; j < out.length && !changed; j += 1) {
        if (!overlaps(out[i]!.box, out[j]!.box)) continue;
        out[i] = {
          kind: out[i]!.kind === 'colour' || out[j]!.kind === 'colour' ? 'colour' : 'grey',
          box: union(out[i]!.box, out[j]!.box),
        };
        out.splice(j, 1);
        changed = true;
      }
    }
  }
  return out;
};

/**
 * The regions of a straightened measuring copy (`rgb` may be one band: then there is no colour to find)
 * within the paper's box, in the measuring copy's pixels.
 */
export const findRegions = (
  rgb: Raster,
  grey: Raster,
  box: Box,
  paperGrey: number,
  lut: Uint8Array,
): Region[] =>
  merge([
    ...colourRegions(rgb, box, paperGrey).map((b) => ({ kind: 'colour' as const, box: b })),
    ...toneRegions(grey, box, lut).map((b) => ({ kind: 'grey' as const, box: b })),
  ]);
