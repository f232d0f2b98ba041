// The attacker's and the odd signer's tools for the verifier's tests: certificates with chosen dates, keys and
// algorithms, CMS signatures with SHA-1 or without the ESS attribute, and incremental updates written by hand.
import { createHash, createPublicKey, type KeyObject, randomBytes, sign } from 'node:crypto';
import { pdflibAddPlaceholder } from '@signpdf/placeholder-pdf-lib';
import { SignPdf, Signer as SignPdfSigner } from '@signpdf/signpdf';
import { SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils';
import * as asn1js from 'asn1js';
import { PDFDocument } from 'pdf-lib';
import * as pkijs from 'pkijs';
import { buildName, type Subject } from '../../server/src/signing/pki';
import { dictOf, isRef, readRevision } from '../../server/src/signing/pdf-objects';
import type { Signer } from '../../server/src/signing/signer';

const OIDS = {
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha1WithRSA: '1.2.840.113549.1.1.5',
  sha256WithRSA: '1.2.840.113549.1.1.11',
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
};

export type Issuer = { certificate: Uint8Array; key: KeyObject };

const spkiOf = (key: KeyObject) =>
  new Uint8Array((key.type === 'public' ? key : createPublicKey(key)).export({ type: 'spki', format: 'der' }));

/** A certificate with the dates, hash and key usage a test needs, issued by `issuer` (or self-signed). */
export const issueTestCertificate = (opts: {
  subject: Subject;
  publicKey: KeyObject;
  issuer?: Issuer;
  selfKey?: KeyObject;
  notBefore: Date;
  notAfter: Date;
  ca?: boolean;
  hash?: 'sha256' | 'sha1';
  /** keyUsage bits (first byte): default digitalSignature + nonRepudiation, or keyCertSign + cRLSign for a CA. */
  usage?: number;
}): Uint8Array => {
  const hash = opts.hash ?? 'sha256';
  const issuerCert = opts.issuer
    ? pkijs.Certificate.fromBER(new Uint8Array(opts.issuer.certificate))
    : undefined;
  const cert = new pkijs.Certificate();
  cert.version = 2;
  const serial = randomBytes(16);
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x40;
  cert.serialNumber = new asn1js.Integer({ valueHex: serial });
  cert.subject = buildName(opts.subject);
  cert.issuer = issuerCert ? issuerCert.subject : buildName(opts.subject);
  cert.notBefore.value = opts.notBefore;
  cert.notAfter.value = opts.notAfter;
  cert.subjectPublicKeyInfo = pkijs.PublicKeyInfo.fromBER(spkiOf(opts.publicKey));
  const usage = opts.usage ?? (opts.ca ? 0x06 : 0xc0);
  cert.extensions = [
    new pkijs.Extension({
      extnID: '2.5.29.19',
      critical: true,
      extnValue: new pkijs.BasicConstraints({ cA: Boolean(opts.ca) }).toSchema().toBER(false),
    }),
    new pkijs.Extension({
      extnID: '2.5.29.15',
      critical: true,
      extnValue: new asn1js.BitString({ valueHex: new Uint8Array([usage]), unusedBits: 1 }).toBER(false),
    }),
  ];
  const alg = new pkijs.AlgorithmIdentifier({
    algorithmId: hash === 'sha1' ? OIDS.sha1WithRSA : OIDS.sha256WithRSA,
    algorithmParams: new asn1js.Null(),
  });
  cert.signature = alg;
  cert.signatureAlgorithm = alg;
  const tbs = new Uint8Array(cert.encodeTBS().toBER(false));
  cert.tbsView = tbs;
  const key = opts.issuer?.key ?? opts.selfKey;
  if (!key) throw new Error('no issuing key');
  cert.signatureValue = new asn1js.BitString({ valueHex: sign(hash, tbs, key) });
  return new Uint8Array(cert.toSchema(false).toBER(false));
};

/** A `Signer` over a key in memory (the embedded demo's transport, with any certificate). */
export const memorySigner = (key: KeyObject, certificate: Uint8Array, chain: Uint8Array[]): Signer => {
  const self: Signer = {
    kind: 'software',
    certificate: async () => certificate,
    chain: async () => chain,
    sign: async (data) => new Uint8Array(sign('sha256', data, key)),
    forKey: () => self,
  };
  return self;
};

const der = (block: { toSchema: () => asn1js.BaseBlock }) => new Uint8Array(block.toSchema().toBER(false));

/** A detached CMS SignedData with a choice of digest and of the ESS signing-certificate-v2 attribute. */
export const buildTestCms = (opts: {
  content: Uint8Array;
  certificate: Uint8Array;
  chain: Uint8Array[];
  key: KeyObject;
  digest?: 'sha256' | 'sha1';
  /** The certificate the ESS attribute names (default: `certificate`), or none at all. */
  essCertificate?: Uint8Array | null;
}) => {
  const digest = opts.digest ?? 'sha256';
  const cert = pkijs.Certificate.fromBER(new Uint8Array(opts.certificate));
  const attributes = [
    new pkijs.Attribute({
      type: OIDS.contentType,
      values: [new asn1js.ObjectIdentifier({ value: OIDS.data })],
    }),
    new pkijs.Attribute({
      type: OIDS.messageDigest,
      values: [new asn1js.OctetString({ valueHex: createHash(digest).update(opts.content).digest() })],
    }),
  ];
  const essCert = opts.essCertificate === undefined ? opts.certificate : opts.essCertificate;
  if (essCert) {
    const id = new asn1js.Sequence({
      value: [new asn1js.OctetString({ valueHex: createHash('sha256').update(essCert).digest() })],
    });
    attributes.push(
      new pkijs.Attribute({
        type: OIDS.signingCertificateV2,
        values: [new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [id] })] })],
      }),
    );
  }
  attributes.sort((a, b) => Buffer.compare(der(a), der(b)));
  const signedAttrs = new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes });
  const toBeSigned = der(signedAttrs);
  toBeSigned[0] = 0x31;
  const signature = sign(digest, toBeSigned, opts.key);
  const digestAlg = () =>
    new pkijs.AlgorithmIdentifier({ algorithmId: digest === 'sha1' ? OIDS.sha1 : OIDS.sha256 });
  const signedData = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OIDS.data }),
    digestAlgorithms: [digestAlg()],
    signerInfos: [
      new pkijs.SignerInfo({
        version: 1,
        sid: new pkijs.IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber }),
        digestAlgorithm: digestAlg(),
        signedAttrs,
        signatureAlgorithm: new pkijs.AlgorithmIdentifier({
          algorithmId: digest === 'sha1' ? OIDS.sha1WithRSA : OIDS.sha256WithRSA,
          algorithmParams: new asn1js.Null(),
        }),
        signature: new asn1js.OctetString({ valueHex: signature }),
      }),
    ],
    certificates: [cert, ...opts.chain.map((c) => pkijs.Certificate.fromBER(new Uint8Array(c)))],
  });
  return new Uint8Array(
    new pkijs.ContentInfo({ contentType: OIDS.signedData, content: signedData.toSchema(true) })
      .toSchema()
      .toBER(false),
  );
};

