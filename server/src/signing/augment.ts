// PAdES B-LT and B-LTA after signing: an incremental update with the DSS (the certificates, OCSP responses
// and CRLs a validator needs for every signature and timestamp in the file, and a /VRI entry per
// signature), then a document timestamp over everything (/Type /DocTimeStamp, /SubFilter /ETSI.RFC3161),
// then the DSS again for that timestamp's own TSA. Years later, with the clerk's certificate expired or
// revoked and the responders gone, the file still carries the proof that it was valid when it was signed.
// The same steps, repeated before the last timestamp's TSA certificate expires, renew the archive.
import { createHash, X509Certificate } from 'node:crypto';
import { appError } from '@postdesk/shared';
import { SignPdf, Signer as SignPdfSigner } from '@signpdf/signpdf';
import {
  PDFArray,
  type PDFDict,
  type PDFDocument,
  PDFName,
  PDFNumber,
  type PDFObject,
  PDFRef,
  PDFDocument as PdfDocument,
} from 'pdf-lib';
import * as pkijs from 'pkijs';
import {
  appendUpdate,
  findSignatures,
  type PdfSignature,
  readDssEntries,
  streamObject,
  type UpdateObject,
  vriKey,
} from './incremental';
import { memo, parseCertificate, x509Certificate } from './parsed';
import {
  checkCrl,
  checkOcspResponse,
  fetchRevocationReusing,
  type RevocationStatus,
  speaksFor,
} from './revocation';
import {
  readTimestampToken,
  requestTimestamp,
  signatureTimestampsOf,
  signerCertificateOf,
  type TsaConfig,
} from './timestamp';
import { chainFrom } from './token';

export type LongTermConfig = {
  tsa: TsaConfig;
  /** How long to wait for an OCSP responder or CRL point while collecting validation data. */
  revocationTimeoutMs?: number;
  /** Certificates to complete chains with (trust roots, the TSA's CA) beside those in the file. */
  extraCertificates?: Uint8Array[];
  /** How long an OCSP answer or CRL fetched for one signature serves the next ones (revocation.ts). */
  revocationReuseMs?: number;
};

// Room for the timestamp token beside the document's own /Contents (TSA certificate and a chain).
export const TIMESTAMP_HEX_LENGTH = 16384;

