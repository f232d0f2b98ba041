// One PDF per dossier component: A4 pages holding the cleaned scans at their real size (300 dpi), or pages
// of an uploaded PDF copied as they are. The document is returned unsaved, because signing saves it once.
import { appError, isAppError } from '@postdesk/shared';
import {
  concatTransformationMatrix,
  drawObject,
  PDFDocument,
  PDFName,
  type PDFPage,
  popGraphicsState,
  pushGraphicsState,
} from 'pdf-lib';
import { g4DecodeParms } from './ccitt';
import { stripActiveContent } from './active-content';
import { isEncryptedPdf } from './image-sniff';
import type { PageImage, ProcessedPage } from './pipeline';

/** A4 in PDF points (1/72 inch). */
const A4 = { short: 595.28, long: 841.89 };

export type ComponentPage =
  | { kind: 'processed'; result: Pick<ProcessedPage, 'image' | 'dpi'> }
  | { kind: 'pdf'; bytes: Uint8Array; pageIndex: number };

export type ComponentMeta = {
  title: string;
  dossierCode: string;
  componentCode: string;
  /** The digitized-document code (DOMAIN.md): `{owner id}.{procedure code}.{component code}.{NN}`. */
  digitizedCode: string;
  author: string;
  subject?: string;
  keywords?: string[];
  createdAt: Date;
};

/**
 * A 1-bit DeviceGray image XObject over the CCITT G4 data as it is: pdf-lib's `embedPng` would decode and
 * re-encode a 1-bit page as 8-bit RGB, some thirty times larger and a hundred times slower (STACK.md §4).
 */
const embedBilevel = (doc: PDFDocument, image: Extract<PageImage, { kind: 'bilevel' }>) =>
  doc.context.register(
    doc.context.stream(image.data, {
      Type: 'XObject',
      Subtype: 'Image',
      Width: image.width,
      Height: image.height,
      BitsPerComponent: 1,
      ColorSpace: 'DeviceGray',
      Filter: 'CCITTFaxDecode',
      DecodeParms: g4DecodeParms(image.width, image.height),
    }),
  );

/** An A4 page (turned to match the image) with the image at its resolution, shrunk only to fit, centred. */
const addImagePage = async (doc: PDFDocument, result: Pick<ProcessedPage, 'image' | 'dpi'>) => {
  const { image } = result;
  const landscape = image.width > image.height;
  const page = doc.addPage(landscape ? [A4.long, A4.short] : [A4.short, A4.long]);
  const dpi = result.dpi > 0 ? result.dpi : 300;
  const natural = { width: (image.width * 72) / dpi, height: (image.height * 72) / dpi };
  const scale = Math.min(1, page.getWidth() / natural.width, page.getHeight() / natural.height);
  const width = natural.width * scale;
  const height = natural.height * scale;
  const x = (page.getWidth() - width) / 2;
  const y = (page.getHeight() - height) / 2;
  if (image.kind === 'jpeg') {
    const embedded = await doc.embedJpg(image.data);
    page.drawImage(embedded, { x, y, width, height });
    return;
  }
  const ref = embedBilevel(doc, image);
  const name = page.node.newXObject('Im', ref);
  page.pushOperators(
    pushGraphicsState(),
    concatTransformationMatrix(width, 0, 0, height, x, y),
    drawObject(name),
    popGraphicsState(),
  );
  // Photos, seals and signatures over the 1-bit layer, each where it lies on the page (PDF y runs upward).
  const unit = width / image.width;
  for (const region of image.regions ?? []) {
    const embedded = await doc.embedJpg(region.data);
    page.drawImage(embedded, {
      x: x + region.left * unit,
      y: y + (image.height - region.top - region.height) * unit,
      width: region.width * unit,
      height: region.height * unit,
    });
  }
};

