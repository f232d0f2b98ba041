import { createHash, verify as cryptoVerify, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { appError } from '@postdesk/shared';
import type * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { CMS_OID } from './cms';

export type VerifiedSignature = {
  signer: { commonName: string; organization: string; serial: string };
  /** From the signature dictionary's /M: the time the signer's computer claimed, not a timestamp. */
  signedAt: Date | null;
  subFilter: string;
  integrity: {
    byteRangeCoversWholeFileExceptContents: boolean;
    digestMatches: boolean;
    /**
     * An earlier signature of a file signed again by incremental update: it covers its own revision, and
     * what was appended after it is covered by a later signature whose digest matches.
     */
    coveredByLaterSignature?: boolean;
  };
  signatureValid: boolean;
  chain: { trusted: boolean; path: string[]; reason?: string };
};

export type VerifyResult = { signatures: VerifiedSignature[]; modifiedAfterSigning: boolean };

export type VerifyOptions = {
  /** DER certificates of the CAs we trust (the configured trust roots). */
  trustRoots: Uint8Array[];
  /** Certificates are checked for validity at this time; default: the claimed signing time, else now. */
  at?: Date;
};

const HASHES: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  [CMS_OID.sha256]: 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

// Signature algorithms whose signature node:crypto checks as-is (PKCS#1 v1.5, DER-encoded ECDSA).
const SIGNATURE_HASHES: Record<string, string | null> = {
  '1.2.840.113549.1.1.1': null,
  '1.2.840.113549.1.1.5': 'sha1',
  [CMS_OID.sha256WithRSA]: 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
};

const BYTE_RANGE = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g;
// A signature dictionary, but not /SigRef or /SigFieldLock.
const SIG_TYPE = /\/Type\s*\/Sig(?![A-Za-z0-9])/g;

const attributeText = (name: pkijs.RelativeDistinguishedNames, oid: string) => {
  const value = name.typesAndValues.find((tv) => tv.type === oid)?.value as
    | { valueBlock?: { value?: unknown } }
    | undefined;
  return typeof value?.valueBlock?.value === 'string' ? value.valueBlock.value : '';
};

const commonNameOf = (der: Uint8Array) =>
  attributeText(pkijs.Certificate.fromBER(new Uint8Array(der)).subject, '2.5.4.3');

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex').toUpperCase();

/** `D:YYYYMMDDHHmmSS` with an optional `Z` or `+HH'mm'` offset, as PDF dates are written. */
export const parsePdfDate = (value: string): Date | null => {
  const m = /D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?([Zz+-])?(\d{2})?'?(\d{2})?/.exec(value);
  if (!m) return null;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', s = '00', sign, oh = '00', om = '00'] = m;
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const offset = (Number(oh) * 60 + Number(om)) * 60_000;
  const date = new Date(sign === '+' ? utc - offset : sign === '-' ? utc + offset : utc);
  return Number.isNaN(date.getTime()) ? null : date;
};

const dictionaryAround = (text: string, at: number) => {
  const start = Math.max(text.lastIndexOf(' obj', at), 0);
  const end = text.indexOf('endobj', at);
  return text.slice(start, end === -1 ? undefined : end);
};

const unreadable = (reason: string): VerifiedSignature => ({
  signer: { commonName: '', organization: '', serial: '' },
  signedAt: null,
  subFilter: '',
  integrity: { byteRangeCoversWholeFileExceptContents: false, digestMatches: false },
  signatureValid: false,
  chain: { trusted: false, path: [], reason },
});

const checkChain = (
  signerDer: Uint8Array,
  pool: Uint8Array[],
  trustRoots: Uint8Array[],
  at: Date,
): VerifiedSignature['chain'] => {
  const roots = trustRoots.map((der) => new X509Certificate(der));
  const candidates = [...roots, ...pool.map((der) => new X509Certificate(der))];
  let current = new X509Certificate(signerDer);
  const path = [commonNameOf(signerDer)];
  const usage = pkijs.Certificate.fromBER(new Uint8Array(signerDer)).extensions?.find(
    (e) => e.extnID === '2.5.29.15',
  );
  const usageBits = (usage?.parsedValue as asn1js.BitString | undefined)?.valueBlock.valueHexView[0];
  if (usageBits !== undefined && (usageBits & 0xc0) === 0) {
    return { trusted: false, path, reason: 'certificate is not for signing (keyUsage)' };
  }
  for (let depth = 0; depth < 10; depth += 1) {
    if (at < new Date(current.validFrom))
      return { trusted: false, path, reason: `${path.at(-1)}: not yet valid` };
    if (at > new Date(current.validTo)) return { trusted: false, path, reason: `${path.at(-1)}: expired` };
    const cert = current;
    if (roots.some((root) => root.raw.equals(cert.raw))) return { trusted: true, path };
    if (roots.length === 0) return { trusted: false, path, reason: 'no trust roots configured' };
    const issuer = candidates.find(
      (c) => !c.raw.equals(cert.raw) && cert.checkIssued(c) && cert.verify(c.publicKey),
    );
    if (!issuer) {
      return {
        trusted: false,
        path,
        reason: cert.subject === cert.issuer ? 'self-signed certificate is not trusted' : 'issuer unknown',
      };
    }
    path.push(commonNameOf(new Uint8Array(issuer.raw)));
    if (!issuer.ca) return { trusted: false, path, reason: `${path.at(-1)}: not a CA` };
    current = issuer;
  }
  return { trusted: false, path, reason: 'certificate chain too long' };
};

const verifyCms = (
  cmsDer: Uint8Array,
  signedContent: Uint8Array,
): {
  signerDer?: Uint8Array;
  certificates: Uint8Array[];
  digestMatches: boolean;
  signatureOk: boolean;
  reason?: string;
} => {
  const contentInfo = pkijs.ContentInfo.fromBER(new Uint8Array(cmsDer));
  if (contentInfo.contentType !== CMS_OID.signedData) throw new Error('not a CMS SignedData');
  const signedData = new pkijs.SignedData({ schema: contentInfo.content });
  const certificates = (signedData.certificates ?? [])
    .filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate)
    .map((c) => new Uint8Array(c.toSchema().toBER(false)));
  const signerInfo = signedData.signerInfos[0];
  if (!signerInfo) throw new Error('no SignerInfo');
  const sid = signerInfo.sid;
  const signerIndex =
    sid instanceof pkijs.IssuerAndSerialNumber
      ? (signedData.certificates ?? []).findIndex(
          (c) =>
            c instanceof pkijs.Certificate &&
            c.issuer.isEqual(sid.issuer) &&
            c.serialNumber.isEqual(sid.serialNumber),
        )
      : 0;
  const signerDer = certificates[signerIndex];
  if (!signerDer)
    return { certificates, digestMatches: false, signatureOk: false, reason: 'signer certificate missing' };

  const hashName = HASHES[signerInfo.digestAlgorithm.algorithmId];
  if (!hashName) throw new Error(`unsupported digest ${signerInfo.digestAlgorithm.algorithmId}`);
  const digest = createHash(hashName).update(signedContent).digest();
  const publicKey = new X509Certificate(signerDer).publicKey;
  const sigAlg = signerInfo.signatureAlgorithm.algorithmId;
  if (!(sigAlg in SIGNATURE_HASHES)) throw new Error(`unsupported signature algorithm ${sigAlg}`);
  const signature = signerInfo.signature.valueBlock.valueHexView;

  if (!signerInfo.signedAttrs) {
    const signatureOk = cryptoVerify(hashName, signedContent, publicKey, signature);
    return { signerDer, certificates, digestMatches: signatureOk, signatureOk };
  }
  const messageDigest = signerInfo.signedAttrs.attributes.find((a) => a.type === CMS_OID.messageDigest)
    ?.values[0] as asn1js.OctetString | undefined;
  const digestMatches = messageDigest !== undefined && digest.equals(messageDigest.valueBlock.valueHexView);
  // The signature covers the attributes exactly as they were encoded, re-tagged as a SET OF.
  const signedAttrs = new Uint8Array(signerInfo.signedAttrs.encodedValue);
  signedAttrs[0] = 0x31;
  const signatureOk = cryptoVerify(SIGNATURE_HASHES[sigAlg] ?? hashName, signedAttrs, publicKey, signature);
  return { signerDer, certificates, digestMatches, signatureOk };
};

