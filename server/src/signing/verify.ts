// The verifier behind /verify and the agency's result check. Each signature is judged as ETSI EN 319 102-1
// says, at a validation time PostDesk can prove (a trusted signature timestamp's genTime, otherwise now,
// never the time the signer's computer wrote into the PDF), and against what happened to the file after it
// (revisions.ts). The verdict is TOTAL-PASSED only when every check passes.
import { constants, createHash, verify as cryptoVerify, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { appError } from '@postdesk/shared';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { CMS_OID } from './cms';
import { applyLongTerm, type LongTermSummary } from './long-term';
import {
  decodeStream,
  dictOf,
  isName,
  isRef,
  isStream,
  isString,
  type PdfDict,
  type PdfValue,
  type Revision,
  readRevision,
} from './pdf-objects';
import { analyseRevisions, describeChanges, docMdpPermission, type RevisionChange } from './revisions';
import type { StatusFinder } from './revocation';
import {
  algorithmProblems,
  buildPath,
  certificateOf,
  DIGESTS,
  essBinding,
  type Finding,
  hasExtendedKeyUsage,
  INDICATION_TEXT,
  type Indication,
  keyUsageAllowsSigning,
  type RevocationChecker,
  type RevocationOutcome,
  revocationEndpoints,
  pssParameters,
  RSASSA_PSS_OID,
  SIGNATURE_ALGORITHMS,
  SUB_INDICATION_TEXT,
  type SubIndication,
  subjectOf,
  type TimestampEvidence,
  type TimestampReader,
  verdictOf,
  x509Of,
} from './validation';

export type SignatureReport = {
  /** A signature, or a document timestamp (SubFilter ETSI.RFC3161). */
  kind: 'signature' | 'document-timestamp';
  signer: { commonName: string; organization: string; serial: string };
  /** From the signature dictionary's /M: the time the signer's computer claimed. Shown, never trusted. */
  signedAt: Date | null;
  subFilter: string;
  integrity: {
    /** The signed bytes are the whole file except the signature's own /Contents. */
    byteRangeCoversWholeFileExceptContents: boolean;
    digestMatches: boolean;
    /** The signed bytes end where a revision of the file ends (`%%EOF`). */
    coversRevision: boolean;
  };
  /** The CMS signature over the signed attributes verifies with the signer certificate's key. */
  signatureValid: boolean;
  chain: { trusted: boolean; path: string[]; reason?: string };
  /** The ETSI EN 319 102-1 outcome. Only TOTAL-PASSED is a valid signature. */
  indication: Indication;
  subIndication?: SubIndication;
  /** The outcome in words (`SUB_INDICATION_TEXT`). */
  message: { vi: string; en: string };
  findings: Finding[];
  validationTime: { at: Date; source: 'timestamp' | 'now' };
  /** The signature timestamp (PAdES B-T), when the signature carries one. */
  timestamp?: { genTime: Date; tsa: string; trusted: boolean; reason?: string };
  /** One outcome per certificate of the path below the trust anchor, signer first. */
  revocation: RevocationOutcome[];
  /** A certification signature's DocMDP permission (1: no changes, 2: forms and signing, 3: also annotations). */
  certification?: { permission: 1 | 2 | 3 };
  /** What the file's later revisions changed after this signature. */
  after: { changes: RevisionChange[]; modified: boolean; text: { vi: string; en: string } };
  /** The signature's /ByteRange as read (empty when none could be). */
  byteRange?: number[];
  /** PAdES level reached and what proves when it was made (long-term.ts), when asked for. */
  longTerm?: LongTermSummary;
};

/** The earlier name of a signature's report; same shape. */
export type VerifiedSignature = SignatureReport;

export type VerifyResult = {
  signatures: SignatureReport[];
  /** Some signature's content was changed afterwards, or a signature does not verify. */
  modifiedAfterSigning: boolean;
  /** When this validation ran. */
  validatedAt: Date;
};

export type VerifyOptions = {
  /** DER certificates of the CAs we trust (the configured trust roots). */
  trustRoots: Uint8Array[];
  /** The current time; tests move it. Default: the clock. */
  now?: Date;
  /** Asks whether certificates were revoked (OCSP/CRL, or the document's DSS). Default: none. */
  revocation?: RevocationChecker;
  /**
   * Every certificate needs a revocation answer (production with real CAs). Otherwise only certificates
   * whose issuer publishes an OCSP responder or a CRL do (validation.ts, `revocationEndpoints`).
   */
  requireRevocation?: boolean;
  /** Reads RFC 3161 tokens (signature and document timestamps). Default: `readTimestampToken` below. */
  readTimestamp?: TimestampReader;
  /**
   * Long-term validation (PAdES B-LT/B-LTA, long-term.ts): each timestamp checked at the time a later one
   * proves, the DSS's revocation data, the responders when `online`. Off unless given.
   */
  longTerm?: { online: boolean; timeoutMs?: number; findStatus?: StatusFinder };
};

const OID = {
  signatureTimeStampToken: '1.2.840.113549.1.9.16.2.14',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  timeStamping: '1.3.6.1.5.5.7.3.8',
} as const;

const BYTE_RANGE = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g;
// A signature dictionary, but not /SigRef or /SigFieldLock.
const SIG_TYPE = /\/Type\s*\/(?:Sig|DocTimeStamp)(?![A-Za-z0-9])/g;

const hash = (name: string, data: Uint8Array) => createHash(name).update(data).digest();

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

const certificatesOf = (signedData: pkijs.SignedData) =>
  (signedData.certificates ?? [])
    .filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate)
    .map((c) => new Uint8Array(c.toSchema().toBER(false)));

