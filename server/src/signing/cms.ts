import { constants, createHash, verify, X509Certificate } from 'node:crypto';
import { appError } from '@postdesk/shared';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { signatureScheme } from './token';

export const CMS_OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha256WithRSA: '1.2.840.113549.1.1.11',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  ecdsaWithSha384: '1.2.840.10045.4.3.3',
} as const;

const sha256 = (data: Uint8Array) => new Uint8Array(createHash('sha256').update(data).digest());
const digestOf = (hash: string, data: Uint8Array) => new Uint8Array(createHash(hash).update(data).digest());

const der = (block: { toSchema: () => asn1js.BaseBlock }) => new Uint8Array(block.toSchema().toBER(false));

export type CadesInput = {
  /** The bytes the signature covers (for a PDF: the two byte ranges, concatenated). */
  content: Uint8Array;
  certificate: Uint8Array;
  /** Issuers of `certificate`, nearest first; embedded so a verifier can build the path. */
  chain: Uint8Array[];
  /**
   * The signature over the given bytes by whoever holds the key (token, software, remote service):
   * sha256WithRSAEncryption for an RSA key, DER-encoded ECDSA with SHA-256 (P-256) or SHA-384 (P-384).
   */
  sign: (toBeSigned: Uint8Array) => Promise<Uint8Array>;
  /**
   * `pss`: the RSA key signs RSASSA-PSS (SHA-256, MGF1-SHA-256, 32-byte salt), as some remote-signing
   * services do; PKCS#1 v1.5 otherwise.
   */
  rsaPadding?: 'pkcs1' | 'pss';
};

/** RSASSA-PSS with SHA-256, MGF1 with SHA-256 and a 32-byte salt (RFC 4055 §3.1). */
const pssSha256 = () =>
  new pkijs.AlgorithmIdentifier({
    algorithmId: '1.2.840.113549.1.1.10',
    algorithmParams: new pkijs.RSASSAPSSParams({
      hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: CMS_OID.sha256 }),
      maskGenAlgorithm: new pkijs.AlgorithmIdentifier({
        algorithmId: '1.2.840.113549.1.1.8',
        algorithmParams: new pkijs.AlgorithmIdentifier({ algorithmId: CMS_OID.sha256 }).toSchema(),
      }),
      saltLength: 32,
    }).toSchema(),
  });

/**
 * A detached CMS SignedData for PAdES baseline B (`ETSI.CAdES.detached`): signed attributes contentType,
 * messageDigest and ESS signing-certificate-v2, and no signingTime attribute (PAdES puts the time in /M).
 */
export const buildCadesSignature = async ({
  content,
  certificate,
  chain,
  sign,
  rsaPadding = 'pkcs1',
}: CadesInput) => {
  const cert = pkijs.Certificate.fromBER(new Uint8Array(certificate));
  const scheme = signatureScheme(certificate);
  const digestOid = scheme.hash === 'sha384' ? CMS_OID.sha384 : CMS_OID.sha256;
  const pss = scheme.kind === 'rsa' && rsaPadding === 'pss';
  const signatureAlgorithm = pss
    ? pssSha256()
    : scheme.kind === 'rsa'
      ? new pkijs.AlgorithmIdentifier({
          algorithmId: CMS_OID.sha256WithRSA,
          algorithmParams: new asn1js.Null(),
        })
      : // RFC 5758 §3.2: the ECDSA identifiers take no parameters.
        new pkijs.AlgorithmIdentifier({
          algorithmId: scheme.hash === 'sha384' ? CMS_OID.ecdsaWithSha384 : CMS_OID.ecdsaWithSha256,
        });
  // ESSCertIDv2 with the default hash (SHA-256) omits hashAlgorithm.
  const essCertId = new asn1js.Sequence({
    value: [new asn1js.OctetString({ valueHex: sha256(certificate) })],
  });
  const signingCertificateV2 = new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertId] })] });
  const attributes = [
    new pkijs.Attribute({
      type: CMS_OID.contentType,
      values: [new asn1js.ObjectIdentifier({ value: CMS_OID.data })],
    }),
    new pkijs.Attribute({
      type: CMS_OID.messageDigest,
      values: [new asn1js.OctetString({ valueHex: digestOf(scheme.hash, content) })],
    }),
    new pkijs.Attribute({ type: CMS_OID.signingCertificateV2, values: [signingCertificateV2] }),
  ];
  // DER encodes a SET OF in ascending order of its elements' encodings.
  attributes.sort((a, b) => Buffer.compare(der(a), der(b)));
  const signedAttrs = new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes });
  // The signature covers the attributes as a SET OF (tag 0x31), not as the [0] IMPLICIT field they travel in.
  const toBeSigned = der(signedAttrs);
  toBeSigned[0] = 0x31;
  const signature = await sign(toBeSigned);
  // A certificate that is not the key's (a misconfigured label or id) would make every PDF invalid: refuse.
  const publicKey = new X509Certificate(certificate).publicKey;
  const key = pss ? { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } : publicKey;
  if (!verify(scheme.hash, toBeSigned, key, signature)) {
    throw appError('TOKEN_NOT_FOUND', { reason: 'the certificate does not belong to the signing key' });
  }

  const signerInfo = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber }),
    digestAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: digestOid }),
    signedAttrs,
    signatureAlgorithm,
    signature: new asn1js.OctetString({ valueHex: signature }),
  });
  const signedData = new pkijs.SignedData({
    version: 1,
    // No eContent: the signature is detached from the PDF bytes it covers.
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: CMS_OID.data }),
    digestAlgorithms: [new pkijs.AlgorithmIdentifier({ algorithmId: digestOid })],
    signerInfos: [signerInfo],
    certificates: [cert, ...chain.map((c) => pkijs.Certificate.fromBER(new Uint8Array(c)))],
  });
  const contentInfo = new pkijs.ContentInfo({
    contentType: CMS_OID.signedData,
    content: signedData.toSchema(true),
  });
  return new Uint8Array(contentInfo.toSchema().toBER(false));
};
