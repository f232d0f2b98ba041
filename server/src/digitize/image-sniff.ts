import { appError } from '@postdesk/shared';

export type ScanMime =
  | 'image/jpeg'
  | 'image/png'
  | 'image/tiff'
  | 'image/webp'
  | 'image/heif'
  | 'application/pdf';

/** What the desk reads, in the order the refusal lists them. */
export const SCAN_TYPES: readonly ScanMime[] = [
  'application/pdf',
  'image/jpeg',
  'image/png',
  'image/tiff',
  'image/webp',
  'image/heif',
];

/** The names a clerk knows the accepted formats by, for the refusal's details. */
export const SCAN_FORMAT_NAMES = ['PDF', 'JPEG', 'PNG', 'TIFF', 'WebP', 'HEIF/AVIF'];

const ascii = (bytes: Uint8Array, from: number, to: number) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1', from, to);

/**
 * An ISO-BMFF image (HEIF family): `ftyp` at byte 4 and a brand. HEIC (HEVC-coded, what iPhones send) cannot
 * be decoded by the prebuilt libvips (its libheif carries only the AV1 decoder, for patent reasons), so it is
 * told apart from AVIF, which can.
 */
const heifBrand = (bytes: Uint8Array): 'avif' | 'heic' | null => {
  if (bytes.byteLength < 16 || ascii(bytes, 4, 8) !== 'ftyp') return null;
  const size = Math.min(
    bytes.byteLength,
    Math.max(16, new DataView(bytes.buffer, bytes.byteOffset).getUint32(0)),
  );
  const brands = [ascii(bytes, 8, 12)];
  for (let at = 16; at + 4 <= size; at += 4) brands.push(ascii(bytes, at, at + 4));
  if (brands.some((b) => b === 'avif' || b === 'avis')) return 'avif';
  if (brands.some((b) => ['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1'].includes(b)))
    return 'heic';
  return null;
};

const startsWith = (bytes: Uint8Array, magic: number[], at = 0) => magic.every((b, i) => bytes[at + i] === b);

/** The type of an upload from its first bytes, never from its name. */
export const sniffScanType = (bytes: Uint8Array): ScanMime | null => {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a]))
    return 'image/tiff';
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return 'image/webp';
  if (heifBrand(bytes) === 'avif') return 'image/heif';
  // The PDF header may follow a little junk (PDF 32000-1 §7.5.2 readers look in the first 1024 bytes).
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 1024));
  if (head.indexOf('%PDF-') >= 0) return 'application/pdf';
  return null;
};

/**
 * An encrypted PDF names an /Encrypt dictionary in its trailer (or its cross-reference stream's
 * dictionary), always as an indirect reference or an inline dictionary; found before pdf-lib sees it.
 */
const ENCRYPT = /\/Encrypt\s*(?:\d+\s+\d+\s+R|<<)/;

export const isEncryptedPdf = (bytes: Uint8Array) => {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = buffer.indexOf('/Encrypt');
  while (at >= 0) {
    if (ENCRYPT.test(buffer.subarray(at, at + 40).toString('latin1'))) return true;
    at = buffer.indexOf('/Encrypt', at + 8);
  }
  return false;
};

/** Refuses what the desk cannot digitize, with the error the clerk should see. */
export const requireScanType = (bytes: Uint8Array, declared?: string): ScanMime => {
  const mime = sniffScanType(bytes);
  if (mime) return mime;
  // Named or sent as a PDF but something else inside (often an HTML error page saved as .pdf).
  if (declared && /pdf/i.test(declared)) throw appError('PDF_INVALID', { reason: 'no PDF header' });
  if (heifBrand(bytes) === 'heic') throw appError('SCAN_HEIC_UNSUPPORTED', { accepted: SCAN_FORMAT_NAMES });
  throw appError('SCAN_TYPE_NOT_ALLOWED', { accepted: SCAN_FORMAT_NAMES });
};
