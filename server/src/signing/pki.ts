import { execFileSync } from 'node:child_process';
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  sign,
} from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import {
  chainFrom,
  findObjects,
  pkcs11js,
  SOFTHSM_MODULE,
  type TokenContext,
  tokenCertificates,
  withToken,
} from './token';

const OID = {
  commonName: '2.5.4.3',
  country: '2.5.4.6',
  organization: '2.5.4.10',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
  sha256WithRSA: '1.2.840.113549.1.1.11',
  extKeyUsage: '2.5.29.37',
  crlDistributionPoints: '2.5.29.31',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  accessOcsp: '1.3.6.1.5.5.7.48.1',
  ocspNoCheck: '1.3.6.1.5.5.7.48.1.5',
} as const;

/** Extended key usages the test PKI and the verifier name. */
export const KEY_PURPOSE = {
  timeStamping: '1.3.6.1.5.5.7.3.8',
  ocspSigning: '1.3.6.1.5.5.7.3.9',
} as const;

/**
 * What a certificate says beyond its profile: where its status is published (OCSP in AIA, a CRL
 * distribution point), an extended key usage (TSA, OCSP responder) and explicit validity, for the test PKI.
 */
export type CertificateExtras = {
  ocspUrl?: string;
  crlUrl?: string;
  extKeyUsage?: string;
  /** id-pkix-ocsp-nocheck: an OCSP responder's own certificate is not checked for revocation. */
  ocspNoCheck?: boolean;
  notBefore?: Date;
  notAfter?: Date;
};

const uriName = (url: string) => new pkijs.GeneralName({ type: 6, value: url });

export type Subject = { commonName: string; organization: string; country?: string };

/**
 * The DN as SEQUENCE OF SET { one AVA }: pushing several AVAs into pkijs `typesAndValues` would make one
 * multi-valued RDN ("C=VN + O=… + CN=…"), which viewers show wrongly.
 */
export const buildName = ({ commonName, organization, country = 'VN' }: Subject) => {
  const rdn = (oid: string, value: asn1js.BaseBlock) =>
    new asn1js.Set({
      value: [new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: oid }), value] })],
    });
  const name = new asn1js.Sequence({
    value: [
      rdn(OID.country, new asn1js.PrintableString({ value: country })),
      rdn(OID.organization, new asn1js.Utf8String({ value: organization.normalize('NFC') })),
      rdn(OID.commonName, new asn1js.Utf8String({ value: commonName.normalize('NFC') })),
    ],
  });
  return pkijs.RelativeDistinguishedNames.fromBER(new Uint8Array(name.toBER(false)));
};

const sha256WithRsa = () =>
  new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256WithRSA, algorithmParams: new asn1js.Null() });

const keyIdentifier = (spki: Uint8Array) => {
  const info = pkijs.PublicKeyInfo.fromBER(new Uint8Array(spki));
  return new Uint8Array(createHash('sha1').update(info.subjectPublicKey.valueBlock.valueHexView).digest());
};

const extension = (
  extnID: string,
  critical: boolean,
  value: { toSchema: () => asn1js.BaseBlock } | asn1js.BaseBlock,
) =>
  new pkijs.Extension({
    extnID,
    critical,
    extnValue: ('toSchema' in value ? value.toSchema() : value).toBER(false),
  });

// keyUsage bits, most significant first: digitalSignature(0) nonRepudiation(1) … keyCertSign(5) cRLSign(6).
const SIGNER_USAGE = new asn1js.BitString({ valueHex: new Uint8Array([0xc0]), unusedBits: 6 });
const CA_USAGE = new asn1js.BitString({ valueHex: new Uint8Array([0x06]), unusedBits: 1 });

export type Issuer = { certificate: Uint8Array; key: KeyObject };

/**
 * An X.509 v3 certificate for `spki`: a CA (CA:TRUE, keyCertSign + cRLSign), self-signed when no issuer is
 * given, or a signer (digitalSignature + nonRepudiation) issued by `issuer`.
 */
