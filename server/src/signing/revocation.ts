// Revocation status of a certificate at a given time, from OCSP responses and CRLs: first the ones embedded
// in the PDF (its DSS), then the ones the certificate points at (AIA OCSP, CRL distribution points), online
// with a timeout. Every response is checked before it counts: its signature, who signed it (the CA, or a
// responder the CA delegated with id-kp-OCSPSigning), the nonce when we asked, and that it speaks of the
// time in question.
import { createHash, verify as cryptoVerify, randomBytes } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { memo, parseCertificate, x509Certificate } from './parsed';
import { KEY_PURPOSE } from './pki';
import { toDer } from './timestamp';
import type { RevocationChecker } from './validation';

const OID = {
  sha1: '1.3.14.3.2.26',
  ocspBasic: '1.3.6.1.5.5.7.48.1.1',
  ocspNonce: '1.3.6.1.5.5.7.48.1.2',
  aia: '1.3.6.1.5.5.7.1.1',
  accessOcsp: '1.3.6.1.5.5.7.48.1',
  crlDp: '2.5.29.31',
  extKeyUsage: '2.5.29.37',
  keyUsage: '2.5.29.15',
} as const;

/** How far a response's thisUpdate may precede the time it speaks for (clocks of CA and TSA differ a little). */
export const CLOCK_SKEW_MS = 2 * 60_000;

export type RevocationSource = { kind: 'ocsp' | 'crl'; embedded: boolean; der: Uint8Array };

export type RevocationStatus =
  | {
      status: 'good';
      source: RevocationSource;
      thisUpdate: Date;
      nextUpdate?: Date;
    }
  | {
      status: 'revoked';
      revokedAt: Date;
      reason?: number;
      source: RevocationSource;
      thisUpdate: Date;
    }
  | {
      status: 'unknown';
      /** responder_down: asked online and nobody answered; no_data: nothing embedded and nowhere to ask. */
      why: 'responder_down' | 'no_data' | 'not_fresh' | 'bad_response';
      details: string[];
    };

export type RevocationOptions = {
  /** The certificate must be shown not revoked at this time (best-signature-time, a timestamp's time). */
  at: Date;
  /** OCSP responses and CRLs embedded in the document (DSS), DER. */
  embedded?: { ocsps: Uint8Array[]; crls: Uint8Array[] };
  /** Ask the certificate's OCSP responder and CRL distribution point when nothing embedded answers. */
  online?: boolean;
  timeoutMs?: number;
};

const x509 = x509Certificate;
const parse = parseCertificate;
const parseOcsp = memo((der) => {
  const response = pkijs.OCSPResponse.fromBER(new Uint8Array(der));
  const bytes = response.responseBytes
    ? new Uint8Array(Buffer.from(response.responseBytes.response.valueBlock.valueHexView))
    : undefined;
  return { response, basicDer: bytes, basic: bytes ? pkijs.BasicOCSPResponse.fromBER(bytes) : undefined };
}, 500);
const parseCrl = memo((der) => pkijs.CertificateRevocationList.fromBER(new Uint8Array(der)), 200);

const extensionValue = (cert: pkijs.Certificate, oid: string) =>
  cert.extensions?.find((e) => e.extnID === oid)?.parsedValue;

const uris = (names: pkijs.GeneralName[]) =>
  names.filter((n) => n.type === 6 && typeof n.value === 'string').map((n) => n.value as string);

