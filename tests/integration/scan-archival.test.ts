// What a citizen's digitized copy must keep (issue 17): the ID photo and the seals as they look on paper,
// every line of text, a photo of a page as straight as a scan, an ID card at its real size, and what the
// clerk checks being what is signed. Pages go through the pipeline and the PDF assembly, and are judged on
// the PDF as poppler renders it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAppError } from '@postdesk/shared';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { assembleComponentPdf, saveComponentPdf } from '../../server/src/digitize/assemble';
import { isImageOnlyPage, rasterisePdfPage } from '../../server/src/digitize/pdf-raster';
import { inspectScan, type ProcessedPage, processPage } from '../../server/src/digitize/pipeline';
import { ID_CARD, ID_PHOTO_BOX, MARKERS, makePhonePhoto, makeScan } from '../fixtures/scans/synthetic';

const dir = mkdtempSync(join(tmpdir(), 'pd-archival-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const META = {
  title: 'Giấy khai sinh',
  dossierCode: 'H42.01-250210-0007',
  componentCode: 'TP01',
  digitizedCode: '046190001234.1.000894.TP01.01',
  author: 'PostDesk',
  createdAt: new Date('2025-02-10T08:30:00+07:00'),
};

type Image = { data: Uint8Array; width: number; height: number; channels: number };

let rendered = 0;
/** The page PDF as poppler draws it, at `dpi`, as raw RGB. */
const render = async (page: ProcessedPage, dpi: number): Promise<Image & { pdf: Uint8Array }> => {
  const pdf = await saveComponentPdf(await assembleComponentPdf([{ kind: 'processed', result: page }], META));
  rendered += 1;
  const file = join(dir, `page-${rendered}.pdf`);
  writeFileSync(file, pdf);
  execFileSync('pdftoppm', ['-r', String(dpi), '-png', '-singlefile', file, join(dir, `page-${rendered}`)]);
  const { data, info } = await sharp(readFileSync(join(dir, `page-${rendered}.png`)))
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: 3, pdf };
};

const luma = (img: Image, x: number, y: number) => {
  const p = (y * img.width + x) * img.channels;
  return img.channels === 1
    ? img.data[p]!
    : (img.data[p]! * 77 + img.data[p + 1]! * 150 + img.data[p + 2]! * 29) >> 8;
};

/** Pearson correlation of two equal-length series. */
const correlation = (a: number[], b: number[]) => {
  const n = a.length;
  const ma = a.reduce((s, v) => s + v, 0) / n;
  const mb = b.reduce((s, v) => s + v, 0) / n;
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < n; i += 1) {
    ab += (a[i]! - ma) * (b[i]! - mb);
    aa += (a[i]! - ma) ** 2;
    bb += (b[i]! - mb) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
};

/** Centroid of the dark pixels of a window (a corner marker). */
const darkCentroid = (img: Image, x0: number, y0: number, w: number, h: number) => {
  let sx = 0;
  let sy = 0;
  let n = 0;
  for (let y = Math.max(0, y0); y < Math.min(img.height, y0 + h); y += 1) {
    for (let x = Math.max(0, x0); x < Math.min(img.width, x0 + w); x += 1) {
      if (luma(img, x, y) < 100) {
        sx += x;
        sy += y;
        n += 1;
      }
    }
  }
  return n > 0 ? { x: sx / n, y: sy / n, n } : null;
};

/** Pixels of a box whose colour is clearly pink/red (r well above g), as a faded seal's ink is. */
const pinkPixels = (img: Image, box: { left: number; top: number; width: number; height: number }) => {
  let n = 0;
  for (let y = box.top; y < box.top + box.height; y += 1) {
    for (let x = box.left; x < box.left + box.width; x += 1) {
      const p = (y * img.width + x) * 3;
      if (img.data[p]! - img.data[p + 1]! > 25 && img.data[p]! - img.data[p + 2]! > 15) n += 1;
    }
  }
  return n;
};

const scaleBox = (box: { left: number; top: number; width: number; height: number }, k: number) => ({
  left: Math.round(box.left * k),
  top: Math.round(box.top * k),
  width: Math.round(box.width * k),
  height: Math.round(box.height * k),
});

