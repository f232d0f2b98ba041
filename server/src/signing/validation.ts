// Signature validation as ETSI EN 319 102-1 defines its outcome: an indication (TOTAL-PASSED, INDETERMINATE,
// TOTAL-FAILED) with a sub-indication, from the checks a PAdES signature goes through. The parts that need
// the network or a TSA (revocation, timestamps) come in through the small interfaces below, so a checker
// that asks OCSP/CRL responders, or reads what the document's DSS carries, plugs in without changing the rest.
import { X509Certificate } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

export type Indication = 'TOTAL-PASSED' | 'INDETERMINATE' | 'TOTAL-FAILED';

/** The sub-indications of EN 319 102-1 §5.1.3 this validator gives. */
export type SubIndication =
  // TOTAL-FAILED
  | 'FORMAT_FAILURE'
  | 'HASH_FAILURE'
  | 'SIG_CRYPTO_FAILURE'
  | 'REVOKED'
  | 'EXPIRED'
  | 'NOT_YET_VALID'
  // INDETERMINATE
  | 'SIG_CONSTRAINTS_FAILURE'
  | 'CHAIN_CONSTRAINTS_FAILURE'
  | 'CRYPTO_CONSTRAINTS_FAILURE'
  | 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE'
  | 'NO_SIGNING_CERTIFICATE_FOUND'
  | 'NO_CERTIFICATE_CHAIN_FOUND'
  | 'REVOKED_NO_POE'
  | 'REVOKED_CA_NO_POE'
  | 'OUT_OF_BOUNDS_NO_POE'
  | 'REVOCATION_OUT_OF_BOUNDS_NO_POE'
  | 'TRY_LATER';

/** One reason a signature is not TOTAL-PASSED; the worst finding decides the verdict. */
export type Finding = {
  indication: Exclude<Indication, 'TOTAL-PASSED'>;
  subIndication: SubIndication;
  /** For the log and the JSON report (English); the page shows `SUB_INDICATION_TEXT`. */
  detail: string;
};

export const verdictOf = (findings: Finding[]): { indication: Indication; subIndication?: SubIndication } => {
  const worst =
    findings.find((f) => f.indication === 'TOTAL-FAILED') ??
    findings.find((f) => f.indication === 'INDETERMINATE');
  return worst
    ? { indication: worst.indication, subIndication: worst.subIndication }
    : { indication: 'TOTAL-PASSED' };
};