/** The certificate a SignerInfo names (issuer and serial, or subject key identifier) among `pool`. */
const signerCertificate = (signerInfo: pkijs.SignerInfo, pool: Uint8Array[]) => {
  const sid = signerInfo.sid;
  return pool.find((der) => {
    const cert = certificateOf(der);
    if (sid instanceof pkijs.IssuerAndSerialNumber)
      return cert.issuer.isEqual(sid.issuer) && cert.serialNumber.isEqual(sid.serialNumber);
    const ski = cert.extensions?.find((e) => e.extnID === '2.5.29.14')?.parsedValue as
      | asn1js.OctetString
      | undefined;
    const wanted = (sid as asn1js.OctetString | undefined)?.valueBlock?.valueHexView;
    return (
      ski !== undefined &&
      wanted !== undefined &&
      Buffer.from(ski.valueBlock.valueHexView).equals(Buffer.from(wanted))
    );
  });
};

/** Checks one SignerInfo over `content`: the messageDigest attribute, then the signature over the attributes. */
const checkSignerInfo = (signerInfo: pkijs.SignerInfo, content: Uint8Array, certificate: Uint8Array) => {
  const hashName = DIGESTS[signerInfo.digestAlgorithm.algorithmId];
  const sigAlg = signerInfo.signatureAlgorithm.algorithmId;
  const pss =
    sigAlg === RSASSA_PSS_OID ? pssParameters(signerInfo.signatureAlgorithm.algorithmParams) : undefined;
  if (!hashName || !(sigAlg in SIGNATURE_ALGORITHMS || (pss && 'hash' in pss)))
    return { digestMatches: false, signatureOk: false, supported: false };
  const publicKey = x509Of(certificate).publicKey;
  const signature = signerInfo.signature.valueBlock.valueHexView;
  const safeVerify = (alg: string, data: Uint8Array) => {
    try {
      if (pss && 'hash' in pss) {
        const key = { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: pss.saltLength };
        return cryptoVerify(pss.hash, data, key, signature);
      }
      return cryptoVerify(alg, data, publicKey, signature);
    } catch {
      return false;
    }
  };
  if (!signerInfo.signedAttrs) {
    const ok = safeVerify(hashName, content);
    return { digestMatches: ok, signatureOk: ok, supported: true };
  }
  const messageDigest = signerInfo.signedAttrs.attributes.find((a) => a.type === CMS_OID.messageDigest)
    ?.values[0] as asn1js.OctetString | undefined;
  const digestMatches =
    messageDigest instanceof asn1js.OctetString &&
    hash(hashName, content).equals(Buffer.from(messageDigest.valueBlock.valueHexView));
  // The signature covers the attributes exactly as they were encoded, re-tagged as a SET OF.
  const signedAttrs = new Uint8Array(signerInfo.signedAttrs.encodedValue);
  signedAttrs[0] = 0x31;
  const signatureOk = safeVerify(SIGNATURE_ALGORITHMS[sigAlg] ?? hashName, signedAttrs);
  return { digestMatches, signatureOk, supported: true };
};

