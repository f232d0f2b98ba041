// Validation of signatures with time and long-term validation data (ETSI EN 319 102-1 §5.5–5.6, as far as
// PAdES baseline needs): each timestamp is validated at the time a later timestamp proves it existed (the
// newest one at the validation time), a signature's best-signature-time is its oldest trusted signature
// timestamp (else a document timestamp over it, else the validation time), and the signer's chain must be
// valid and not revoked at that time, from the DSS or, when allowed, online. A timestamp from a TSA we do
// not trust proves nothing: the validation time falls back to now.
import { PDFDocument } from 'pdf-lib';
import * as pkijs from 'pkijs';
import { type DssData, findSignatures, type PdfSignature, readDss } from './incremental';
import { memo, parseCertificate, x509Certificate } from './parsed';
import {
  crlUrls,
  findRevocationStatus,
  isTimestampingCertificate,
  memoizedStatusFinder,
  ocspUrls,
  type RevocationStatus,
  revocationChecker,
  type StatusFinder,
} from './revocation';
import {
  essBindsCertificate,
  readTimestampToken,
  signatureTimestampsOf,
  signerCertificateOf,
  verifySignerInfo,
} from './timestamp';
import { chainFrom } from './token';
import type { Finding, Indication, SubIndication } from './validation';
import type { SignatureReport } from './verify';

export type TimestampCheck = {
  kind: 'signature-timestamp' | 'document-timestamp';
  genTime: Date | null;
  tsa: string;
  trusted: boolean;
  reason?: string;
};

export type RevocationCheck = {
  certificate: string;
  status: RevocationStatus['status'];
  revokedAt?: Date;
  /** Where the answer came from: the document's DSS, or the responder asked now. */
  from?: 'document' | 'online';
  why?: string;
};

export type LongTermVerdict = {
  kind: 'signature' | 'document-timestamp';
  byteRange: [number, number, number, number];
  indication: Indication;
  subIndication?: SubIndication;
  /** The time the signer's certificate was checked at, and what proves it. */
  bestSignatureTime: Date;
  proofOfExistence: 'signature-timestamp' | 'document-timestamp' | 'none';
  level: 'B-B' | 'B-T' | 'B-LT' | 'B-LTA';
  timestamps: TimestampCheck[];
  revocation: RevocationCheck[];
  reasons: string[];
};

export type LongTermOptions = {
  trustRoots: Uint8Array[];
  /** The validation time: now, or a time the server sets (never one the client sends). */
  validationTime?: Date;
  /** Ask OCSP responders and CRL points for what the document does not carry. */
  online?: boolean;
  timeoutMs?: number;
  /** Shared with the verifier's revocation checker, so one validation asks each responder once. */
  findStatus?: StatusFinder;
  /** Every certificate needs a revocation answer, even one that names no OCSP responder or CRL point. */
  requireRevocation?: boolean;
};

const commonName = (der: Uint8Array) => {
  const cn = parseCertificate(der).subject.typesAndValues.find((tv) => tv.type === '2.5.4.3')?.value as
    | { valueBlock?: { value?: unknown } }
    | undefined;
  return typeof cn?.valueBlock?.value === 'string' ? cn.valueBlock.value : '';
};

const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

const hasOcspNoCheck = (der: Uint8Array) =>
  parseCertificate(der).extensions?.some((e) => e.extnID === '1.3.6.1.5.5.7.48.1.5') ?? false;

/** The path from `leaf` to a trust root (leaf first), or undefined when none is found. */
export const pathToTrust = (leaf: Uint8Array, pool: Uint8Array[], trustRoots: Uint8Array[]) => {
  if (trustRoots.some((r) => same(r, leaf))) return [leaf];
  const chain = [leaf, ...chainFrom(leaf, [...trustRoots, ...pool])];
  const anchor = chain.findIndex((c) => trustRoots.some((r) => same(r, c)));
  if (anchor === -1) return undefined;
  for (const ca of chain.slice(1, anchor + 1)) if (!x509Certificate(ca).ca) return undefined;
  return chain.slice(0, anchor + 1);
};