export const ocspUrls = (der: Uint8Array): string[] => {
  const aia = extensionValue(parse(der), OID.aia) as pkijs.InfoAccess | undefined;
  return uris(
    (aia?.accessDescriptions ?? [])
      .filter((d) => d.accessMethod === OID.accessOcsp)
      .map((d) => d.accessLocation),
  ).filter((u) => /^https?:\/\//.test(u));
};

export const crlUrls = (der: Uint8Array): string[] => {
  const dp = extensionValue(parse(der), OID.crlDp) as pkijs.CRLDistributionPoints | undefined;
  return (dp?.distributionPoints ?? [])
    .flatMap((p) => (Array.isArray(p.distributionPoint) ? uris(p.distributionPoint) : []))
    .filter((u) => /^https?:\/\//.test(u));
};

const hasExtendedUsage = (der: Uint8Array, purpose: string) => {
  const eku = extensionValue(parse(der), OID.extKeyUsage) as pkijs.ExtKeyUsage | undefined;
  return eku?.keyPurposes.includes(purpose) ?? false;
};

export const isTimestampingCertificate = (der: Uint8Array) => hasExtendedUsage(der, KEY_PURPOSE.timeStamping);

const issuedBy = (child: Uint8Array, issuer: Uint8Array) => {
  const c = x509(child);
  const i = x509(issuer);
  return c.checkIssued(i) && c.verify(i.publicKey);
};

const issuerKeyBits = (issuer: Uint8Array) =>
  parse(issuer).subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView;

const sha1 = (data: Uint8Array) => new Uint8Array(createHash('sha1').update(data).digest());

/** The OCSP CertID (SHA-1, as responders universally accept) of `cert` issued by `issuer`. */
export const certId = (cert: Uint8Array, issuer: Uint8Array) =>
  new pkijs.CertID({
    hashAlgorithm: new pkijs.AlgorithmIdentifier({
      algorithmId: OID.sha1,
      algorithmParams: new asn1js.Null(),
    }),
    issuerNameHash: new asn1js.OctetString({ valueHex: sha1(toDer(parse(issuer).subject)) }),
    issuerKeyHash: new asn1js.OctetString({ valueHex: sha1(issuerKeyBits(issuer)) }),
    serialNumber: parse(cert).serialNumber,
  });

const sameCertId = (a: pkijs.CertID, cert: Uint8Array, issuer: Uint8Array) => {
  const hash =
    a.hashAlgorithm.algorithmId === OID.sha1
      ? 'sha1'
      : a.hashAlgorithm.algorithmId === '2.16.840.1.101.3.4.2.1'
        ? 'sha256'
        : undefined;
  if (!hash) return false;
  const digest = (data: Uint8Array) => createHash(hash).update(data).digest();
  return (
    digest(toDer(parse(issuer).subject)).equals(Buffer.from(a.issuerNameHash.valueBlock.valueHexView)) &&
    digest(issuerKeyBits(issuer)).equals(Buffer.from(a.issuerKeyHash.valueBlock.valueHexView)) &&
    a.serialNumber.isEqual(parse(cert).serialNumber)
  );
};

export const buildOcspRequest = (cert: Uint8Array, issuer: Uint8Array, nonce?: Uint8Array) => {
  const request = new pkijs.OCSPRequest();
  request.tbsRequest.requestList = [new pkijs.Request({ reqCert: certId(cert, issuer) })];
  if (nonce) {
    request.tbsRequest.requestExtensions = [
      new pkijs.Extension({
        extnID: OID.ocspNonce,
        extnValue: new asn1js.OctetString({ valueHex: nonce }).toBER(false),
      }),
    ];
  }
  // toSchema(true) encodes from the fields; without it pkijs re-emits the (empty) bytes it parsed.
  return new Uint8Array(request.toSchema(true).toBER(false));
};

type Checked = { status: RevocationStatus; problem?: undefined } | { status?: undefined; problem: string };

const tbsBytes = (signedDer: Uint8Array) => {
  const outer = asn1js.fromBER(new Uint8Array(signedDer)).result as asn1js.Sequence;
  const tbs = outer.valueBlock.value[0];
  if (!tbs) throw new Error('no signed part');
  return new Uint8Array(tbs.valueBeforeDecodeView);
};

const verifyWith = (signer: Uint8Array, data: Uint8Array, signature: Uint8Array, algorithm: string) => {
  const hash =
    algorithm === '1.2.840.113549.1.1.11' || algorithm === '1.2.840.10045.4.3.2'
      ? 'sha256'
      : algorithm === '1.2.840.113549.1.1.12' || algorithm === '1.2.840.10045.4.3.3'
        ? 'sha384'
        : algorithm === '1.2.840.113549.1.1.13' || algorithm === '1.2.840.10045.4.3.4'
          ? 'sha512'
          : undefined;
  // SHA-1 signed responses are refused with the rest of SHA-1.
  if (!hash) return false;
  try {
    return cryptoVerify(hash, data, x509(signer).publicKey, signature);
  } catch {
    return false;
  }
};

/** `checkOcspResponse` without the cache. */
const checkOcspResponseOnce = (
  der: Uint8Array,
  cert: Uint8Array,
  issuer: Uint8Array,
  options: { nonce?: Uint8Array; embedded: boolean },
): Checked => {
  let basic: pkijs.BasicOCSPResponse;
  let basicDer: Uint8Array;
  try {
    const parsed = parseOcsp(der);
    const response = parsed.response;
    if (response.responseStatus.valueBlock.valueDec !== 0)
      return { problem: `OCSP status ${response.responseStatus.valueBlock.valueDec}` };
    if (response.responseBytes?.responseType !== OID.ocspBasic || !parsed.basic || !parsed.basicDer)
      return { problem: 'not a basic OCSP response' };
    basicDer = parsed.basicDer;
    basic = parsed.basic;
  } catch (err) {
    return { problem: `unreadable OCSP response: ${err instanceof Error ? err.message : String(err)}` };
  }
  const producedAt = basic.tbsResponseData.producedAt;
  const candidates = [issuer, ...(basic.certs ?? []).map((c) => toDer(c))];
  const responderId = basic.tbsResponseData.responderID;
  const responder = candidates.find((c) => {
    const parsed = parse(c);
    if (responderId instanceof pkijs.RelativeDistinguishedNames) return parsed.subject.isEqual(responderId);
    const keyHash = (responderId as asn1js.OctetString).valueBlock.valueHexView;
    return Buffer.from(sha1(issuerKeyBits(c))).equals(Buffer.from(keyHash));
  });
  if (!responder) return { problem: 'OCSP responder certificate not found' };
  const isIssuer = Buffer.from(responder).equals(Buffer.from(issuer));
  if (!isIssuer) {
    if (!issuedBy(responder, issuer))
      return { problem: 'OCSP responder not issued by the certificate issuer' };
    if (!hasExtendedUsage(responder, KEY_PURPOSE.ocspSigning))
      return { problem: 'OCSP responder lacks id-kp-OCSPSigning' };
    const r = x509(responder);
    if (producedAt < new Date(r.validFrom) || producedAt > new Date(r.validTo))
      return { problem: 'OCSP responder certificate not valid when the response was produced' };
  }
  const signed = tbsBytes(basicDer);
  if (
    !verifyWith(
      responder,
      signed,
      basic.signature.valueBlock.valueHexView,
      basic.signatureAlgorithm.algorithmId,
    )
  ) {
    return { problem: 'OCSP response signature does not verify' };
  }
  if (options.nonce) {
    const ext = basic.tbsResponseData.responseExtensions?.find((e) => e.extnID === OID.ocspNonce);
    const value = ext
      ? asn1js.fromBER(new Uint8Array(ext.extnValue.valueBlock.valueHexView)).result
      : undefined;
    const nonce = value instanceof asn1js.OctetString ? value.valueBlock.valueHexView : undefined;
    if (!nonce || !Buffer.from(nonce).equals(Buffer.from(options.nonce)))
      return { problem: 'OCSP nonce does not match (a replayed response)' };
  }
  const single = basic.tbsResponseData.responses.find((r) => sameCertId(r.certID, cert, issuer));
  if (!single) return { problem: 'OCSP response is about another certificate' };
  const source: RevocationSource = { kind: 'ocsp', embedded: options.embedded, der };
  const thisUpdate = single.thisUpdate;
  const nextUpdate = single.nextUpdate;
  const tag = (single.certStatus as asn1js.BaseBlock).idBlock.tagNumber;
  if (tag === 0) {
    return { status: { status: 'good', source, thisUpdate, ...(nextUpdate ? { nextUpdate } : {}) } };
  }
  if (tag === 1) {
    const info = single.certStatus as asn1js.Constructed;
    const time = info.valueBlock.value[0] as asn1js.GeneralizedTime | undefined;
    const reasonBlock = info.valueBlock.value[1] as asn1js.Constructed | undefined;
    const reason = (reasonBlock?.valueBlock.value[0] as asn1js.Enumerated | undefined)?.valueBlock.valueDec;
    if (!time) return { problem: 'OCSP revoked status without a time' };
    return {
      status: {
        status: 'revoked',
        revokedAt: time.toDate(),
        ...(reason === undefined ? {} : { reason }),
        source,
        thisUpdate,
      },
    };
  }
  return { problem: 'OCSP responder does not know the certificate' };
};

/** `checkCrl` without the cache. */
const checkCrlOnce = (
  der: Uint8Array,
  cert: Uint8Array,
  issuer: Uint8Array,
  options: { embedded: boolean },
): Checked => {
  let crl: pkijs.CertificateRevocationList;
  try {
    crl = parseCrl(der);
  } catch (err) {
    return { problem: `unreadable CRL: ${err instanceof Error ? err.message : String(err)}` };
  }
  const issuerCert = parse(issuer);
  if (!crl.issuer.isEqual(issuerCert.subject)) return { problem: 'CRL of another issuer' };
  const usage = (extensionValue(issuerCert, OID.keyUsage) as asn1js.BitString | undefined)?.valueBlock
    .valueHexView[0];
  if (usage !== undefined && (usage & 0x02) === 0) return { problem: 'CRL issuer lacks cRLSign' };
  if (
    !verifyWith(issuer, tbsBytes(der), crl.signatureValue.valueBlock.valueHexView, crl.signature.algorithmId)
  )
    return { problem: 'CRL signature does not verify' };
  const serial = parse(cert).serialNumber;
  const entry = crl.revokedCertificates?.find((r) => r.userCertificate.isEqual(serial));
  const source: RevocationSource = { kind: 'crl', embedded: options.embedded, der };
  const thisUpdate = crl.thisUpdate.value;
  const nextUpdate = crl.nextUpdate?.value;
  if (!entry)
    return { status: { status: 'good', source, thisUpdate, ...(nextUpdate ? { nextUpdate } : {}) } };
  return { status: { status: 'revoked', revokedAt: entry.revocationDate.value, source, thisUpdate } };
};

const hashOf = (bytes: Uint8Array) => createHash('sha1').update(bytes).digest('base64');

/**
 * The same answer for the same bytes: a DSS is read again for every signature and every pass (augmenting,
 * validating), and each check re-parses and re-verifies the response. A nonce check is never cached (the
 * nonce is new each time).
 */
const checkedOnce = <O extends { embedded: boolean }>(
  check: (der: Uint8Array, cert: Uint8Array, issuer: Uint8Array, options: O) => Checked,
) => {
  const cache = new Map<string, Checked>();
  return (der: Uint8Array, cert: Uint8Array, issuer: Uint8Array, options: O): Checked => {
    if ('nonce' in options && options.nonce) return check(der, cert, issuer, options);
    const key = `${hashOf(der)}:${hashOf(cert)}:${hashOf(issuer)}:${options.embedded}`;
    let value = cache.get(key);
    if (!value) {
      value = check(der, cert, issuer, options);
      if (cache.size >= 5_000) cache.delete(cache.keys().next().value as string);
      cache.set(key, value);
    }
    return value;
  };
};

/**
 * Checks an OCSP response about `cert` (issued by `issuer`): a successful basic response, signed by the
 * issuer or by a responder certificate the issuer delegated (id-kp-OCSPSigning), valid when it was produced,
 * with our nonce when `nonce` is given, that names this certificate.
 */
export const checkOcspResponse = checkedOnce(checkOcspResponseOnce);
/** Checks a CRL for `cert`: signed by `issuer` (with cRLSign), naming it as issuer, listing or not the serial. */
export const checkCrl = checkedOnce(checkCrlOnce);

/**
 * Whether a checked status speaks for time `at`: a revocation at or before `at` does; otherwise the data
 * must have been issued after `at` (so a revocation before `at` would show), or cover `at` within its
 * thisUpdate..nextUpdate window.
 */
export const speaksFor = (status: RevocationStatus, at: Date) => {
  if (status.status === 'unknown') return false;
  if (status.status === 'revoked' && status.revokedAt <= at) return true;
  if (status.thisUpdate.getTime() >= at.getTime() - CLOCK_SKEW_MS) return true;
  return (
    status.status === 'good' &&
    status.nextUpdate !== undefined &&
    status.nextUpdate >= at &&
    status.thisUpdate <= at
  );
};

/** The most telling of several statuses: a revocation first, then the newest good one. */
const strongest = (statuses: RevocationStatus[]) =>
  statuses.find((s) => s.status === 'revoked') ??
  statuses
    .filter((s): s is Extract<RevocationStatus, { status: 'good' }> => s.status === 'good')
    .sort((a, b) => b.thisUpdate.getTime() - a.thisUpdate.getTime())[0];

const fetchBytes = async (url: string, init: RequestInit, timeoutMs: number) => {
  const ask = () => fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  // A kept-alive connection the responder closed as we reused it fails at once: ask once more.
  const response = await ask().catch((err: unknown) => {
    if (err instanceof Error && err.name !== 'TimeoutError') return ask();
    throw err;
  });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
};

/** Asks the certificate's OCSP responders (with a fresh nonce), then its CRL distribution points. */
export const fetchRevocation = async (
  cert: Uint8Array,
  issuer: Uint8Array,
  timeoutMs = 5_000,
): Promise<{ checked: RevocationStatus[]; problems: string[]; reached: boolean }> => {
  const checked: RevocationStatus[] = [];
  const problems: string[] = [];
  let reached = false;
  for (const url of ocspUrls(cert)) {
    const nonce = randomBytes(16);
    try {
      const der = await fetchBytes(
        url,
        {
          method: 'POST',
          headers: { 'content-type': 'application/ocsp-request' },
          body: Buffer.from(buildOcspRequest(cert, issuer, nonce)),
        },
        timeoutMs,
      );
      reached = true;
      const result = checkOcspResponse(der, cert, issuer, { nonce, embedded: false });
      if (result.status) {
        checked.push(result.status);
        return { checked, problems, reached };
      }
      problems.push(`${url}: ${result.problem}`);
    } catch (err) {
      problems.push(`${url}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  for (const url of crlUrls(cert)) {
    try {
      const der = await fetchBytes(url, { method: 'GET' }, timeoutMs);
      reached = true;
      const result = checkCrl(der, cert, issuer, { embedded: false });
      if (result.status) {
        checked.push(result.status);
        return { checked, problems, reached };
      }
      problems.push(`${url}: ${result.problem}`);
    } catch (err) {
      problems.push(`${url}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return { checked, problems, reached };
};

/** How long a fetched answer is reused for further signatures (within its own validity), by default. */
export const REVOCATION_REUSE_MS = 5 * 60_000;

const recentAnswers = new Map<string, { checked: RevocationStatus[]; fetchedAt: number }>();

/**
 * `fetchRevocation` for collecting validation data when signing: an answer fetched for the same certificate
 * and issuer less than `reuseMs` ago is used again when it speaks for `at` (issued after it, or valid at it:
 * the rule the validator applies). The issuing CA's and the TSA's certificates are the same for every
 * signature, and a clerk signs many documents in a row; the responder is asked once for them all.
 */
export const fetchRevocationReusing = async (
  cert: Uint8Array,
  issuer: Uint8Array,
  at: Date,
  options: { timeoutMs?: number; reuseMs?: number } = {},
) => {
  const key = `${hashOf(cert)}:${hashOf(issuer)}`;
  const kept = recentAnswers.get(key);
  const reuseMs = options.reuseMs ?? REVOCATION_REUSE_MS;
  if (kept && Date.now() - kept.fetchedAt <= reuseMs && kept.checked.some((s) => speaksFor(s, at))) {
    return { checked: kept.checked, problems: [] as string[], reached: true, reused: true };
  }
  const fetched = await fetchRevocation(cert, issuer, options.timeoutMs);
  if (reuseMs > 0 && fetched.checked.some((s) => s.status !== 'unknown')) {
    if (recentAnswers.size >= 2_000) recentAnswers.delete(recentAnswers.keys().next().value as string);
    recentAnswers.set(key, { checked: fetched.checked, fetchedAt: Date.now() });
  }
  return { ...fetched, reused: false };
};

/**
 * The revocation status of `cert` (issued by `issuer`) at `options.at`: embedded responses first; online
 * when allowed and nothing embedded speaks for that time, or to catch a revocation the embedded data
 * predates. Unknown says why (responder down, no data, data too old).
 */
export const findRevocationStatus = async (
  cert: Uint8Array,
  issuer: Uint8Array,
  options: RevocationOptions,
): Promise<RevocationStatus> => {
  const details: string[] = [];
  const embedded: RevocationStatus[] = [];
  for (const der of options.embedded?.ocsps ?? []) {
    const result = checkOcspResponse(der, cert, issuer, { embedded: true });
    if (result.status) embedded.push(result.status);
  }
  for (const der of options.embedded?.crls ?? []) {
    const result = checkCrl(der, cert, issuer, { embedded: true });
    if (result.status) embedded.push(result.status);
  }
  const embeddedAnswer = strongest(embedded.filter((s) => speaksFor(s, options.at)));
  if (embeddedAnswer?.status === 'revoked') return embeddedAnswer;
  if (embeddedAnswer && !options.online) return embeddedAnswer;
  if (options.online) {
    const { checked, problems, reached } = await fetchRevocation(cert, issuer, options.timeoutMs);
    details.push(...problems);
    const online = strongest(checked.filter((s) => speaksFor(s, options.at)));
    if (online?.status === 'revoked') return online;
    if (embeddedAnswer) return embeddedAnswer;
    if (online) return online;
    if (checked.length > 0) return { status: 'unknown', why: 'not_fresh', details };
    if (ocspUrls(cert).length + crlUrls(cert).length === 0) {
      return { status: 'unknown', why: 'no_data', details: [...details, 'certificate names no OCSP or CRL'] };
    }
    return { status: 'unknown', why: reached ? 'bad_response' : 'responder_down', details };
  }
  if (embeddedAnswer) return embeddedAnswer;
  if (embedded.length > 0)
    return { status: 'unknown', why: 'not_fresh', details: ['embedded data predates the time'] };
  return { status: 'unknown', why: 'no_data', details: ['no embedded revocation data and no network'] };
};

export type StatusFinder = (
  cert: Uint8Array,
  issuer: Uint8Array,
  options: RevocationOptions,
) => Promise<RevocationStatus>;

/** One validation's statuses, asked once: the verifier and the long-term check share them. */
export const memoizedStatusFinder = (): StatusFinder => {
  const cache = new Map<string, Promise<RevocationStatus>>();
  return (cert, issuer, options) => {
    const key = [
      createHash('sha256').update(cert).digest('hex'),
      createHash('sha256').update(issuer).digest('hex'),
      options.at.getTime(),
      options.online ? 'online' : 'offline',
      (options.embedded?.ocsps.length ?? 0) + (options.embedded?.crls.length ?? 0),
    ].join(':');
    let found = cache.get(key);
    if (!found) {
      found = findRevocationStatus(cert, issuer, options);
      cache.set(key, found);
    }
    return found;
  };
};

/**
 * The verifier's revocation checker (validation.ts `RevocationChecker`): the document's DSS first, then the
 * certificate's OCSP responder and CRL points when `online`.
 */
export const revocationChecker =
  (options: { online: boolean; timeoutMs?: number; findStatus?: StatusFinder }): RevocationChecker =>
  async ({ certificate, issuer, at, embedded }) => {
    const status = await (options.findStatus ?? findRevocationStatus)(certificate, issuer, {
      at,
      embedded,
      online: options.online,
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    });
    if (status.status === 'unknown') {
      return { status: 'unknown', source: 'none', reason: `${status.why}: ${status.details.join('; ')}` };
    }
    const source = status.source.embedded ? (`embedded-${status.source.kind}` as const) : status.source.kind;
    return status.status === 'revoked'
      ? { status: 'revoked', source, revokedAt: status.revokedAt, producedAt: status.thisUpdate }
      : { status: 'good', source, producedAt: status.thisUpdate };
  };