const readSignedData = (der: Uint8Array) => {
  const contentInfo = pkijs.ContentInfo.fromBER(new Uint8Array(der));
  if (contentInfo.contentType !== CMS_OID.signedData) throw new Error('not a CMS SignedData');
  const signedData = new pkijs.SignedData({ schema: contentInfo.content });
  const signerInfo = signedData.signerInfos[0];
  if (!signerInfo) throw new Error('no SignerInfo');
  if (signedData.signerInfos.length > 1) throw new Error('more than one SignerInfo');
  return { signedData, signerInfo };
};

/** A TimeStampToken read with this file's CMS checks (see `TimestampReader`). */
export const readTimestampToken: TimestampReader = (token, covered, extra) => {
  const { signedData, signerInfo } = readSignedData(token);
  if (signedData.encapContentInfo.eContentType !== OID.tstInfo) throw new Error('not a TSTInfo');
  const eContent = signedData.encapContentInfo.eContent;
  if (!eContent) throw new Error('timestamp has no TSTInfo');
  const tstDer = new Uint8Array(eContent.getValue());
  const tst = pkijs.TSTInfo.fromBER(tstDer);
  const hashName = DIGESTS[tst.messageImprint.hashAlgorithm.algorithmId];
  const imprintMatches =
    hashName !== undefined &&
    hashName !== 'sha1' &&
    hash(hashName, covered).equals(Buffer.from(tst.messageImprint.hashedMessage.valueBlock.valueHexView));
  const certificates = certificatesOf(signedData);
  const tsaCertificate = signerCertificate(signerInfo, [...certificates, ...extra]);
  let signatureOk = false;
  if (tsaCertificate) {
    const checked = checkSignerInfo(signerInfo, tstDer, tsaCertificate);
    signatureOk =
      checked.digestMatches &&
      checked.signatureOk &&
      essBinding(signerInfo.signedAttrs?.attributes ?? [], tsaCertificate, hash) !== 'mismatch';
  }
  return {
    genTime: tst.genTime,
    imprintMatches,
    signatureOk,
    ...(tsaCertificate ? { tsaCertificate } : {}),
    certificates,
  };
};

type Context = {
  bytes: Buffer;
  text: string;
  final?: Revision;
  finalError?: string;
  options: VerifyOptions;
  now: Date;
  /** Certificates, OCSP responses and CRLs of the document's DSS. */
  dss: { certs: Uint8Array[]; ocsps: Uint8Array[]; crls: Uint8Array[] };
  permission?: 1 | 2 | 3;
};

const fail = (subIndication: SubIndication, detail: string): Finding => ({
  indication: 'TOTAL-FAILED',
  subIndication,
  detail,
});
const indeterminate = (subIndication: SubIndication, detail: string): Finding => ({
  indication: 'INDETERMINATE',
  subIndication,
  detail,
});

const dssOf = (rev: Revision | undefined): Context['dss'] => {
  const out: Context['dss'] = { certs: [], ocsps: [], crls: [] };
  if (!rev) return out;
  const catalog = dictOf(rev.resolve(rev.trailer.entries.get('Root')));
  const dss = dictOf(rev.resolve(catalog?.entries.get('DSS')));
  if (!dss) return out;
  const streams = (key: string) => {
    const list = rev.resolve(dss.entries.get(key));
    return (Array.isArray(list) ? list : []).flatMap((item) => {
      const stream = rev.resolve(item);
      if (!isStream(stream)) return [];
      try {
        const filter = stream.dict.entries.get('Filter');
        if (filter === undefined) return [new Uint8Array(stream.raw)];
        return [new Uint8Array(decodeStream(stream))];
      } catch {
        return [];
      }
    });
  };
  return { certs: streams('Certs'), ocsps: streams('OCSPs'), crls: streams('CRLs') };
};