const pdfDate = (value: string | undefined) => {
  const m = /D:(\d{4})(\d{2})(\d{2})(\d{2})?(\d{2})?(\d{2})?([Zz+-])?(\d{2})?'?(\d{2})?/.exec(value ?? '');
  if (!m) return undefined;
  const [, y, mo, d, h = '00', mi = '00', s = '00', sign, oh = '00', om = '00'] = m;
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const offset = (Number(oh) * 60 + Number(om)) * 60_000;
  return new Date(sign === '+' ? utc - offset : sign === '-' ? utc + offset : utc);
};

type Context = {
  dss: DssData;
  pool: Uint8Array[];
  options: LongTermOptions;
  validationTime: Date;
};

type ChainCheck = {
  ok: boolean;
  indication?: Exclude<Indication, 'TOTAL-PASSED'>;
  subIndication?: SubIndication;
  reason?: string;
  revocation: RevocationCheck[];
  fromDocumentOnly: boolean;
};

/**
 * A chain checked at `at` (the time something it signed is proven to have existed by) with `poe` as the
 * newest moment the checks must still hold: every certificate issued before `at` and not expired at `poe`,
 * none revoked at or before `at` (or before `poe` when there is no proof of existence).
 */
const checkChainAt = async (
  path: Uint8Array[],
  at: Date,
  hasPoe: boolean,
  claimed: Date | undefined,
  ctx: Context,
): Promise<ChainCheck> => {
  const revocation: RevocationCheck[] = [];
  let fromDocumentOnly = true;
  for (const cert of path) {
    const x = x509Certificate(cert);
    if (at < new Date(x.validFrom)) {
      return {
        ok: false,
        indication: 'TOTAL-FAILED',
        subIndication: 'NOT_YET_VALID',
        reason: `${commonName(cert)}: not yet valid`,
        revocation,
        fromDocumentOnly,
      };
    }
    if (at > new Date(x.validTo)) {
      return {
        ok: false,
        indication: 'INDETERMINATE',
        subIndication: 'OUT_OF_BOUNDS_NO_POE',
        reason: `${commonName(cert)}: expired and nothing proves the signature existed before`,
        revocation,
        fromDocumentOnly,
      };
    }
  }
  for (let i = 0; i + 1 < path.length; i += 1) {
    const cert = path[i]!;
    const issuer = path[i + 1]!;
    if (hasOcspNoCheck(cert)) continue;
    const status = await (ctx.options.findStatus ?? findRevocationStatus)(cert, issuer, {
      at,
      embedded: { ocsps: ctx.dss.ocsps, crls: ctx.dss.crls },
      online: ctx.options.online ?? true,
      ...(ctx.options.timeoutMs ? { timeoutMs: ctx.options.timeoutMs } : {}),
    });
    const name = commonName(cert);
    // As the verifier: a certificate that names no OCSP responder or CRL point needs no answer, unless the
    // configuration requires one for every certificate (production with the national CAs).
    if (
      status.status === 'unknown' &&
      !ctx.options.requireRevocation &&
      ocspUrls(cert).length + crlUrls(cert).length === 0
    ) {
      revocation.push({ certificate: name, status: 'unknown', why: 'not required: no OCSP or CRL named' });
      continue;
    }
    if (status.status === 'unknown') {
      revocation.push({ certificate: name, status: 'unknown', why: status.why });
      return {
        ok: false,
        indication: 'INDETERMINATE',
        subIndication: status.why === 'not_fresh' ? 'REVOCATION_OUT_OF_BOUNDS_NO_POE' : 'TRY_LATER',
        reason: `${name}: revocation status unknown (${status.why})`,
        revocation,
        fromDocumentOnly,
      };
    }
    const from = status.source.embedded ? 'document' : 'online';
    if (!status.source.embedded) fromDocumentOnly = false;
    if (status.status === 'revoked') {
      revocation.push({ certificate: name, status: 'revoked', revokedAt: status.revokedAt, from });
      if (status.revokedAt > at) continue;
      // Revoked before the time proven (or, without proof, before the validation time): EN 319 102-1
      // §5.3.4 says REVOKED when the revocation precedes even the time the signer claimed, else NO_POE.
      const failed = hasPoe || (claimed !== undefined && status.revokedAt < claimed);
      return {
        ok: false,
        indication: failed ? 'TOTAL-FAILED' : 'INDETERMINATE',
        subIndication: failed ? 'REVOKED' : 'REVOKED_NO_POE',
        reason: `${name}: revoked on ${status.revokedAt.toISOString()}`,
        revocation,
        fromDocumentOnly,
      };
    }
    revocation.push({ certificate: name, status: 'good', from });
  }
  return { ok: true, revocation, fromDocumentOnly };
};

