// Clerks' keys other than RSA: ECDSA on P-256 and P-384, generated on the SoftHSM2 token (CKM_ECDSA signs a
// digest and answers r‖s, which the CMS carries DER-encoded), checked by pdfsig trusting the test CA and by
// verifyPdf. And RSASSA-PSS, as some remote-signing services sign: verifyPdf and pdfsig both check it.
import { spawnSync } from 'node:child_process';
import { constants, generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as asn1js from 'asn1js';
import { pdflibAddPlaceholder } from '@signpdf/placeholder-pdf-lib';
import { SignPdf, Signer as SignPdfSigner } from '@signpdf/signpdf';
import { SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils';
import { PDFDocument } from 'pdf-lib';
import * as pkijs from 'pkijs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildCadesSignature,
  closeTokens,
  createSigner,
  type DevPki,
  ensureSoftwareKey,
  setupDevPki,
  signPdf,
  verifyPdf,
} from '../../server/src/signing';
import { ecdsaDer } from '../../server/src/signing/token';

const CLERKS = [
  { keyLabel: 'clerk-p256', fullName: 'Võ Thị Đường Cong', office: 'Bưu điện Phú Mậu', keyType: 'ec-p256' },
  { keyLabel: 'clerk-p384', fullName: 'Lý Văn Ba Tám Tư', office: 'Bưu điện Phú Mậu', keyType: 'ec-p384' },
] as const;
const OPTIONS = { reason: 'Số hóa hồ sơ', location: 'Phú Mậu, Huế', name: 'Cán bộ' };

let dir: string;
let pki: DevPki;
let pdf: Uint8Array;

const pdfsig = (bytes: Uint8Array) => {
  const path = join(dir, `sig-${randomBytes(4).toString('hex')}.pdf`);
  writeFileSync(path, bytes);
  return spawnSync('pdfsig', ['-nssdir', `sql:${pki.nssDir}`, path], { encoding: 'utf8' }).stdout;
};

const signerFor = (label: string) =>
  createSigner({
    NODE_ENV: 'test',
    PKCS11_MODULE: pki.module,
    PKCS11_TOKEN_LABEL: pki.tokenLabel,
    PKCS11_PIN: pki.pin,
    PKCS11_KEY_LABEL: label,
  });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pd-ecdsa-'));
  pki = await setupDevPki({
    dir,
    tokenLabel: `pd-ec-${randomBytes(3).toString('hex')}`,
    clerks: [...CLERKS],
  });
  const doc = await PDFDocument.create();
  doc.addPage([595.28, 841.89]);
  pdf = await doc.save();
}, 120_000);

afterAll(() => {
  closeTokens();
  rmSync(dir, { recursive: true, force: true });
});

describe.each([
  ['P-256', CLERKS[0], 'SHA-256', '1.2.840.10045.4.3.2'],
  ['P-384', CLERKS[1], 'SHA-384', '1.2.840.10045.4.3.3'],
])('a clerk key on %s', (_curve, clerk, hashName, oid) => {
  let signed: Uint8Array;
  beforeAll(async () => {
    signed = await signPdf(pdf, signerFor(clerk.keyLabel), OPTIONS);
  }, 60_000);

  it(`signs with ECDSA and ${hashName}: valid and trusted for pdfsig`, () => {
    const report = pdfsig(signed);
    expect(report).toContain('Signature Validation: Signature is Valid.');
    expect(report).toContain('Certificate Validation: Certificate is Trusted.');
    expect(report).toContain(`Signing Hash Algorithm: ${hashName}`);
    expect(report).toContain(`Signer Certificate Common Name: ${clerk.fullName}`);
  });

  it('is TOTAL-PASSED for verifyPdf, with the ECDSA algorithm in the CMS', async () => {
    const result = await verifyPdf(signed, { trustRoots: [pki.caCertificate] });
    expect(result.signatures.map((s) => [s.signer.commonName, s.signatureValid, s.indication])).toEqual([
      [clerk.fullName, true, 'TOTAL-PASSED'],
    ]);
    expect(Buffer.from(signed).toString('latin1')).toContain('/SubFilter /ETSI.CAdES.detached');
    const cms = cmsOf(signed);
    expect(cms.signerInfos[0]?.signatureAlgorithm.algorithmId).toBe(oid);
  });

  it('is invalid for both after one signed byte changes', async () => {
    const tampered = new Uint8Array(signed);
    const at = Buffer.from(tampered).indexOf('/Type /Catalog');
    tampered[at + 2] = 'X'.charCodeAt(0);
    expect(pdfsig(tampered)).not.toContain('Signature is Valid.');
    const [signature] = (await verifyPdf(tampered, { trustRoots: [pki.caCertificate] })).signatures;
    expect(signature?.indication).toBe('TOTAL-FAILED');
  });
});

