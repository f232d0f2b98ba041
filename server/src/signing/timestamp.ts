// RFC 3161 timestamps: asking a TSA for a token over some bytes (the signature value for PAdES B-T, the
// document's byte range for a document timestamp), reading a token back, and putting one into a CMS as the
// unsigned attribute id-aa-signatureTimeStampToken.
import { createHash, verify as cryptoVerify, randomBytes } from 'node:crypto';
import { appError, isAppError } from '@postdesk/shared';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { CMS_OID } from './cms';
import { memo, parseCertificate, x509Certificate } from './parsed';

export const TSP_OID = {
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  signatureTimeStampToken: '1.2.840.113549.1.9.16.2.14',
  signingCertificate: '1.2.840.113549.1.9.16.2.12',
} as const;

const HASH_OIDS: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  [CMS_OID.sha256]: 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

// PKCS#1 v1.5 and ECDSA signature algorithms node:crypto verifies as they are.
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

export type TsaConfig = {
  url: string;
  /** HTTP basic credentials, or a bearer token, as the TSA's contract says. */
  username?: string;
  password?: string;
  bearer?: string;
  timeoutMs?: number;
};

const sha256 = (data: Uint8Array) => new Uint8Array(createHash('sha256').update(data).digest());

export const hashName = (oid: string) => HASH_OIDS[oid];

/** A DER encoding of a pkijs object. */
export const toDer = (block: { toSchema: () => asn1js.BaseBlock }) =>
  new Uint8Array(block.toSchema().toBER(false));

/**
 * Checks one SignerInfo over `content` (the detached bytes, or the encapsulated content) with `certificate`:
 * the messageDigest attribute, then the signature over the signed attributes as they were encoded.
 */
export const verifySignerInfo = (
  signerInfo: pkijs.SignerInfo,
  content: Uint8Array,
  certificate: Uint8Array,
): { digestMatches: boolean; signatureOk: boolean; hash?: string } => {
  const hash = hashName(signerInfo.digestAlgorithm.algorithmId);
  const sigAlg = signerInfo.signatureAlgorithm.algorithmId;
  if (!hash || !(sigAlg in SIGNATURE_HASHES)) return { digestMatches: false, signatureOk: false };
  const publicKey = x509Certificate(certificate).publicKey;
  const signature = signerInfo.signature.valueBlock.valueHexView;
  if (!signerInfo.signedAttrs) {
    const ok = cryptoVerify(hash, content, publicKey, signature);
    return { digestMatches: ok, signatureOk: ok, hash };
  }
  const messageDigest = signerInfo.signedAttrs.attributes.find((a) => a.type === CMS_OID.messageDigest)
    ?.values[0] as asn1js.OctetString | undefined;
  const digest = createHash(hash).update(content).digest();
  const digestMatches = messageDigest !== undefined && digest.equals(messageDigest.valueBlock.valueHexView);
  const signedAttrs = new Uint8Array(signerInfo.signedAttrs.encodedValue);
  signedAttrs[0] = 0x31;
  let signatureOk = false;
  try {
    signatureOk = cryptoVerify(SIGNATURE_HASHES[sigAlg] ?? hash, signedAttrs, publicKey, signature);
  } catch {
    signatureOk = false;
  }
  return { digestMatches, signatureOk, hash };
};

const certificatesOf = (signedData: pkijs.SignedData) =>
  (signedData.certificates ?? [])
    .filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate)
    .map((c) => new Uint8Array(c.toSchema().toBER(false)));

/** The certificate a SignerInfo names (issuer and serial, or subject key identifier) among `pool`. */
export const signerCertificateOf = (signerInfo: pkijs.SignerInfo, pool: Uint8Array[]) => {
  const sid = signerInfo.sid;
  return pool.find((der) => {
    const cert = parseCertificate(der);
    if (sid instanceof pkijs.IssuerAndSerialNumber) {
      return cert.issuer.isEqual(sid.issuer) && cert.serialNumber.isEqual(sid.serialNumber);
    }
    const ski = cert.extensions?.find((e) => e.extnID === '2.5.29.14')?.parsedValue as
      | asn1js.OctetString
      | undefined;
    return (
      ski !== undefined &&
      Buffer.from(ski.valueBlock.valueHexView).equals(
        Buffer.from((sid as asn1js.OctetString).valueBlock.valueHexView),
      )
    );
  });
};

/** The ESS signing-certificate(-v2) hashes a SignerInfo binds itself to, with their hash names. */
const essCertHashes = (signerInfo: pkijs.SignerInfo): { hash: string; value: Uint8Array }[] => {
  const out: { hash: string; value: Uint8Array }[] = [];
  for (const attr of signerInfo.signedAttrs?.attributes ?? []) {
    const v2 = attr.type === CMS_OID.signingCertificateV2;
    if (!v2 && attr.type !== TSP_OID.signingCertificate) continue;
    const certs = (attr.values[0] as asn1js.Sequence | undefined)?.valueBlock.value[0] as
      | asn1js.Sequence
      | undefined;
    for (const id of certs?.valueBlock.value ?? []) {
      const fields = (id as asn1js.Sequence).valueBlock.value;
      let hash = v2 ? 'sha256' : 'sha1';
      let at = 0;
      if (v2 && fields[0] instanceof asn1js.Sequence) {
        const alg = (
          fields[0].valueBlock.value[0] as asn1js.ObjectIdentifier | undefined
        )?.valueBlock.toString();
        hash = (alg && hashName(alg)) ?? 'unknown';
        at = 1;
      }
      const value = fields[at];
      if (value instanceof asn1js.OctetString) out.push({ hash, value: value.valueBlock.valueHexView });
    }
  }
  return out;
};

