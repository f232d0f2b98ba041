// A certification authority outside our walls, as real HTTP servers on 127.0.0.1: a root and an intermediate
// CA (software keys), an OCSP responder (RFC 6960, signed by a delegated responder certificate for the
// intermediate's certificates and by the root itself for the intermediate), CRL distribution points that
// serve fresh DER CRLs, and RFC 3161 TSAs. Certificates carry AIA (OCSP) and CRL DP extensions pointing at
// these servers. The servers answer from the sim's own clock (`clock.shift`), can be stopped (responder
// down), and the clerks' keys live on a SoftHSM2 token like the real ones.
import { createHash, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import {
  type Clerk,
  type DevPki,
  type Issuer,
  issueCertificate,
  KEY_PURPOSE,
  type Subject,
  setupDevPki,
  writeTokenCertificate,
} from '../../../server/src/signing/pki';
import { findObjects, pkcs11js, withToken } from '../../../server/src/signing/token';

const DAY = 86_400_000;
const YEAR = 365.25 * DAY;
const OID = {
  sha256: '2.16.840.1.101.3.4.2.1',
  sha256WithRSA: '1.2.840.113549.1.1.11',
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  ocspBasic: '1.3.6.1.5.5.7.48.1.1',
  ocspNonce: '1.3.6.1.5.5.7.48.1.2',
  tsaPolicy: '1.3.6.1.4.1.99999.1.1',
} as const;

const der = (block: { toSchema: () => asn1js.BaseBlock }) => new Uint8Array(block.toSchema().toBER(false));
const sha1 = (data: Uint8Array) => new Uint8Array(createHash('sha1').update(data).digest());
const sha256 = (data: Uint8Array) => new Uint8Array(createHash('sha256').update(data).digest());
const rsaAlg = () =>
  new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256WithRSA, algorithmParams: new asn1js.Null() });
const wholeSeconds = (ms: number) => new Date(Math.floor(ms / 1000) * 1000);

type KeyPair = { key: KeyObject; spki: Uint8Array };
const newKey = (): KeyPair => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { key: privateKey, spki: new Uint8Array(publicKey.export({ type: 'spki', format: 'der' })) };
};

type Authority = Issuer & { name: string; spki: Uint8Array };

type Revocation = { at: Date; reason?: number };

export type TsaHandle = {
  url: string;
  certificate: Uint8Array;
  requests: number;
  close: () => Promise<void>;
};

export type TestPki = {
  root: Uint8Array;
  intermediate: Uint8Array;
  ocspResponder: Uint8Array;
  /** Trust roots file for SIGNING_TRUST_ROOTS (the root only). */
  rootPath: string;
  token: DevPki;
  clerks: Record<string, { keyLabel: string; certificate: Uint8Array }>;
  ocspUrl: string;
  crlUrl: (ca: 'root' | 'intermediate') => string;
  /** The main TSA (10-year certificate under the intermediate). */
  tsa: TsaHandle;
  /** A further TSA with its own certificate: short-lived, untrusted (self-made CA), … */
  startTsa: (options: { name: string; validFor?: number; untrusted?: boolean }) => Promise<TsaHandle>;
  /** Marks a certificate revoked from `at` on, for both the OCSP responder and the CRLs. */
  revoke: (certificate: Uint8Array, at: Date, reason?: number) => void;
  /** The servers' clock: moved forward to answer as they would years from now. */
  clock: { now: () => Date; shift: (ms: number) => void };
  /** Requests that reached each server. */
  counts: { ocsp: number; crl: number };
  /** Stops the OCSP responder and the CRL distribution point (responder down). */
  stopRevocation: () => Promise<void>;
  /** Stops the OCSP responder only: the CRL distribution point still answers. */
  stopOcsp: () => Promise<void>;
  close: () => Promise<void>;
};

const readBody = (req: IncomingMessage) =>
  new Promise<Uint8Array>((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    req.on('error', reject);
  });

