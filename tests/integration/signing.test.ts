// Signing and verification against the real thing: a SoftHSM2 token of this file's own, the test CA, poppler's
// pdfsig trusting that CA through an NSS db, and qpdf.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closeTokens,
  countersignPdf,
  createSigner,
  type DevPki,
  ensureSoftwareKey,
  type Signer,
  setupDevPki,
  signPdf,
  trustInNss,
  verifyPdf,
} from '../../server/src/signing';

const CLERK = { keyLabel: 'clerk-lan', fullName: 'Trần Thị Ngọc Lan', office: 'Bưu điện Văn hóa xã Phú Mậu' };
/** An agency official on the same token: one token, one key per person, picked by label. */
const OFFICIAL = { keyLabel: 'stp-lan', fullName: 'Đặng Thị Lan', office: 'Sở Tư pháp thành phố Huế' };
const SIGN_OPTIONS = {
  reason: 'Chứng thực bản điện tử từ bản giấy',
  location: 'Bộ phận Một cửa xã Phú Mậu, Huế',
  name: CLERK.fullName,
  contactInfo: '0234 3822 123',
};

let dir: string;
let pki: DevPki;
let token: Signer;

const makePdf = async (pages = 1) => {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const font = await doc.embedFont(readFileSync(resolve('server/assets/fonts/NotoSans-Regular.ttf')), {
    subset: true,
  });
  for (let i = 1; i <= pages; i += 1) {
    const page = doc.addPage([595.28, 841.89]);
    page.drawText('Giấy khai sinh — bản điện tử'.normalize('NFC'), { x: 50, y: 780, size: 18, font });
    page.drawText(`Họ và tên: Tôn Nữ Thị Hoàng Oanh · trang ${i}/${pages}`.normalize('NFC'), {
      x: 50,
      y: 750,
      size: 12,
      font,
    });
  }
  return doc.save();
};

const writeTemp = (name: string, bytes: Uint8Array) => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};

const pdfsig = (bytes: Uint8Array, nssDir = pki.nssDir) => {
  const path = writeTemp(`sig-${randomBytes(4).toString('hex')}.pdf`, bytes);
  return spawnSync('pdfsig', ['-nssdir', `sql:${nssDir}`, path], { encoding: 'utf8' }).stdout;
};

const qpdfCheck = (bytes: Uint8Array) =>
  spawnSync('qpdf', ['--check', writeTemp(`check-${randomBytes(4).toString('hex')}.pdf`, bytes)]).status;

const tokenSigner = (pin?: string) =>
  createSigner({
    NODE_ENV: 'test',
    PKCS11_MODULE: pki.module,
    PKCS11_TOKEN_LABEL: pki.tokenLabel,
    PKCS11_KEY_LABEL: CLERK.keyLabel,
    ...(pin ? { PKCS11_PIN: pin } : {}),
  });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pd-signing-'));
  pki = await setupDevPki({
    dir,
    tokenLabel: `pd-${randomBytes(3).toString('hex')}`,
    clerks: [CLERK, OFFICIAL],
  });
  token = tokenSigner(pki.pin);
});

afterAll(() => {
  closeTokens();
  rmSync(dir, { recursive: true, force: true });
});