/** The signature dictionaries the final revision's form names, with their object offsets. */
const signatureDictionaries = (rev: Revision) => {
  const found: { num: number; dict: PdfDict; offset?: number }[] = [];
  const catalog = dictOf(rev.resolve(rev.trailer.entries.get('Root')));
  const form = dictOf(rev.resolve(catalog?.entries.get('AcroForm')));
  const seen = new Set<number>();
  const walk = (value: PdfValue | undefined, depth: number) => {
    if (!isRef(value) || depth > 32 || seen.has(value.num)) return;
    seen.add(value.num);
    const field = dictOf(rev.get(value.num));
    if (!field) return;
    const v = field.entries.get('V');
    const sig = dictOf(rev.resolve(v));
    if (
      isRef(v) &&
      sig &&
      (isName(sig.entries.get('Type'), 'Sig') ||
        isName(sig.entries.get('Type'), 'DocTimeStamp') ||
        sig.entries.has('ByteRange'))
    ) {
      const entry = rev.entries.get(v.num);
      found.push({ num: v.num, dict: sig, ...(entry?.type === 'offset' ? { offset: entry.offset } : {}) });
    }
    const kids = rev.resolve(field.entries.get('Kids'));
    for (const kid of Array.isArray(kids) ? kids : []) walk(kid, depth + 1);
  };
  const fields = rev.resolve(form?.entries.get('Fields'));
  for (const field of Array.isArray(fields) ? fields : []) walk(field, 0);
  return found;
};

const textOf = (value: PdfValue | undefined) => {
  if (!isString(value)) return '';
  const b = value.bytes;
  if (b[0] === 0xfe && b[1] === 0xff) return Buffer.from(b.subarray(2)).swap16().toString('utf16le');
  return b.toString('latin1');
};

const byteRangeOf = (dict: PdfDict | undefined) => {
  const range = dict?.entries.get('ByteRange');
  return Array.isArray(range) && range.length === 4 && range.every((n) => typeof n === 'number')
    ? (range as number[]).join(' ')
    : undefined;
};

const isTrailingWhitespace = (bytes: Uint8Array, from: number) => {
  for (let i = from; i < bytes.length; i += 1) {
    const b = bytes[i];
    if (b !== 0x0a && b !== 0x0d && b !== 0x20 && b !== 0x00) return false;
  }
  return true;
};

const emptyReport = (): SignatureReport => ({
  kind: 'signature',
  signer: { commonName: '', organization: '', serial: '' },
  signedAt: null,
  subFilter: '',
  integrity: { byteRangeCoversWholeFileExceptContents: false, digestMatches: false, coversRevision: false },
  signatureValid: false,
  chain: { trusted: false, path: [] },
  indication: 'TOTAL-FAILED',
  message: SUB_INDICATION_TEXT.FORMAT_FAILURE,
  findings: [],
  validationTime: { at: new Date(0), source: 'now' },
  revocation: [],
  after: { changes: [], modified: false, text: describeChanges([]) },
});

const conclude = (report: SignatureReport, findings: Finding[]): SignatureReport => {
  const verdict = verdictOf(findings);
  return {
    ...report,
    findings,
    indication: verdict.indication,
    ...(verdict.subIndication ? { subIndication: verdict.subIndication } : {}),
    message: verdict.subIndication
      ? SUB_INDICATION_TEXT[verdict.subIndication]
      : INDICATION_TEXT['TOTAL-PASSED'],
  };
};

/** Trust of a timestamp's TSA: a path to a trust root, the timeStamping purpose, valid at `at`. */
const timestampTrust = (evidence: TimestampEvidence, ctx: Context, at: Date) => {
  if (!evidence.imprintMatches) return { trusted: false, reason: 'timestamp does not cover this signature' };
  if (!evidence.signatureOk || !evidence.tsaCertificate)
    return { trusted: false, reason: 'timestamp signature invalid' };
  const path = buildPath(
    evidence.tsaCertificate,
    [...evidence.certificates, ...ctx.dss.certs],
    ctx.options.trustRoots,
  );
  if (!path.trusted) return { trusted: false, reason: `TSA not trusted: ${path.reason}` };
  if (!hasExtendedKeyUsage(evidence.tsaCertificate, OID.timeStamping))
    return { trusted: false, reason: 'TSA certificate is not for timestamping' };
  for (const der of path.path) {
    const cert = x509Of(der);
    if (at > new Date(cert.validTo) || at < new Date(cert.validFrom))
      return { trusted: false, reason: `${subjectOf(der).commonName}: not valid now` };
  }
  if (evidence.genTime > at) return { trusted: false, reason: 'timestamp from the future' };
  return { trusted: true };
};