describe('mixed content: the photo and the seals are kept over a 1-bit page', () => {
  it('an ID photo on a form survives in colour, close to the paper original; the text stays 1-bit', async () => {
    const page = await processPage(await makeScan({ skew: 1.1, idPhoto: true, lines: 40, seed: 41 }), {
      mode: 'auto',
    });
    expect(page.image.kind).toBe('bilevel');
    const regions = page.image.kind === 'bilevel' ? page.image.regions : [];
    expect(regions.map((r) => r.kind)).toEqual(['colour']);
    const out = await render(page, 100);
    // The original photo as printed, at the same 100 dpi, from the same page without skew or noise.
    const ideal = await sharp(await makeScan({ idPhoto: true, lines: 40, noise: 0 }))
      .resize(Math.round(2480 / 3), Math.round(3508 / 3))
      .raw()
      .toBuffer({ resolveWithObject: true });
    const reference = {
      data: ideal.data,
      width: ideal.info.width,
      height: ideal.info.height,
      channels: ideal.info.channels,
    };
    // The inner part of the photo (a 2 mm margin left for the deskew's turn about the page centre).
    const box = scaleBox(ID_PHOTO_BOX, 1 / 3);
    const a: number[] = [];
    const b: number[] = [];
    for (let y = box.top + 8; y < box.top + box.height - 8; y += 1) {
      for (let x = box.left + 8; x < box.left + box.width - 8; x += 1) {
        a.push(luma(out, x, y));
        b.push(luma(reference, x, y));
      }
    }
    expect(correlation(a, b)).toBeGreaterThan(0.9);
    // About the size of a 1-bit page plus the photo, not a whole-page JPEG (which was over 500 KB).
    expect(out.pdf.byteLength).toBeLessThan(200 * 1024);
  }, 180_000);

  it('a faded pink seal survives in colour, and a red seal with a blue signature keep their colours', async () => {
    const faint = await processPage(await makeScan({ skew: 0.7, faintSeal: true, lines: 50, seed: 42 }), {
      mode: 'auto',
    });
    expect(faint.mode).toBe('colour');
    const out = await render(faint, 75);
    // The seal is drawn at (700, 3000) with a 230 px radius at 300 dpi: a quarter at 75 dpi.
    const seal = { left: 110, top: 680, width: 130, height: 130 };
    expect(pinkPixels(out, seal)).toBeGreaterThan(400);
    expect(pinkPixels(out, { left: 300, top: 100, width: 200, height: 200 })).toBe(0);
    expect(out.pdf.byteLength).toBeLessThan(150 * 1024);

    const stamped = await processPage(await makeScan({ skew: -1, stamp: true, signature: true, seed: 43 }), {
      mode: 'auto',
    });
    const colours = await render(stamped, 75);
    const near = { left: 330, top: 680, width: 200, height: 170 };
    expect(pinkPixels(colours, near)).toBeGreaterThan(300);
    let blue = 0;
    for (let y = near.top; y < near.top + near.height; y += 1) {
      for (let x = near.left; x < near.left + near.width; x += 1) {
        const p = (y * colours.width + x) * 3;
        if (colours.data[p + 2]! - colours.data[p]! > 40) blue += 1;
      }
    }
    expect(blue).toBeGreaterThan(30);
  }, 180_000);

  it('the thumbnail the clerk checks is the signed page: a photo forced to 1-bit shows as 1-bit there too', async () => {
    const scan = await makeScan({ skew: 0.5, idPhoto: true, lines: 40, seed: 44 });
    for (const mode of ['auto', 'bilevel'] as const) {
      const page = await processPage(scan, { mode });
      const thumb = await sharp(page.thumbnail).raw().toBuffer({ resolveWithObject: true });
      const final = await render(page, 72);
      const fromPdf = await sharp(final.data, {
        raw: { width: final.width, height: final.height, channels: 3 },
      })
        .resize(thumb.info.width, thumb.info.height, { fit: 'fill' })
        .raw()
        .toBuffer();
      const t = {
        data: thumb.data,
        width: thumb.info.width,
        height: thumb.info.height,
        channels: thumb.info.channels,
      };
      const f = { data: fromPdf, width: thumb.info.width, height: thumb.info.height, channels: 3 };
      const a: number[] = [];
      const b: number[] = [];
      for (let y = 0; y < t.height; y += 1) {
        for (let x = 0; x < t.width; x += 1) {
          a.push(luma(t, x, y));
          b.push(luma(f, x, y));
        }
      }
      expect(correlation(a, b)).toBeGreaterThan(0.9);
    }
  }, 180_000);
});