const isTrailingWhitespace = (bytes: Uint8Array, from: number) => {
  for (let i = from; i < bytes.length; i += 1) {
    const b = bytes[i];
    if (b !== 0x0a && b !== 0x0d && b !== 0x20 && b !== 0x00) return false;
  }
  return true;
};

const verifyOne = (
  bytes: Uint8Array,
  text: string,
  at: number,
  range: [number, number, number, number],
  options: VerifyOptions,
): VerifiedSignature => {
  const [a, b, c, d] = range;
  const dict = dictionaryAround(text, at);
  const subFilter = /\/SubFilter\s*\/([^\s/<>[\]()]+)/.exec(dict)?.[1] ?? '';
  const signedAt = parsePdfDate(/\/M\s*\(([^)]*)\)/.exec(dict)?.[1] ?? '');
  const contentsWellPlaced =
    a === 0 &&
    b > 0 &&
    c > b + 1 &&
    c + d <= bytes.length &&
    bytes[b] === 0x3c &&
    bytes[c - 1] === 0x3e &&
    /^[0-9A-Fa-f\s]*$/.test(text.slice(b + 1, c - 1));
  const coversWholeFile = contentsWellPlaced && isTrailingWhitespace(bytes, c + d);
  const base = { signedAt, subFilter };
  if (!contentsWellPlaced) {
    return { ...unreadable('byte range does not point at the signature contents'), ...base };
  }
  const signedContent = Buffer.concat([bytes.subarray(a, a + b), bytes.subarray(c, c + d)]);
  const cmsDer = new Uint8Array(Buffer.from(text.slice(b + 1, c - 1).replace(/\s/g, ''), 'hex'));
  let cms: ReturnType<typeof verifyCms>;
  try {
    cms = verifyCms(cmsDer, signedContent);
  } catch (err) {
    const reason = `signature unreadable: ${err instanceof Error ? err.message : String(err)}`;
    return {
      ...unreadable(reason),
      ...base,
      integrity: { byteRangeCoversWholeFileExceptContents: coversWholeFile, digestMatches: false },
    };
  }
  const integrity = {
    byteRangeCoversWholeFileExceptContents: coversWholeFile,
    digestMatches: cms.digestMatches,
  };
  if (!cms.signerDer) return { ...unreadable(cms.reason ?? 'signer unknown'), ...base, integrity };
  const cert = pkijs.Certificate.fromBER(new Uint8Array(cms.signerDer));
  return {
    signer: {
      commonName: attributeText(cert.subject, '2.5.4.3'),
      organization: attributeText(cert.subject, '2.5.4.10'),
      serial: hex(cert.serialNumber.valueBlock.valueHexView),
    },
    ...base,
    integrity,
    signatureValid: cms.digestMatches && cms.signatureOk,
    chain: checkChain(
      cms.signerDer,
      cms.certificates,
      options.trustRoots,
      options.at ?? signedAt ?? new Date(),
    ),
  };
};