const checkRevocation = async (
  path: Uint8Array[],
  trustedAnchor: boolean,
  validation: SignatureReport['validationTime'],
  ctx: Context,
  findings: Finding[],
): Promise<RevocationOutcome[]> => {
  const outcomes: RevocationOutcome[] = [];
  const below = trustedAnchor ? path.slice(0, -1) : path;
  for (const [index, certificate] of below.entries()) {
    const issuer = path[index + 1];
    const name = subjectOf(certificate).commonName;
    const endpoints = revocationEndpoints(certificate);
    const required =
      ctx.options.requireRevocation === true || endpoints.ocsp.length > 0 || endpoints.crl.length > 0;
    const answer =
      ctx.options.revocation && issuer
        ? await ctx.options.revocation({
            certificate,
            issuer,
            at: validation.at,
            embedded: { ocsps: ctx.dss.ocsps, crls: ctx.dss.crls },
          })
        : { status: 'unknown' as const, source: 'none' as const };
    const outcome: RevocationOutcome = {
      status: answer.status === 'unknown' && !required ? 'not-required' : answer.status,
      source: answer.source,
      certificate: name,
      ...(answer.revokedAt ? { revokedAt: answer.revokedAt.toISOString() } : {}),
      ...(answer.producedAt ? { producedAt: answer.producedAt.toISOString() } : {}),
      ...(answer.reason ? { reason: answer.reason } : {}),
    };
    outcomes.push(outcome);
    if (answer.status === 'revoked') {
      const revokedAt = answer.revokedAt ?? new Date(0);
      // A trusted timestamp before the revocation proves the signature existed while the certificate was good.
      if (validation.source === 'timestamp' && validation.at < revokedAt) continue;
      if (index > 0) findings.push(indeterminate('REVOKED_CA_NO_POE', `${name}: revoked`));
      else if (validation.source === 'timestamp')
        findings.push(fail('REVOKED', `${name}: revoked before the timestamp`));
      else
        findings.push(
          indeterminate('REVOKED_NO_POE', `${name}: revoked, no proof the signature existed before`),
        );
    } else if (answer.status === 'unknown' && required) {
      findings.push(
        indeterminate(
          'TRY_LATER',
          `${name}: no revocation answer${answer.reason ? ` (${answer.reason})` : ''}`,
        ),
      );
    }
  }
  return outcomes;
};