describe('a PDF signed with the clerk’s token', () => {
  let signed: Uint8Array;
  beforeAll(async () => {
    signed = await signPdf(await makePdf(), token, { ...SIGN_OPTIONS, signingTime: new Date() });
  });

  it('is valid and trusted for pdfsig, and accepted by qpdf', () => {
    const report = pdfsig(signed);
    expect(report).toContain('Signature Validation: Signature is Valid.');
    expect(report).toContain('Certificate Validation: Certificate is Trusted.');
    expect(report).toContain('Signature Type: ETSI.CAdES.detached');
    expect(report).toContain(`Signer Certificate Common Name: ${CLERK.fullName}`);
    expect(report).toContain('Total document signed');
    expect(qpdfCheck(signed)).toBe(0);
  });

  it('keeps the page text readable', () => {
    const text = spawnSync('pdftotext', ['-enc', 'UTF-8', writeTemp('text.pdf', signed), '-'], {
      encoding: 'utf8',
    }).stdout;
    expect(text).toContain('Họ và tên: Tôn Nữ Thị Hoàng Oanh');
  });

  it('is verified the same way by verifyPdf: valid, trusted, signed by the clerk', async () => {
    const result = await verifyPdf(signed, { trustRoots: [pki.caCertificate] });
    expect(result.modifiedAfterSigning).toBe(false);
    expect(result.signatures).toHaveLength(1);
    const [signature] = result.signatures;
    expect(signature).toMatchObject({
      signer: { commonName: CLERK.fullName, organization: CLERK.office },
      subFilter: 'ETSI.CAdES.detached',
      integrity: { byteRangeCoversWholeFileExceptContents: true, digestMatches: true },
      signatureValid: true,
      chain: { trusted: true, path: [CLERK.fullName, 'PostDesk Test CA (chỉ dùng thử nghiệm)'] },
    });
    expect(Math.abs((signature?.signedAt?.getTime() ?? 0) - Date.now())).toBeLessThan(60_000);
  });

  it('is not trusted by verifyPdf without the test CA among the trust roots', async () => {
    const other = ensureSoftwareKey(join(dir, 'other')).chain;
    const [signature] = (await verifyPdf(signed, { trustRoots: other })).signatures;
    expect(signature?.signatureValid).toBe(true);
    expect(signature?.chain).toMatchObject({
      trusted: false,
      reason: 'self-signed certificate is not trusted',
    });
    const [alone] = (await verifyPdf(signed, { trustRoots: [] })).signatures;
    expect(alone?.chain).toMatchObject({ trusted: false, reason: 'no trust roots configured' });
  });

  it('shows a one-byte change inside the signed range to pdfsig and verifyPdf', async () => {
    const text = Buffer.from(signed).toString('latin1');
    const at = text.indexOf('Adobe.PPKLite');
    const tampered = new Uint8Array(signed);
    tampered[at] = 'a'.charCodeAt(0);
    expect(pdfsig(tampered)).toContain('Signature Validation: Digest Mismatch.');
    const result = await verifyPdf(tampered, { trustRoots: [pki.caCertificate] });
    expect(result.signatures[0]).toMatchObject({
      integrity: { digestMatches: false },
      signatureValid: false,
    });
    expect(result.modifiedAfterSigning).toBe(true);
  });

  it('is invalid for verifyPdf after a one-byte change anywhere in the signed ranges', async () => {
    const text = Buffer.from(signed).toString('latin1');
    const [, , b, c] = (/\/ByteRange\s*\[(\d+) (\d+) (\d+) (\d+)\]/.exec(text) ?? []).map(Number) as number[];
    const signedOffsets = [...Array(signed.length).keys()].filter((i) => i < (b ?? 0) || i >= (c ?? 0));
    const step = Math.floor(signedOffsets.length / 200);
    for (let k = 0; k < signedOffsets.length; k += step) {
      const at = signedOffsets[k] ?? 0;
      const tampered = new Uint8Array(signed);
      tampered[at] = (tampered[at] ?? 0) ^ 0x01;
      const result = await verifyPdf(tampered, { trustRoots: [pki.caCertificate] }).catch(() => null);
      const stillValid = result?.signatures.some((s) => s.signatureValid) ?? false;
      expect({ at, stillValid }).toEqual({ at, stillValid: false });
    }
    // About 200 verifications: room for a busy machine.
  }, 180_000);
});