/** What the clerk or an agency reads for each sub-indication (Vietnamese first). */
export const SUB_INDICATION_TEXT: Record<SubIndication, { vi: string; en: string }> = {
  FORMAT_FAILURE: {
    vi: 'Chữ ký hoặc tệp không đúng định dạng, hoặc tệp đã bị sửa sau khi ký',
    en: 'The signature or the file is malformed, or the file was changed after signing',
  },
  HASH_FAILURE: {
    vi: 'Nội dung đã ký bị thay đổi (mã băm không khớp)',
    en: 'The signed content was changed (digest mismatch)',
  },
  SIG_CRYPTO_FAILURE: { vi: 'Chữ ký không khớp với khóa của người ký', en: 'The signature does not verify' },
  REVOKED: {
    vi: 'Chứng thư của người ký đã bị thu hồi trước khi ký',
    en: 'The signer’s certificate was revoked before the signature was made',
  },
  EXPIRED: {
    vi: 'Chứng thư của người ký đã hết hạn trước khi ký',
    en: 'The signer’s certificate had expired when the signature was made',
  },
  NOT_YET_VALID: {
    vi: 'Chứng thư của người ký chưa có hiệu lực khi ký',
    en: 'The signer’s certificate was not yet valid when the signature was made',
  },
  SIG_CONSTRAINTS_FAILURE: {
    vi: 'Chữ ký thiếu thuộc tính bắt buộc',
    en: 'The signature lacks a required attribute',
  },
  CHAIN_CONSTRAINTS_FAILURE: {
    vi: 'Chứng thư không dùng để ký số (mục đích sử dụng khóa)',
    en: 'The certificate is not meant for signing (key usage)',
  },
  CRYPTO_CONSTRAINTS_FAILURE: {
    vi: 'Thuật toán hoặc độ dài khóa không còn an toàn',
    en: 'The algorithm or key size is no longer considered secure',
  },
  CRYPTO_CONSTRAINTS_FAILURE_NO_POE: {
    vi: 'Thuật toán hoặc độ dài khóa không còn an toàn (ví dụ SHA-1, RSA dưới 2048 bit)',
    en: 'The algorithm or key size is no longer considered secure (e.g. SHA-1, RSA below 2048 bits)',
  },
  NO_SIGNING_CERTIFICATE_FOUND: {
    vi: 'Không xác định được chứng thư của người ký (chứng thư có thể đã bị tráo)',
    en: 'The signer’s certificate cannot be identified (it may have been swapped)',
  },
  NO_CERTIFICATE_CHAIN_FOUND: {
    vi: 'Chứng thư không do tổ chức cung cấp dịch vụ chứng thực được tin cậy cấp',
    en: 'The certificate does not chain to a trusted certification authority',
  },
  REVOKED_NO_POE: {
    vi: 'Chứng thư của người ký đã bị thu hồi và không có dấu thời gian chứng minh chữ ký có trước đó',
    en: 'The signer’s certificate is revoked and no timestamp proves the signature existed before',
  },
  REVOKED_CA_NO_POE: {
    vi: 'Chứng thư của tổ chức cấp đã bị thu hồi',
    en: 'A certificate of the issuing authority is revoked',
  },
  OUT_OF_BOUNDS_NO_POE: {
    vi: 'Chứng thư đã hết hạn (hoặc chưa có hiệu lực) và không có dấu thời gian tin cậy chứng minh thời điểm ký',
    en: 'The certificate is expired (or not yet valid) and no trusted timestamp proves when it was signed',
  },
  REVOCATION_OUT_OF_BOUNDS_NO_POE: {
    vi: 'Thông tin thu hồi chứng thư đã cũ, không đủ để kết luận',
    en: 'The revocation information is too old to conclude',
  },
  TRY_LATER: {
    vi: 'Chưa kiểm tra được tình trạng thu hồi chứng thư; thử lại sau',
    en: 'The certificate’s revocation status could not be checked; try again later',
  },
};

export const INDICATION_TEXT: Record<Indication, { vi: string; en: string }> = {
  'TOTAL-PASSED': { vi: 'Hợp lệ', en: 'Valid' },
  INDETERMINATE: { vi: 'Chưa xác định được', en: 'Indeterminate' },
  'TOTAL-FAILED': { vi: 'Không hợp lệ', en: 'Invalid' },
};

// --- Revocation ------------------------------------------------------------------------------------------

export type RevocationQuery = {
  certificate: Uint8Array;
  issuer: Uint8Array;
  /** The validation time: a trusted timestamp's genTime, or now. */
  at: Date;
  /** What the document carries (DSS /OCSPs and /CRLs, DER), to use before asking the network. */
  embedded: { ocsps: Uint8Array[]; crls: Uint8Array[] };
};

export type RevocationAnswer = {
  status: 'good' | 'revoked' | 'unknown';
  source: 'ocsp' | 'crl' | 'embedded-ocsp' | 'embedded-crl' | 'none';
  revokedAt?: Date;
  /** When the answer was produced (OCSP producedAt, CRL thisUpdate). */
  producedAt?: Date;
  reason?: string;
};

/** Asks whether a certificate was revoked; never throws (an unreachable responder is `unknown`). */
export type RevocationChecker = (query: RevocationQuery) => Promise<RevocationAnswer>;

export type RevocationOutcome = {
  /** `not-required`: no checker answered and the certificate names no OCSP/CRL endpoint (see below). */
  status: 'good' | 'revoked' | 'unknown' | 'not-required';
  source: RevocationAnswer['source'];
  revokedAt?: string;
  producedAt?: string;
  reason?: string;
  /** The certificate this outcome is about (its CN). */
  certificate: string;
};

