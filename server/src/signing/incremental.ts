// Reading what the long-term machinery needs from a signed PDF without re-saving it (every signature's
// byte range and /Contents, the DSS), and appending objects as an incremental update that leaves every
// earlier byte, and so every earlier signature, as it was.
import { createHash } from 'node:crypto';
import { appError } from '@postdesk/shared';
import {
  decodePDFRawStream,
  PDFArray,
  PDFDict,
  type PDFDocument,
  PDFName,
  type PDFObject,
  PDFRawStream,
  PDFRef,
} from 'pdf-lib';

const BYTE_RANGE = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g;

export type PdfSignature = {
  byteRange: [number, number, number, number];
  /** The /Contents string, hex-decoded, zero padding included (what the DSS /VRI key hashes). */
  contents: Uint8Array;
  /** The CMS (or timestamp token) without the padding. */
  cms: Uint8Array;
  /** The bytes the signature covers: both ranges, concatenated. */
  signedBytes: Uint8Array;
  kind: 'signature' | 'document-timestamp';
  /** /M as written (claimed by the signer's computer). */
  claimedTime?: string;
};

/** Length of the DER element at the start of `bytes` (the CMS inside its zero padding). */
const derLength = (bytes: Uint8Array) => {
  if (bytes.length < 2) return bytes.length;
  const first = bytes[1] ?? 0;
  if (first < 0x80) return 2 + first;
  const count = first & 0x7f;
  let length = 0;
  for (let i = 0; i < count; i += 1) length = length * 256 + (bytes[2 + i] ?? 0);
  return Math.min(bytes.length, 2 + count + length);
};

const dictionaryAround = (text: string, at: number) => {
  const start = Math.max(text.lastIndexOf(' obj', at), 0);
  const end = text.indexOf('endobj', at);
  return text.slice(start, end === -1 ? undefined : end);
};