class FixedCmsSigner extends SignPdfSigner {
  constructor(private readonly make: (content: Uint8Array) => Uint8Array) {
    super();
  }
  override async sign(content: Buffer): Promise<Buffer> {
    return Buffer.from(this.make(new Uint8Array(content)));
  }
}

/** Signs an unsigned PDF the way @signpdf does, with whatever CMS `make` builds over the signed bytes. */
export const signWithCms = async (
  pdf: Uint8Array,
  make: (content: Uint8Array) => Uint8Array,
  signingTime = new Date(),
) => {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  pdflibAddPlaceholder({
    pdfDoc: doc,
    reason: 'test',
    location: 'Huế',
    name: 'test',
    contactInfo: '',
    signingTime,
    subFilter: SUBFILTER_ETSI_CADES_DETACHED,
    signatureLength: 16384,
    widgetRect: [0, 0, 0, 0],
  });
  const prepared = Buffer.from(await doc.save({ useObjectStreams: false }));
  return new Uint8Array(await new SignPdf().sign(prepared, new FixedCmsSigner(make)));
};

/** The object number of page `n`'s (first) content stream in the file's final revision. */
export const pageContentObject = (bytes: Uint8Array, n = 1) => {
  const rev = readRevision(Buffer.from(bytes));
  const catalog = dictOf(rev.resolve(rev.trailer.entries.get('Root')));
  const pages = dictOf(rev.resolve(catalog?.entries.get('Pages')));
  const kids = rev.resolve(pages?.entries.get('Kids'));
  const page = dictOf(rev.resolve(Array.isArray(kids) ? kids[n - 1] : undefined));
  let contents = page?.entries.get('Contents');
  const resolved = rev.resolve(contents);
  if (Array.isArray(resolved)) contents = resolved[0];
  if (!isRef(contents)) throw new Error('page has no content stream reference');
  return contents.num;
};