/**
 * The revocation rule: a certificate must have a revocation answer when its issuer says how to get one
 * (an OCSP responder in Authority Information Access, or a CRL distribution point), or when the
 * configuration says so for every certificate (`requireRevocation: true`, production with the national and
 * licensed CAs). Our development test CA publishes neither, so its clerk certificates validate without one;
 * a CA that publishes endpoints is always asked, and no answer then is INDETERMINATE/TRY_LATER, never PASSED.
 */
export const revocationEndpoints = (der: Uint8Array) => {
  const cert = certificateOf(der);
  const ocsp: string[] = [];
  const crl: string[] = [];
  for (const ext of cert.extensions ?? []) {
    if (ext.extnID === '1.3.6.1.5.5.7.1.1') {
      const aia = ext.parsedValue as pkijs.InfoAccess | undefined;
      for (const d of aia?.accessDescriptions ?? []) {
        if (d.accessMethod === '1.3.6.1.5.5.7.48.1' && typeof d.accessLocation.value === 'string')
          ocsp.push(d.accessLocation.value);
      }
    }
    if (ext.extnID === '2.5.29.31') {
      const points = ext.parsedValue as pkijs.CRLDistributionPoints | undefined;
      for (const point of points?.distributionPoints ?? []) {
        const names = Array.isArray(point.distributionPoint) ? point.distributionPoint : [];
        for (const name of names) if (typeof name.value === 'string') crl.push(name.value);
      }
    }
  }
  return { ocsp, crl };
};

// --- Timestamps --------------------------------------------------------------------------------------------

/** A read RFC 3161 token: what a `TimestampReader` returns (signature timestamps, document timestamps). */
export type TimestampEvidence = {
  genTime: Date;
  /** The token's imprint equals the hash of the bytes it should cover. */
  imprintMatches: boolean;
  /** The TSA's signature over the TSTInfo verifies (and its ESS attribute names the TSA certificate). */
  signatureOk: boolean;
  tsaCertificate?: Uint8Array;
  certificates: Uint8Array[];
};

/** Reads a TimeStampToken over `covered`; throws on a token it cannot read. */
export type TimestampReader = (
  token: Uint8Array,
  covered: Uint8Array,
  extra: Uint8Array[],
) => TimestampEvidence;

// --- Certificates ------------------------------------------------------------------------------------------

// Parsing a certificate with pkijs costs about a millisecond; one verification reads the same few many times.
const parsed = new Map<string, { pkijs: pkijs.Certificate; x509: X509Certificate }>();
const parse = (der: Uint8Array) => {
  const key = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('base64');
  let entry = parsed.get(key);
  if (!entry) {
    if (parsed.size > 256) parsed.clear();
    entry = { pkijs: pkijs.Certificate.fromBER(new Uint8Array(der)), x509: new X509Certificate(der) };
    parsed.set(key, entry);
  }
  return entry;
};
/** The certificate parsed by pkijs (cached; do not modify). */
export const certificateOf = (der: Uint8Array) => parse(der).pkijs;
/** The certificate as node:crypto reads it (cached). */
export const x509Of = (der: Uint8Array) => parse(der).x509;

const attributeText = (name: pkijs.RelativeDistinguishedNames, oid: string) => {
  const value = name.typesAndValues.find((tv) => tv.type === oid)?.value as
    | { valueBlock?: { value?: unknown } }
    | undefined;
  return typeof value?.valueBlock?.value === 'string' ? value.valueBlock.value : '';
};

export const subjectOf = (der: Uint8Array) => {
  const cert = certificateOf(der);
  return {
    commonName: attributeText(cert.subject, '2.5.4.3'),
    organization: attributeText(cert.subject, '2.5.4.10'),
    serial: Buffer.from(cert.serialNumber.valueBlock.valueHexView).toString('hex').toUpperCase(),
  };
};

