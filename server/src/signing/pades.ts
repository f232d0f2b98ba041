import { appError } from '@postdesk/shared';
import { pdflibAddPlaceholder } from '@signpdf/placeholder-pdf-lib';
import { SignPdf, Signer as SignPdfSigner } from '@signpdf/signpdf';
import { SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils';
import {
  EncryptedPDFError,
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFInvalidObject,
  PDFName,
  PDFRef,
} from 'pdf-lib';
import { augmentToLta } from './augment';
import { buildCadesSignature } from './cms';
import { type ArchivalMeta, makeArchival } from './pdfa';
import type { Signer } from './signer';
import { addSignatureTimestamp, requestTimestamp, signatureValueOf } from './timestamp';

export type SignPdfOptions = {
  reason: string;
  location: string;
  /** The signer's name as written in the signature dictionary (viewers show the certificate's CN). */
  name: string;
  contactInfo?: string;
  /** Goes into /M; PAdES forbids the CMS signingTime attribute. Defaults to now. */
  signingTime?: Date;
  /** The PIN the clerk typed, when the token's PIN is not configured. */
  pin?: string;
  /**
   * Archival form (PDF/A-2b with this metadata, pdfa.ts) made before the placeholder, so the signature covers
   * it. Only for a file with no signature yet: a counter-signature cannot change what was signed.
   */
  archival?: ArchivalMeta;
};

// Hex digits reserved for the CMS: room for a signer certificate and a two-level chain of RSA-4096 CAs.
export const SIGNATURE_HEX_LENGTH = 16384;

const ascii = (bytes: Uint8Array, from: number, to: number) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1', from, to);

/** A PDF file starts with `%PDF-` within its first kilobyte; anything else (HTML, an image) is not one. */
const assertPdfHeader = (bytes: Uint8Array) => {
  if (!ascii(bytes, 0, 1024).includes('%PDF-')) throw appError('PDF_INVALID', { reason: 'no %PDF- header' });
};

/**
 * Text for a PDF literal string: pdf-lib writes PDFString values byte for byte without escaping, and the
 * placeholder passes our text through PDFString.of, so non-ASCII text goes as UTF-16BE with a BOM, escaped here.
 */
export const pdfLiteralText = (text: string): string => {
  const value = text.normalize('NFC');
  const bytes = /^[\x20-\x7e]*$/.test(value)
    ? Buffer.from(value, 'latin1')
    : Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(value, 'utf16le').swap16()]);
  let out = '';
  for (const byte of bytes) {
    if (byte === 0x28 || byte === 0x29 || byte === 0x5c) out += `\\${String.fromCharCode(byte)}`;
    else if (byte === 0x0d) out += '\\r';
    else if (byte === 0x0a) out += '\\n';
    else out += String.fromCharCode(byte);
  }
  return out;
};

// The trailer (or cross-reference stream) of an encrypted file names its security handler; pdf-lib often
// fails to parse such a file before it gets to say it is encrypted.
const ENCRYPT_ENTRY = /\/Encrypt\s*(?:\d+\s+\d+\s+R|<<)/;

export const loadPdf = async (bytes: Uint8Array) => {
  assertPdfHeader(bytes);
  if (ENCRYPT_ENTRY.test(ascii(bytes, 0, bytes.length))) throw appError('PDF_ENCRYPTED');
  try {
    return await PDFDocument.load(bytes, { updateMetadata: false, throwOnInvalidObject: true });
  } catch (err) {
    if (err instanceof EncryptedPDFError) throw appError('PDF_ENCRYPTED');
    throw appError('PDF_INVALID', {
      reason: err instanceof Error ? err.message.slice(0, 200) : 'unreadable',
    });
  }
};

// @signpdf checks `instanceof Signer`, so the external signer has to be a subclass.
export class CadesSigner extends SignPdfSigner {
  constructor(
    private readonly certificate: Uint8Array,
    private readonly chain: Uint8Array[],
    private readonly signer: Signer,
    private readonly pin: { pin?: string },
  ) {
    super();
  }

  override async sign(content: Buffer): Promise<Buffer> {
    const cms = await buildCadesSignature({
      content: new Uint8Array(content),
      certificate: this.certificate,
      chain: this.chain,
      sign: (toBeSigned) => this.signer.sign(toBeSigned, this.pin),
    });
    const longTerm = this.signer.longTerm;
    if (!longTerm) return Buffer.from(cms);
    // PAdES B-T: the TSA's token over the signature value, as the unsigned signature-time-stamp attribute.
    const token = await requestTimestamp(longTerm.tsa, signatureValueOf(cms));
    return Buffer.from(addSignatureTimestamp(cms, token));
  }
}

