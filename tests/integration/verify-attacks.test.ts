// The verifier against the attacks of issue 14: content changed under a later signature, object-stream and
// cross-reference-stream originals, a truncated byte range, a backdated signature with an expired certificate,
// a certificate swapped for the same key, SHA-1 and weak keys, a broken second signature; and the legitimate
// counter-signature that must stay valid. Real SoftHSM2 token, the test CA, pdfsig and qpdf beside.
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import * as pkijs from 'pkijs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareResultFile } from '../../server/src/agency/actions';
import {
  closeTokens,
  countersignPdf,
  createSigner,
  type DevPki,
  type Signer,
  setupDevPki,
  signPdf,
  verifyPdf,
} from '../../server/src/signing';
import { buildCadesSignature } from '../../server/src/signing/cms';
import { ensureTestCa, issueCertificate } from '../../server/src/signing/pki';
import type { RevocationChecker } from '../../server/src/signing/validation';
import { createTestServer } from '../helpers/app';
import { createTestDatabase } from '../helpers/db';
import {
  appendUpdate,
  buildTestCms,
  contentStream,
  type Issuer,
  issueTestCertificate,
  memorySigner,
  pageContentObject,
  pageFontName,
  signWithCms,
} from '../helpers/signing-attacks';

const CLERK = { keyLabel: 'clerk-oanh', fullName: 'Lê Thị Kim Oanh', office: 'Bưu điện Văn hóa xã Phú Mậu' };
const OFFICIAL = { keyLabel: 'stp-binh', fullName: 'Hồ Văn Bình', office: 'Sở Tư pháp thành phố Huế' };
const OPTIONS = {
  reason: 'Chứng thực bản điện tử từ bản giấy',
  location: 'Phú Mậu, Huế',
  name: CLERK.fullName,
};
const COUNTER = { reason: 'Sở Tư pháp xác nhận', location: 'Huế', name: OFFICIAL.fullName };

let dir: string;
let pki: DevPki;
let clerk: Signer;
let official: Signer;
let stranger: Signer;
let ca: Issuer;
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: ReturnType<typeof createTestServer>;

const roots = () => ({ trustRoots: [pki.caCertificate] });

const makePdf = async (text = 'GIAY KHAI SINH - BAN DIEN TU') => {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage([595.28, 841.89]).drawText(text, { x: 60, y: 760, size: 16, font });
  doc.addPage([595.28, 841.89]).drawText('Trang 2', { x: 60, y: 760, size: 16, font });
  return new Uint8Array(await doc.save({ useObjectStreams: false }));
};

const file = (name: string, bytes: Uint8Array) => {
  const path = join(dir, `${randomBytes(4).toString('hex')}-${name}`);
  writeFileSync(path, bytes);
  return path;
};

const pdfsig = (bytes: Uint8Array) =>
  spawnSync('pdfsig', ['-nssdir', `sql:${pki.nssDir}`, file('sig.pdf', bytes)], { encoding: 'utf8' }).stdout;

const pdftotext = (bytes: Uint8Array) =>
  spawnSync('pdftotext', [file('text.pdf', bytes), '-'], { encoding: 'utf8' }).stdout;

/** The attacker's edit: page 1 now says something else, saved as an incremental update. */
const changePageOne = (signed: Uint8Array, text = 'DA SUA NOI DUNG') =>
  appendUpdate(signed, [
    { num: pageContentObject(signed, 1), body: contentStream(text, pageFontName(signed, 1)) },
  ]);

const summary = (result: Awaited<ReturnType<typeof verifyPdf>>) =>
  result.signatures.map((s) => ({
    signer: s.signer.commonName,
    indication: s.indication,
    subIndication: s.subIndication,
    after: s.after.text.vi,
  }));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pd-verify-'));
  pki = await setupDevPki({
    dir,
    tokenLabel: `pd-v-${randomBytes(3).toString('hex')}`,
    clerks: [CLERK, OFFICIAL],
  });
  clerk = createSigner({
    NODE_ENV: 'test',
    PKCS11_MODULE: pki.module,
    PKCS11_TOKEN_LABEL: pki.tokenLabel,
    PKCS11_KEY_LABEL: CLERK.keyLabel,
    PKCS11_PIN: pki.pin,
  });
  official = clerk.forKey(OFFICIAL.keyLabel, { commonName: '', organization: '' });
  // A self-made key and CA nobody trusts.
  stranger = createSigner({ NODE_ENV: 'development', DATA_DIR: join(dir, 'stranger') });
  ca = ensureTestCa(join(dir, 'ca'));
  database = await createTestDatabase();
  server = createTestServer(database.db, { signer: clerk, env: { SIGNING_TRUST_ROOTS: pki.caCertPath } });
}, 120_000);