export const issueCertificate = (options: {
  subject: Subject;
  spki: Uint8Array;
  profile: 'ca' | 'signer';
  issuer?: Issuer;
  selfKey?: KeyObject;
  validDays?: number;
  extras?: CertificateExtras;
}): Uint8Array => {
  const { subject, spki, profile, issuer, validDays = profile === 'ca' ? 3650 : 730, extras = {} } = options;
  const signingKey = issuer?.key ?? options.selfKey;
  if (!signingKey) throw new Error('issueCertificate: a self-signed certificate needs selfKey');
  const issuerCert = issuer ? pkijs.Certificate.fromBER(new Uint8Array(issuer.certificate)) : undefined;
  const cert = new pkijs.Certificate();
  cert.version = 2;
  const serial = randomBytes(16);
  // Positive, and never a leading zero byte: DER forbids it and OpenSSL rejects such a certificate
  // ("illegal padding"), which a plain `& 0x7f` produced once in 128 certificates.
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x40;
  cert.serialNumber = new asn1js.Integer({ valueHex: serial });
  cert.subject = buildName(subject);
  cert.issuer = issuerCert ? issuerCert.subject : buildName(subject);
  const now = Date.now();
  cert.notBefore.value = extras.notBefore ?? new Date(now - 60 * 60 * 1000);
  cert.notAfter.value = extras.notAfter ?? new Date(now + validDays * 24 * 60 * 60 * 1000);
  // RFC 5280: UTCTime through 2049, GeneralizedTime from 2050.
  for (const time of [cert.notBefore, cert.notAfter]) time.type = time.value.getUTCFullYear() >= 2050 ? 1 : 0;
  cert.subjectPublicKeyInfo = pkijs.PublicKeyInfo.fromBER(new Uint8Array(spki));
  const authorityKeyId = issuerCert
    ? keyIdentifier(new Uint8Array(issuerCert.subjectPublicKeyInfo.toSchema().toBER(false)))
    : keyIdentifier(spki);
  cert.extensions = [
    extension(OID.basicConstraints, true, new pkijs.BasicConstraints({ cA: profile === 'ca' })),
    extension(OID.keyUsage, true, profile === 'ca' ? CA_USAGE : SIGNER_USAGE),
    extension(OID.subjectKeyIdentifier, false, new asn1js.OctetString({ valueHex: keyIdentifier(spki) })),
    extension(
      OID.authorityKeyIdentifier,
      false,
      new pkijs.AuthorityKeyIdentifier({
        keyIdentifier: new asn1js.OctetString({ valueHex: authorityKeyId }),
      }),
    ),
    ...(extras.extKeyUsage
      ? [extension(OID.extKeyUsage, true, new pkijs.ExtKeyUsage({ keyPurposes: [extras.extKeyUsage] }))]
      : []),
    ...(extras.ocspUrl
      ? [
          extension(
            OID.authorityInfoAccess,
            false,
            new pkijs.InfoAccess({
              accessDescriptions: [
                new pkijs.AccessDescription({
                  accessMethod: OID.accessOcsp,
                  accessLocation: uriName(extras.ocspUrl),
                }),
              ],
            }),
          ),
        ]
      : []),
    ...(extras.crlUrl
      ? [
          extension(
            OID.crlDistributionPoints,
            false,
            new pkijs.CRLDistributionPoints({
              distributionPoints: [
                new pkijs.DistributionPoint({ distributionPoint: [uriName(extras.crlUrl)] }),
              ],
            }),
          ),
        ]
      : []),
    ...(extras.ocspNoCheck ? [extension(OID.ocspNoCheck, false, new asn1js.Null())] : []),
  ];
  cert.signature = sha256WithRsa();
  cert.signatureAlgorithm = sha256WithRsa();
  const tbs = new Uint8Array(cert.encodeTBS().toBER(false));
  // Without tbsView, toSchema() re-encodes from fields and drops what was signed.
  cert.tbsView = tbs;
  cert.signatureValue = new asn1js.BitString({ valueHex: sign('sha256', tbs, signingKey) });
  return new Uint8Array(cert.toSchema(false).toBER(false));
};