const isA4 = (page: PDFPage) => {
  const { width, height } = page.getSize();
  const [short, long] = width <= height ? [width, height] : [height, width];
  return Math.abs(short - A4.short) < 3 && Math.abs(long - A4.long) < 3;
};

const loadSource = async (bytes: Uint8Array) => {
  if (isEncryptedPdf(bytes)) throw appError('PDF_ENCRYPTED');
  try {
    return await PDFDocument.load(bytes, { updateMetadata: false });
  } catch (err) {
    if (err instanceof Error && err.name === 'EncryptedPDFError') throw appError('PDF_ENCRYPTED');
    throw appError('PDF_INVALID', {
      reason: err instanceof Error ? err.message.split('\n')[0] : 'unreadable',
    });
  }
};

/** A page of an uploaded PDF: copied untouched when already A4, otherwise drawn scaled to fit an A4 page. */
const addPdfPage = async (doc: PDFDocument, source: PDFDocument, index: number) => {
  if (index < 0 || index >= source.getPageCount()) {
    throw appError('VALIDATION_FAILED', { field: 'pageIndex', pages: source.getPageCount() });
  }
  const original = source.getPage(index);
  if (isA4(original)) {
    const [copy] = await doc.copyPages(source, [index]);
    doc.addPage(copy!);
    return;
  }
  const embedded = await doc.embedPage(original);
  const landscape = embedded.width > embedded.height;
  const page = doc.addPage(landscape ? [A4.long, A4.short] : [A4.short, A4.long]);
  const scale = Math.min(page.getWidth() / embedded.width, page.getHeight() / embedded.height);
  const width = embedded.width * scale;
  const height = embedded.height * scale;
  page.drawPage(embedded, {
    x: (page.getWidth() - width) / 2,
    y: (page.getHeight() - height) / 2,
    width,
    height,
  });
};

/**
 * The component's PDF, unsaved (the signing step saves it once): one A4 page per input page in order, and
 * the document information a records system searches by: title, subject, author, keywords holding the
 * dossier, component and digitized-document codes, creation date, producer PostDesk.
 */
export const assembleComponentPdf = async (pages: ComponentPage[], meta: ComponentMeta) => {
  if (pages.length === 0) throw appError('VALIDATION_FAILED', { field: 'pages', reason: 'empty' });
  const doc = await PDFDocument.create({ updateMetadata: false });
  const sources = new Map<Uint8Array, PDFDocument>();
  try {
    for (const page of pages) {
      if (page.kind === 'processed') {
        await addImagePage(doc, page.result);
        continue;
      }
      let source = sources.get(page.bytes);
      if (!source) {
        source = await loadSource(page.bytes);
        sources.set(page.bytes, source);
      }
      await addPdfPage(doc, source, page.pageIndex);
    }
  } catch (err) {
    if (isAppError(err)) throw err;
    throw appError('PDF_INVALID', {
      reason: err instanceof Error ? err.message.split('\n')[0] : 'unreadable',
    });
  }
  doc.setTitle(meta.title, { showInWindowTitleBar: true });
  doc.setSubject(meta.subject ?? `${meta.dossierCode} — ${meta.componentCode}`);
  doc.setAuthor(meta.author);
  doc.setKeywords([...(meta.keywords ?? []), meta.dossierCode, meta.componentCode, meta.digitizedCode]);
  doc.setCreationDate(meta.createdAt);
  doc.setModificationDate(meta.createdAt);
  doc.setProducer('PostDesk');
  doc.setCreator('PostDesk');
  doc.setLanguage('vi-VN');
  doc.catalog.set(PDFName.of('PageLayout'), PDFName.of('SinglePage'));
  // An uploaded PDF's page can carry scripts and actions of its own (page /AA, link actions, attachments).
  await doc.flush();
  return stripActiveContent(doc);
};

/** Saves a component PDF that is not going to be signed. */
export const saveComponentPdf = async (doc: PDFDocument) => new Uint8Array(await doc.save());