/** Builds the path from `leaf` to one of `trustRoots` through `pool`, checking each issuer's signature. */
export const buildPath = (
  leaf: Uint8Array,
  pool: Uint8Array[],
  trustRoots: Uint8Array[],
): { path: Uint8Array[]; trusted: boolean; reason?: string } => {
  const roots = trustRoots.map(x509Of);
  const candidates = [...roots, ...pool.map(x509Of)];
  let current = x509Of(leaf);
  const path: Uint8Array[] = [leaf];
  for (let depth = 0; depth < 10; depth += 1) {
    const cert = current;
    if (roots.some((root) => root.raw.equals(cert.raw))) return { path, trusted: true };
    if (roots.length === 0) return { path, trusted: false, reason: 'no trust roots configured' };
    const issuer = candidates.find(
      (c) => !c.raw.equals(cert.raw) && cert.checkIssued(c) && cert.verify(c.publicKey),
    );
    if (!issuer) {
      return {
        path,
        trusted: false,
        reason: cert.subject === cert.issuer ? 'self-signed certificate is not trusted' : 'issuer unknown',
      };
    }
    path.push(new Uint8Array(issuer.raw));
    if (!issuer.ca)
      return { path, trusted: false, reason: `${subjectOf(path.at(-1)!).commonName}: not a CA` };
    current = issuer;
  }
  return { path, trusted: false, reason: 'certificate chain too long' };
};

// keyUsage bits, most significant first: digitalSignature(0x80), nonRepudiation(0x40).
export const keyUsageAllowsSigning = (der: Uint8Array) => {
  const usage = pkijs.Certificate.fromBER(new Uint8Array(der)).extensions?.find(
    (e) => e.extnID === '2.5.29.15',
  );
  if (!usage) return true;
  const bits = (usage.parsedValue as asn1js.BitString | undefined)?.valueBlock.valueHexView[0] ?? 0;
  return (bits & 0xc0) !== 0;
};

export const hasExtendedKeyUsage = (der: Uint8Array, oid: string) => {
  const ext = pkijs.Certificate.fromBER(new Uint8Array(der)).extensions?.find(
    (e) => e.extnID === '2.5.29.37',
  );
  const usages = (ext?.parsedValue as pkijs.ExtKeyUsage | undefined)?.keyPurposes ?? [];
  return usages.includes(oid);
};

// --- Algorithm policy --------------------------------------------------------------------------------------

export const DIGESTS: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/** Signature algorithms node:crypto checks as they are (PKCS#1 v1.5, DER-encoded ECDSA), with their hash. */
export const SIGNATURE_ALGORITHMS: Record<string, string | null> = {
  '1.2.840.113549.1.1.1': null,
  '1.2.840.113549.1.1.5': 'sha1',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.1': 'sha1',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
};

export const RSASSA_PSS_OID = '1.2.840.113549.1.1.10';

/**
 * RSASSA-PSS parameters (RFC 4055 §3.1) as node:crypto takes them: the hash (SHA-1 when absent, refused by the
 * policy) and the salt length (20 when absent). MGF1 must use the same hash; anything else is not supported.
 */
export const pssParameters = (
  params: unknown,
): { hash: string; saltLength: number } | { problem: string } => {
  try {
    const parsed = new pkijs.RSASSAPSSParams({ schema: params as asn1js.Sequence });
    const hash = DIGESTS[parsed.hashAlgorithm.algorithmId];
    if (!hash) return { problem: `PSS hash ${parsed.hashAlgorithm.algorithmId}` };
    const mgfHash = parsed.maskGenAlgorithm.algorithmParams
      ? new pkijs.AlgorithmIdentifier({ schema: parsed.maskGenAlgorithm.algorithmParams }).algorithmId
      : '1.3.14.3.2.26';
    if (parsed.maskGenAlgorithm.algorithmId !== '1.2.840.113549.1.1.8' || DIGESTS[mgfHash] !== hash)
      return { problem: 'PSS mask generation other than MGF1 with the same hash' };
    return { hash, saltLength: parsed.saltLength };
  } catch {
    return { problem: 'unreadable PSS parameters' };
  }
};

const ACCEPTED_CURVES = new Set(['prime256v1', 'secp384r1']);

/**
 * The algorithm policy: SHA-256/384/512 only (no SHA-1, in the CMS digest, the signature or a certificate
 * below the trust root), RSA keys of 2048 bits or more, EC keys on P-256 or P-384.
 */