/** The CMS SignedData in the PDF's first /Contents. */
const cmsOf = (bytes: Uint8Array) => {
  const text = Buffer.from(bytes).toString('latin1');
  const hex = /\/Contents\s*<([0-9a-fA-F]+)>/.exec(text)![1]!.replace(/(00)+$/, '');
  const info = pkijs.ContentInfo.fromBER(
    new Uint8Array(Buffer.from(hex.length % 2 ? `${hex}0` : hex, 'hex')),
  );
  return new pkijs.SignedData({ schema: info.content });
};

describe('ECDSA signature encoding', () => {
  it('turns a raw r‖s into the DER a verifier reads, with the sign byte where the top bit is set', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    for (let i = 0; i < 20; i += 1) {
      const data = randomBytes(64);
      const raw = sign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' });
      const der = ecdsaDer(new Uint8Array(raw));
      const parsed = asn1js.fromBER(der).result as asn1js.Sequence;
      expect(parsed.valueBlock.value).toHaveLength(2);
      expect(verify('sha256', data, publicKey, Buffer.from(der))).toBe(true);
    }
  });
});

describe('RSASSA-PSS', () => {
  const signedWithPss = async (mutate?: (toBeSigned: Uint8Array) => Uint8Array) => {
    const software = ensureSoftwareKey(join(dir, 'pss'));
    class PssSigner extends SignPdfSigner {
      override async sign(content: Buffer) {
        const cms = await buildCadesSignature({
          content: new Uint8Array(content),
          certificate: software.certificate,
          chain: software.chain,
          rsaPadding: 'pss',
          sign: async (toBeSigned) =>
            new Uint8Array(
              sign('sha256', mutate ? mutate(toBeSigned) : toBeSigned, {
                key: software.key,
                padding: constants.RSA_PKCS1_PSS_PADDING,
                saltLength: 32,
              }),
            ),
        });
        return Buffer.from(cms);
      }
    }
    const doc = await PDFDocument.create();
    doc.addPage([595.28, 841.89]);
    pdflibAddPlaceholder({
      pdfDoc: doc,
      reason: 'PSS',
      location: 'Huế',
      name: 'PSS',
      contactInfo: '',
      subFilter: SUBFILTER_ETSI_CADES_DETACHED,
      signatureLength: 16384,
      widgetRect: [0, 0, 0, 0],
    });
    const prepared = Buffer.from(await doc.save({ useObjectStreams: false }));
    return { bytes: new Uint8Array(await new SignPdf().sign(prepared, new PssSigner())), software };
  };

  it('verifies a CMS signed with RSASSA-PSS (SHA-256, MGF1-SHA-256, salt 32): verifyPdf and pdfsig', async () => {
    const { bytes, software } = await signedWithPss();
    expect(cmsOf(bytes).signerInfos[0]?.signatureAlgorithm.algorithmId).toBe('1.2.840.113549.1.1.10');
    const [signature] = (await verifyPdf(bytes, { trustRoots: software.chain })).signatures;
    expect(signature).toMatchObject({ signatureValid: true, indication: 'TOTAL-PASSED' });
    expect(pdfsig(bytes)).toContain('Signature Validation: Signature is Valid.');
  });

  it('refuses to embed a PSS signature over other bytes (the key does not match what was asked)', async () => {
    await expect(
      signedWithPss((toBeSigned) => {
        const other = new Uint8Array(toBeSigned);
        other[0] = (other[0] ?? 0) ^ 1;
        return other;
      }),
    ).rejects.toMatchObject({ code: 'TOKEN_NOT_FOUND' });
  });
});