afterAll(async () => {
  closeTokens();
  await database?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('changed content under a later signature', () => {
  it('is TOTAL-FAILED for the clerk’s signature when an untrusted signature follows the change', async () => {
    const signed = await signPdf(await makePdf(), clerk, OPTIONS);
    const tampered = await countersignPdf(changePageOne(signed), stranger, { ...COUNTER, name: 'Ai đó' });
    expect(pdftotext(tampered)).toContain('DA SUA NOI DUNG');
    const result = await verifyPdf(tampered, roots());
    expect(result.modifiedAfterSigning).toBe(true);
    expect(summary(result)[0]).toEqual({
      signer: CLERK.fullName,
      indication: 'TOTAL-FAILED',
      subIndication: 'FORMAT_FAILURE',
      after: 'Sau chữ ký này: nội dung trang 1 bị thay đổi; thêm 1 chữ ký',
    });
    expect(result.signatures[1]).toMatchObject({
      indication: 'INDETERMINATE',
      subIndication: 'NO_CERTIFICATE_CHAIN_FOUND',
    });
  }, 60_000);

  it('is TOTAL-FAILED for the clerk’s signature under a later trusted signature, and /verify says so', async () => {
    const signed = await signPdf(await makePdf(), clerk, OPTIONS);
    const tampered = await countersignPdf(changePageOne(signed), official, COUNTER);
    // pdfsig checks each signature's own bytes only: both "valid". The revision analysis is what sees the edit.
    expect(pdfsig(tampered).match(/Signature is Valid\./g)).toHaveLength(2);
    const result = await verifyPdf(tampered, roots());
    expect(summary(result)).toEqual([
      {
        signer: CLERK.fullName,
        indication: 'TOTAL-FAILED',
        subIndication: 'FORMAT_FAILURE',
        after: 'Sau chữ ký này: nội dung trang 1 bị thay đổi; thêm 1 chữ ký',
      },
      {
        signer: OFFICIAL.fullName,
        indication: 'TOTAL-PASSED',
        subIndication: undefined,
        after: 'Sau chữ ký này: không có thay đổi',
      },
    ]);

    const cookie = await login('gdv.hang');
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(tampered)], { type: 'application/pdf' }), 'ban-sao.pdf');
    const res = await server.app.request('/desk/verify', { method: 'POST', body: form, headers: { cookie } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      modifiedAfterSigning: boolean;
      signatures: { indication: string; after: { text: { vi: string } } }[];
    };
    expect(body.modifiedAfterSigning).toBe(true);
    expect(body.signatures[0]).toMatchObject({
      indication: 'TOTAL-FAILED',
      after: { text: { vi: 'Sau chữ ký này: nội dung trang 1 bị thay đổi; thêm 1 chữ ký' } },
    });
  }, 60_000);

  it('is refused by the agency’s result check, which accepts the untouched counter-signed copy', async () => {
    const signed = await signPdf(await makePdf('KET QUA'), clerk, OPTIONS);
    const tampered = await countersignPdf(changePageOne(signed), official, COUNTER);
    const opts = { files: server.files, trustRoots: [pki.caCertificate], reason: 'Kết quả', location: 'Huế' };
    await expect(prepareResultFile(database.db, { bytes: tampered }, opts)).rejects.toMatchObject({
      code: 'AGENCY_RESULT_SIGNATURE_INVALID',
      details: { indication: 'TOTAL-FAILED', subIndication: 'FORMAT_FAILURE' },
    });
    const honest = await countersignPdf(signed, official, COUNTER);
    await expect(prepareResultFile(database.db, { bytes: honest }, opts)).resolves.toMatchObject({
      signer: CLERK.fullName,
    });
  }, 60_000);

  it('sees changed resources, a new page and an object hidden outside the cross-reference', async () => {
    const signed = await signPdf(await makePdf(), clerk, OPTIONS);
    const contentNum = pageContentObject(signed, 2);
    // Page 2's content replaced in an update whose object sits outside every xref section: the section
    // names the old offset, so a viewer that trusts the xref shows the old page, a repairing one the new.
    const hidden = Buffer.concat([
      Buffer.from(signed),
      Buffer.from(`\n${contentNum} 0 obj\n${contentStream('AN')}\nendobj\n`),
    ]);
    const withTrailer = Buffer.concat([
      hidden,
      Buffer.from(
        `startxref\n${/startxref\s+(\d+)\s+%%EOF\s*$/.exec(Buffer.from(signed).toString('latin1'))![1]}\n%%EOF\n`,
      ),
    ]);
    const countersigned = await countersignPdf(new Uint8Array(withTrailer), official, COUNTER);
    const result = await verifyPdf(countersigned, roots());
    expect(result.signatures[0]).toMatchObject({ indication: 'TOTAL-FAILED' });
    expect(result.signatures[0]!.after.text.vi).toContain('đối tượng ẩn');
  }, 60_000);
});

