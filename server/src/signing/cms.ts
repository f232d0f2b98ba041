import { createHash, verify, X509Certificate } from 'node:crypto';
import { appError } from '@postdesk/shared';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

export const CMS_OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha256WithRSA: '1.2.840.113549.1.1.11',
} as const;

const sha256 = (data: Uint8Array) => new Uint8Array(createHash('sha256').update(data).digest());

const der = (block: { toSchema: () => asn1js.BaseBlock }) => new Uint8Array(block.toSchema().toBER(false));

export type CadesInput = {
  /** The bytes the signature covers (for a PDF: the two byte ranges, concatenated). */
  content: Uint8Array;
  certificate: Uint8Array;
  /** Issuers of `certificate`, nearest first; embedded so a verifier can build the path. */
  chain: Uint8Array[];
  /** sha256WithRSAEncryption over the given bytes, by whoever holds the key (token or software). */
  sign: (toBeSigned: Uint8Array) => Promise<Uint8Array>;
};

/**
 * A detached CMS SignedData for PAdES baseline B (`ETSI.CAdES.detached`): signed attributes contentType,
 * messageDigest and ESS signing-certificate-v2, and no signingTime attribute (PAdES puts the time in /M).
 */
export const buildCadesSignature = async ({ content, certificate, chain, sign }: CadesInput) => {
  const cert = pkijs.Certificate.fromBER(new Uint8Array(certificate));
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
      values: [new asn1js.OctetString({ valueHex: sha256(content) })],
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
  if (!verify('sha256', toBeSigned, new X509Certificate(certificate).publicKey, signature)) {
    throw appError('TOKEN_NOT_FOUND', { reason: 'the certificate does not belong to the signing key' });
  }

  const signerInfo = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber }),
    digestAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: CMS_OID.sha256 }),
    signedAttrs,
    signatureAlgorithm: new pkijs.AlgorithmIdentifier({
      algorithmId: CMS_OID.sha256WithRSA,
      algorithmParams: new asn1js.Null(),
    }),
    signature: new asn1js.OctetString({ valueHex: signature }),
  });
  const signedData = new pkijs.SignedData({
    version: 1,
    // No eContent: the signature is detached from the PDF bytes it covers.
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: CMS_OID.data }),
    digestAlgorithms: [new pkijs.AlgorithmIdentifier({ algorithmId: CMS_OID.sha256 })],
    signerInfos: [signerInfo],
    certificates: [cert, ...chain.map((c) => pkijs.Certificate.fromBER(new Uint8Array(c)))],
  });
  const contentInfo = new pkijs.ContentInfo({
    contentType: CMS_OID.signedData,
    content: signedData.toSchema(true),
  });
  return new Uint8Array(contentInfo.toSchema().toBER(false));
};