/**
 * Reads every signature of a PDF from its /ByteRange and /Contents, without trusting any PDF library: checks
 * the CMS message digest against the signed bytes, the signature over the signed attributes, and the signer's
 * certificate chain up to one of `trustRoots`.
 */
export const verifyPdf = async (bytes: Uint8Array, options: VerifyOptions): Promise<VerifyResult> => {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const seen = new Set<string>();
  const signatures: VerifiedSignature[] = [];
  let modifiedAfterSigning = false;
  for (const match of text.matchAll(BYTE_RANGE)) {
    const range = match.slice(1, 5).map(Number);
    const key = range.join(' ');
    if (seen.has(key)) continue;
    seen.add(key);
    const signature = verifyOne(bytes, text, match.index, range as [number, number, number, number], options);
    if (!signature.integrity.byteRangeCoversWholeFileExceptContents || !signature.integrity.digestMatches) {
      modifiedAfterSigning = true;
    }
    signatures.push(signature);
  }
  // A signature dictionary whose /ByteRange no longer parses (one changed byte can do that) is still a
  // signature, and an invalid one.
  const dictionaries = [...text.matchAll(SIG_TYPE)].length;
  for (let i = signatures.length; i < dictionaries; i += 1) {
    signatures.push(unreadable('signature dictionary has no readable /ByteRange'));
    modifiedAfterSigning = true;
  }
  if (signatures.length === 0 && !text.slice(0, 1024).includes('%PDF-')) {
    throw appError('PDF_INVALID', { reason: 'no %PDF- header' });
  }
  // A counter-signature appended as an incremental update: the earlier signatures cover their revision and
  // the last one the whole file. The file is unmodified when every digest matches and one covers it all.
  const whole = signatures.find(
    (s) => s.integrity.byteRangeCoversWholeFileExceptContents && s.integrity.digestMatches,
  );
  if (whole) {
    for (const signature of signatures) {
      if (signature !== whole && signature.integrity.digestMatches) {
        signature.integrity.coveredByLaterSignature = true;
      }
    }
    modifiedAfterSigning = signatures.some(
      (s) => !s.integrity.digestMatches || /byte range|dictionary has no/.test(s.chain.reason ?? ''),
    );
  }
  return { signatures, modifiedAfterSigning };
};

/** Trust roots from `SIGNING_TRUST_ROOTS`: colon-separated certificate files, DER or PEM. */
export const readTrustRoots = (spec: string | undefined): Uint8Array[] =>
  (spec ?? '')
    .split(':')
    .filter((path) => path.length > 0)
    .map((path) => new Uint8Array(new X509Certificate(readFileSync(path)).raw));