describe('bytes after the last revision', () => {
  it('are a modification, not something a later reader may ignore', async () => {
    const signed = await signPdf(await makePdf(), clerk, OPTIONS);
    const appended = new Uint8Array(
      Buffer.concat([Buffer.from(signed), Buffer.from('\nBT /F1 24 Tf (DA SUA) Tj ET\n')]),
    );
    const [signature] = (await verifyPdf(appended, roots())).signatures;
    expect(signature).toMatchObject({ indication: 'TOTAL-FAILED', subIndication: 'FORMAT_FAILURE' });
    expect(signature!.after.text.vi).toBe('Sau chữ ký này: có dữ liệu lạ được nối vào cuối tệp');
    // Whitespace after %%EOF is not a change.
    const padded = new Uint8Array(Buffer.concat([Buffer.from(signed), Buffer.from('\n\n')]));
    expect((await verifyPdf(padded, roots())).signatures[0]).toMatchObject({ indication: 'TOTAL-PASSED' });
  }, 60_000);
});

describe('object-stream and cross-reference-stream originals', () => {
  const compressed = async () => {
    const plain = file('plain.pdf', await makePdf());
    const out = join(dir, `${randomBytes(4).toString('hex')}-objstm.pdf`);
    const run = spawnSync('qpdf', ['--object-streams=generate', plain, out]);
    expect(run.status).toBe(0);
    const bytes = new Uint8Array(readFileSync(out));
    expect(Buffer.from(bytes).toString('latin1')).toContain('/ObjStm');
    expect(Buffer.from(bytes).toString('latin1')).toContain('/XRef');
    return bytes;
  };

  it('keeps a clerk signature and a counter-signature valid, with "thêm 1 chữ ký" after the first', async () => {
    const signed = await countersignPdf(await compressed(), clerk, OPTIONS);
    expect(summary(await verifyPdf(signed, roots()))).toEqual([
      {
        signer: CLERK.fullName,
        indication: 'TOTAL-PASSED',
        subIndication: undefined,
        after: 'Sau chữ ký này: không có thay đổi',
      },
    ]);
    const both = await countersignPdf(signed, official, COUNTER);
    expect(pdfsig(both).match(/Signature is Valid\./g)).toHaveLength(2);
    const result = await verifyPdf(both, roots());
    expect(result.modifiedAfterSigning).toBe(false);
    expect(summary(result).map((s) => [s.indication, s.after])).toEqual([
      ['TOTAL-PASSED', 'Sau chữ ký này: thêm 1 chữ ký'],
      ['TOTAL-PASSED', 'Sau chữ ký này: không có thay đổi'],
    ]);
  }, 60_000);

  it('finds a page changed after the clerk signed, under a later trusted signature', async () => {
    const signed = await countersignPdf(await compressed(), clerk, OPTIONS);
    const tampered = await countersignPdf(changePageOne(signed), official, COUNTER);
    const result = await verifyPdf(tampered, roots());
    expect(summary(result)[0]).toMatchObject({
      indication: 'TOTAL-FAILED',
      after: 'Sau chữ ký này: nội dung trang 1 bị thay đổi; thêm 1 chữ ký',
    });
  }, 60_000);
});