type TimestampResult = TimestampCheck & {
  genTimeValue?: Date;
  fromDocumentOnly: boolean;
  revocation: RevocationCheck[];
};

/** A timestamp token over `covered`, checked with `poe` (a later timestamp's time, else the validation time). */
const checkTimestamp = async (
  kind: TimestampCheck['kind'],
  token: Uint8Array,
  covered: Uint8Array,
  poe: Date,
  ctx: Context,
): Promise<TimestampResult> => {
  const fail = (tsa: string, reason: string, genTime: Date | null = null): TimestampResult => ({
    kind,
    genTime,
    tsa,
    trusted: false,
    reason,
    fromDocumentOnly: false,
    revocation: [],
  });
  let read: ReturnType<typeof readTimestampToken>;
  try {
    read = readTimestampToken(token, covered, ctx.pool);
  } catch (err) {
    return fail('', `timestamp unreadable: ${err instanceof Error ? err.message : String(err)}`);
  }
  const tsa = read.tsaCertificate ? commonName(read.tsaCertificate) : '';
  if (!read.imprintMatches) return fail(tsa, 'timestamp covers other bytes', read.genTime);
  if (!read.signatureOk || !read.tsaCertificate)
    return fail(tsa, 'timestamp signature does not verify', read.genTime);
  if (read.hash === 'sha1') return fail(tsa, 'timestamp uses SHA-1', read.genTime);
  if (!isTimestampingCertificate(read.tsaCertificate))
    return fail(tsa, 'certificate is not a TSA certificate', read.genTime);
  const path = pathToTrust(read.tsaCertificate, [...read.certificates, ...ctx.pool], ctx.options.trustRoots);
  if (!path) return fail(tsa, 'TSA is not trusted', read.genTime);
  for (const cert of path) {
    if (poe > new Date(x509Certificate(cert).validTo)) {
      return fail(tsa, `${commonName(cert)} expired before a later timestamp covered this one`, read.genTime);
    }
  }
  const chain = await checkChainAt(path, read.genTime, true, undefined, ctx);
  if (!chain.ok)
    return {
      ...fail(tsa, chain.reason ?? 'TSA chain not valid', read.genTime),
      revocation: chain.revocation,
    };
  return {
    kind,
    genTime: read.genTime,
    genTimeValue: read.genTime,
    tsa,
    trusted: true,
    fromDocumentOnly: chain.fromDocumentOnly,
    revocation: chain.revocation,
  };
};

// Read-only here: one parse per CMS for every validation of the same file.
const parseCms = memo((cms: Uint8Array) => {
  const signedData = new pkijs.SignedData({ schema: pkijs.ContentInfo.fromBER(new Uint8Array(cms)).content });
  const certificates = (signedData.certificates ?? [])
    .filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate)
    .map((c) => new Uint8Array(c.toSchema().toBER(false)));
  return { signedData, certificates, signerInfo: signedData.signerInfos[0] };
}, 500);

const cmsOf = (signature: PdfSignature) => parseCms(signature.cms);