const writePrivate = (path: string, data: string | Uint8Array) => {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
};

/** A CA (or signer) key and certificate kept as files: made once, read back afterwards. */
const fileKeyPair = (
  dir: string,
  name: string,
  make: (key: KeyObject, spki: Uint8Array) => Uint8Array,
): { certificate: Uint8Array; key: KeyObject; certPath: string } => {
  const keyPath = join(dir, `${name}.key.pem`);
  const certPath = join(dir, `${name}.der`);
  if (existsSync(keyPath) && existsSync(certPath)) {
    return {
      certificate: new Uint8Array(readFileSync(certPath)),
      key: createPrivateKey(readFileSync(keyPath)),
      certPath,
    };
  }
  mkdirSync(dir, { recursive: true });
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const certificate = make(privateKey, new Uint8Array(publicKey.export({ type: 'spki', format: 'der' })));
  writePrivate(keyPath, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  writePrivate(certPath, certificate);
  return { certificate, key: privateKey, certPath };
};

export const TEST_CA_SUBJECT: Subject = {
  commonName: 'PostDesk Test CA (chỉ dùng thử nghiệm)',
  organization: 'PostDesk phát triển',
};

/** The development/test CA: a software key on disk, never for production. */
export const ensureTestCa = (dir: string, subject: Subject = TEST_CA_SUBJECT) =>
  fileKeyPair(dir, 'ca', (key, spki) => issueCertificate({ subject, spki, profile: 'ca', selfKey: key }));

export type SoftwareKey = { key: KeyObject; certificate: Uint8Array; chain: Uint8Array[]; caPath: string };

export const SOFTWARE_SIGNER_SUBJECT: Subject = {
  commonName: 'Bộ phận Một cửa — khóa ký phần mềm (bản trình diễn)',
  organization: 'PostDesk bản trình diễn',
};

/** The embedded demo's signing key and certificate under `${dataDir}/signing`, made on first use. */
export const ensureSoftwareKey = (
  dataDir: string,
  subject: Subject = SOFTWARE_SIGNER_SUBJECT,
  /** File name of the signer's key and certificate: one per clerk in the demo (see signer.ts). */
  name = 'demo-signer',
): SoftwareKey => {
  const dir = resolve(dataDir, 'signing');
  const ca = fileKeyPair(dir, 'demo-ca', (key, spki) =>
    issueCertificate({
      subject: { commonName: 'PostDesk Demo CA (không dùng thật)', organization: subject.organization },
      spki,
      profile: 'ca',
      selfKey: key,
    }),
  );
  const signer = fileKeyPair(dir, name, (_key, spki) =>
    issueCertificate({ subject, spki, profile: 'signer', issuer: ca }),
  );
  return { key: signer.key, certificate: signer.certificate, chain: [ca.certificate], caPath: ca.certPath };
};

const base64url = (bytes: Buffer) => bytes.toString('base64url');

const keyId = (label: string) => createHash('sha256').update(label).digest().subarray(0, 8);

/** Named curves a clerk's key may be on (P-256, P-384), by their DER-encoded OID as CKA_EC_PARAMS holds it. */
export const EC_CURVES = {
  'ec-p256': { oid: '1.2.840.10045.3.1.7', params: Buffer.from('06082a8648ce3d030107', 'hex') },
  'ec-p384': { oid: '1.3.132.0.34', params: Buffer.from('06052b81040022', 'hex') },
} as const;

export type KeyType = 'rsa-2048' | keyof typeof EC_CURVES;

const publicKeySpki = (ctx: TokenContext, publicKey: Buffer): Uint8Array => {
  const [type] = ctx.p.C_GetAttributeValue(ctx.session, publicKey, [{ type: pkcs11js.CKA_KEY_TYPE }]);
  if (type?.value && type.value.length >= 4 && type.value.readUInt32LE(0) === pkcs11js.CKK_EC) {
    const [params, point] = ctx.p.C_GetAttributeValue(ctx.session, publicKey, [
      { type: pkcs11js.CKA_EC_PARAMS },
      { type: pkcs11js.CKA_EC_POINT },
    ]);
    if (!params?.value || !point?.value) throw new Error('token returned no EC public key');
    // CKA_EC_POINT is the uncompressed point wrapped in a DER OCTET STRING (PKCS#11 v2.40 §2.3.3).
    const octets = asn1js.fromBER(new Uint8Array(point.value)).result;
    const raw =
      octets instanceof asn1js.OctetString ? octets.valueBlock.valueHexView : new Uint8Array(point.value);
    const spki = new asn1js.Sequence({
      value: [
        new asn1js.Sequence({
          value: [
            new asn1js.ObjectIdentifier({ value: '1.2.840.10045.2.1' }),
            asn1js.fromBER(new Uint8Array(params.value)).result,
          ],
        }),
        new asn1js.BitString({ valueHex: raw }),
      ],
    });
    return new Uint8Array(spki.toBER(false));
  }
  const [modulus, exponent] = ctx.p.C_GetAttributeValue(ctx.session, publicKey, [
    { type: pkcs11js.CKA_MODULUS },
    { type: pkcs11js.CKA_PUBLIC_EXPONENT },
  ]);
  if (!modulus?.value || !exponent?.value) throw new Error('token returned no RSA public key');
  const jwk = { kty: 'RSA', n: base64url(modulus.value), e: base64url(exponent.value) };
  return new Uint8Array(createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'der' }));
};