const listen = async (handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>) => {
  const server = createServer((req, res) => {
    handler(req, res).catch(() => {
      res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
};

const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

const signed = (tbs: Uint8Array, key: KeyObject) => new Uint8Array(sign('sha256', tbs, key));

const serialHex = (certificate: Uint8Array) =>
  Buffer.from(
    pkijs.Certificate.fromBER(new Uint8Array(certificate)).serialNumber.valueBlock.valueHexView,
  ).toString('hex');

/** A CMS SignedData over a TSTInfo, signed by the TSA key: ESS signing-certificate-v2 names its certificate. */
const timestampToken = (tstDer: Uint8Array, tsa: { certificate: Uint8Array; key: KeyObject }) => {
  const cert = pkijs.Certificate.fromBER(new Uint8Array(tsa.certificate));
  const attributes = [
    new pkijs.Attribute({
      type: OID.contentType,
      values: [new asn1js.ObjectIdentifier({ value: OID.tstInfo })],
    }),
    new pkijs.Attribute({
      type: OID.messageDigest,
      values: [new asn1js.OctetString({ valueHex: sha256(tstDer) })],
    }),
    new pkijs.Attribute({
      type: OID.signingCertificateV2,
      values: [
        new asn1js.Sequence({
          value: [
            new asn1js.Sequence({
              value: [
                new asn1js.Sequence({
                  value: [new asn1js.OctetString({ valueHex: sha256(tsa.certificate) })],
                }),
              ],
            }),
          ],
        }),
      ],
    }),
  ];
  attributes.sort((a, b) => Buffer.compare(der(a), der(b)));
  const signedAttrs = new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes });
  const toBeSigned = der(signedAttrs);
  toBeSigned[0] = 0x31;
  const signerInfo = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber }),
    digestAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 }),
    signedAttrs,
    signatureAlgorithm: rsaAlg(),
    signature: new asn1js.OctetString({ valueHex: signed(toBeSigned, tsa.key) }),
  });
  const signedData = new pkijs.SignedData({
    version: 3,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({
      eContentType: OID.tstInfo,
      eContent: new asn1js.OctetString({ valueHex: tstDer }),
    }),
    digestAlgorithms: [new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 })],
    signerInfos: [signerInfo],
    certificates: [cert],
  });
  return new pkijs.ContentInfo({ contentType: OID.signedData, content: signedData.toSchema(true) });
};