/** Validates every signature and document timestamp of a PDF with its long-term data. Newest last. */
export const validateLongTerm = async (
  bytes: Uint8Array,
  options: LongTermOptions,
): Promise<LongTermVerdict[]> => {
  const validationTime = options.validationTime ?? new Date();
  const signatures = findSignatures(bytes);
  let dss: DssData = { certs: [], ocsps: [], crls: [] };
  try {
    dss = readDss(await PDFDocument.load(bytes, { updateMetadata: false }));
  } catch {
    // A file pdf-lib cannot read has no DSS we could use; the signatures are still checked.
  }
  const pool = [...dss.certs];
  for (const s of signatures) {
    try {
      pool.push(...cmsOf(s).certificates);
    } catch {
      // Reported per signature below.
    }
  }
  const ctx: Context = { dss, pool, options, validationTime };

  // Newest first: each valid document timestamp proves that everything before its /Contents existed.
  const proofs: { coversUpTo: number; time: Date }[] = [];
  const poeOf = (end: number) =>
    proofs.filter((p) => p.coversUpTo >= end).sort((a, b) => a.time.getTime() - b.time.getTime())[0]?.time;
  const verdicts: LongTermVerdict[] = [];
  for (const signature of [...signatures].reverse()) {
    const end = signature.byteRange[2];
    const poe = poeOf(end);
    if (signature.kind === 'document-timestamp') {
      const check = await checkTimestamp(
        'document-timestamp',
        signature.cms,
        signature.signedBytes,
        poe ?? validationTime,
        ctx,
      );
      if (check.trusted && check.genTimeValue)
        proofs.push({ coversUpTo: signature.byteRange[1], time: check.genTimeValue });
      verdicts.push({
        kind: 'document-timestamp',
        byteRange: signature.byteRange,
        indication: check.trusted ? 'TOTAL-PASSED' : 'INDETERMINATE',
        ...(check.trusted ? {} : { subIndication: 'NO_CERTIFICATE_CHAIN_FOUND' as const }),
        bestSignatureTime: check.genTimeValue ?? validationTime,
        proofOfExistence: poe ? 'document-timestamp' : 'none',
        level: 'B-LTA',
        timestamps: [check],
        revocation: check.revocation,
        reasons: check.reason ? [check.reason] : [],
      });
      continue;
    }
    verdicts.push(await validateSignature(signature, poe, ctx));
  }
  return verdicts.reverse();
};

const validateSignature = async (
  signature: PdfSignature,
  poe: Date | undefined,
  ctx: Context,
): Promise<LongTermVerdict> => {
  const base = {
    kind: 'signature' as const,
    byteRange: signature.byteRange,
    timestamps: [] as TimestampCheck[],
    revocation: [] as RevocationCheck[],
    reasons: [] as string[],
  };
  const failed = (subIndication: SubIndication, reason: string): LongTermVerdict => ({
    ...base,
    indication: 'TOTAL-FAILED',
    subIndication,
    bestSignatureTime: ctx.validationTime,
    proofOfExistence: 'none',
    level: 'B-B',
    reasons: [reason],
  });
  let parts: ReturnType<typeof cmsOf>;
  try {
    parts = cmsOf(signature);
  } catch {
    return failed('FORMAT_FAILURE', 'signature unreadable');
  }
  const signerInfo = parts.signerInfo;
  const signer = signerInfo ? signerCertificateOf(signerInfo, parts.certificates) : undefined;
  if (!signerInfo || !signer) return failed('FORMAT_FAILURE', 'signer certificate missing');
  const crypto = verifySignerInfo(signerInfo, signature.signedBytes, signer);
  if (!crypto.digestMatches) return failed('HASH_FAILURE', 'signed bytes changed');
  if (!crypto.signatureOk) return failed('SIG_CRYPTO_FAILURE', 'signature does not verify');
  if (!essBindsCertificate(signerInfo, signer))
    return failed('FORMAT_FAILURE', 'ESS signing certificate does not name the signer certificate');

  const signatureValue = new Uint8Array(signerInfo.signature.valueBlock.valueHexView);
  let best: Date | undefined;
  let stampedFromDocument = true;
  for (const token of signatureTimestampsOf(signerInfo)) {
    const check = await checkTimestamp(
      'signature-timestamp',
      token,
      signatureValue,
      poe ?? ctx.validationTime,
      ctx,
    );
    base.timestamps.push(check);
    if (check.trusted && check.genTimeValue && (!best || check.genTimeValue < best)) {
      best = check.genTimeValue;
      stampedFromDocument = check.fromDocumentOnly;
    }
    if (!check.trusted && check.reason) base.reasons.push(`signature timestamp: ${check.reason}`);
  }
  const proofOfExistence = best ? 'signature-timestamp' : poe ? 'document-timestamp' : 'none';
  const bestSignatureTime = best ?? poe ?? ctx.validationTime;
  const path = pathToTrust(signer, [...parts.certificates, ...ctx.pool], ctx.options.trustRoots);
  const result = (chain: ChainCheck | undefined): LongTermVerdict => {
    const ok = chain?.ok ?? false;
    const level = !best
      ? 'B-B'
      : !(chain?.fromDocumentOnly && stampedFromDocument)
        ? 'B-T'
        : poe
          ? 'B-LTA'
          : 'B-LT';
    return {
      ...base,
      indication: ok ? 'TOTAL-PASSED' : (chain?.indication ?? 'INDETERMINATE'),
      ...(ok ? {} : { subIndication: chain?.subIndication ?? 'NO_CERTIFICATE_CHAIN_FOUND' }),
      bestSignatureTime,
      proofOfExistence,
      level,
      revocation: chain?.revocation ?? [],
      reasons: [
        ...base.reasons,
        ...(chain?.reason ? [chain.reason] : []),
        ...(path ? [] : ['signer not trusted']),
      ],
    };
  };
  if (!path) return result(undefined);
  const chain = await checkChainAt(
    path,
    bestSignatureTime,
    proofOfExistence !== 'none',
    pdfDate(signature.claimedTime),
    ctx,
  );
  return result(chain);
};