/**
 * Appends an incremental update (classic cross-reference section chained by /Prev) that replaces or adds
 * the given objects, as any PDF editor's "save" does.
 */
export const appendUpdate = (bytes: Uint8Array, objects: { num: number; body: string }[]) => {
  const original = Buffer.from(bytes);
  const rev = readRevision(original);
  const trailer = rev.trailer.entries;
  const refText = (key: string) => {
    const v = trailer.get(key);
    return isRef(v) ? `/${key} ${v.num} ${v.gen} R` : '';
  };
  let body = original.at(-1) === 0x0a ? '' : '\n';
  const offsets: [number, number][] = [];
  for (const { num, body: text } of objects) {
    offsets.push([num, original.length + Buffer.byteLength(body, 'latin1')]);
    body += `${num} 0 obj\n${text}\nendobj\n`;
  }
  const xrefAt = original.length + Buffer.byteLength(body, 'latin1');
  let xref = 'xref\n';
  for (const [num, offset] of offsets.sort((a, b) => a[0] - b[0]))
    xref += `${num} 1\n${String(offset).padStart(10, '0')} 00000 n \n`;
  const size = Math.max(Number(trailer.get('Size') ?? 0), ...objects.map((o) => o.num + 1));
  const tail = `${xref}trailer\n<< /Size ${size} ${refText('Root')} ${refText('Info')} /Prev ${rev.sections[0]} >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return new Uint8Array(Buffer.concat([original, Buffer.from(body + tail, 'latin1')]));
};

/** The resource name of the first font page `n` uses. */
export const pageFontName = (bytes: Uint8Array, n = 1) => {
  const rev = readRevision(Buffer.from(bytes));
  const catalog = dictOf(rev.resolve(rev.trailer.entries.get('Root')));
  const pages = dictOf(rev.resolve(catalog?.entries.get('Pages')));
  const kids = rev.resolve(pages?.entries.get('Kids'));
  const page = dictOf(rev.resolve(Array.isArray(kids) ? kids[n - 1] : undefined));
  const resources = dictOf(rev.resolve(page?.entries.get('Resources')));
  const fonts = dictOf(rev.resolve(resources?.entries.get('Font')));
  return [...(fonts?.entries.keys() ?? [])][0] ?? 'F1';
};

/** A content stream drawing `text` with the page's font `font` (the attacker's replacement page). */
export const contentStream = (text: string, font = 'F1') => {
  const ops = `BT /${font} 24 Tf 60 700 Td (${text}) Tj ET`;
  return `<< /Length ${ops.length} >>\nstream\n${ops}\nendstream`;
};