const pdfDate = (date: Date) => `D:${date.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

const load = async (bytes: Uint8Array) => {
  try {
    return await PdfDocument.load(bytes, { updateMetadata: false });
  } catch (err) {
    throw appError('PDF_INVALID', {
      reason: err instanceof Error ? err.message.slice(0, 200) : 'unreadable',
    });
  }
};

// Read-only here, so one parse per CMS serves every pass over the file.
const cmsParts = memo((cms: Uint8Array) => {
  const signedData = new pkijs.SignedData({ schema: pkijs.ContentInfo.fromBER(new Uint8Array(cms)).content });
  const certificates = (signedData.certificates ?? [])
    .filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate)
    .map((c) => new Uint8Array(c.toSchema().toBER(false)));
  return { signedData, certificates, signerInfo: signedData.signerInfos[0] };
}, 500);

const isSelfSigned = memo((der: Uint8Array) => {
  const cert = x509Certificate(der);
  return cert.subject === cert.issuer && cert.verify(cert.publicKey);
});

/** The same certificate met in several places (DSS, each CMS, each token) is looked at once. */
const distinct = (items: Uint8Array[]) => {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = sha256(item);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
};

/** The certificates an OCSP answer carries (its responder's), once per answer. */
const ocspCertificates = memo((ocsp: Uint8Array) => {
  try {
    const response = pkijs.OCSPResponse.fromBER(new Uint8Array(ocsp));
    const basic = pkijs.BasicOCSPResponse.fromBER(
      new Uint8Array(response.responseBytes?.response.valueBlock.valueHexView ?? new Uint8Array()),
    );
    return (basic.certs ?? []).map((c) => new Uint8Array(c.toSchema().toBER(false)));
  } catch {
    // Checked already when fetched.
    return [];
  }
}, 500);

const hasOcspNoCheck = (der: Uint8Array) =>
  parseCertificate(der).extensions?.some((e) => e.extnID === '1.3.6.1.5.5.7.48.1.5') ?? false;

/** The end-entity certificates a signature or timestamp depends on: the signer's and each TSA's. */
const leavesOf = (signature: PdfSignature, pool: Uint8Array[]) => {
  const leaves: Uint8Array[] = [];
  const certificates: Uint8Array[] = [];
  let time: Date | undefined;
  const stampedAt = (token: Uint8Array) => {
    try {
      const genTime = pkijs.TSTInfo.fromBER(
        new Uint8Array(
          cmsParts(token).signedData.encapContentInfo.eContent?.getValue() ?? new ArrayBuffer(0),
        ),
      ).genTime;
      if (!time || genTime < time) time = genTime;
    } catch {
      // Not a readable token: it sets no time.
    }
  };
  if (signature.kind === 'document-timestamp') stampedAt(signature.cms);
  try {
    const { certificates: own, signerInfo } = cmsParts(signature.cms);
    certificates.push(...own);
    const signer = signerInfo ? signerCertificateOf(signerInfo, [...own, ...pool]) : undefined;
    if (signer) leaves.push(signer);
    for (const token of signerInfo ? signatureTimestampsOf(signerInfo) : []) {
      const parts = cmsParts(token);
      certificates.push(...parts.certificates);
      const tsa = parts.signerInfo
        ? signerCertificateOf(parts.signerInfo, [...parts.certificates, ...pool])
        : undefined;
      if (tsa) leaves.push(tsa);
      stampedAt(token);
    }
  } catch {
    // An unreadable signature has nothing to validate; the verifier says so.
  }
  return { leaves, certificates, time };
};

type Collected = {
  certs: Uint8Array[];
  ocsps: Uint8Array[];
  crls: Uint8Array[];
  /** Per signature's VRI key, what belongs to it. */
  vri: Map<string, { certs: Uint8Array[]; ocsps: Uint8Array[]; crls: Uint8Array[] }>;
  missing: string[];
};

/**
 * Fetches what is missing for every signature and timestamp in the file: the chain of each signer and
 * TSA, and an OCSP response (else a CRL) for each certificate in them but the roots.
 */
const collect = async (
  bytes: Uint8Array,
  doc: PDFDocument,
  config: LongTermConfig,
  now: Date,
): Promise<Collected> => {
  const existing = readDssEntries(doc);
  const signatures = findSignatures(bytes);
  const pool = distinct([
    ...existing.certs.map((c) => c.bytes),
    ...(config.extraCertificates ?? []),
    ...signatures.flatMap((s) => {
      try {
        const parts = cmsParts(s.cms);
        return [
          ...parts.certificates,
          ...(parts.signerInfo ? signatureTimestampsOf(parts.signerInfo) : []).flatMap(
            (t) => cmsParts(t).certificates,
          ),
        ];
      } catch {
        return [];
      }
    }),
  ]);
  const out: Collected = { certs: [], ocsps: [], crls: [], vri: new Map(), missing: [] };
  const answered = new Map<string, { ocsps: Uint8Array[]; crls: Uint8Array[] }>();
  // Data already in the DSS serves when it was issued after the time it has to speak for (the timestamp's).
  const alreadyCovered = (cert: Uint8Array, issuer: Uint8Array, time: Date) => {
    const fresh = (status: RevocationStatus | undefined) =>
      status !== undefined && (status.status === 'revoked' || speaksFor(status, time));
    const ocsps = existing.ocsps.filter((o) =>
      fresh(checkOcspResponse(o.bytes, cert, issuer, { embedded: true }).status),
    );
    const crls = existing.crls.filter((c) =>
      fresh(checkCrl(c.bytes, cert, issuer, { embedded: true }).status),
    );
    return ocsps.length + crls.length > 0
      ? { ocsps: ocsps.map((o) => o.bytes), crls: crls.map((c) => c.bytes) }
      : undefined;
  };
  for (const signature of signatures) {
    const { leaves, time } = leavesOf(signature, pool);
    const entry = { certs: [] as Uint8Array[], ocsps: [] as Uint8Array[], crls: [] as Uint8Array[] };
    for (const leaf of leaves) {
      const chain = [leaf, ...chainFrom(leaf, pool)];
      entry.certs.push(...chain);
      for (let i = 0; i < chain.length; i += 1) {
        const cert = chain[i]!;
        const issuer = chain[i + 1];
        if (!issuer || isSelfSigned(cert) || hasOcspNoCheck(cert)) continue;
        const key = `${sha256(cert)}`;
        // What was fetched in this run is fresh for any earlier time; what the DSS had, only for its own.
        let found = alreadyCovered(cert, issuer, time ?? now) ?? answered.get(key);
        if (!found) {
          const fetched = await fetchRevocationReusing(cert, issuer, time ?? now, {
            timeoutMs: config.revocationTimeoutMs ?? 5_000,
            ...(config.revocationReuseMs === undefined ? {} : { reuseMs: config.revocationReuseMs }),
          });
          const sources = fetched.checked.flatMap((s) => (s.status === 'unknown' ? [] : [s.source]));
          found = {
            ocsps: sources.filter((s) => s.kind === 'ocsp').map((s) => s.der),
            crls: sources.filter((s) => s.kind === 'crl').map((s) => s.der),
          };
          if (found.ocsps.length + found.crls.length === 0) {
            out.missing.push(
              `${x509Certificate(cert).subject.replace(/\n/g, ', ')}: ${fetched.problems.join('; ')}`,
            );
          }
          answered.set(key, found);
          out.ocsps.push(...found.ocsps);
          out.crls.push(...found.crls);
          // The responder that signed the OCSP answer has to be in the DSS too.
          for (const ocsp of found.ocsps) out.certs.push(...ocspCertificates(ocsp));
        }
        entry.ocsps.push(...found.ocsps);
        entry.crls.push(...found.crls);
      }
    }
    out.certs.push(...entry.certs);
    out.vri.set(vriKey(signature), entry);
  }
  return out;
};

/**
 * Adds (or extends) the DSS in an incremental update with the validation data of every signature and
 * timestamp in the file. Returns the file unchanged when there is nothing new to add.
 */
export const addValidationData = async (
  bytes: Uint8Array,
  config: LongTermConfig,
  now = new Date(),
  /** Write an update for a missing /VRI entry alone (optional in PAdES; no validator here needs one). */
  vriAlone = true,
) => {
  const doc = await load(bytes);
  const collected = await collect(bytes, doc, config, now);
  const existing = readDssEntries(doc);
  const ctx = doc.context;
  let next = ctx.largestObjectNumber + 1;
  const objects: UpdateObject[] = [];
  const refs = new Map<string, PDFRef>();
  const section = (current: { ref?: PDFRef; bytes: Uint8Array }[], added: Uint8Array[]) => {
    const list: PDFRef[] = [];
    for (const item of current) {
      if (item.ref) {
        refs.set(sha256(item.bytes), item.ref);
        list.push(item.ref);
      }
    }
    for (const bytesToAdd of added) {
      const hash = sha256(bytesToAdd);
      if (refs.has(hash)) continue;
      const ref = PDFRef.of(next++);
      objects.push({ ref, body: streamObject(bytesToAdd) });
      refs.set(hash, ref);
      list.push(ref);
    }
    return list;
  };
  const certs = section(existing.certs, collected.certs);
  const ocsps = section(existing.ocsps, collected.ocsps);
  const crls = section(existing.crls, collected.crls);
  if (
    objects.length === 0 &&
    (!vriAlone || [...collected.vri.keys()].every((k) => existing.vri?.has(PDFName.of(k))))
  ) {
    return { bytes, missing: collected.missing };
  }
  const refList = (items: Uint8Array[]) =>
    `[${[...new Set(items.map((i) => refs.get(sha256(i))?.toString()).filter(Boolean))].join(' ')}]`;
  const vriEntries: string[] = [];
  for (const [name, value] of existing.vri?.entries() ?? []) {
    if (!collected.vri.has(name.decodeText())) vriEntries.push(`${name.toString()} ${value.toString()}`);
  }
  for (const [key, entry] of collected.vri) {
    vriEntries.push(
      `/${key} << /Cert ${refList(entry.certs)} /OCSP ${refList(entry.ocsps)} /CRL ${refList(entry.crls)} /TU (${pdfDate(now)}) >>`,
    );
  }
  const vriRef = PDFRef.of(next++);
  objects.push({ ref: vriRef, body: Buffer.from(`<<\n${vriEntries.join('\n')}\n>>`, 'latin1') });
  const dssRef = PDFRef.of(next++);
  const list = (items: PDFRef[]) => `[${items.map((r) => r.toString()).join(' ')}]`;
  objects.push({
    ref: dssRef,
    body: Buffer.from(
      `<<\n/Type /DSS\n/Certs ${list(certs)}\n/OCSPs ${list(ocsps)}\n/CRLs ${list(crls)}\n/VRI ${vriRef}\n>>`,
      'latin1',
    ),
  });
  const catalog = doc.catalog.clone(ctx);
  catalog.set(PDFName.of('DSS'), dssRef);
  const root = ctx.trailerInfo.Root;
  if (!(root instanceof PDFRef)) throw appError('PDF_INVALID', { reason: 'no catalog reference' });
  objects.push({ ref: root, body: Buffer.from(catalog.toString(), 'latin1') });
  return {
    bytes: appendUpdate(bytes, doc, objects, Math.max(next, ctx.largestObjectNumber + 1)),
    missing: collected.missing,
  };
};

// @signpdf checks `instanceof Signer`: the document timestamp is a "signature" whose CMS is the token.
class DocumentTimestamper extends SignPdfSigner {
  constructor(private readonly tsa: TsaConfig) {
    super();
  }

  override async sign(content: Buffer): Promise<Buffer> {
    return Buffer.from(await requestTimestamp(this.tsa, new Uint8Array(content)));
  }
}

const resolveArray = (doc: PDFDocument, value: PDFObject | undefined): PDFRef[] => {
  const array = value instanceof PDFRef ? doc.context.lookup(value) : value;
  if (!(array instanceof PDFArray)) return [];
  return array.asArray().filter((item): item is PDFRef => item instanceof PDFRef);
};

/** Appends a document timestamp (an invisible field on the first page) over the whole file as it is. */
export const addDocumentTimestamp = async (bytes: Uint8Array, tsa: TsaConfig) => {
  const doc = await load(bytes);
  if (doc.getPageCount() === 0) throw appError('PDF_INVALID', { reason: 'no pages' });
  const ctx = doc.context;
  const root = ctx.trailerInfo.Root;
  if (!(root instanceof PDFRef)) throw appError('PDF_INVALID', { reason: 'no catalog reference' });
  let next = ctx.largestObjectNumber + 1;
  const sigRef = PDFRef.of(next++);
  const widgetRef = PDFRef.of(next++);
  const page = doc.getPage(0);
  const objects: UpdateObject[] = [];
  const text = (s: string) => Buffer.from(s, 'latin1');

  const acroFormValue = doc.catalog.get(PDFName.of('AcroForm'));
  const acroFormDict = (acroFormValue instanceof PDFRef ? ctx.lookup(acroFormValue) : acroFormValue) as
    | PDFDict
    | undefined;
  const fields = resolveArray(doc, acroFormDict?.get(PDFName.of('Fields')));
  const form = acroFormDict ? acroFormDict.clone(ctx) : ctx.obj({});
  form.set(PDFName.of('Fields'), ctx.obj([...fields, widgetRef]));
  form.set(PDFName.of('SigFlags'), PDFNumber.of(3));
  if (acroFormValue instanceof PDFRef) {
    objects.push({ ref: acroFormValue, body: text(form.toString()) });
  } else {
    const formRef = acroFormDict ? undefined : PDFRef.of(next++);
    const catalog = doc.catalog.clone(ctx);
    if (formRef) objects.push({ ref: formRef, body: text(form.toString()) });
    catalog.set(PDFName.of('AcroForm'), formRef ?? form);
    objects.push({ ref: root, body: text(catalog.toString()) });
  }
  const pageDict = page.node.clone(ctx);
  pageDict.set(
    PDFName.of('Annots'),
    ctx.obj([...resolveArray(doc, page.node.get(PDFName.of('Annots'))), widgetRef]),
  );
  objects.push({ ref: page.ref, body: text(pageDict.toString()) });
  objects.push({
    ref: widgetRef,
    body: text(
      `<<\n/Type /Annot\n/Subtype /Widget\n/FT /Sig\n/Rect [ 0 0 0 0 ]\n/V ${sigRef}\n/T (DocTimeStamp${fields.length + 1})\n/F 132\n/P ${page.ref}\n>>`,
    ),
  });
  objects.push({
    ref: sigRef,
    body: text(
      [
        '<<',
        '/Type /DocTimeStamp',
        '/Filter /Adobe.PPKLite',
        '/SubFilter /ETSI.RFC3161',
        '/ByteRange [0 /********** /********** /**********]',
        `/Contents <${'0'.repeat(TIMESTAMP_HEX_LENGTH)}>`,
        '>>',
      ].join('\n'),
    ),
  });
  const prepared = appendUpdate(bytes, doc, objects, Math.max(next, ctx.largestObjectNumber + 1));
  return new Uint8Array(await new SignPdf().sign(Buffer.from(prepared), new DocumentTimestamper(tsa)));
};

export type AugmentResult = { bytes: Uint8Array; level: 'B-T' | 'B-LT' | 'B-LTA'; missing: string[] };

/**
 * B-T → B-LTA: the validation data, a document timestamp, and the validation data of that timestamp. A
 * responder that does not answer leaves a gap the verifier will fill online (or report); it does not stop
 * the signing, which the clerk has already done.
 */
export const augmentToLta = async (
  bytes: Uint8Array,
  config: LongTermConfig,
  now = new Date(),
): Promise<AugmentResult> => {
  const first = await addValidationData(bytes, config, now);
  const stamped = await addDocumentTimestamp(first.bytes, config.tsa);
  // The document timestamp's TSA is usually the signature timestamp's, whose chain and revocation data the
  // first DSS already holds (and which speak for the moments later): then no third update is written.
  const second = await addValidationData(stamped, config, now, false);
  const missing = [...first.missing, ...second.missing];
  return { bytes: second.bytes, level: missing.length === 0 ? 'B-LTA' : 'B-T', missing };
};

/** When the newest document (or signature) timestamp's TSA certificate expires: the archive's deadline. */
export const archiveDeadline = (bytes: Uint8Array): { expires: Date; timestampedAt: Date } | undefined => {
  const signatures = findSignatures(bytes);
  let newest: { expires: Date; timestampedAt: Date } | undefined;
  for (const signature of signatures) {
    const tokens =
      signature.kind === 'document-timestamp'
        ? [signature.cms]
        : (() => {
            try {
              const info = cmsParts(signature.cms).signerInfo;
              return info ? signatureTimestampsOf(info) : [];
            } catch {
              return [];
            }
          })();
    for (const token of tokens) {
      try {
        const read = readTimestampToken(
          token,
          signature.kind === 'document-timestamp' ? signature.signedBytes : new Uint8Array(),
        );
        if (!read.tsaCertificate) continue;
        const expires = new Date(new X509Certificate(read.tsaCertificate).validTo);
        if (!newest || read.genTime > newest.timestampedAt) newest = { expires, timestampedAt: read.genTime };
      } catch {
        // Not a token we can read: it renews nothing.
      }
    }
  }
  return newest;
};