/** Every signature and document timestamp whose /ByteRange points at its /Contents, in file order. */
export const findSignatures = (bytes: Uint8Array): PdfSignature[] => {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = buffer.toString('latin1');
  const seen = new Set<string>();
  const out: PdfSignature[] = [];
  for (const match of text.matchAll(BYTE_RANGE)) {
    const [a, b, c, d] = match.slice(1, 5).map(Number) as [number, number, number, number];
    const key = `${a} ${b} ${c} ${d}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (a !== 0 || buffer[b] !== 0x3c || buffer[c - 1] !== 0x3e || c + d > buffer.length) continue;
    const hex = text.slice(b + 1, c - 1);
    if (!/^[0-9A-Fa-f]*$/.test(hex)) continue;
    const contents = new Uint8Array(Buffer.from(hex, 'hex'));
    const dict = dictionaryAround(text, match.index);
    const docTimestamp =
      /\/Type\s*\/DocTimeStamp\b/.test(dict) || /\/SubFilter\s*\/ETSI\.RFC3161\b/.test(dict);
    out.push({
      byteRange: [a, b, c, d],
      contents,
      cms: contents.subarray(0, derLength(contents)),
      signedBytes: new Uint8Array(Buffer.concat([buffer.subarray(a, a + b), buffer.subarray(c, c + d)])),
      kind: docTimestamp ? 'document-timestamp' : 'signature',
      ...(() => {
        const m = /\/M\s*\(([^)]*)\)/.exec(dict)?.[1];
        return m ? { claimedTime: m } : {};
      })(),
    });
  }
  return out.sort((x, y) => x.byteRange[2] - y.byteRange[2]);
};

/** The DSS key of a signature: upper-case hex SHA-1 of its /Contents string (ETSI EN 319 142-1 §5.4.2.3). */
export const vriKey = (signature: PdfSignature) =>
  createHash('sha1').update(signature.contents).digest('hex').toUpperCase();

export type DssData = { certs: Uint8Array[]; ocsps: Uint8Array[]; crls: Uint8Array[] };

const streamsOf = (doc: PDFDocument, value: PDFObject | undefined): { ref?: PDFRef; bytes: Uint8Array }[] => {
  const array = value instanceof PDFRef ? doc.context.lookup(value) : value;
  if (!(array instanceof PDFArray)) return [];
  return array.asArray().flatMap((item) => {
    const stream = item instanceof PDFRef ? doc.context.lookup(item) : item;
    if (!(stream instanceof PDFRawStream)) return [];
    const bytes = stream.dict.has(PDFName.of('Filter'))
      ? decodePDFRawStream(stream).decode()
      : stream.contents;
    return [{ ...(item instanceof PDFRef ? { ref: item } : {}), bytes: new Uint8Array(bytes) }];
  });
};

export const dssDictionary = (doc: PDFDocument) => {
  const value = doc.catalog.get(PDFName.of('DSS'));
  const dss = value instanceof PDFRef ? doc.context.lookup(value) : value;
  return dss instanceof PDFDict ? dss : undefined;
};

/** The DSS entries of the document's current catalog, with the references they sit at. */
export const readDssEntries = (doc: PDFDocument) => {
  const dss = dssDictionary(doc);
  return {
    certs: streamsOf(doc, dss?.get(PDFName.of('Certs'))),
    ocsps: streamsOf(doc, dss?.get(PDFName.of('OCSPs'))),
    crls: streamsOf(doc, dss?.get(PDFName.of('CRLs'))),
    vri: (() => {
      const vri = dss?.get(PDFName.of('VRI'));
      const dict = vri instanceof PDFRef ? doc.context.lookup(vri) : vri;
      return dict instanceof PDFDict ? dict : undefined;
    })(),
  };
};

export const readDss = (doc: PDFDocument): DssData => {
  const entries = readDssEntries(doc);
  return {
    certs: entries.certs.map((e) => e.bytes),
    ocsps: entries.ocsps.map((e) => e.bytes),
    crls: entries.crls.map((e) => e.bytes),
  };
};

const lastStartXref = (text: string) => {
  const matches = [...text.matchAll(/startxref\s+(\d+)/g)];
  const last = matches.at(-1);
  if (!last) throw appError('PDF_INVALID', { reason: 'no startxref' });
  return Number(last[1]);
};

export type UpdateObject = { ref: PDFRef; body: Buffer };

/** `<< /Length n >> stream … endstream`, the bytes as they are. */
export const streamObject = (bytes: Uint8Array) =>
  Buffer.concat([
    Buffer.from(`<<\n/Length ${bytes.length}\n>>\nstream\n`, 'latin1'),
    Buffer.from(bytes),
    Buffer.from('\nendstream', 'latin1'),
  ]);

/**
 * Appends `objects` after the file's last byte with a cross-reference section chained by /Prev to the
 * previous one, and a trailer that keeps /Root, /Info and /ID.
 */
export const appendUpdate = (
  original: Uint8Array,
  doc: PDFDocument,
  objects: UpdateObject[],
  size: number,
) => {
  const source = Buffer.from(original.buffer, original.byteOffset, original.byteLength);
  const text = source.toString('latin1');
  const prev = lastStartXref(text);
  const trailer = doc.context.trailerInfo;
  if (!(trailer.Root instanceof PDFRef)) throw appError('PDF_INVALID', { reason: 'no catalog reference' });
  const parts: Buffer[] = [source.at(-1) === 0x0a ? Buffer.alloc(0) : Buffer.from('\n')];
  let length = source.length + (parts[0]?.length ?? 0);
  const offsets = new Map<number, number>();
  for (const { ref, body } of objects) {
    offsets.set(ref.objectNumber, length);
    const chunk = Buffer.concat([
      Buffer.from(`${ref.objectNumber} ${ref.generationNumber} obj\n`, 'latin1'),
      body,
      Buffer.from('\nendobj\n', 'latin1'),
    ]);
    parts.push(chunk);
    length += chunk.length;
  }
  let xref = 'xref\n';
  for (const { ref } of [...objects].sort((a, b) => a.ref.objectNumber - b.ref.objectNumber)) {
    const offset = offsets.get(ref.objectNumber) ?? 0;
    xref += `${ref.objectNumber} 1\n${String(offset).padStart(10, '0')} ${String(ref.generationNumber).padStart(5, '0')} n \n`;
  }
  const entries = [
    `/Size ${size}`,
    `/Root ${trailer.Root}`,
    ...(trailer.Info ? [`/Info ${trailer.Info}`] : []),
    ...(trailer.ID ? [`/ID ${trailer.ID}`] : []),
    `/Prev ${prev}`,
  ];
  parts.push(
    Buffer.from(`${xref}trailer\n<<\n${entries.join('\n')}\n>>\nstartxref\n${length}\n%%EOF\n`, 'latin1'),
  );
  return new Uint8Array(Buffer.concat([source, ...parts]));
};