const verifyOne = async (
  ctx: Context,
  range: number[],
  sig: { num: number; dict: PdfDict; offset?: number } | undefined,
  regexAt: number | undefined,
): Promise<SignatureReport> => {
  const { bytes, text, options } = ctx;
  const [a = -1, b = -1, c = -1, d = -1] = range;
  const findings: Finding[] = [];
  // The dictionary's entries from the parsed object, or (a file whose structure does not parse) from the text.
  const fallbackDict =
    regexAt === undefined
      ? ''
      : text.slice(
          Math.max(text.lastIndexOf(' obj', regexAt), 0),
          text.indexOf('endobj', regexAt) === -1 ? undefined : text.indexOf('endobj', regexAt),
        );
  const subFilterValue = sig?.dict.entries.get('SubFilter');
  const subFilter = isName(subFilterValue)
    ? subFilterValue.name
    : (/\/SubFilter\s*\/([^\s/<>[\]()]+)/.exec(fallbackDict)?.[1] ?? '');
  const m = sig ? textOf(sig.dict.entries.get('M')) : (/\/M\s*\(([^)]*)\)/.exec(fallbackDict)?.[1] ?? '');
  const report: SignatureReport = {
    ...emptyReport(),
    kind: subFilter === 'ETSI.RFC3161' ? 'document-timestamp' : 'signature',
    signedAt: parsePdfDate(m),
    subFilter,
    validationTime: { at: ctx.now, source: 'now' },
  };

  if (!sig)
    findings.push(
      fail(
        'FORMAT_FAILURE',
        ctx.final
          ? 'signature is not part of the document’s form'
          : `file structure unreadable: ${ctx.finalError}`,
      ),
    );
  else if (sig.offset === undefined)
    findings.push(fail('FORMAT_FAILURE', 'signature dictionary inside a compressed object stream'));
  const contentsWellPlaced =
    a === 0 &&
    b > 0 &&
    c > b + 1 &&
    c + d <= bytes.length &&
    bytes[b] === 0x3c &&
    bytes[c - 1] === 0x3e &&
    /^[0-9A-Fa-f\s]*$/.test(text.slice(b + 1, c - 1)) &&
    // The hole is this dictionary's own /Contents, not some other string of the file.
    (sig?.offset === undefined || (b > sig.offset && /\/Contents\s*$/.test(text.slice(sig.offset, b))));
  if (!contentsWellPlaced) {
    findings.push(fail('FORMAT_FAILURE', 'byte range does not point at the signature contents'));
    return conclude(report, findings);
  }
  report.integrity.byteRangeCoversWholeFileExceptContents = isTrailingWhitespace(bytes, c + d);
  const signedContent = Buffer.concat([bytes.subarray(a, a + b), bytes.subarray(c, c + d)]);
  const cmsDer = new Uint8Array(Buffer.from(text.slice(b + 1, c - 1).replace(/\s/g, ''), 'hex'));

  // What came after this signature.
  if (ctx.final) {
    const analysis = analyseRevisions(bytes, c + d, ctx.final, ctx.permission);
    report.integrity.coversRevision = analysis.coversRevision;
    report.after = {
      changes: analysis.changes,
      modified: analysis.modified,
      text: describeChanges(analysis.changes),
    };
    if (!analysis.coversRevision)
      findings.push(fail('FORMAT_FAILURE', 'signed bytes do not end at the end of a revision'));
    else if (analysis.modified)
      findings.push(
        fail(
          'FORMAT_FAILURE',
          `modified after signing: ${describeChanges(analysis.changes.filter((x) => !x.allowed)).en}`,
        ),
      );
    const permission = docMdpPermission(sig?.dict, ctx.final);
    if (permission) report.certification = { permission };
  }

  if (report.kind === 'document-timestamp') {
    verifyDocumentTimestamp(ctx, report, cmsDer, signedContent, findings);
    return conclude(report, findings);
  }

  let parsed: ReturnType<typeof readSignedData>;
  try {
    parsed = readSignedData(cmsDer);
  } catch (err) {
    findings.push(
      fail('FORMAT_FAILURE', `signature unreadable: ${err instanceof Error ? err.message : String(err)}`),
    );
    return conclude(report, findings);
  }
  const { signedData, signerInfo } = parsed;
  const certificates = certificatesOf(signedData);
  const signer = signerCertificate(signerInfo, certificates);
  if (!signer) {
    findings.push(indeterminate('NO_SIGNING_CERTIFICATE_FOUND', 'signer certificate missing'));
    return conclude(report, findings);
  }
  report.signer = subjectOf(signer);
  const checked = checkSignerInfo(signerInfo, signedContent, signer);
  report.integrity.digestMatches = checked.digestMatches;
  report.signatureValid = checked.digestMatches && checked.signatureOk;
  if (!checked.supported)
    findings.push(indeterminate('CRYPTO_CONSTRAINTS_FAILURE_NO_POE', 'unsupported algorithm'));
  else if (!checked.digestMatches)
    findings.push(fail('HASH_FAILURE', 'message digest does not match the signed bytes'));
  else if (!checked.signatureOk) findings.push(fail('SIG_CRYPTO_FAILURE', 'signature does not verify'));

  const attributes = signerInfo.signedAttrs?.attributes ?? [];
  const binding = essBinding(attributes, signer, hash);
  if (binding === 'mismatch')
    findings.push(
      indeterminate(
        'NO_SIGNING_CERTIFICATE_FOUND',
        'ESS signing-certificate does not name the certificate used',
      ),
    );
  else if (binding === 'missing' && subFilter === 'ETSI.CAdES.detached')
    findings.push(fail('FORMAT_FAILURE', 'PAdES signature without the ESS signing-certificate-v2 attribute'));
  if (!['ETSI.CAdES.detached', 'adbe.pkcs7.detached'].includes(subFilter))
    findings.push(fail('FORMAT_FAILURE', `signature format ${subFilter || 'unknown'} is not accepted`));

  // Validation time: a trusted signature timestamp's genTime, else now.
  const token = signerInfo.unsignedAttrs?.attributes.find((x) => x.type === OID.signatureTimeStampToken)
    ?.values[0];
  if (token) {
    const reader = options.readTimestamp ?? readTimestampToken;
    try {
      const evidence = reader(
        new Uint8Array(token.toBER(false)),
        signerInfo.signature.valueBlock.valueHexView,
        ctx.dss.certs,
      );
      const trust = timestampTrust(evidence, ctx, ctx.now);
      report.timestamp = {
        genTime: evidence.genTime,
        tsa: evidence.tsaCertificate ? subjectOf(evidence.tsaCertificate).commonName : '',
        trusted: trust.trusted,
        ...(trust.reason ? { reason: trust.reason } : {}),
      };
      if (trust.trusted) report.validationTime = { at: evidence.genTime, source: 'timestamp' };
    } catch (err) {
      report.timestamp = {
        genTime: new Date(0),
        tsa: '',
        trusted: false,
        reason: `timestamp unreadable: ${err instanceof Error ? err.message : String(err)}`,
      };
    }
  }
  const at = report.validationTime.at;

  const path = buildPath(signer, [...certificates, ...ctx.dss.certs], options.trustRoots);
  report.chain = {
    trusted: path.trusted,
    path: path.path.map((der) => subjectOf(der).commonName),
    ...(path.reason ? { reason: path.reason } : {}),
  };
  const problems = algorithmProblems({
    digestOid: signerInfo.digestAlgorithm.algorithmId,
    signatureOid: signerInfo.signatureAlgorithm.algorithmId,
    signatureParams: signerInfo.signatureAlgorithm.algorithmParams,
    signerCertificate: signer,
    path: path.path,
  });
  if (problems.length > 0)
    findings.push(indeterminate('CRYPTO_CONSTRAINTS_FAILURE_NO_POE', problems.join('; ')));
  if (!path.trusted)
    findings.push(indeterminate('NO_CERTIFICATE_CHAIN_FOUND', path.reason ?? 'no trusted path'));
  if (!keyUsageAllowsSigning(signer)) {
    findings.push(indeterminate('CHAIN_CONSTRAINTS_FAILURE', 'certificate is not for signing (keyUsage)'));
    report.chain = { ...report.chain, trusted: false, reason: 'certificate is not for signing (keyUsage)' };
  }
  for (const der of path.path) {
    const cert = x509Of(der);
    const name = subjectOf(der).commonName;
    if (at > new Date(cert.validTo)) {
      findings.push(indeterminate('OUT_OF_BOUNDS_NO_POE', `${name}: expired ${cert.validTo}`));
      report.chain = { ...report.chain, trusted: false, reason: `${name}: expired` };
    } else if (at < new Date(cert.validFrom)) {
      findings.push(
        report.validationTime.source === 'timestamp'
          ? fail('NOT_YET_VALID', `${name}: not yet valid at the timestamp`)
          : indeterminate('OUT_OF_BOUNDS_NO_POE', `${name}: not yet valid`),
      );
      report.chain = { ...report.chain, trusted: false, reason: `${name}: not yet valid` };
    }
  }
  report.revocation = await checkRevocation(path.path, path.trusted, report.validationTime, ctx, findings);
  return conclude(report, findings);
};

