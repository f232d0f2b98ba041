import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { type ErrorCode, isAppError } from '@postdesk/shared';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assembleComponentPdf, saveComponentPdf } from '../../server/src/digitize/assemble';
import { estimateSkew } from '../../server/src/digitize/deskew';
import { inspectScan, processPage, splitScan } from '../../server/src/digitize/pipeline';
import { makeScan } from '../fixtures/scans/synthetic';

const dir = mkdtempSync(join(tmpdir(), 'pd-scan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MAX_BYTES = 50 * 1024 * 1024;

const scans = {} as Record<'text' | 'stamp' | 'photo' | 'bed', Uint8Array>;
let tiff: Uint8Array;
let uploadedPdf: Uint8Array;

const expectCode = async (promise: Promise<unknown>, code: ErrorCode) => {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(isAppError(err) ? err.code : err).toBe(code);
};

const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8' });

beforeAll(async () => {
  [scans.text, scans.stamp, scans.photo, scans.bed] = await Promise.all([
    makeScan({ skew: 1.3, noise: 18, seed: 11 }),
    makeScan({ skew: -1, stamp: true, seed: 12 }),
    makeScan({ skew: 0.8, photo: true, seed: 13 }),
    makeScan({ skew: -2, border: 70, seed: 14 }),
  ]);
  // Three 150 dpi pages in one TIFF, as a sheet-fed scanner sends a stapled form.
  const frames = await Promise.all(
    [0.5, -1.5, 2].map(async (skew, i) =>
      sharp(await makeScan({ skew, seed: 20 + i, lines: 30 }))
        .resize(1240, 1754)
        .toBuffer(),
    ),
  );
  tiff = new Uint8Array(
    await sharp(frames, { join: { animated: true } })
      .toColourspace('b-w')
      .tiff({ compression: 'lzw' })
      .withDensity(150)
      .toBuffer(),
  );
  const doc = await PDFDocument.create();
  for (const size of [
    [595.28, 841.89],
    [419.53, 595.28],
  ] as const) {
    doc.addPage([...size]).drawText('Giay xac nhan tam tru', { x: 60, y: size[1] - 80, size: 18 });
  }
  uploadedPdf = await doc.save();
}, 60_000);

describe('estimateSkew', () => {
  it.each([1, -1, 2.5, -2.5, 3])('finds a %s° skew within 0.3°, through noise', async (skew) => {
    const scan = await makeScan({ skew, noise: 18, seed: Math.round(skew * 10) + 100 });
    const { data, info } = await sharp(scan).greyscale().raw().toBuffer({ resolveWithObject: true });
    expect(Math.abs(estimateSkew(data, info.width, info.height) - skew)).toBeLessThanOrEqual(0.3);
  });

  it('leaves a blank page alone', () => {
    expect(estimateSkew(new Uint8Array(620 * 877).fill(235), 620, 877)).toBe(0);
  });
});

describe('processPage', () => {
  it('makes a noisy, skewed text page a straight 1-bit A4 page at 300 dpi', async () => {
    const page = await processPage(scans.text, { mode: 'auto' });
    expect(page.mode).toBe('bilevel');
    expect(page.image.kind).toBe('bilevel');
    expect(Math.abs(page.skewDegrees - 1.3)).toBeLessThanOrEqual(0.3);
    expect([page.width, page.height, page.dpi]).toEqual([2480, 3508, 300]);
    // 60 dense lines of 9 pt text: heavier than a typical 13 pt administrative page (see the benchmark).
    expect(page.image.data.byteLength).toBeLessThan(200 * 1024);
    const thumb = await sharp(page.thumbnail).metadata();
    expect([thumb.format, thumb.width]).toEqual(['jpeg', 240]);
  });

  it('keeps a red seal in colour and a photo in grey, each as a region over the 1-bit page', async () => {
    const stamped = await processPage(scans.stamp, { mode: 'auto' });
    expect(stamped.mode).toBe('colour');
    const seal = stamped.image.kind === 'bilevel' ? stamped.image.regions : [];
    expect(seal.map((r) => r.kind)).toEqual(['colour']);
    expect((await sharp(seal[0]!.data).metadata()).channels).toBe(3);
    const photo = await processPage(scans.photo, { mode: 'auto' });
    expect(photo.mode).toBe('grey');
    const block = photo.image.kind === 'bilevel' ? photo.image.regions : [];
    expect(block.map((r) => r.kind)).toEqual(['grey']);
    expect((await sharp(block[0]!.data).metadata()).channels).toBe(1);
  });

  it('crops the dark scanner bed away and straightens the page', async () => {
    const page = await processPage(scans.bed, { mode: 'auto' });
    expect(page.mode).toBe('bilevel');
    expect(Math.abs(page.skewDegrees + 2)).toBeLessThanOrEqual(0.3);
    // The paper is 2480 × 3508 inside 70 px of bed on each side.
    expect(Math.abs(page.width - 2480)).toBeLessThan(30);
    expect(Math.abs(page.height - 3508)).toBeLessThan(30);
  });

  it('follows the clerk: a forced mode, a quarter turn, and a camera EXIF orientation', async () => {
    const grey = await processPage(scans.text, { mode: 'grey', rotate: 90 });
    expect(grey.mode).toBe('grey');
    expect([grey.width, grey.height]).toEqual([3508, 2480]);
    const colourOfGrey = await processPage(scans.text, { mode: 'colour' });
    expect(colourOfGrey.mode).toBe('grey');
    const phone = await sharp(scans.stamp).resize(600).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const upright = await processPage(phone, { mode: 'bilevel' });
    expect(upright.width).toBeGreaterThan(upright.height);
  });

  it('refuses a damaged image and a pixel bomb with their own codes', async () => {
    await expectCode(
      processPage(scans.text.subarray(0, scans.text.byteLength / 2), { mode: 'auto' }),
      'IMAGE_INVALID',
    );
    await expectCode(processPage(await pngBomb(), { mode: 'auto' }), 'IMAGE_TOO_LARGE');
  });
});

/** A PNG whose header claims 30,000 × 30,000 pixels over a tiny IDAT: a decompression bomb by its header. */
const pngBomb = async () => {
  const png = Buffer.from(
    await sharp({ create: { width: 16, height: 16, channels: 3, background: '#fff' } })
      .png()
      .toBuffer(),
  );
  png.writeUInt32BE(30_000, 16);
  png.writeUInt32BE(30_000, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)) >>> 0, 29);
  return new Uint8Array(png);
};