describe('a signature over a truncated byte range', () => {
  it('is TOTAL-FAILED even when a later signature covers the whole file', async () => {
    const pdf = await makePdf();
    const certificate = await clerk.certificate();
    const chain = await clerk.chain();
    // The CMS covers the file only up to its cross-reference table; what follows is the attacker's to write.
    const truncated = await signWithCms(pdf, () => new Uint8Array(0));
    const text = Buffer.from(truncated).toString('latin1');
    const range = /\/ByteRange\s*\[\s*0\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(text)!;
    const [b, c] = [Number(range[1]), Number(range[2])];
    const xrefAt = text.lastIndexOf('\nxref');
    const shortD = xrefAt - c;
    const newRange = `/ByteRange [0 ${b} ${c} ${shortD}]`.padEnd(range[0].length, ' ');
    const rewritten = Buffer.from(text.replace(range[0], newRange), 'latin1');
    const content = Buffer.concat([rewritten.subarray(0, b), rewritten.subarray(c, c + shortD)]);
    const cms = await buildCadesSignature({ content, certificate, chain, sign: (data) => clerk.sign(data) });
    const hex = Buffer.from(cms)
      .toString('hex')
      .padEnd(c - b - 2, '0');
    rewritten.write(hex, b + 1, 'latin1');
    const both = await countersignPdf(new Uint8Array(rewritten), official, COUNTER);
    expect(pdfsig(both)).toContain('Not total document signed');
    const result = await verifyPdf(both, roots());
    expect(result.modifiedAfterSigning).toBe(true);
    expect(result.signatures[0]).toMatchObject({
      signer: { commonName: CLERK.fullName },
      integrity: { digestMatches: true, coversRevision: false },
      indication: 'TOTAL-FAILED',
      subIndication: 'FORMAT_FAILURE',
    });
  }, 60_000);
});

describe('time and certificates', () => {
  it('does not trust a backdated /M: an expired certificate with no timestamp is INDETERMINATE', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const expired = issueTestCertificate({
      subject: { commonName: 'Nguyễn Văn Cũ', organization: 'Bưu điện xã' },
      publicKey,
      issuer: ca,
      notBefore: new Date('2020-01-01T00:00:00Z'),
      notAfter: new Date('2022-01-01T00:00:00Z'),
    });
    const signed = await signPdf(await makePdf(), memorySigner(privateKey, expired, [ca.certificate]), {
      ...OPTIONS,
      signingTime: new Date('2021-06-01T08:00:00Z'),
    });
    expect(pdfsig(signed)).toContain('Certificate has Expired');
    const [signature] = (await verifyPdf(signed, roots())).signatures;
    expect(signature).toMatchObject({
      signatureValid: true,
      indication: 'INDETERMINATE',
      subIndication: 'OUT_OF_BOUNDS_NO_POE',
      validationTime: { source: 'now' },
      chain: { trusted: false },
    });
    expect(signature!.signedAt?.toISOString()).toBe('2021-06-01T08:00:00.000Z');
  }, 60_000);

  it('names no one when the certificate was swapped for another of the same key', async () => {
    const signed = await signPdf(await makePdf(), clerk, OPTIONS);
    const clerkCert = pkijs.Certificate.fromBER(new Uint8Array(await clerk.certificate()));
    const director = issueCertificate({
      subject: { commonName: 'Giám đốc Sở Tư pháp', organization: 'Sở Tư pháp thành phố Huế' },
      spki: new Uint8Array(clerkCert.subjectPublicKeyInfo.toSchema().toBER(false)),
      profile: 'signer',
      issuer: ca,
    });
    const swapped = swapCertificate(signed, director);
    const [signature] = (await verifyPdf(swapped, roots())).signatures;
    expect(signature).toMatchObject({
      signer: { commonName: 'Giám đốc Sở Tư pháp' },
      signatureValid: true,
      indication: 'INDETERMINATE',
      subIndication: 'NO_SIGNING_CERTIFICATE_FOUND',
    });
  }, 60_000);

  it('fails a PAdES signature without the ESS signing-certificate-v2 attribute', async () => {
    const { key, certificate } = softwareClerk();
    const signed = await signWithCms(await makePdf(), (content) =>
      buildTestCms({ content, certificate, chain: [ca.certificate], key, essCertificate: null }),
    );
    const [signature] = (await verifyPdf(signed, roots())).signatures;
    expect(signature).toMatchObject({
      signatureValid: true,
      indication: 'TOTAL-FAILED',
      subIndication: 'FORMAT_FAILURE',
    });
  }, 60_000);

  it('refuses SHA-1, RSA-1024 and a certificate not meant for signing', async () => {
    const sha1Clerk = softwareClerk();
    const sha1 = await signWithCms(await makePdf(), (content) =>
      buildTestCms({
        content,
        certificate: sha1Clerk.certificate,
        chain: [ca.certificate],
        key: sha1Clerk.key,
        digest: 'sha1',
      }),
    );
    expect((await verifyPdf(sha1, roots())).signatures[0]).toMatchObject({
      signatureValid: true,
      indication: 'INDETERMINATE',
      subIndication: 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE',
    });
    const weak = softwareClerk({ bits: 1024 });
    const small = await signWithCms(await makePdf(), (content) =>
      buildTestCms({ content, certificate: weak.certificate, chain: [ca.certificate], key: weak.key }),
    );
    expect((await verifyPdf(small, roots())).signatures[0]).toMatchObject({
      indication: 'INDETERMINATE',
      subIndication: 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE',
    });
    const caOnly = softwareClerk({ usage: 0x06 });
    const wrongUsage = await signWithCms(await makePdf(), (content) =>
      buildTestCms({ content, certificate: caOnly.certificate, chain: [ca.certificate], key: caOnly.key }),
    );
    expect((await verifyPdf(wrongUsage, roots())).signatures[0]).toMatchObject({
      indication: 'INDETERMINATE',
      subIndication: 'CHAIN_CONSTRAINTS_FAILURE',
    });
  }, 60_000);
});

