// Optional OCR of a cleaned page (Debian's tesseract with the `vie` model, STACK.md §8): the page PDF is
// rendered at 300 dpi in grey by poppler's pdftoppm, tesseract reads it once and writes both the plain text
// (stored for search) and a text-only PDF page (`textonly_pdf`: the words in rendering mode 3, invisible, at
// their positions on a glyph-less font of a few KB). That page is laid over the page PDF, so the 1-bit
// image stays as it is and a viewer or pdftotext finds the Vietnamese words where they are printed.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PDFDocument } from 'pdf-lib';

const run = promisify(execFile);

/** Resolution tesseract reads at: the page images are kept at 300 dpi. */
const OCR_DPI = 300;
/** A dense A4 page takes about 5 s (STACK.md §8); a page far beyond that is stuck, not slow. */
const TIMEOUT_MS = 120_000;

export type OcrOptions = {
  /** tesseract language(s), `vie` by default. */
  languages?: string;
  /**
   * Page segmentation: 4 (one column of lines of different sizes) reads forms better than the default 3,
   * whose layout analysis splits label columns from their values (STACK.md §8).
   */
  psm?: number;
};

export type OcrResult = {
  /** The recognised text, NFC, lines as tesseract found them, blank lines squeezed. */
  text: string;
  /** The page PDF with the invisible text layer over it. */
  pdf: Uint8Array;
};

/**
 * Recognises the text of a one-page PDF and returns it with the same page carrying an invisible text
 * layer. One tesseract process with one thread (OMP_THREAD_LIMIT=1) at a lower CPU priority (nice 10), so
 * a page per core can run beside the clerk's own scan processing without slowing it.
 */
export const recognisePage = async (pagePdf: Uint8Array, options: OcrOptions = {}): Promise<OcrResult> => {
  const dir = await mkdtemp(join(tmpdir(), 'pd-ocr-'));
  try {
    const input = join(dir, 'page.pdf');
    await writeFile(input, pagePdf);
    await run(
      'pdftoppm',
      ['-r', String(OCR_DPI), '-gray', '-f', '1', '-l', '1', '-singlefile', input, join(dir, 'page')],
      {
        timeout: TIMEOUT_MS,
      },
    );
    await run(
      'nice',
      [
        '-n',
        '10',
        'tesseract',
        join(dir, 'page.pgm'),
        join(dir, 'ocr'),
        '-l',
        options.languages ?? 'vie',
        '--psm',
        String(options.psm ?? 4),
        '--dpi',
        String(OCR_DPI),
        '-c',
        'textonly_pdf=1',
        'txt',
        'pdf',
      ],
      { timeout: TIMEOUT_MS, env: { ...process.env, OMP_THREAD_LIMIT: '1' } },
    );
    const [text, layer] = await Promise.all([
      readFile(join(dir, 'ocr.txt'), 'utf8'),
      readFile(join(dir, 'ocr.pdf')),
    ]);
    return { text: cleanText(text), pdf: await overlayTextLayer(pagePdf, new Uint8Array(layer)) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};

export const cleanText = (text: string) =>
  text
    .normalize('NFC')
    .replace(/\f/g, '')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();

/**
 * Lays tesseract's text-only page over the first page of `pagePdf`, stretched to the page's size (both
 * come from the same 300 dpi raster, so they differ by rounding only). The page image is not touched.
 */
export const overlayTextLayer = async (pagePdf: Uint8Array, layerPdf: Uint8Array) => {
  const doc = await PDFDocument.load(pagePdf, { updateMetadata: false });
  const layer = await PDFDocument.load(layerPdf, { updateMetadata: false });
  const page = doc.getPage(0);
  const [embedded] = await doc.embedPdf(layer, [0]);
  const { width, height } = page.getSize();
  page.drawPage(embedded!, { x: 0, y: 0, width, height });
  return new Uint8Array(await doc.save());
};

/** Whether this machine has what OCR needs (tesseract with the `vie` model, and pdftoppm). */
export const ocrAvailable = async (languages = 'vie') => {
  try {
    const { stdout, stderr } = await run('tesseract', ['--list-langs']);
    await run('pdftoppm', ['-v']);
    return `${stdout}${stderr}`.split('\n').some((line) => line.trim() === languages);
  } catch {
    return false;
  }
};