describe('the token session', () => {
  it('signs 10 documents at once without two operations meeting on the session', async () => {
    const pdf = await makePdf();
    const signed = await Promise.all(Array.from({ length: 10 }, () => signPdf(pdf, token, SIGN_OPTIONS)));
    for (const bytes of signed) {
      const [signature] = (await verifyPdf(bytes, { trustRoots: [pki.caCertificate] })).signatures;
      expect(signature).toMatchObject({ signatureValid: true, chain: { trusted: true } });
    }
    expect(pdfsig(signed[9] ?? new Uint8Array())).toContain('Signature is Valid.');
  });

  it('refuses a wrong PIN with TOKEN_PIN_INVALID, then signs with the right one', async () => {
    const clerkTypesPin = tokenSigner();
    const pdf = await makePdf();
    await expect(signPdf(pdf, clerkTypesPin, { ...SIGN_OPTIONS, pin: '0000' })).rejects.toMatchObject({
      code: 'TOKEN_PIN_INVALID',
    });
    const signed = await signPdf(pdf, clerkTypesPin, { ...SIGN_OPTIONS, pin: pki.pin });
    expect(pdfsig(signed)).toContain('Signature is Valid.');
  });

  it('refuses a wrongly configured PIN, and a later call with the typed PIN works', async () => {
    const misconfigured = tokenSigner('9999');
    const pdf = await makePdf();
    await expect(signPdf(pdf, misconfigured, { ...SIGN_OPTIONS, pin: '9999' })).rejects.toMatchObject({
      code: 'TOKEN_PIN_INVALID',
    });
    await expect(signPdf(pdf, tokenSigner(), SIGN_OPTIONS)).rejects.toMatchObject({
      code: 'TOKEN_PIN_INVALID',
    });
    const signed = await signPdf(pdf, misconfigured, { ...SIGN_OPTIONS, pin: pki.pin });
    const [signature] = (await verifyPdf(signed, { trustRoots: [pki.caCertificate] })).signatures;
    expect(signature?.signatureValid).toBe(true);
  });

  it('finds the key and certificate by CKA_ID as well as by label', async () => {
    const byId = createSigner({
      NODE_ENV: 'test',
      PKCS11_MODULE: pki.module,
      PKCS11_TOKEN_LABEL: pki.tokenLabel,
      PKCS11_KEY_ID: pki.clerks[0]?.keyId,
      PKCS11_PIN: pki.pin,
    });
    const signed = await signPdf(await makePdf(), byId, SIGN_OPTIONS);
    const [signature] = (await verifyPdf(signed, { trustRoots: [pki.caCertificate] })).signatures;
    expect(signature).toMatchObject({ signer: { commonName: CLERK.fullName }, signatureValid: true });
  });

  it('says TOKEN_NOT_FOUND for a token or key that is not there', async () => {
    const pdf = await makePdf();
    const noToken = createSigner({
      NODE_ENV: 'test',
      PKCS11_MODULE: pki.module,
      PKCS11_TOKEN_LABEL: 'no-such-token',
      PKCS11_KEY_LABEL: CLERK.keyLabel,
      PKCS11_PIN: pki.pin,
    });
    await expect(signPdf(pdf, noToken, SIGN_OPTIONS)).rejects.toMatchObject({ code: 'TOKEN_NOT_FOUND' });
    const noKey = createSigner({
      NODE_ENV: 'test',
      PKCS11_MODULE: pki.module,
      PKCS11_TOKEN_LABEL: pki.tokenLabel,
      PKCS11_KEY_LABEL: 'clerk-nobody',
      PKCS11_PIN: pki.pin,
    });
    await expect(signPdf(pdf, noKey, SIGN_OPTIONS)).rejects.toMatchObject({ code: 'TOKEN_NOT_FOUND' });
  });
});

describe('the software key of the embedded demo', () => {
  it('is made on first use under DATA_DIR and gives a pdfsig-valid signature', async () => {
    const dataDir = join(dir, 'data');
    const signer = createSigner({ NODE_ENV: 'development', DATA_DIR: dataDir });
    expect(signer.kind).toBe('software');
    const signed = await signPdf(await makePdf(), signer, SIGN_OPTIONS);
    const nssDir = join(dir, 'demo-nss');
    trustInNss(nssDir, 'PostDesk Demo CA', ensureSoftwareKey(dataDir).caPath);
    const report = pdfsig(signed, nssDir);
    expect(report).toContain('Signature Validation: Signature is Valid.');
    expect(report).toContain('Certificate Validation: Certificate is Trusted.');
    expect(qpdfCheck(signed)).toBe(0);
    const again = createSigner({ NODE_ENV: 'development', DATA_DIR: dataDir });
    expect(Buffer.from(await again.certificate())).toEqual(Buffer.from(await signer.certificate()));
  });

  it('is refused in production when no PKCS#11 module is configured', () => {
    expect(() => createSigner({ NODE_ENV: 'production', DATA_DIR: join(dir, 'prod') })).toThrow(
      expect.objectContaining({ code: 'SOFTWARE_KEY_IN_PRODUCTION' }),
    );
  });
});

