// The TypeScript CCITT G4 coder and the fused deskew + threshold + G4 pass, held against two references that
// share no code with them: libtiff's G4 coder (through sharp) and a plain per-pixel nearest-neighbour warp.
// Equal bytes mean every page decodes as libtiff's would.
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeG4 } from '../../server/src/digitize/ccitt';
import { type Raster, type WarpOptions, warpInkG4 } from '../../server/src/digitize/image-raster';
import { makeScan } from '../fixtures/scans/synthetic';

/** libtiff's G4 data for one byte per pixel (non-zero = ink): the one strip of a MinIsBlack TIFF. */
const libtiffG4 = async (ink: Uint8Array, width: number, height: number) => {
  const bytes = Uint8Array.from(ink, (v) => (v ? 255 : 0));
  const tiff = await sharp(bytes, { raw: { width, height, channels: 1 } })
    .toColourspace('b-w')
    .tiff({ compression: 'ccittfax4', bitdepth: 1, tileHeight: height })
    .toBuffer();
  const little = tiff[0] === 0x49;
  const u16 = (at: number) => (little ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at));
  const u32 = (at: number) => (little ? tiff.readUInt32LE(at) : tiff.readUInt32BE(at));
  const ifd = u32(4);
  const tag = (id: number) => {
    for (let i = 0; i < u16(ifd); i += 1) {
      const entry = ifd + 2 + i * 12;
      if (u16(entry) === id) return u16(entry + 2) === 3 ? u16(entry + 8) : u32(entry + 8);
    }
    throw new Error(`TIFF tag ${id} missing`);
  };
  const offset = tag(273);
  return new Uint8Array(tiff.subarray(offset, offset + tag(279)));
};

/** Where two byte strings first differ ("same" when they do not): a readable failure for 50 KB pages. */
const firstDifference = (a: Uint8Array, b: Uint8Array) => {
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    if (a[i] !== b[i]) return `byte ${i} of ${a.length} / ${b.length}`;
  }
  return 'same';
};

/** The deskew + threshold as a per-pixel loop: the nearest source pixel, 1 = ink. */
const plainWarpInk = (src: Raster, o: Omit<WarpOptions, 'lut'>, threshold: number) => {
  const theta = (o.skewDegrees * Math.PI) / 180;
  const [cos, sin] = [Math.cos(theta), Math.sin(theta)];
  const [sx, sy] = [o.crop.width / o.width, o.crop.height / o.height];
  const [cx, cy] = [(src.width - 1) / 2, (src.height - 1) / 2];
  const ONE = 65536;
  const [stepX, stepY] = [Math.round(cos * sx * ONE), Math.round(sin * sx * ONE)];
  const out = new Uint8Array(o.width * o.height);
  for (let v = 0; v < o.height; v += 1) {
    const dy = o.crop.top + (v + 0.5) * sy - 0.5 - cy;
    const dx0 = o.crop.left + 0.5 * sx - 0.5 - cx;
    let x = Math.round((cx + cos * dx0 - sin * dy) * ONE) + ONE / 2;
    let y = Math.round((cy + sin * dx0 + cos * dy) * ONE) + ONE / 2;
    for (let u = 0; u < o.width; u += 1, x += stepX, y += stepY) {
      const outside = x < 0 || y < 0 || x >= (src.width - 0.5) * ONE || y >= (src.height - 0.5) * ONE;
      const value = outside ? o.background : src.data[Math.floor(y / ONE) * src.width + Math.floor(x / ONE)]!;
      out[v * o.width + u] = value < threshold ? 1 : 0;
    }
  }
  return out;
};

/** A deterministic pseudo-random page: blobs, thin lines, single pixels, full-width ink rows. */
const testPattern = (width: number, height: number, seed: number) => {
  let state = seed;
  const random = () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
  const ink = new Uint8Array(width * height);
  for (let i = 0; i < 60; i += 1) {
    const [x, y] = [Math.floor(random() * width), Math.floor(random() * height)];
    const [w, h] = [1 + Math.floor(random() * width * 0.3), 1 + Math.floor(random() * 20)];
    for (let yy = y; yy < Math.min(height, y + h); yy += 1)
      ink.fill(1, yy * width + x, yy * width + Math.min(width, x + w));
  }
  for (let i = 0; i < width * height * 0.01; i += 1) ink[Math.floor(random() * ink.length)] = 1;
  ink.fill(1, 3 * width, 4 * width); // one row all ink: a black run of the full width
  return ink;
};

describe('CCITT G4 coder', () => {
  it.each([
    [1, 1],
    [7, 3],
    [64, 10],
    [1728, 40],
    // Wider than the longest make-up code: runs of 2,560 and more.
    [3508, 30],
  ])('codes a %i × %i page to the bytes libtiff makes', async (width, height) => {
    for (const seed of [1, 2, 3]) {
      const ink = testPattern(width, height, seed);
      expect(firstDifference(encodeG4(ink, width, height), await libtiffG4(ink, width, height))).toBe('same');
    }
  });

  it('codes a blank page and an all-ink page', async () => {
    for (const fill of [0, 1]) {
      const ink = new Uint8Array(2480 * 20).fill(fill);
      expect(firstDifference(encodeG4(ink, 2480, 20), await libtiffG4(ink, 2480, 20))).toBe('same');
    }
  });
});

describe('warpInkG4 (deskew, crop, threshold and G4 in one pass)', () => {
  let page: Raster;
  beforeAll(async () => {
    const scan = await makeScan({ skew: 2.2, border: 40, noise: 14, seed: 5, lines: 30 });
    const { data, info } = await sharp(scan).greyscale().raw().toBuffer({ resolveWithObject: true });
    page = { data: new Uint8Array(data), width: info.width, height: info.height, channels: 1 };
  });

  it.each([
    ['no turn, the whole page', 0, 0, 1],
    ['a small clockwise turn', 1.7, 0, 1],
    ['a counter-clockwise turn with a crop', -2.9, 60, 1],
    ['the largest turn, scaled down', 5, 0, 0.8],
    ['a crop reaching past the image, dark outside', -1.2, -80, 1],
  ])('%s: the same page as the per-pixel warp coded by libtiff', async (_, skew, inset, scale) => {
    const crop = {
      left: inset,
      top: inset,
      width: page.width - 2 * inset,
      height: page.height - 2 * inset,
    };
    const geometry = {
      skewDegrees: skew,
      crop,
      width: Math.round(crop.width * scale),
      height: Math.round(crop.height * scale),
      // Negative insets reach outside the scan: make the outside ink there to test that edge.
      background: inset < 0 ? 0 : 235,
    };
    const threshold = 140;
    const reference = plainWarpInk(page, geometry, threshold);
    const expected = await libtiffG4(reference, geometry.width, geometry.height);
    expect(firstDifference(warpInkG4(page, geometry, threshold), expected)).toBe('same');
  });
});
