import { appError } from '@postdesk/shared';

export type ScanMime = 'image/jpeg' | 'image/png' | 'image/tiff' | 'application/pdf';

const startsWith = (bytes: Uint8Array, magic: number[], at = 0) => magic.every((b, i) => bytes[at + i] === b);

/** The type of an upload from its first bytes, never from its name. */
export const sniffScanType = (bytes: Uint8Array): ScanMime | null => {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a]))
    return 'image/tiff';
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
  throw appError('FILE_TYPE_NOT_ALLOWED', {
    allowed: ['image/jpeg', 'image/png', 'image/tiff', 'application/pdf'],
  });
};