/** Whether the SignerInfo's ESS attribute names exactly this certificate (a swapped one for the same key fails). */
export const essBindsCertificate = (signerInfo: pkijs.SignerInfo, certificate: Uint8Array) => {
  const hashes = essCertHashes(signerInfo);
  return (
    hashes.length > 0 &&
    hashes.some(
      ({ hash, value }) =>
        hash !== 'unknown' && createHash(hash).update(certificate).digest().equals(Buffer.from(value)),
    )
  );
};

export type TimestampToken = {
  genTime: Date;
  /** Hash algorithm and value of what was timestamped. */
  hash: string;
  imprint: Uint8Array;
  /** The imprint equals the hash of the bytes given to `readTimestampToken`. */
  imprintMatches: boolean;
  /** The TSA's signature over the TSTInfo verifies, and its ESS attribute names the TSA certificate. */
  signatureOk: boolean;
  tsaCertificate?: Uint8Array;
  certificates: Uint8Array[];
  nonce?: string;
  serial: string;
};

// One parse per token: a file's tokens are read by every pass over it (augmenting, validating).
const parseToken = memo((tokenDer: Uint8Array) => {
  const contentInfo = pkijs.ContentInfo.fromBER(new Uint8Array(tokenDer));
  if (contentInfo.contentType !== CMS_OID.signedData) throw new Error('timestamp is not a CMS SignedData');
  const signedData = new pkijs.SignedData({ schema: contentInfo.content });
  if (signedData.encapContentInfo.eContentType !== TSP_OID.tstInfo) throw new Error('not a TSTInfo');
  const eContent = signedData.encapContentInfo.eContent;
  if (!eContent) throw new Error('timestamp has no TSTInfo');
  const tstDer = eContent.getValue();
  return { signedData, tstDer, tst: pkijs.TSTInfo.fromBER(new Uint8Array(tstDer)) };
}, 500);

/** Reads a TimeStampToken (a CMS SignedData over a TSTInfo) and checks it against the bytes it should cover. */
export const readTimestampToken = (
  tokenDer: Uint8Array,
  covered: Uint8Array,
  /** Certificates known besides those in the token (DSS, trust store), to find the TSA's. */
  extraCertificates: Uint8Array[] = [],
): TimestampToken => {
  const { signedData, tstDer, tst } = parseToken(tokenDer);
  const hash = hashName(tst.messageImprint.hashAlgorithm.algorithmId);
  if (!hash) throw new Error(`unsupported timestamp hash ${tst.messageImprint.hashAlgorithm.algorithmId}`);
  const imprint = tst.messageImprint.hashedMessage.valueBlock.valueHexView;
  const imprintMatches = createHash(hash).update(covered).digest().equals(Buffer.from(imprint));
  const certificates = certificatesOf(signedData);
  const signerInfo = signedData.signerInfos[0];
  const tsaCertificate = signerInfo
    ? signerCertificateOf(signerInfo, [...certificates, ...extraCertificates])
    : undefined;
  let signatureOk = false;
  if (signerInfo && tsaCertificate) {
    const contentType = signerInfo.signedAttrs?.attributes.find((a) => a.type === CMS_OID.contentType)
      ?.values[0] as asn1js.ObjectIdentifier | undefined;
    const checked = verifySignerInfo(signerInfo, new Uint8Array(tstDer), tsaCertificate);
    signatureOk =
      checked.digestMatches &&
      checked.signatureOk &&
      contentType?.valueBlock.toString() === TSP_OID.tstInfo &&
      essBindsCertificate(signerInfo, tsaCertificate);
  }
  return {
    genTime: tst.genTime,
    hash,
    imprint,
    imprintMatches,
    signatureOk,
    ...(tsaCertificate ? { tsaCertificate } : {}),
    certificates,
    ...(tst.nonce ? { nonce: Buffer.from(tst.nonce.valueBlock.valueHexView).toString('hex') } : {}),
    serial: Buffer.from(tst.serialNumber.valueBlock.valueHexView).toString('hex'),
  };
};