describe('two signatures', () => {
  it('keeps the clerk’s certification (DocMDP P=2) valid under a legitimate counter-signature', async () => {
    const signed = await signPdf(await makePdf(), clerk, OPTIONS);
    expect(Buffer.from(signed).toString('latin1')).toMatch(/\/TransformMethod \/DocMDP/);
    const both = await countersignPdf(signed, official, COUNTER);
    const report = pdfsig(both);
    expect(report.match(/Signature is Valid\./g)).toHaveLength(2);
    expect(spawnSync('qpdf', ['--check', file('both.pdf', both)]).status).toBe(0);
    const result = await verifyPdf(both, roots());
    expect(result.modifiedAfterSigning).toBe(false);
    expect(result.signatures[0]).toMatchObject({
      certification: { permission: 2 },
      indication: 'TOTAL-PASSED',
    });
    expect(summary(result)).toEqual([
      {
        signer: CLERK.fullName,
        indication: 'TOTAL-PASSED',
        subIndication: undefined,
        after: 'Sau chữ ký này: thêm 1 chữ ký',
      },
      {
        signer: OFFICIAL.fullName,
        indication: 'TOTAL-PASSED',
        subIndication: undefined,
        after: 'Sau chữ ký này: không có thay đổi',
      },
    ]);
  }, 60_000);

  it('reports a broken second signature as TOTAL-FAILED and the first as still valid', async () => {
    const both = await countersignPdf(await signPdf(await makePdf(), clerk, OPTIONS), official, COUNTER);
    const text = Buffer.from(both).toString('latin1');
    const ranges = [...text.matchAll(/\/ByteRange\s*\[\s*0\s+(\d+)\s+(\d+)/g)].map((m) => [
      Number(m[1]),
      Number(m[2]),
    ]);
    const [b, c] = ranges.at(-1)!;
    const cms = pkijs.ContentInfo.fromBER(new Uint8Array(Buffer.from(text.slice(b! + 1, c! - 1), 'hex')));
    const value = new pkijs.SignedData({ schema: cms.content }).signerInfos[0]!.signature.valueBlock
      .valueHexView;
    const valueHex = Buffer.from(value).toString('hex');
    const at =
      text.indexOf(valueHex, b) === -1 ? text.toLowerCase().indexOf(valueHex, b) : text.indexOf(valueHex, b);
    const broken = Buffer.from(both);
    broken[at + 10] = broken[at + 10] === 0x30 ? 0x31 : 0x30;
    expect(pdfsig(broken)).toMatch(/Signature is Invalid|Digest Mismatch/);
    const result = await verifyPdf(broken, roots());
    expect(summary(result).map((s) => [s.indication, s.subIndication])).toEqual([
      ['TOTAL-PASSED', undefined],
      ['TOTAL-FAILED', 'SIG_CRYPTO_FAILURE'],
    ]);
  }, 60_000);
});

describe('revocation, as the RevocationChecker answers', () => {
  it('is INDETERMINATE/TRY_LATER when revocation is required and no one answers, REVOKED_NO_POE when revoked', async () => {
    const signed = await signPdf(await makePdf(), clerk, OPTIONS);
    const down: RevocationChecker = async () => ({
      status: 'unknown',
      source: 'none',
      reason: 'responder down',
    });
    expect(
      (await verifyPdf(signed, { ...roots(), revocation: down, requireRevocation: true })).signatures[0],
    ).toMatchObject({
      indication: 'INDETERMINATE',
      subIndication: 'TRY_LATER',
    });
    const revoked: RevocationChecker = async () => ({
      status: 'revoked',
      source: 'ocsp',
      revokedAt: new Date(Date.now() - 1000),
    });
    expect((await verifyPdf(signed, { ...roots(), revocation: revoked })).signatures[0]).toMatchObject({
      indication: 'INDETERMINATE',
      subIndication: 'REVOKED_NO_POE',
    });
    const good: RevocationChecker = async () => ({ status: 'good', source: 'ocsp' });
    expect(
      (await verifyPdf(signed, { ...roots(), revocation: good, requireRevocation: true })).signatures[0],
    ).toMatchObject({
      indication: 'TOTAL-PASSED',
      revocation: [{ status: 'good', source: 'ocsp', certificate: CLERK.fullName }],
    });
    // Our development CA publishes no responder: without the requirement, no answer is not a failure.
    expect((await verifyPdf(signed, roots())).signatures[0]).toMatchObject({
      indication: 'TOTAL-PASSED',
      revocation: [{ status: 'not-required', source: 'none' }],
    });
  }, 60_000);
});

const login = async (username: string) => {
  const res = await server.app.request('/trpc/auth.login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ json: { username, password: 'postdesk-demo' } }),
  });
  return res.headers.get('set-cookie')!.split(';')[0]!;
};