describe('inspectScan and splitScan', () => {
  it('recognises JPEG, PNG, a multi-page TIFF and a PDF by their bytes', async () => {
    const png = new Uint8Array(await sharp(scans.text).resize(400).png().toBuffer());
    expect(await inspectScan(scans.text, { maxBytes: MAX_BYTES })).toEqual({
      kind: 'image',
      mime: 'image/jpeg',
      pages: 1,
    });
    expect(await inspectScan(png, { maxBytes: MAX_BYTES })).toEqual({
      kind: 'image',
      mime: 'image/png',
      pages: 1,
    });
    expect(await inspectScan(tiff, { maxBytes: MAX_BYTES })).toEqual({
      kind: 'image',
      mime: 'image/tiff',
      pages: 3,
    });
    expect(await inspectScan(uploadedPdf, { maxBytes: MAX_BYTES })).toEqual({
      kind: 'pdf',
      mime: 'application/pdf',
      pages: 2,
    });
  });

  it('gives each bad upload its own error', async () => {
    await expectCode(inspectScan(scans.text, { maxBytes: 1024 * 1024 }), 'FILE_TOO_LARGE');
    await expectCode(inspectScan(scans.text.subarray(0, 200_000), { maxBytes: MAX_BYTES }), 'IMAGE_INVALID');
    await expectCode(inspectScan(await pngBomb(), { maxBytes: MAX_BYTES }), 'IMAGE_TOO_LARGE');
    const html = new TextEncoder().encode(
      '<!DOCTYPE html><html><body>Phiên đăng nhập đã hết hạn</body></html>',
    );
    await expectCode(
      inspectScan(html, { maxBytes: MAX_BYTES, declared: 'giay-khai-sinh.pdf' }),
      'PDF_INVALID',
    );
    await expectCode(inspectScan(html, { maxBytes: MAX_BYTES }), 'SCAN_TYPE_NOT_ALLOWED');
    const plain = join(dir, 'plain.pdf');
    const locked = join(dir, 'locked.pdf');
    writeFileSync(plain, uploadedPdf);
    run('qpdf', ['--encrypt', 'u', 'o', '256', '--', plain, locked]);
    await expectCode(inspectScan(readFileSync(locked), { maxBytes: MAX_BYTES }), 'PDF_ENCRYPTED');
    const broken = new TextEncoder().encode('%PDF-1.7\n1 0 obj <</Type /Catalog>>\n%%EOF');
    await expectCode(inspectScan(broken, { maxBytes: MAX_BYTES }), 'PDF_INVALID');
  });

  it('splits a multi-page TIFF into pages that each process on their own', async () => {
    const split = await splitScan(tiff);
    expect(split.kind).toBe('image');
    if (split.kind !== 'image') return;
    expect(split.pages).toHaveLength(3);
    const second = await processPage(split.pages[1]!, { mode: 'auto' });
    expect(second.mode).toBe('bilevel');
    expect(second.dpi).toBe(150);
    expect(Math.abs(second.skewDegrees + 1.5)).toBeLessThanOrEqual(0.3);
    const direct = await processPage(tiff, { mode: 'auto', page: 2 });
    expect(Math.abs(direct.skewDegrees - 2)).toBeLessThanOrEqual(0.3);
    expect(await splitScan(uploadedPdf)).toEqual({ kind: 'pdf', pages: 2 });
  });
});