const verifyDocumentTimestamp = (
  ctx: Context,
  report: SignatureReport,
  token: Uint8Array,
  covered: Uint8Array,
  findings: Finding[],
) => {
  const reader = ctx.options.readTimestamp ?? readTimestampToken;
  try {
    const evidence = reader(token, covered, ctx.dss.certs);
    report.integrity.digestMatches = evidence.imprintMatches;
    report.signatureValid = evidence.imprintMatches && evidence.signatureOk;
    if (evidence.tsaCertificate) report.signer = subjectOf(evidence.tsaCertificate);
    report.signedAt = evidence.genTime;
    const trust = timestampTrust(evidence, ctx, ctx.now);
    report.timestamp = {
      genTime: evidence.genTime,
      tsa: report.signer.commonName,
      trusted: trust.trusted,
      ...(trust.reason ? { reason: trust.reason } : {}),
    };
    report.chain = {
      trusted: trust.trusted,
      path: [report.signer.commonName],
      ...(trust.reason ? { reason: trust.reason } : {}),
    };
    if (!evidence.imprintMatches)
      findings.push(fail('HASH_FAILURE', 'document timestamp does not cover these bytes'));
    else if (!evidence.signatureOk)
      findings.push(fail('SIG_CRYPTO_FAILURE', 'document timestamp signature invalid'));
    else if (!trust.trusted)
      findings.push(indeterminate('NO_CERTIFICATE_CHAIN_FOUND', trust.reason ?? 'TSA not trusted'));
  } catch (err) {
    findings.push(
      fail(
        'FORMAT_FAILURE',
        `document timestamp unreadable: ${err instanceof Error ? err.message : String(err)}`,
      ),
    );
  }
};