/** A software-key clerk certified by the test CA, valid now. */
const softwareClerk = (opts: { bits?: number; usage?: number } = {}) => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: opts.bits ?? 2048 });
  const certificate = issueTestCertificate({
    subject: { commonName: 'Phan Thị Thử', organization: 'Bưu điện xã' },
    publicKey,
    issuer: ca,
    notBefore: new Date(Date.now() - 3_600_000),
    notAfter: new Date(Date.now() + 365 * 86_400_000),
    ...(opts.usage === undefined ? {} : { usage: opts.usage }),
  });
  return { key: privateKey, certificate };
};

/** Replaces the signer certificate in the CMS (and the SignerInfo's sid, which the signature does not cover). */
const swapCertificate = (signed: Uint8Array, replacement: Uint8Array) => {
  const text = Buffer.from(signed).toString('latin1');
  const m = /\/ByteRange\s*\[\s*0\s+(\d+)\s+(\d+)/.exec(text)!;
  const [b, c] = [Number(m[1]), Number(m[2])];
  const info = pkijs.ContentInfo.fromBER(new Uint8Array(Buffer.from(text.slice(b + 1, c - 1), 'hex')));
  const signedData = new pkijs.SignedData({ schema: info.content });
  const cert = pkijs.Certificate.fromBER(new Uint8Array(replacement));
  signedData.certificates = [cert, ...(signedData.certificates ?? []).slice(1)];
  signedData.signerInfos[0]!.sid = new pkijs.IssuerAndSerialNumber({
    issuer: cert.issuer,
    serialNumber: cert.serialNumber,
  });
  const der = new pkijs.ContentInfo({ contentType: info.contentType, content: signedData.toSchema(true) })
    .toSchema()
    .toBER(false);
  const hex = Buffer.from(der)
    .toString('hex')
    .padEnd(c - b - 2, '0');
  const out = Buffer.from(signed);
  out.write(hex, b + 1, 'latin1');
  return new Uint8Array(out);
};