// What a later timestamp can cure: the lack of proof that the signature (or an earlier timestamp) existed
// while its certificates were valid and not revoked. Nothing else is ever turned into a pass.
const CURABLE = new Set<SubIndication>([
  'OUT_OF_BOUNDS_NO_POE',
  'REVOKED_NO_POE',
  'REVOKED_CA_NO_POE',
  'REVOCATION_OUT_OF_BOUNDS_NO_POE',
  'TRY_LATER',
]);

export type LongTermSummary = Pick<LongTermVerdict, 'level' | 'proofOfExistence' | 'bestSignatureTime'> & {
  indication: Indication;
  reasons: string[];
};

/**
 * Folds the long-term verdicts into the verifier's reports (matched by byte range): a report the verifier
 * left INDETERMINATE only for want of proof of existence passes when the long-term chain of timestamps
 * proves it; a long-term failure is added to the report's findings (the worse verdict stands).
 */
export const applyLongTerm = async (
  bytes: Uint8Array,
  reports: SignatureReport[],
  options: LongTermOptions,
  conclude: (report: SignatureReport, findings: Finding[]) => SignatureReport,
): Promise<SignatureReport[]> => {
  const verdicts = await validateLongTerm(bytes, options);
  return reports.map((report) => {
    const key = report.byteRange?.join(' ');
    const verdict = verdicts.find((v) => v.byteRange.join(' ') === key);
    if (!verdict || key === undefined) return report;
    const longTerm: LongTermSummary = {
      level: verdict.level,
      proofOfExistence: verdict.proofOfExistence,
      bestSignatureTime: verdict.bestSignatureTime,
      indication: verdict.indication,
      reasons: verdict.reasons,
    };
    if (verdict.indication === 'TOTAL-PASSED') {
      const curable = (f: Finding) =>
        f.indication === 'INDETERMINATE' &&
        (CURABLE.has(f.subIndication) ||
          (report.kind === 'document-timestamp' && f.subIndication === 'NO_CERTIFICATE_CHAIN_FOUND'));
      if (report.findings.length === 0 || !report.findings.every(curable)) return { ...report, longTerm };
      const stamp = verdict.timestamps.find((t) => t.trusted);
      return conclude(
        {
          ...report,
          longTerm,
          ...(verdict.proofOfExistence === 'none'
            ? {}
            : { validationTime: { at: verdict.bestSignatureTime, source: 'timestamp' as const } }),
          ...(report.timestamp && stamp ? { timestamp: { ...report.timestamp, trusted: true } } : {}),
          chain: { ...report.chain, trusted: true },
        },
        [],
      );
    }
    return conclude({ ...report, longTerm }, [
      ...report.findings,
      {
        indication: verdict.indication,
        subIndication: verdict.subIndication ?? 'NO_CERTIFICATE_CHAIN_FOUND',
        detail: `long-term validation: ${verdict.reasons.join('; ') || verdict.subIndication}`,
      },
    ]);
  });
};

/**
 * The verifier options of /verify and the agency's result check: revocation from the document's DSS, then
 * online with a timeout, and the long-term evidence, sharing one set of answers.
 */
export const longTermVerifyOptions = (timeoutMs = 5_000) => {
  const findStatus = memoizedStatusFinder();
  return {
    revocation: revocationChecker({ online: true, timeoutMs, findStatus }),
    longTerm: { online: true, timeoutMs, findStatus },
  };
};