/**
 * The clerk's key pair (RSA-2048 by default, or ECDSA on P-256/P-384), generated on the token: the private key
 * is sensitive and never leaves it. Returns the public key (SPKI DER) of the existing pair when there is one
 * with this label.
 */
export const ensureTokenKeyPair = (
  ctx: TokenContext,
  label: string,
  keyType: KeyType = 'rsa-2048',
): Uint8Array => {
  const [existing] = findObjects(ctx, [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PUBLIC_KEY },
    { type: pkcs11js.CKA_LABEL, value: label },
  ]);
  if (existing) return publicKeySpki(ctx, existing);
  const id = keyId(label);
  const ec = keyType === 'rsa-2048' ? undefined : EC_CURVES[keyType];
  const common = [
    { type: pkcs11js.CKA_KEY_TYPE, value: ec ? pkcs11js.CKK_EC : pkcs11js.CKK_RSA },
    { type: pkcs11js.CKA_TOKEN, value: true },
    { type: pkcs11js.CKA_LABEL, value: label },
    { type: pkcs11js.CKA_ID, value: id },
  ];
  const keys = ctx.p.C_GenerateKeyPair(
    ctx.session,
    { mechanism: ec ? pkcs11js.CKM_EC_KEY_PAIR_GEN : pkcs11js.CKM_RSA_PKCS_KEY_PAIR_GEN },
    [
      { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PUBLIC_KEY },
      ...common,
      { type: pkcs11js.CKA_VERIFY, value: true },
      ...(ec
        ? [{ type: pkcs11js.CKA_EC_PARAMS, value: ec.params }]
        : [
            { type: pkcs11js.CKA_ENCRYPT, value: false },
            { type: pkcs11js.CKA_WRAP, value: false },
            { type: pkcs11js.CKA_MODULUS_BITS, value: 2048 },
            { type: pkcs11js.CKA_PUBLIC_EXPONENT, value: Buffer.from([1, 0, 1]) },
          ]),
    ],
    [
      { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY },
      ...common,
      { type: pkcs11js.CKA_PRIVATE, value: true },
      { type: pkcs11js.CKA_SENSITIVE, value: true },
      { type: pkcs11js.CKA_EXTRACTABLE, value: false },
      { type: pkcs11js.CKA_SIGN, value: true },
      ...(ec
        ? []
        : [
            { type: pkcs11js.CKA_DECRYPT, value: false },
            { type: pkcs11js.CKA_UNWRAP, value: false },
          ]),
    ],
  );
  return publicKeySpki(ctx, keys.publicKey);
};

