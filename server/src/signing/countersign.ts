// A second signature on an already signed PDF (an agency counter-signs the desk's copy, or the other way):
// an incremental update appended after the file's last byte, so every byte the first signature covers stays
// as it is and the first signature stays valid. Re-saving with pdf-lib would rewrite the file and break it
// (STACK.md §3); @signpdf/placeholder-plain does this too but brings ~130 packages, so the few objects an
// update needs are written here: the new signature dictionary and its invisible widget, the page with the
// widget added to /Annots, the AcroForm with the new field, and a cross-reference section chained by /Prev.
import { appError } from '@postdesk/shared';
import { SignPdf } from '@signpdf/signpdf';
import {
  PDFArray,
  type PDFDict,
  type PDFDocument,
  PDFName,
  PDFNumber,
  type PDFObject,
  PDFRef,
} from 'pdf-lib';
import {
  CadesSigner,
  extendSignature,
  loadPdf,
  pdfLiteralText,
  type SignPdfOptions,
  signatureHexLength,
} from './pades';
import type { Signer } from './signer';

const BYTE_RANGE_PLACEHOLDER = '/**********';

/** `D:YYYYMMDDHHmmSSZ`, as /M is written. */
const pdfDate = (date: Date) => `D:${date.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;

const lastStartXref = (text: string) => {
  const matches = [...text.matchAll(/startxref\s+(\d+)/g)];
  const last = matches.at(-1);
  if (!last) throw appError('PDF_INVALID', { reason: 'no startxref' });
  return Number(last[1]);
};

const resolveArray = (doc: PDFDocument, value: PDFObject | undefined): PDFRef[] => {
  const array = value instanceof PDFRef ? doc.context.lookup(value) : value;
  if (!(array instanceof PDFArray)) return [];
  return array.asArray().filter((item): item is PDFRef => item instanceof PDFRef);
};

/**
 * Adds a PAdES baseline B signature (`ETSI.CAdES.detached`) to a signed (or unsigned) PDF as an incremental
 * update: pdfsig then reports both signatures, the first over its own revision ("not total document
 * signed") and the new one over the whole file. The signature field is invisible, on the first page.
 */
export const countersignPdf = async (pdfBytes: Uint8Array, signer: Signer, options: SignPdfOptions) => {
  const original = Buffer.from(pdfBytes.buffer, pdfBytes.byteOffset, pdfBytes.byteLength);
  const doc = await loadPdf(original);
  if (doc.getPageCount() === 0) throw appError('PDF_INVALID', { reason: 'no pages' });
  const ctx = doc.context;
  const text = original.toString('latin1');
  const prev = lastStartXref(text);
  const trailer = ctx.trailerInfo;
  if (!(trailer.Root instanceof PDFRef)) throw appError('PDF_INVALID', { reason: 'no catalog reference' });

  let next = ctx.largestObjectNumber + 1;
  const sigRef = PDFRef.of(next++);
  const widgetRef = PDFRef.of(next++);
  const page = doc.getPage(0);
  const catalog = doc.catalog;
  const objects: [PDFRef, string][] = [];

  // The AcroForm: updated where it is (its own object, or inside the catalog), or made.
  const acroFormValue = catalog.get(PDFName.of('AcroForm'));
  const acroFormDict = (acroFormValue instanceof PDFRef ? ctx.lookup(acroFormValue) : acroFormValue) as
    | PDFDict
    | undefined;
  const fields = resolveArray(doc, acroFormDict?.get(PDFName.of('Fields')));
  const form = acroFormDict ? acroFormDict.clone(ctx) : ctx.obj({});
  form.set(PDFName.of('Fields'), ctx.obj([...fields, widgetRef]));
  form.set(PDFName.of('SigFlags'), PDFNumber.of(3));
  if (acroFormValue instanceof PDFRef) {
    objects.push([acroFormValue, form.toString()]);
  } else {
    const formRef = acroFormDict ? undefined : PDFRef.of(next++);
    const updated = catalog.clone(ctx);
    if (formRef) objects.push([formRef, form.toString()]);
    updated.set(PDFName.of('AcroForm'), formRef ?? form);
    objects.push([trailer.Root, updated.toString()]);
  }

  const pageDict = page.node.clone(ctx);
  const annots = resolveArray(doc, page.node.get(PDFName.of('Annots')));
  pageDict.set(PDFName.of('Annots'), ctx.obj([...annots, widgetRef]));
  objects.push([page.ref, pageDict.toString()]);

  const fieldName = `Signature${fields.length + 1}`;
  objects.push([
    widgetRef,
    `<<\n/Type /Annot\n/Subtype /Widget\n/FT /Sig\n/Rect [ 0 0 0 0 ]\n/V ${sigRef}\n/T (${fieldName})\n/F 132\n/P ${page.ref}\n>>`,
  ]);
  objects.push([
    sigRef,
    [
      '<<',
      '/Type /Sig',
      '/Filter /Adobe.PPKLite',
      '/SubFilter /ETSI.CAdES.detached',
      `/ByteRange [0 ${BYTE_RANGE_PLACEHOLDER} ${BYTE_RANGE_PLACEHOLDER} ${BYTE_RANGE_PLACEHOLDER}]`,
      `/Contents <${'0'.repeat(signatureHexLength(signer))}>`,
      `/Reason (${pdfLiteralText(options.reason)})`,
      `/M (${pdfDate(options.signingTime ?? new Date())})`,
      `/Name (${pdfLiteralText(options.name)})`,
      `/Location (${pdfLiteralText(options.location)})`,
      `/ContactInfo (${pdfLiteralText(options.contactInfo ?? '')})`,
      '/Prop_Build << /App << /Name /PostDesk >> >>',
      '>>',
    ].join('\n'),
  ]);

  // The update: objects, then one cross-reference subsection per object (20-byte entries), then the
  // trailer chained to the previous cross-reference by /Prev.
  let body = original.at(-1) === 0x0a ? '' : '\n';
  const offsets = new Map<number, number>();
  for (const [ref, dict] of objects) {
    offsets.set(ref.objectNumber, original.length + Buffer.byteLength(body, 'latin1'));
    body += `${ref.objectNumber} ${ref.generationNumber} obj\n${dict}\nendobj\n`;
  }
  const xrefOffset = original.length + Buffer.byteLength(body, 'latin1');
  let xref = 'xref\n';
  for (const [ref] of [...objects].sort((a, b) => a[0].objectNumber - b[0].objectNumber)) {
    const offset = offsets.get(ref.objectNumber)!;
    xref += `${ref.objectNumber} 1\n${String(offset).padStart(10, '0')} ${String(ref.generationNumber).padStart(5, '0')} n \n`;
  }
  const size = Math.max(next, ctx.largestObjectNumber + 1);
  const entries = [
    `/Size ${size}`,
    `/Root ${trailer.Root}`,
    ...(trailer.Info ? [`/Info ${trailer.Info}`] : []),
    ...(trailer.ID ? [`/ID ${trailer.ID}`] : []),
    `/Prev ${prev}`,
  ];
  const tail = `${xref}trailer\n<<\n${entries.join('\n')}\n>>\nstartxref\n${xrefOffset}\n%%EOF\n`;
  const prepared = Buffer.concat([original, Buffer.from(body + tail, 'latin1')]);

  const [certificate, chain] = await Promise.all([signer.certificate(), signer.chain()]);
  const pin = options.pin === undefined ? {} : { pin: options.pin };
  const signed = new Uint8Array(
    await new SignPdf().sign(prepared, new CadesSigner(certificate, chain, signer, pin)),
  );
  // A B-LTA original stays B-LTA: the new signature gets its own validation data and a new document timestamp.
  return extendSignature(signed, signer, [certificate, ...chain]);
};