describe('assembleComponentPdf', () => {
  it('makes an A4 PDF with 1-bit text pages, seal and photo regions over them, copied PDF pages and the codes', async () => {
    const [text, stamp, photo] = await Promise.all(
      [scans.text, scans.stamp, scans.photo].map((bytes) => processPage(bytes, { mode: 'auto' })),
    );
    const doc = await assembleComponentPdf(
      [
        { kind: 'processed', result: text! },
        { kind: 'processed', result: stamp! },
        { kind: 'processed', result: photo! },
        { kind: 'pdf', bytes: uploadedPdf, pageIndex: 0 },
        { kind: 'pdf', bytes: uploadedPdf, pageIndex: 1 },
      ],
      {
        title: 'Tờ khai đăng ký khai sinh',
        dossierCode: 'H42.01-250210-0007',
        componentCode: 'TP01',
        digitizedCode: '046190001234.1.000894.TP01.01',
        author: 'Nguyễn Thị Thu Hà',
        keywords: ['khai sinh'],
        createdAt: new Date('2025-02-10T08:30:00+07:00'),
      },
    );
    const bytes = await saveComponentPdf(doc);
    const path = join(dir, 'component.pdf');
    writeFileSync(path, bytes);

    expect(() => run('qpdf', ['--check', path])).not.toThrow();
    const info = run('pdfinfo', [path]);
    expect(info).toMatch(/Pages:\s+5/);
    expect(info).toMatch(/Page size:\s+595\.28 x 841\.89 pts \(A4\)/);
    expect(info).toMatch(/Title:\s+Tờ khai đăng ký khai sinh/);
    expect(info).toMatch(/Author:\s+Nguyễn Thị Thu Hà/);
    expect(info).toMatch(/Producer:\s+PostDesk/);
    expect(info).toMatch(/Keywords:.*H42\.01-250210-0007.*TP01.*046190001234\.1\.000894\.TP01\.01/);
    expect(info).toMatch(/CreationDate:\s+.*2025/);

    const images = run('pdfimages', ['-list', path])
      .split('\n')
      .slice(2)
      .filter(Boolean)
      .map((line) => line.trim().split(/\s+/));
    // page num type width height color comp bpc enc …
    expect(images.map((c) => [c[0], c[5], c[7], c[8]])).toEqual([
      ['1', 'gray', '1', 'ccitt'], // CCITT G4, 1 bit per pixel
      ['2', 'gray', '1', 'ccitt'], // the seal's page: 1-bit text with the seal in colour over it
      ['2', 'rgb', '8', 'jpeg'],
      ['3', 'gray', '1', 'ccitt'], // the photo's page: 1-bit text with the photo in grey over it
      ['3', 'gray', '8', 'jpeg'],
    ]);
    expect(images[0]!.slice(3, 5)).toEqual(['2480', '3508']);

    // The text page, rendered as a person would see it: white paper, black straight lines of text.
    run('pdftoppm', ['-r', '50', '-f', '1', '-l', '1', '-gray', '-png', path, join(dir, 'page')]);
    const render = readFileSync(join(dir, 'page-1.png'));
    const { data, info: px } = await sharp(render).raw().toBuffer({ resolveWithObject: true });
    const dark = data.filter((v) => v < 128).length / data.length;
    expect(dark).toBeGreaterThan(0.02);
    expect(dark).toBeLessThan(0.3);
    expect(Math.abs(estimateSkew(data, px.width, px.height))).toBeLessThanOrEqual(0.3);
  });

  it('refuses an encrypted PDF page and an empty component', async () => {
    const meta = {
      title: 'x',
      dossierCode: 'H42.01-250210-0007',
      componentCode: 'TP01',
      digitizedCode: 'x',
      author: 'x',
      createdAt: new Date(),
    };
    await expectCode(assembleComponentPdf([], meta), 'VALIDATION_FAILED');
    const plain = join(dir, 'plain2.pdf');
    const locked = join(dir, 'locked2.pdf');
    writeFileSync(plain, uploadedPdf);
    run('qpdf', ['--encrypt', 'u', 'o', '256', '--', plain, locked]);
    await expectCode(
      assembleComponentPdf([{ kind: 'pdf', bytes: readFileSync(locked), pageIndex: 0 }], meta),
      'PDF_ENCRYPTED',
    );
  });
});