const CATEGORY_TOKEN_USER = 1;
const CATEGORY_AUTHORITY = 2;

/** Stores a certificate object on the token under `label` (and the label's CKA_ID), as vendors' tools do. */
export const writeTokenCertificate = (
  ctx: TokenContext,
  label: string,
  der: Uint8Array,
  authority = false,
) => {
  const cert = pkijs.Certificate.fromBER(new Uint8Array(der));
  ctx.p.C_CreateObject(ctx.session, [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE },
    { type: pkcs11js.CKA_CERTIFICATE_TYPE, value: pkcs11js.CKC_X_509 },
    { type: pkcs11js.CKA_CERTIFICATE_CATEGORY, value: authority ? CATEGORY_AUTHORITY : CATEGORY_TOKEN_USER },
    { type: pkcs11js.CKA_TOKEN, value: true },
    { type: pkcs11js.CKA_PRIVATE, value: false },
    { type: pkcs11js.CKA_LABEL, value: label },
    { type: pkcs11js.CKA_ID, value: keyId(label) },
    { type: pkcs11js.CKA_SUBJECT, value: Buffer.from(cert.subject.toSchema().toBER(false)) },
    { type: pkcs11js.CKA_ISSUER, value: Buffer.from(cert.issuer.toSchema().toBER(false)) },
    { type: pkcs11js.CKA_SERIAL_NUMBER, value: Buffer.from(cert.serialNumber.toBER(false)) },
    { type: pkcs11js.CKA_VALUE, value: Buffer.from(der) },
  ]);
};

const spkiOf = (der: Uint8Array) =>
  Buffer.from(pkijs.Certificate.fromBER(new Uint8Array(der)).subjectPublicKeyInfo.toSchema().toBER(false));

export type Clerk = {
  keyLabel: string;
  fullName: string;
  office: string;
  /** RSA-2048 unless said otherwise. */
  keyType?: KeyType;
};

export const DEV_CLERK: Clerk = {
  keyLabel: 'clerk-thuha',
  fullName: 'Nguyễn Thị Thu Hà',
  office: 'Bưu điện Văn hóa xã Phú Mậu',
};

export type DevPkiOptions = {
  dir: string;
  module?: string;
  tokenLabel?: string;
  pin?: string;
  soPin?: string;
  clerks?: Clerk[];
};

export type DevPki = {
  dir: string;
  module: string;
  tokenLabel: string;
  pin: string;
  softhsmConf: string;
  caCertificate: Uint8Array;
  caCertPath: string;
  /** For `pdfsig -nssdir` and `certutil -d`. */
  nssDir: string;
  clerks: (Clerk & { certificate: Uint8Array; keyId: string })[];
  env: Record<string, string>;
};

const softhsmTokenLabels = (env: NodeJS.ProcessEnv) =>
  execFileSync('softhsm2-util', ['--show-slots'], { env, encoding: 'utf8' })
    .split('\n')
    .flatMap((line) => {
      const match = /^\s*Label:\s*(.*)$/.exec(line);
      return match?.[1] ? [match[1].trim()] : [];
    });

