// Scanner PDFs: a page that is only a picture (no font anywhere in it) is the scanner's image wrapped in a
// PDF, and gets the same clean-up as an uploaded image: poppler's pdftoppm rasterises it at 300 dpi in a child
// process, and the pipeline takes it from there. A born-digital page (with text) is kept exactly as it is.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { appError } from '@postdesk/shared';
import { PDFDict, PDFDocument, PDFName, PDFRawStream, PDFRef, type PDFObject } from 'pdf-lib';

const run = promisify(execFile);

/** Looks through a resources dictionary (and those of its form XObjects): fonts, and images drawn. */
const survey = (doc: PDFDocument, resources: PDFObject | undefined, depth = 0) => {
  const found = { fonts: 0, images: 0 };
  const dict = resources instanceof PDFRef ? doc.context.lookup(resources) : resources;
  if (!(dict instanceof PDFDict) || depth > 4) return found;
  const fonts = dict.lookup(PDFName.of('Font'));
  if (fonts instanceof PDFDict) found.fonts += fonts.keys().length;
  const xobjects = dict.lookup(PDFName.of('XObject'));
  if (!(xobjects instanceof PDFDict)) return found;
  for (const key of xobjects.keys()) {
    const xobject = xobjects.lookup(key);
    if (!(xobject instanceof PDFRawStream)) continue;
    const subtype = xobject.dict.lookup(PDFName.of('Subtype'));
    if (subtype === PDFName.of('Image')) found.images += 1;
    else if (subtype === PDFName.of('Form')) {
      const inner = survey(doc, xobject.dict.get(PDFName.of('Resources')), depth + 1);
      found.fonts += inner.fonts;
      found.images += inner.images;
    }
  }
  return found;
};

/** True when page `index` draws an image and names no font: a scan, not a document made on a computer. */
export const isImageOnlyPage = async (bytes: Uint8Array, index: number) => {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  const page = doc.getPage(index);
  const { fonts, images } = survey(doc, page.node.get(PDFName.of('Resources')) ?? page.node.Resources());
  return fonts === 0 && images > 0;
};

/** Page `index` (from 0) rendered at 300 dpi by pdftoppm, as a TIFF that records its resolution. */
export const rasterisePdfPage = async (bytes: Uint8Array, index: number) => {
  const dir = await mkdtemp(join(tmpdir(), 'pd-pdfpage-'));
  try {
    const input = join(dir, 'in.pdf');
    await writeFile(input, bytes);
    const page = String(index + 1);
    await run(
      'pdftoppm',
      [
        '-r',
        '300',
        '-f',
        page,
        '-l',
        page,
        '-singlefile',
        '-tiff',
        '-tiffcompression',
        'lzw',
        input,
        join(dir, 'page'),
      ],
      { timeout: 60_000 },
    );
    return new Uint8Array(await readFile(join(dir, 'page.tif')));
  } catch (err) {
    throw appError('PDF_INVALID', {
      reason: err instanceof Error ? err.message.split('\n')[0] : 'unreadable',
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};