describe('phone photos and ID cards', () => {
  const corners = [
    { x: 260, y: 230 },
    { x: 2010, y: 300 },
    { x: 2120, y: 2800 },
    { x: 140, y: 2720 },
  ];

  it('a page photographed at an angle, in a shadow, comes out straight (residual < 0.3°) with no line lost', async () => {
    // 66 lines run to the foot of the page; the header sits in the shadow at the top.
    const photo = await makePhonePhoto({
      size: { width: 2250, height: 3000 },
      corners,
      shadow: true,
      page: { markers: true, lines: 66, fontSize: 38 },
    });
    const page = await processPage(photo, { mode: 'auto' });
    expect(page.found).toBe('a4');
    expect(page.image.kind).toBe('bilevel');
    const out = await render(page, 100);
    // The page fills A4 (827 × 1169 at 100 dpi); the markers lie 150 px of 300 dpi from its corners.
    const k = out.width / 2480;
    const found = MARKERS.map((m) =>
      darkCentroid(out, Math.round(m.x * k) - 20, Math.round(m.y * k) - 20, 40, 40),
    );
    expect(found.every((c) => c && c.n > 100)).toBe(true);
    const [tl, tr, br, bl] = found as { x: number; y: number }[];
    const degrees = (dx: number, dy: number) => (Math.atan2(dy, dx) * 180) / Math.PI;
    const residuals = [
      degrees(tr!.x - tl!.x, tr!.y - tl!.y),
      degrees(br!.x - bl!.x, br!.y - bl!.y),
      degrees(bl!.y - tl!.y, -(bl!.x - tl!.x)),
      degrees(br!.y - tr!.y, -(br!.x - tr!.x)),
    ];
    for (const r of residuals) expect(Math.abs(r)).toBeLessThan(0.3);
    // The last line (y ≈ 260 + 65 × 50 = 3510 − … at 300 dpi) is on the page: ink in the bottom 3 %.
    const inkRows = (from: number, to: number) => {
      let n = 0;
      for (let y = from; y < to; y += 1)
        for (let x = 100; x < out.width - 100; x += 1) if (luma(out, x, y) < 100) n += 1;
      return n;
    };
    expect(inkRows(Math.round(out.height * 0.955), out.height - 2)).toBeGreaterThan(50);
    // The header, inside the shadow, is there too.
    expect(inkRows(Math.round(out.height * 0.07), Math.round(out.height * 0.085))).toBeGreaterThan(200);
  }, 180_000);

  it('an ID card photographed on a desk is cut out and placed at its real size, 85.6 × 54 mm', async () => {
    const photo = await makePhonePhoto({
      size: { width: 2000, height: 1500 },
      corners: [
        { x: 420, y: 330 },
        { x: 1560, y: 380 },
        { x: 1530, y: 1110 },
        { x: 390, y: 1060 },
      ],
      card: true,
    });
    const page = await processPage(photo, { mode: 'auto' });
    expect(page.found).toBe('card');
    expect(page.image).toMatchObject({ kind: 'jpeg', grey: false });
    const mm = (px: number) => (px / page.dpi) * 25.4;
    expect(Math.abs(mm(page.width) - 85.6)).toBeLessThan(1);
    expect(Math.abs(mm(page.height) - 54)).toBeLessThan(1);
    expect(page.width / page.height).toBeCloseTo(ID_CARD.width / ID_CARD.height, 1);
    // On the A4 page of the PDF, the card's image is drawn 85.6 mm wide (pdfimages: pixels at x-ppi).
    const out = await render(page, 30);
    const file = join(dir, 'card.pdf');
    writeFileSync(file, out.pdf);
    const row = execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .at(-1)!
      .trim()
      .split(/\s+/);
    const [width, ppi] = [Number(row[3]), Number(row[12])];
    expect(Math.abs((width / ppi) * 25.4 - 85.6)).toBeLessThan(1);
  }, 180_000);
});