describe('bad input', () => {
  it('says PDF_INVALID for a PDF that is really HTML', async () => {
    const html = new TextEncoder().encode('<!doctype html><html><body>Giấy khai sinh</body></html>');
    await expect(signPdf(html, token, SIGN_OPTIONS)).rejects.toMatchObject({ code: 'PDF_INVALID' });
    await expect(verifyPdf(html, { trustRoots: [] })).rejects.toMatchObject({ code: 'PDF_INVALID' });
  });

  it('says PDF_INVALID for a truncated PDF', async () => {
    const pdf = await makePdf();
    await expect(signPdf(pdf.subarray(0, 400), token, SIGN_OPTIONS)).rejects.toMatchObject({
      code: 'PDF_INVALID',
    });
  });

  it('says PDF_ENCRYPTED for a password-protected PDF', async () => {
    const plain = writeTemp('plain.pdf', await makePdf());
    const encrypted = join(dir, 'encrypted.pdf');
    spawnSync('qpdf', ['--encrypt', 'u', 'o', '256', '--', plain, encrypted]);
    await expect(signPdf(readFileSync(encrypted), token, SIGN_OPTIONS)).rejects.toMatchObject({
      code: 'PDF_ENCRYPTED',
    });
  });

  it('reports an unsigned PDF as having no signatures', async () => {
    expect(await verifyPdf(await makePdf(), { trustRoots: [pki.caCertificate] })).toMatchObject({
      signatures: [],
      modifiedAfterSigning: false,
    });
  });
});

describe('a counter-signature on the signed copy (incremental update)', () => {
  it('keeps the clerk’s signature valid and adds the official’s, both trusted; qpdf accepts it', async () => {
    const first = await signPdf(await makePdf(), token, SIGN_OPTIONS);
    const official = token.forKey(OFFICIAL.keyLabel, { commonName: '', organization: '' });
    const both = await countersignPdf(first, official, {
      reason: 'Sở Tư pháp xác nhận bản điện tử',
      location: 'Huế',
      name: OFFICIAL.fullName,
    });
    // The first signature's bytes are untouched: the update is appended.
    expect(Buffer.from(both.subarray(0, first.length)).equals(Buffer.from(first))).toBe(true);
    const report = pdfsig(both);
    expect(report.match(/Signature is Valid\./g)).toHaveLength(2);
    expect(report.match(/Certificate is Trusted\./g)).toHaveLength(2);
    expect(report).toContain(`Signer Certificate Common Name: ${CLERK.fullName}`);
    expect(report).toContain(`Signer Certificate Common Name: ${OFFICIAL.fullName}`);
    expect(report).toContain('Not total document signed');
    expect(report).toContain('Total document signed');
    expect(qpdfCheck(both)).toBe(0);

    const result = await verifyPdf(both, { trustRoots: [pki.caCertificate] });
    expect(result.modifiedAfterSigning).toBe(false);
    expect(result.signatures.map((s) => [s.signer.commonName, s.signatureValid, s.chain.trusted])).toEqual([
      [CLERK.fullName, true, true],
      [OFFICIAL.fullName, true, true],
    ]);
    expect(result.signatures[0]!.integrity).toMatchObject({
      byteRangeCoversWholeFileExceptContents: false,
      coversRevision: true,
    });
    expect(result.signatures.map((s) => [s.indication, s.after.text.vi])).toEqual([
      ['TOTAL-PASSED', 'Sau chữ ký này: thêm 1 chữ ký'],
      ['TOTAL-PASSED', 'Sau chữ ký này: không có thay đổi'],
    ]);

    // A change in what the counter-signature covers is caught, by pdfsig and by verifyPdf.
    const tampered = new Uint8Array(both);
    const at = Buffer.from(both).toString('latin1').lastIndexOf('/SigFlags 3');
    tampered[at + 10] = '1'.charCodeAt(0);
    expect(pdfsig(tampered)).toContain('Digest Mismatch');
    expect((await verifyPdf(tampered, { trustRoots: [pki.caCertificate] })).modifiedAfterSigning).toBe(true);
  }, 60_000);
});

describe('certificates made by the development PKI', () => {
  it('always have a serial number OpenSSL accepts (no leading zero byte), over many issues', async () => {
    const { X509Certificate } = await import('node:crypto');
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { ensureSoftwareKey } = await import('../../server/src/signing');
    for (let i = 0; i < 40; i++) {
      const key = ensureSoftwareKey(mkdtempSync(join(tmpdir(), 'pd-serial-')));
      for (const der of [key.certificate, ...key.chain]) expect(() => new X509Certificate(der)).not.toThrow();
    }
    // 80 RSA-2048 key pairs: generous, since a busy machine must not fail it on time alone.
  }, 300_000);
});