/** Room in /Contents: a timestamped signature also carries the TSA's token and certificate. */
export const signatureHexLength = (signer: Signer) =>
  signer.longTerm ? 2 * SIGNATURE_HEX_LENGTH : SIGNATURE_HEX_LENGTH;

/**
 * B-T → B-LTA when the signer has a TSA (DSS, document timestamp, DSS); B-B as it is otherwise.
 * `chain` completes the TSA's and signer's chains when the file does not carry them.
 */
export const extendSignature = async (signed: Uint8Array, signer: Signer, chain: Uint8Array[]) => {
  if (!signer.longTerm) return signed;
  const extra = [...(signer.longTerm.extraCertificates ?? []), ...chain];
  return (await augmentToLta(signed, { ...signer.longTerm, extraCertificates: extra })).bytes;
};

/**
 * Makes the document's first signature a certification signature with DocMDP P=2 (ISO 32000-1 §12.8.2.2):
 * later signatures and form filling stay allowed, and viewers flag any other change. The placeholder writes
 * the signature dictionary as raw bytes, so its /Reference goes in before the closing `>>`; the catalogue's
 * /Perms names the signature.
 */
const certify = (doc: PDFDocument) => {
  const annots = doc.getPage(0).node.lookupMaybe(PDFName.of('Annots'), PDFArray);
  const widget = annots?.lookupMaybe(annots.size() - 1, PDFDict);
  const sigRef = widget?.get(PDFName.of('V'));
  const raw = sigRef instanceof PDFRef ? doc.context.lookup(sigRef) : undefined;
  if (!(sigRef instanceof PDFRef) || !(raw instanceof PDFInvalidObject))
    throw new Error('signature placeholder not found');
  const bytes = new Uint8Array(raw.sizeInBytes());
  raw.copyBytesInto(bytes, 0);
  const text = Buffer.from(bytes).toString('latin1');
  const end = text.lastIndexOf('>>');
  const reference =
    '/Reference [<< /Type /SigRef /TransformMethod /DocMDP /TransformParams << /Type /TransformParams /P 2 /V /1.2 >> >>]\n';
  doc.context.assign(
    sigRef,
    PDFInvalidObject.of(Buffer.from(text.slice(0, end) + reference + text.slice(end), 'latin1')),
  );
  doc.catalog.set(PDFName.of('Perms'), doc.context.obj({ DocMDP: sigRef }));
};

/**
 * Signs a pdf-lib document as PAdES baseline B (`ETSI.CAdES.detached`) with an invisible signature field on the
 * first page, saving it once. For the assembly step: no parse and re-save of bytes just produced. The
 * document must not be edited afterwards (the returned bytes are what was signed).
 */
export const signPdfDocument = async (doc: PDFDocument, signer: Signer, options: SignPdfOptions) => {
  if (doc.getPageCount() === 0) throw appError('PDF_INVALID', { reason: 'no pages' });
  const [certificate, chain] = await Promise.all([signer.certificate(), signer.chain()]);
  if (options.archival) await makeArchival(doc, options.archival);
  pdflibAddPlaceholder({
    pdfDoc: doc,
    reason: pdfLiteralText(options.reason),
    location: pdfLiteralText(options.location),
    name: pdfLiteralText(options.name),
    contactInfo: pdfLiteralText(options.contactInfo ?? ''),
    signingTime: options.signingTime ?? new Date(),
    subFilter: SUBFILTER_ETSI_CADES_DETACHED,
    signatureLength: signatureHexLength(signer),
    widgetRect: [0, 0, 0, 0],
    appName: 'PostDesk',
  });
  certify(doc);
  const prepared = Buffer.from(await doc.save({ useObjectStreams: false }));
  const pin = options.pin === undefined ? {} : { pin: options.pin };
  const signed = new Uint8Array(
    await new SignPdf().sign(prepared, new CadesSigner(certificate, chain, signer, pin)),
  );
  return extendSignature(signed, signer, [certificate, ...chain]);
};

/**
 * Signs PDF bytes (any unencrypted, unsigned PDF) as PAdES baseline B. pdf-lib re-writes the file once before
 * the signature goes in, so an earlier signature in it would break: a second signature goes in as an
 * incremental update instead (`countersignPdf`).
 */
export const signPdf = async (pdfBytes: Uint8Array, signer: Signer, options: SignPdfOptions) =>
  signPdfDocument(await loadPdf(pdfBytes), signer, options);