/** An NSS database (what pdfsig reads) that trusts `certificate` as a CA for signing. */
export const trustInNss = (nssDir: string, nickname: string, certificatePath: string) => {
  const db = `sql:${nssDir}`;
  if (!existsSync(join(nssDir, 'cert9.db'))) {
    mkdirSync(nssDir, { recursive: true });
    execFileSync('certutil', ['-N', '-d', db, '--empty-password'], { stdio: 'pipe' });
  }
  try {
    execFileSync('certutil', ['-L', '-d', db, '-n', nickname], { stdio: 'pipe' });
  } catch {
    execFileSync('certutil', ['-A', '-d', db, '-n', nickname, '-t', 'CT,C,C', '-i', certificatePath], {
      stdio: 'pipe',
    });
  }
};

/**
 * A SoftHSM2 token in `dir` with each clerk's key pair and certificate on it, the test CA that issued them
 * (also on the token, so the signer finds its chain there) and an NSS db that trusts the CA. Idempotent.
 * Sets SOFTHSM2_CONF for this process, so call it before anything else loads the SoftHSM2 module.
 */
export const setupDevPki = async (options: DevPkiOptions): Promise<DevPki> => {
  const dir = resolve(options.dir);
  const module = options.module ?? SOFTHSM_MODULE;
  const tokenLabel = options.tokenLabel ?? 'postdesk-dev';
  const pin = options.pin ?? '1234';
  const soPin = options.soPin ?? '12345678';
  const clerks = options.clerks ?? [DEV_CLERK];

  const softhsmConf = join(dir, 'softhsm2.conf');
  mkdirSync(join(dir, 'tokens'), { recursive: true });
  writeFileSync(
    softhsmConf,
    `directories.tokendir = ${join(dir, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`,
  );
  process.env.SOFTHSM2_CONF = softhsmConf;
  if (!softhsmTokenLabels(process.env).includes(tokenLabel)) {
    execFileSync(
      'softhsm2-util',
      ['--init-token', '--free', '--label', tokenLabel, '--so-pin', soPin, '--pin', pin],
      { env: process.env, stdio: 'pipe' },
    );
  }

  const ca = ensureTestCa(join(dir, 'ca'));
  const config = { module, tokenLabel, pin };
  const issued = await withToken(config, (ctx) => {
    const caLabel = `ca:${TEST_CA_SUBJECT.commonName}`;
    if (tokenCertificates(ctx, caLabel).length === 0)
      writeTokenCertificate(ctx, caLabel, ca.certificate, true);
    return clerks.map((clerk) => {
      const spki = ensureTokenKeyPair(ctx, clerk.keyLabel, clerk.keyType);
      const current = tokenCertificates(ctx, clerk.keyLabel).find(
        (der) => spkiOf(der).equals(spki) && chainFrom(der, [ca.certificate]).length === 1,
      );
      const id = keyId(clerk.keyLabel).toString('hex');
      if (current) return { ...clerk, keyId: id, certificate: current };
      for (const stale of findObjects(ctx, [
        { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE },
        { type: pkcs11js.CKA_LABEL, value: clerk.keyLabel },
      ])) {
        ctx.p.C_DestroyObject(ctx.session, stale);
      }
      const certificate = issueCertificate({
        subject: { commonName: clerk.fullName, organization: clerk.office },
        spki,
        profile: 'signer',
        issuer: ca,
      });
      writeTokenCertificate(ctx, clerk.keyLabel, certificate);
      return { ...clerk, keyId: id, certificate };
    });
  });

  const nssDir = join(dir, 'nssdb');
  trustInNss(nssDir, TEST_CA_SUBJECT.commonName, ca.certPath);

  const first = clerks[0];
  return {
    dir,
    module,
    tokenLabel,
    pin,
    softhsmConf,
    caCertificate: ca.certificate,
    caCertPath: ca.certPath,
    nssDir,
    clerks: issued,
    env: {
      SOFTHSM2_CONF: softhsmConf,
      PKCS11_MODULE: module,
      PKCS11_TOKEN_LABEL: tokenLabel,
      PKCS11_PIN: pin,
      ...(first ? { PKCS11_KEY_LABEL: first.keyLabel } : {}),
      SIGNING_TRUST_ROOTS: ca.certPath,
    },
  };
};