export const algorithmProblems = (opts: {
  digestOid: string;
  signatureOid: string;
  /** The signature algorithm's parameters (RSASSA-PSS carries its hash there). */
  signatureParams?: unknown;
  signerCertificate: Uint8Array;
  path: Uint8Array[];
}): string[] => {
  const problems: string[] = [];
  const digest = DIGESTS[opts.digestOid];
  if (digest === 'sha1') problems.push('SHA-1 message digest');
  const pss = opts.signatureOid === RSASSA_PSS_OID ? pssParameters(opts.signatureParams) : undefined;
  const sigHash = pss ? ('hash' in pss ? pss.hash : undefined) : SIGNATURE_ALGORITHMS[opts.signatureOid];
  if (pss && 'problem' in pss) problems.push(pss.problem);
  if (sigHash === 'sha1') problems.push('SHA-1 signature algorithm');
  const keyProblem = publicKeyProblem(opts.signerCertificate);
  if (keyProblem) problems.push(keyProblem);
  // The trust anchor's own self-signature says nothing: it is trusted because it is configured.
  for (const der of opts.path.slice(0, -1)) {
    const cert = certificateOf(der);
    if (SIGNATURE_ALGORITHMS[cert.signatureAlgorithm.algorithmId] === 'sha1')
      problems.push(`${subjectOf(der).commonName}: certificate signed with SHA-1`);
  }
  for (const der of opts.path.slice(1)) {
    const problem = publicKeyProblem(der);
    if (problem) problems.push(`${subjectOf(der).commonName}: ${problem}`);
  }
  return problems;
};

const publicKeyProblem = (der: Uint8Array): string | undefined => {
  const key = x509Of(der).publicKey;
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss') {
    return (details.modulusLength ?? 0) < 2048 ? `RSA key of ${details.modulusLength} bits` : undefined;
  }
  if (key.asymmetricKeyType === 'ec') {
    return ACCEPTED_CURVES.has(details.namedCurve ?? '') ? undefined : `EC curve ${details.namedCurve}`;
  }
  return `key type ${key.asymmetricKeyType}`;
};

// --- ESS signing-certificate(-v2) --------------------------------------------------------------------------

export const ESS_OID = {
  signingCertificate: '1.2.840.113549.1.9.16.2.12',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
} as const;

/**
 * The binding of the signature to its certificate: the signed ESS signing-certificate-v2 (or v1) attribute's
 * first ESSCertID must carry the hash of the certificate used (and its issuer serial, when given).
 * `missing` when neither attribute is there.
 */
export const essBinding = (
  signedAttrs: pkijs.Attribute[],
  certificate: Uint8Array,
  hash: (name: string, data: Uint8Array) => Buffer,
): 'bound' | 'mismatch' | 'missing' => {
  const v2 = signedAttrs.find((a) => a.type === ESS_OID.signingCertificateV2);
  const v1 = signedAttrs.find((a) => a.type === ESS_OID.signingCertificate);
  const attribute = v2 ?? v1;
  if (!attribute) return 'missing';
  try {
    const signingCertificate = attribute.values[0] as asn1js.Sequence;
    const certs = signingCertificate.valueBlock.value[0] as asn1js.Sequence;
    const first = certs.valueBlock.value[0] as asn1js.Sequence;
    const parts = first.valueBlock.value;
    let index = 0;
    let hashName = 'sha1';
    if (v2) {
      hashName = 'sha256';
      const head = parts[0];
      if (head instanceof asn1js.Sequence) {
        const oid = (head.valueBlock.value[0] as asn1js.ObjectIdentifier).valueBlock.toString();
        hashName = DIGESTS[oid] ?? 'unknown';
        index = 1;
      }
    }
    const certHash = parts[index] as asn1js.OctetString;
    if (hashName === 'unknown' || !(certHash instanceof asn1js.OctetString)) return 'mismatch';
    if (!hash(hashName, certificate).equals(Buffer.from(certHash.valueBlock.valueHexView))) return 'mismatch';
    const issuerSerial = parts[index + 1];
    if (issuerSerial instanceof asn1js.Sequence) {
      const serial = issuerSerial.valueBlock.value[1];
      const cert = certificateOf(certificate);
      if (!(serial instanceof asn1js.Integer) || !serial.isEqual(cert.serialNumber)) return 'mismatch';
    }
    return 'bound';
  } catch {
    return 'mismatch';
  }
};