describe('no ink cropped, doubtful pages flagged', () => {
  it('a scan on a dark bed is cropped to the paper but keeps a note written up to the paper edge', async () => {
    const page = await processPage(
      await makeScan({ skew: -1.5, border: 60, markers: true, lines: 30, seed: 45 }),
      {
        mode: 'auto',
      },
    );
    const out = await render(page, 100);
    const k = out.width / 2480;
    const found = MARKERS.map((m) =>
      darkCentroid(out, Math.round(m.x * k) - 25, Math.round(m.y * k) - 25, 50, 50),
    );
    expect(found.every((c) => c && c.n > 100)).toBe(true);
  }, 180_000);

  it('text running off the scan is flagged cut_off; an empty page is flagged blank', async () => {
    const full = await makeScan({ lines: 40, seed: 46 });
    const cut = await sharp(full)
      .extract({ left: 0, top: 600, width: 2480, height: 2400 })
      .jpeg()
      .withDensity(300)
      .toBuffer();
    const cutPage = await processPage(cut, { mode: 'auto' });
    expect(cutPage.review).toContain('cut_off');
    const blank = await processPage(await makeScan({ lines: 0, seed: 47 }), { mode: 'auto' });
    expect(blank.review).toContain('blank');
    const fine = await processPage(full, { mode: 'auto' });
    expect(fine.review).toEqual([]);
  }, 180_000);
});

describe('inputs phones and scanners send', () => {
  it('reads WebP; refuses HEIC naming every accepted format; refuses a JPEG corrupted in the middle', async () => {
    const scan = await makeScan({ lines: 20, seed: 48 });
    const webp = await sharp(scan).webp({ quality: 80 }).toBuffer();
    expect(await inspectScan(webp, { maxBytes: 50e6 })).toMatchObject({ mime: 'image/webp', pages: 1 });
    expect((await processPage(webp, { mode: 'auto' })).image.kind).toBe('bilevel');
    // An iPhone's HEIC: an ISO-BMFF `ftyp` box with the heic brand (the prebuilt libvips has no HEVC decoder).
    const heic = Buffer.alloc(64);
    heic.writeUInt32BE(24, 0);
    heic.write('ftypheic', 4, 'latin1');
    heic.write('mif1heic', 16, 'latin1');
    const refusal = await inspectScan(heic, { maxBytes: 50e6 }).catch((e: unknown) => e);
    expect(isAppError(refusal) && refusal.code).toBe('SCAN_HEIC_UNSUPPORTED');
    const other = await inspectScan(new TextEncoder().encode('GIF89a....'), { maxBytes: 50e6 }).catch(
      (e: unknown) => e,
    );
    expect(isAppError(other) && other.code).toBe('SCAN_TYPE_NOT_ALLOWED');
    expect(isAppError(other) && other.message).toMatch(/PDF, JPEG, PNG, TIFF.*WebP/);
    const corrupt = Buffer.from(scan);
    for (let i = Math.floor(corrupt.length * 0.4); i < corrupt.length * 0.4 + 300; i += 1)
      corrupt[i] = (corrupt[i]! * 7 + 13) & 255;
    const damaged = await inspectScan(corrupt, { maxBytes: 50e6 }).catch((e: unknown) => e);
    expect(isAppError(damaged) && damaged.code).toBe('IMAGE_INVALID');
  }, 180_000);

  it('a scanner PDF (only an image) is rasterised for clean-up; a PDF with text is left as it is', async () => {
    const jpeg = await makeScan({ skew: 1.5, lines: 30, seed: 49 });
    const scanned = await PDFDocument.create();
    const image = await scanned.embedJpg(jpeg);
    scanned.addPage([595.28, 841.89]).drawImage(image, { x: 0, y: 0, width: 595.28, height: 841.89 });
    const scannedBytes = await scanned.save();
    const typed = await PDFDocument.create();
    typed.addPage([595.28, 841.89]).drawText('Giay xac nhan', { x: 60, y: 760, size: 18 });
    expect(await isImageOnlyPage(scannedBytes, 0)).toBe(true);
    expect(await isImageOnlyPage(await typed.save(), 0)).toBe(false);
    const page = await processPage(await rasterisePdfPage(scannedBytes, 0), { mode: 'auto' });
    expect(page.image.kind).toBe('bilevel');
    expect(Math.abs(page.skewDegrees - 1.5)).toBeLessThan(0.3);
    // Poppler rounds A4 at 300 dpi to a pixel either way.
    expect(Math.abs(page.width - 2480) + Math.abs(page.height - 3508)).toBeLessThanOrEqual(2);
    expect(page.dpi).toBe(300);
  }, 180_000);
});