export const startTestPki = async (options: {
  dir: string;
  clerks: Clerk[];
  tokenLabel?: string;
}): Promise<TestPki> => {
  let offset = 0;
  const clock = {
    now: () => new Date(Date.now() + offset),
    shift: (ms: number) => {
      offset += ms;
    },
  };
  const revoked = new Map<string, Revocation>();
  const counts = { ocsp: 0, crl: 0 };
  const issuedBy = new Map<string, Authority>();

  // Servers first: the certificates name their ports.
  const authorities: Record<'root' | 'intermediate', Authority | undefined> = {
    root: undefined,
    intermediate: undefined,
  };
  let responder: { certificate: Uint8Array; key: KeyObject } | undefined;

  const crlFor = (ca: Authority) => {
    const now = wholeSeconds(clock.now().getTime());
    const entries = [...revoked.entries()].filter(([key, r]) => key.startsWith(`${ca.name}:`) && r.at <= now);
    const caCert = pkijs.Certificate.fromBER(new Uint8Array(ca.certificate));
    const crl = new pkijs.CertificateRevocationList({
      version: 1,
      signature: rsaAlg(),
      issuer: caCert.subject,
      thisUpdate: new pkijs.Time({ type: 1, value: now }),
      nextUpdate: new pkijs.Time({ type: 1, value: new Date(now.getTime() + 7 * DAY) }),
      ...(entries.length
        ? {
            revokedCertificates: entries.map(
              ([key, r]) =>
                new pkijs.RevokedCertificate({
                  userCertificate: new asn1js.Integer({
                    valueHex: Buffer.from(key.split(':')[1] ?? '', 'hex'),
                  }),
                  revocationDate: new pkijs.Time({ type: 1, value: wholeSeconds(r.at.getTime()) }),
                }),
            ),
          }
        : {}),
    });
    crl.signatureAlgorithm = rsaAlg();
    // encodeTBS is protected in the typings but is what signs a CRL we build.
    const tbs = new Uint8Array(
      (crl as unknown as { encodeTBS: () => asn1js.Sequence }).encodeTBS().toBER(false),
    );
    crl.tbsView = tbs;
    crl.signatureValue = new asn1js.BitString({ valueHex: signed(tbs, ca.key) });
    return new Uint8Array(crl.toSchema(false).toBER(false));
  };

  const crl = await listen(async (req, res) => {
    counts.crl += 1;
    const name = /^\/(root|intermediate)\.crl$/.exec(req.url ?? '')?.[1] as
      | 'root'
      | 'intermediate'
      | undefined;
    const ca = name ? authorities[name] : undefined;
    if (!ca) {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/pkix-crl' });
    res.end(Buffer.from(crlFor(ca)));
  });

  const ocspAnswer = (requestDer: Uint8Array) => {
    const request = pkijs.OCSPRequest.fromBER(new Uint8Array(requestDer));
    const first = request.tbsRequest.requestList[0];
    const ca = [authorities.root, authorities.intermediate].find(
      (a) =>
        a &&
        first &&
        Buffer.from(
          sha1(
            pkijs.Certificate.fromBER(new Uint8Array(a.certificate)).subjectPublicKeyInfo.subjectPublicKey
              .valueBlock.valueHexView,
          ),
        ).equals(Buffer.from(first.reqCert.issuerKeyHash.valueBlock.valueHexView)),
    );
    if (!first || !ca) {
      // unauthorized (6): not a CA this responder answers for.
      return der(new pkijs.OCSPResponse({ responseStatus: new asn1js.Enumerated({ value: 6 }) }));
    }
    const serial = Buffer.from(first.reqCert.serialNumber.valueBlock.valueHexView).toString('hex');
    const known = issuedBy.get(`${ca.name}:${serial}`);
    const now = wholeSeconds(clock.now().getTime());
    const revocation = revoked.get(`${ca.name}:${serial}`);
    const certStatus = !known
      ? new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 2 } })
      : revocation && revocation.at <= now
        ? new asn1js.Constructed({
            idBlock: { tagClass: 3, tagNumber: 1 },
            value: [
              new asn1js.GeneralizedTime({ valueDate: wholeSeconds(revocation.at.getTime()) }),
              ...(revocation.reason === undefined
                ? []
                : [
                    new asn1js.Constructed({
                      idBlock: { tagClass: 3, tagNumber: 0 },
                      value: [new asn1js.Enumerated({ value: revocation.reason })],
                    }),
                  ]),
            ],
          })
        : new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 0 } });
    // The intermediate's certificates are answered by the delegated responder, the intermediate's own by the root.
    const signer =
      ca.name === 'intermediate' && responder ? responder : { certificate: ca.certificate, key: ca.key };
    const nonce = request.tbsRequest.requestExtensions?.find((e) => e.extnID === OID.ocspNonce);
    const data = new pkijs.ResponseData({
      responderID: pkijs.Certificate.fromBER(new Uint8Array(signer.certificate)).subject,
      producedAt: now,
      responses: [
        new pkijs.SingleResponse({
          certID: first.reqCert,
          certStatus,
          thisUpdate: now,
          nextUpdate: new Date(now.getTime() + DAY),
        }),
      ],
      ...(nonce ? { responseExtensions: [nonce] } : {}),
    });
    const tbs = new Uint8Array(data.toSchema(true).toBER(false));
    const basic = new asn1js.Sequence({
      value: [
        asn1js.fromBER(tbs).result,
        rsaAlg().toSchema(),
        new asn1js.BitString({ valueHex: signed(tbs, signer.key) }),
        ...(signer === responder
          ? [
              new asn1js.Constructed({
                idBlock: { tagClass: 3, tagNumber: 0 },
                value: [
                  new asn1js.Sequence({ value: [asn1js.fromBER(new Uint8Array(signer.certificate)).result] }),
                ],
              }),
            ]
          : []),
      ],
    });
    return der(
      new pkijs.OCSPResponse({
        responseStatus: new asn1js.Enumerated({ value: 0 }),
        responseBytes: new pkijs.ResponseBytes({
          responseType: OID.ocspBasic,
          response: new asn1js.OctetString({ valueHex: basic.toBER(false) }),
        }),
      }),
    );
  };

  const ocsp = await listen(async (req, res) => {
    counts.ocsp += 1;
    const body =
      req.method === 'POST'
        ? await readBody(req)
        : new Uint8Array(Buffer.from(decodeURIComponent((req.url ?? '/').slice(1)), 'base64'));
    let answer: Uint8Array;
    try {
      answer = ocspAnswer(body);
    } catch {
      // malformedRequest (1)
      answer = der(new pkijs.OCSPResponse({ responseStatus: new asn1js.Enumerated({ value: 1 }) }));
    }
    res.writeHead(200, { 'content-type': 'application/ocsp-response' });
    res.end(Buffer.from(answer));
  });

  const ocspUrl = `${ocsp.base}/`;
  const crlUrl = (ca: 'root' | 'intermediate') => `${crl.base}/${ca}.crl`;
  const now = Date.now();

  const rootKey = newKey();
  const rootCert = issueCertificate({
    subject: { commonName: 'PostDesk Test Root CA (mô phỏng)', organization: 'PostDesk thử nghiệm' },
    spki: rootKey.spki,
    profile: 'ca',
    selfKey: rootKey.key,
    extras: { notBefore: new Date(now - DAY), notAfter: new Date(now + 25 * YEAR) },
  });
  authorities.root = { name: 'root', certificate: rootCert, key: rootKey.key, spki: rootKey.spki };
  const interKey = newKey();
  const interCert = issueCertificate({
    subject: { commonName: 'PostDesk Test Issuing CA (mô phỏng)', organization: 'PostDesk thử nghiệm' },
    spki: interKey.spki,
    profile: 'ca',
    issuer: authorities.root,
    extras: {
      notBefore: new Date(now - DAY),
      notAfter: new Date(now + 20 * YEAR),
      ocspUrl,
      crlUrl: crlUrl('root'),
    },
  });
  authorities.intermediate = {
    name: 'intermediate',
    certificate: interCert,
    key: interKey.key,
    spki: interKey.spki,
  };
  issuedBy.set(`root:${serialHex(interCert)}`, authorities.root);

  const issueUnder = (
    subject: Subject,
    spki: Uint8Array,
    extras: { notBefore?: Date; notAfter?: Date; extKeyUsage?: string; ocspNoCheck?: boolean } = {},
  ) => {
    const intermediate = authorities.intermediate!;
    const certificate = issueCertificate({
      subject,
      spki,
      profile: 'signer',
      issuer: intermediate,
      extras: {
        ocspUrl,
        crlUrl: crlUrl('intermediate'),
        ...extras,
      },
    });
    issuedBy.set(`intermediate:${serialHex(certificate)}`, intermediate);
    return certificate;
  };

  const responderKey = newKey();
  responder = {
    key: responderKey.key,
    certificate: issueCertificate({
      subject: { commonName: 'PostDesk Test OCSP Responder', organization: 'PostDesk thử nghiệm' },
      spki: responderKey.spki,
      profile: 'signer',
      issuer: authorities.intermediate,
      extras: {
        extKeyUsage: KEY_PURPOSE.ocspSigning,
        ocspNoCheck: true,
        notBefore: new Date(now - DAY),
        notAfter: new Date(now + 20 * YEAR),
      },
    }),
  };

  const tsas: TsaHandle[] = [];
  const startTsa = async (opts: {
    name: string;
    validFor?: number;
    untrusted?: boolean;
  }): Promise<TsaHandle> => {
    const key = newKey();
    const subject = { commonName: `PostDesk Test TSA — ${opts.name}`, organization: 'PostDesk thử nghiệm' };
    const notAfter = new Date(now + (opts.validFor ?? 10 * YEAR));
    let certificate: Uint8Array;
    if (opts.untrusted) {
      const rogueKey = newKey();
      const rogue = issueCertificate({
        subject: { commonName: 'Rogue CA (không tin cậy)', organization: 'Không rõ' },
        spki: rogueKey.spki,
        profile: 'ca',
        selfKey: rogueKey.key,
      });
      certificate = issueCertificate({
        subject,
        spki: key.spki,
        profile: 'signer',
        issuer: { certificate: rogue, key: rogueKey.key },
        extras: { extKeyUsage: KEY_PURPOSE.timeStamping, notBefore: new Date(now - DAY), notAfter },
      });
    } else {
      certificate = issueUnder(subject, key.spki, {
        extKeyUsage: KEY_PURPOSE.timeStamping,
        notBefore: new Date(now - DAY),
        notAfter,
      });
    }
    let serial = 0;
    const handle = { requests: 0 } as TsaHandle;
    const { server, base } = await listen(async (req, res) => {
      handle.requests += 1;
      const body = await readBody(req);
      const request = pkijs.TimeStampReq.fromBER(new Uint8Array(body));
      serial += 1;
      const tst = new pkijs.TSTInfo({
        version: 1,
        policy: OID.tsaPolicy,
        messageImprint: request.messageImprint,
        serialNumber: new asn1js.Integer({ value: serial }),
        genTime: wholeSeconds(clock.now().getTime()),
        ...(request.nonce ? { nonce: request.nonce } : {}),
      });
      const token = timestampToken(der(tst), { certificate, key: key.key });
      const reply = new pkijs.TimeStampResp({
        status: new pkijs.PKIStatusInfo({ status: 0 }),
        timeStampToken: token,
      });
      res.writeHead(200, { 'content-type': 'application/timestamp-reply' });
      res.end(Buffer.from(der(reply)));
    });
    Object.assign(handle, { url: `${base}/`, certificate, close: () => close(server) });
    tsas.push(handle);
    return handle;
  };
  const tsa = await startTsa({ name: 'chính' });

  // The clerks' keys on a SoftHSM2 token, their certificates from the intermediate (with AIA and CRL DP).
  const token = await setupDevPki({
    dir: options.dir,
    clerks: options.clerks,
    ...(options.tokenLabel ? { tokenLabel: options.tokenLabel } : {}),
  });
  const clerks: TestPki['clerks'] = {};
  await withToken({ module: token.module, tokenLabel: token.tokenLabel, pin: token.pin }, (ctx) => {
    writeTokenCertificate(ctx, 'ca:test-root', rootCert, true);
    writeTokenCertificate(ctx, 'ca:test-issuing', interCert, true);
    for (const clerk of token.clerks) {
      const spki = new Uint8Array(
        pkijs.Certificate.fromBER(new Uint8Array(clerk.certificate))
          .subjectPublicKeyInfo.toSchema()
          .toBER(false),
      );
      for (const stale of findObjects(ctx, [
        { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE },
        { type: pkcs11js.CKA_LABEL, value: clerk.keyLabel },
      ])) {
        ctx.p.C_DestroyObject(ctx.session, stale);
      }
      const expired = clerk.keyLabel.includes('expired');
      const certificate = issueUnder({ commonName: clerk.fullName, organization: clerk.office }, spki, {
        notBefore: new Date(now - (expired ? 3 * YEAR : DAY)),
        notAfter: new Date(now + (expired ? -YEAR : 2 * YEAR)),
      });
      writeTokenCertificate(ctx, clerk.keyLabel, certificate);
      clerks[clerk.keyLabel] = { keyLabel: clerk.keyLabel, certificate };
    }
  });
  const { writeFileSync } = await import('node:fs');
  const rootPath = join(options.dir, 'test-root.der');
  writeFileSync(rootPath, rootCert);

  let ocspUp = true;
  let crlUp = true;
  const stopOcsp = async () => {
    if (!ocspUp) return;
    ocspUp = false;
    await close(ocsp.server);
  };
  const stopRevocation = async () => {
    await stopOcsp();
    if (!crlUp) return;
    crlUp = false;
    await close(crl.server);
  };
  return {
    root: rootCert,
    intermediate: interCert,
    ocspResponder: responder.certificate,
    rootPath,
    token,
    clerks,
    ocspUrl,
    crlUrl,
    tsa,
    startTsa,
    revoke: (certificate, at, reason) => {
      const parsed = pkijs.Certificate.fromBER(new Uint8Array(certificate));
      const ca = [authorities.root, authorities.intermediate].find((a) =>
        a ? pkijs.Certificate.fromBER(new Uint8Array(a.certificate)).subject.isEqual(parsed.issuer) : false,
      );
      if (!ca) throw new Error('not issued by the test PKI');
      revoked.set(`${ca.name}:${serialHex(certificate)}`, {
        at,
        ...(reason === undefined ? {} : { reason }),
      });
    },
    clock,
    counts,
    stopRevocation,
    stopOcsp,
    close: async () => {
      await stopRevocation();
      await Promise.all(tsas.map((t) => t.close()));
    },
  };
};