/** Asks the TSA for a token over `data` (SHA-256 imprint, a nonce, the TSA's certificate requested). */
export const requestTimestamp = async (config: TsaConfig, data: Uint8Array): Promise<Uint8Array> => {
  const nonce = randomBytes(8);
  nonce[0] = ((nonce[0] ?? 0) & 0x7f) | 0x01;
  const request = new pkijs.TimeStampReq({
    version: 1,
    messageImprint: new pkijs.MessageImprint({
      hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: CMS_OID.sha256 }),
      hashedMessage: new asn1js.OctetString({ valueHex: sha256(data) }),
    }),
    nonce: new asn1js.Integer({ valueHex: nonce }),
    certReq: true,
  });
  const headers: Record<string, string> = { 'content-type': 'application/timestamp-query' };
  if (config.bearer) headers.authorization = `Bearer ${config.bearer}`;
  else if (config.username !== undefined) {
    headers.authorization = `Basic ${Buffer.from(`${config.username}:${config.password ?? ''}`).toString('base64')}`;
  }
  const unavailable = (reason: string) => appError('TSA_UNAVAILABLE', { tsa: config.url, reason });
  const post = () =>
    fetch(config.url, {
      method: 'POST',
      headers,
      body: Buffer.from(toDer(request)),
      signal: AbortSignal.timeout(config.timeoutMs ?? 10_000),
    });
  let body: Uint8Array;
  try {
    // A kept-alive connection the TSA closed as we reused it fails before any answer: ask once more.
    const response = await post().catch((err: unknown) => {
      if (err instanceof Error && err.name !== 'TimeoutError') return post();
      throw err;
    });
    if (!response.ok) throw unavailable(`HTTP ${response.status}`);
    body = new Uint8Array(await response.arrayBuffer());
  } catch (err) {
    if (isAppError(err)) throw err;
    const cause = err instanceof Error && err.cause instanceof Error ? ` (${err.cause.message})` : '';
    throw unavailable(`${err instanceof Error ? err.message : String(err)}${cause}`);
  }
  let token: Uint8Array;
  try {
    const reply = pkijs.TimeStampResp.fromBER(new Uint8Array(body));
    const status = reply.status.status;
    if ((status !== 0 && status !== 1) || !reply.timeStampToken) throw new Error(`status ${status}`);
    token = toDer(reply.timeStampToken);
  } catch (err) {
    throw unavailable(`unreadable reply: ${err instanceof Error ? err.message : String(err)}`);
  }
  // A TSA that answers an old token, or one for other bytes, is as good as no answer.
  const read = (() => {
    try {
      return readTimestampToken(token, data);
    } catch (err) {
      throw unavailable(`unreadable token: ${err instanceof Error ? err.message : String(err)}`);
    }
  })();
  if (!read.imprintMatches) throw unavailable('token covers other bytes');
  if (read.nonce !== nonce.toString('hex')) throw unavailable('nonce does not match');
  if (!read.signatureOk) throw unavailable('token signature does not verify');
  return token;
};

/** The SignerInfo's signature value: what a signature timestamp covers. */
export const signatureValueOf = (cmsDer: Uint8Array) => {
  const signedData = new pkijs.SignedData({
    schema: pkijs.ContentInfo.fromBER(new Uint8Array(cmsDer)).content,
  });
  const signerInfo = signedData.signerInfos[0];
  if (!signerInfo) throw new Error('no SignerInfo');
  return new Uint8Array(signerInfo.signature.valueBlock.valueHexView);
};

/**
 * Adds `token` to the CMS's first SignerInfo as id-aa-signatureTimeStampToken (an unsigned attribute, so
 * the signature stays as it was). The signed attributes are re-encoded from their original bytes, checked.
 */
export const addSignatureTimestamp = (cmsDer: Uint8Array, token: Uint8Array) => {
  const contentInfo = pkijs.ContentInfo.fromBER(new Uint8Array(cmsDer));
  const signedData = new pkijs.SignedData({ schema: contentInfo.content });
  const signerInfo = signedData.signerInfos[0];
  if (!signerInfo) throw new Error('no SignerInfo');
  const before = Buffer.from(signerInfo.signedAttrs?.encodedValue ?? new ArrayBuffer(0));
  const tokenSchema = asn1js.fromBER(new Uint8Array(token)).result;
  signerInfo.unsignedAttrs = new pkijs.SignedAndUnsignedAttributes({
    type: 1,
    attributes: [
      ...(signerInfo.unsignedAttrs?.attributes ?? []),
      new pkijs.Attribute({ type: TSP_OID.signatureTimeStampToken, values: [tokenSchema] }),
    ],
  });
  const out = new Uint8Array(
    new pkijs.ContentInfo({ contentType: CMS_OID.signedData, content: signedData.toSchema(true) })
      .toSchema()
      .toBER(false),
  );
  const again = new pkijs.SignedData({ schema: pkijs.ContentInfo.fromBER(out).content }).signerInfos[0];
  if (!before.equals(Buffer.from(again?.signedAttrs?.encodedValue ?? new ArrayBuffer(0)))) {
    throw new Error('re-encoding changed the signed attributes');
  }
  return out;
};

/** The signature timestamp tokens in a CMS's first SignerInfo (DER), in the order they were added. */
export const signatureTimestampsOf = (signerInfo: pkijs.SignerInfo): Uint8Array[] =>
  (signerInfo.unsignedAttrs?.attributes ?? [])
    .filter((a) => a.type === TSP_OID.signatureTimeStampToken)
    .flatMap((a) => a.values.map((v: asn1js.BaseBlock) => new Uint8Array(v.toBER(false))));