/**
 * Validates every signature and document timestamp of a PDF: integrity of the signed bytes, the CMS
 * signature, the ESS binding to the signer's certificate, the algorithm policy, the path to `trustRoots` at
 * the validation time, revocation, and what the later revisions changed.
 */
export const verifyPdf = async (input: Uint8Array, options: VerifyOptions): Promise<VerifyResult> => {
  const bytes = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const text = bytes.toString('latin1');
  const now = options.now ?? new Date();
  let final: Revision | undefined;
  let finalError: string | undefined;
  try {
    final = readRevision(bytes);
  } catch (err) {
    finalError = err instanceof Error ? err.message : String(err);
  }
  const dictionaries = final ? signatureDictionaries(final) : [];
  // The document's permission: the strictest DocMDP of any certification signature it carries.
  const permissions = final
    ? dictionaries.map((s) => docMdpPermission(s.dict, final)).filter((p): p is 1 | 2 | 3 => p !== undefined)
    : [];
  const ctx: Context = {
    bytes,
    text,
    ...(final ? { final } : {}),
    ...(finalError ? { finalError } : {}),
    options,
    now,
    dss: dssOf(final),
    ...(permissions.length > 0 ? { permission: Math.min(...permissions) as 1 | 2 | 3 } : {}),
  };

  const seen = new Set<string>();
  const jobs: { range: number[]; sig?: (typeof dictionaries)[number]; at?: number }[] = [];
  for (const match of text.matchAll(BYTE_RANGE)) {
    const range = match.slice(1, 5).map(Number);
    const key = range.join(' ');
    if (seen.has(key)) continue;
    seen.add(key);
    const sig = dictionaries.find((s) => byteRangeOf(s.dict) === key);
    jobs.push({ range, ...(sig ? { sig } : {}), at: match.index });
  }
  // Signatures the form names whose /ByteRange is not where the text says (in an object stream, say).
  for (const sig of dictionaries) {
    const key = byteRangeOf(sig.dict);
    if (key === undefined || !seen.has(key)) {
      seen.add(key ?? `#${sig.num}`);
      jobs.push({ range: key ? key.split(' ').map(Number) : [], sig });
    }
  }
  jobs.sort((x, y) => (x.range[2] ?? 0) + (x.range[3] ?? 0) - ((y.range[2] ?? 0) + (y.range[3] ?? 0)));
  const signatures: SignatureReport[] = [];
  for (const job of jobs)
    signatures.push({ ...(await verifyOne(ctx, job.range, job.sig, job.at)), byteRange: job.range });

  // A signature dictionary whose /ByteRange no longer parses (one changed byte can do that) is still a
  // signature, and an invalid one.
  const typed = [...text.matchAll(SIG_TYPE)].length;
  for (let i = signatures.length; i < typed; i += 1) {
    signatures.push(
      conclude({ ...emptyReport(), validationTime: { at: now, source: 'now' } }, [
        fail('FORMAT_FAILURE', 'signature dictionary has no readable /ByteRange'),
      ]),
    );
  }
  if (signatures.length === 0 && !text.slice(0, 1024).includes('%PDF-')) {
    throw appError('PDF_INVALID', { reason: 'no %PDF- header' });
  }
  // Long-term evidence (long-term.ts) may prove what the checks above could not, or fail what they passed.
  const reports = options.longTerm
    ? await applyLongTerm(
        bytes,
        signatures,
        {
          trustRoots: options.trustRoots,
          validationTime: now,
          ...(options.requireRevocation ? { requireRevocation: true } : {}),
          ...options.longTerm,
        },
        conclude,
      )
    : signatures;
  signatures.splice(0, signatures.length, ...reports);
  // Changed, as opposed to badly signed: the signed bytes no longer hash to the signature's digest, or a
  // later revision (or bytes outside every revision) changed what a signature covered.
  const modifiedAfterSigning = signatures.some(
    (s) =>
      s.after.modified ||
      !s.integrity.coversRevision ||
      s.findings.some((f) => f.subIndication === 'HASH_FAILURE'),
  );
  return { signatures, modifiedAfterSigning, validatedAt: now };
};

/** Trust roots from `SIGNING_TRUST_ROOTS`: colon-separated certificate files, DER or PEM. */
export const readTrustRoots = (spec: string | undefined): Uint8Array[] =>
  (spec ?? '')
    .split(':')
    .filter((path) => path.length > 0)
    .map((path) => new Uint8Array(new X509Certificate(readFileSync(path)).raw));
