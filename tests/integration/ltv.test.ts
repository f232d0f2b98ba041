// Signatures that hold for years, against a certification authority outside our walls simulated as real HTTP
// servers (tests/sim/pki): OCSP responder, CRL distribution points, RFC 3161 TSAs, and the clerks' keys on a
// SoftHSM2 token. A copy signed today must still validate five years on from what it carries, with the
// responders gone; revoked, expired and untrusted parts must never pass.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { PDFDocument, PDFName } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documents } from '../../server/src/db/schema';
import { createFileStore } from '../../server/src/files/store';
import {
  closeTokens,
  countersignPdf,
  createSigner,
  longTermVerifyOptions,
  type Signer,
  signPdf,
  verifyPdf,
} from '../../server/src/signing';
import { renewArchives } from '../../server/src/signing/archive-renewal';
import { findSignatures, readDssEntries, vriKey } from '../../server/src/signing/incremental';
import { validateLongTerm } from '../../server/src/signing/long-term';
import {
  buildOcspRequest,
  checkOcspResponse,
  findRevocationStatus,
} from '../../server/src/signing/revocation';
import { createTestServer } from '../helpers/app';
import { createTestDatabase } from '../helpers/db';
import { startTestPki, type TestPki } from '../sim/pki';

const YEAR = 365.25 * 86_400_000;
const CLERKS = [
  { keyLabel: 'clerk-good', fullName: 'Nguyễn Thị Thu Hà', office: 'Bưu điện Văn hóa xã Phú Mậu' },
  { keyLabel: 'clerk-revoked', fullName: 'Lê Văn Bị Thu Hồi', office: 'Bưu điện Văn hóa xã Phú Mậu' },
  { keyLabel: 'clerk-later', fullName: 'Trần Văn Sau Này', office: 'Bưu điện Văn hóa xã Phú Mậu' },
  { keyLabel: 'clerk-expired', fullName: 'Phạm Thị Hết Hạn', office: 'Bưu điện Văn hóa xã Phú Mậu' },
  { keyLabel: 'official-stp', fullName: 'Đặng Thị Lan', office: 'Sở Tư pháp thành phố Huế' },
];
const OPTIONS = { reason: 'Chứng thực bản điện tử từ bản giấy', location: 'Phú Mậu, Huế', name: 'Cán bộ' };

let dir: string;
let pki: TestPki;
let pdf: Uint8Array;

const signerFor = (label: string, tsaUrl?: string, reuseSeconds?: number): Signer =>
  createSigner({
    NODE_ENV: 'test',
    ...pki.token.env,
    PKCS11_KEY_LABEL: label,
    ...(tsaUrl ? { TSA_URL: tsaUrl } : {}),
    REVOCATION_TIMEOUT_MS: '2000',
    ...(reuseSeconds === undefined ? {} : { REVOCATION_REUSE_SECONDS: String(reuseSeconds) }),
  });

const validate = (bytes: Uint8Array, opts: { at?: Date; online?: boolean } = {}) =>
  validateLongTerm(bytes, {
    trustRoots: [pki.root],
    ...(opts.at ? { validationTime: opts.at } : {}),
    online: opts.online ?? true,
    timeoutMs: 1_000,
  });

/** What /verify and the agency check say (verify.ts with the long-term evidence), at a time the server sets. */
const verdictsOf = async (bytes: Uint8Array, at?: Date) =>
  (
    await verifyPdf(bytes, {
      trustRoots: [pki.root],
      ...(at ? { now: at } : {}),
      ...longTermVerifyOptions(1_000),
    })
  ).signatures.map((s) => [s.kind, s.indication, s.longTerm?.level]);

const signatureVerdicts = async (bytes: Uint8Array, opts: { at?: Date; online?: boolean } = {}) =>
  (await validate(bytes, opts)).filter((v) => v.kind === 'signature');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pd-ltv-'));
  pki = await startTestPki({ dir, clerks: CLERKS, tokenLabel: 'pd-ltv' });
  const doc = await PDFDocument.create();
  doc.addPage([595.28, 841.89]).drawText('Giay khai sinh - ban dien tu', { x: 50, y: 780, size: 16 });
  pdf = await doc.save();
}, 120_000);

afterAll(async () => {
  await pki?.close();
  closeTokens();
  rmSync(dir, { recursive: true, force: true });
});

describe('PAdES B-LTA signing against the local TSA and OCSP', () => {
  let signed: Uint8Array;

  beforeAll(async () => {
    signed = await signPdf(pdf, signerFor('clerk-good', pki.tsa.url), OPTIONS);
  }, 120_000);

  it('timestamps the signature, adds the DSS with a /VRI entry for it, and a document timestamp', async () => {
    const [signature, docTimestamp, ...rest] = findSignatures(signed);
    expect(rest).toHaveLength(0);
    expect(signature?.kind).toBe('signature');
    expect(docTimestamp?.kind).toBe('document-timestamp');
    const entries = readDssEntries(await PDFDocument.load(signed));
    expect(entries.certs.length).toBeGreaterThanOrEqual(4);
    expect(entries.ocsps.length).toBeGreaterThanOrEqual(3);
    expect(entries.vri?.has(PDFName.of(vriKey(signature!)))).toBe(true);
    const [verdict] = await signatureVerdicts(signed);
    expect(verdict).toMatchObject({
      indication: 'TOTAL-PASSED',
      level: 'B-LTA',
      proofOfExistence: 'signature-timestamp',
    });
  });

  it('shows on /verify as valid at B-LTA, and says this server signs at B-LTA', async () => {
    const database = await createTestDatabase();
    try {
      const server = createTestServer(database.db, {
        signer: signerFor('clerk-good', pki.tsa.url),
        env: { SIGNING_TRUST_ROOTS: pki.rootPath },
      });
      const login = await server.app.request('/trpc/auth.login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ json: { username: 'gdv.hang', password: 'postdesk-demo' } }),
      });
      const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(signed)], { type: 'application/pdf' }), 'ban-sao.pdf');
      const res = await server.app.request('/desk/verify', {
        method: 'POST',
        body: form,
        headers: { cookie },
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as {
        signatures: { kind: string; indication: string; longTerm?: { level: string } }[];
        ownSignatures: { level: string };
      };
      expect(body.signatures.map((s) => [s.kind, s.indication, s.longTerm?.level])).toEqual([
        ['signature', 'TOTAL-PASSED', 'B-LTA'],
        ['document-timestamp', 'TOTAL-PASSED', 'B-LTA'],
      ]);
      expect(body.ownSignatures.level).toBe('B-LTA');
    } finally {
      await database.close();
    }
  }, 120_000);

  it('signs a run of copies asking the OCSP responder once per certificate, each one B-LTA from what it carries', async () => {
    const run = async (signer: Signer) => {
      const before = { ocsp: pki.counts.ocsp, tsa: pki.tsa.requests };
      const copies = [];
      for (let i = 0; i < 4; i += 1) copies.push(await signPdf(pdf, signer, OPTIONS));
      return { copies, ocsp: pki.counts.ocsp - before.ocsp, tsa: pki.tsa.requests - before.tsa };
    };
    // Asking every time: the clerk's, the issuing CA's and the TSA's certificates, for each copy.
    const asking = await run(signerFor('clerk-good', pki.tsa.url, 0));
    expect(asking.ocsp).toBeGreaterThanOrEqual(4 * 3);
    // Reusing answers while they are valid (the default): at most one question per certificate for the run.
    const reusing = await run(signerFor('clerk-good', pki.tsa.url));
    expect(reusing.ocsp).toBeLessThanOrEqual(3);
    // Two timestamps each (the signature's and the document's), and no third update for the DSS.
    expect(reusing.tsa).toBe(4 * 2);
    for (const copy of reusing.copies) {
      expect(findSignatures(copy).map((s) => s.kind)).toEqual(['signature', 'document-timestamp']);
      const verdicts = await validate(copy, { online: false });
      expect(verdicts.map((v) => [v.kind, v.indication])).toEqual([
        ['signature', 'TOTAL-PASSED'],
        ['document-timestamp', 'TOTAL-PASSED'],
      ]);
      expect(verdicts[0]?.level).toBe('B-LTA');
    }
  }, 120_000);
});

describe('revoked, expired and untrusted parts never pass', () => {
  it('a clerk revoked before signing: OCSP says revoked, TOTAL-FAILED REVOKED (B-B and B-LTA)', async () => {
    pki.revoke(pki.clerks['clerk-revoked']!.certificate, new Date(Date.now() - 60_000), 1);
    const plain = await signPdf(pdf, signerFor('clerk-revoked'), OPTIONS);
    const [bb] = await signatureVerdicts(plain);
    expect(bb).toMatchObject({ indication: 'TOTAL-FAILED', subIndication: 'REVOKED' });
    expect(bb?.revocation[0]).toMatchObject({ status: 'revoked', from: 'online' });
    const lta = await signPdf(pdf, signerFor('clerk-revoked', pki.tsa.url), OPTIONS);
    const [withProof] = await signatureVerdicts(lta, { online: false });
    expect(withProof).toMatchObject({ indication: 'TOTAL-FAILED', subIndication: 'REVOKED' });
    expect(withProof?.revocation[0]).toMatchObject({ status: 'revoked', from: 'document' });
  }, 120_000);

  it('revoked after a baseline-B signing with no proof of when it was made: INDETERMINATE REVOKED_NO_POE', async () => {
    const plain = await signPdf(pdf, signerFor('clerk-later'), {
      ...OPTIONS,
      signingTime: new Date(Date.now() - 3_600_000),
    });
    expect((await signatureVerdicts(plain))[0]?.indication).toBe('TOTAL-PASSED');
    pki.revoke(pki.clerks['clerk-later']!.certificate, new Date(Date.now() - 60_000), 1);
    const [after] = await signatureVerdicts(plain);
    expect(after).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'REVOKED_NO_POE' });
  }, 120_000);

  it('an expired clerk with /M set back to when the certificate was valid: INDETERMINATE, never passed', async () => {
    const backdated = new Date(Date.now() - 2 * YEAR);
    const plain = await signPdf(pdf, signerFor('clerk-expired'), { ...OPTIONS, signingTime: backdated });
    const [verdict] = await signatureVerdicts(plain);
    expect(verdict).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'OUT_OF_BOUNDS_NO_POE' });
  }, 120_000);

  it('a TSA whose certificate was revoked before it stamped: its timestamps prove nothing', async () => {
    const tsa = await pki.startTsa({ name: 'bị thu hồi' });
    const signed = await signPdf(pdf, signerFor('clerk-good', tsa.url), OPTIONS);
    expect((await signatureVerdicts(signed))[0]?.level).toBe('B-LTA');
    pki.revoke(tsa.certificate, new Date(Date.now() - 60_000), 1);
    const [signature] = await signatureVerdicts(signed);
    expect(signature?.timestamps[0]).toMatchObject({ trusted: false });
    expect(signature?.proofOfExistence).toBe('none');
    expect(signature?.level).not.toBe('B-LTA');
  }, 120_000);

  it('a timestamp from an untrusted TSA proves nothing: the validation time falls back to now', async () => {
    const rogue = await pki.startTsa({ name: 'lạ', untrusted: true });
    const signed = await signPdf(pdf, signerFor('clerk-good', rogue.url), OPTIONS);
    const verdicts = await validate(signed);
    const signature = verdicts.find((v) => v.kind === 'signature');
    expect(signature?.proofOfExistence).toBe('none');
    expect(signature?.level).toBe('B-B');
    expect(signature?.timestamps[0]).toMatchObject({ trusted: false, reason: 'TSA is not trusted' });
    expect(verdicts.find((v) => v.kind === 'document-timestamp')?.indication).toBe('INDETERMINATE');
    // Years on, nothing it carries can save it.
    const [later] = await signatureVerdicts(signed, { at: new Date(Date.now() + 3 * YEAR), online: false });
    expect(later?.indication).toBe('INDETERMINATE');
  }, 120_000);

  it('an OCSP answer for another certificate, a tampered one or a replayed one does not count', async () => {
    const revokedClerk = pki.clerks['clerk-revoked']!.certificate;
    const goodClerk = pki.clerks['clerk-good']!.certificate;
    const ask = async (certificate: Uint8Array, nonce?: Uint8Array) => {
      const res = await fetch(pki.ocspUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/ocsp-request' },
        body: Buffer.from(buildOcspRequest(certificate, pki.intermediate, nonce)),
      });
      return new Uint8Array(await res.arrayBuffer());
    };
    const goodAnswer = await ask(goodClerk);
    // The "good" answer about a colleague, offered for the revoked clerk.
    expect(checkOcspResponse(goodAnswer, revokedClerk, pki.intermediate, { embedded: true })).toMatchObject({
      problem: 'OCSP response is about another certificate',
    });
    const tampered = new Uint8Array(goodAnswer);
    tampered[tampered.length - 40] = (tampered[tampered.length - 40] ?? 0) ^ 0xff;
    expect(
      checkOcspResponse(tampered, goodClerk, pki.intermediate, { embedded: true }).status,
    ).toBeUndefined();
    // An answer recorded earlier, replayed to an online question with a fresh nonce.
    expect(
      checkOcspResponse(goodAnswer, goodClerk, pki.intermediate, { embedded: false, nonce: randomBytes(16) }),
    ).toMatchObject({ problem: 'OCSP nonce does not match (a replayed response)' });
    // A DSS an attacker appends with a colleague's answer leaves the revoked clerk's signature unproven.
    const plain = await signPdf(pdf, signerFor('clerk-revoked'), OPTIONS);
    const status = await findRevocationStatus(revokedClerk, pki.intermediate, {
      at: new Date(),
      embedded: { ocsps: [goodAnswer], crls: [] },
      online: false,
    });
    expect(status.status).toBe('unknown');
    expect((await signatureVerdicts(plain, { online: false }))[0]?.indication).not.toBe('TOTAL-PASSED');
  }, 120_000);

  it('a TSA that does not answer: nothing is signed, and the clerk is told to try again', async () => {
    const gone = await pki.startTsa({ name: 'tắt' });
    await gone.close();
    await expect(signPdf(pdf, signerFor('clerk-good', gone.url), OPTIONS)).rejects.toMatchObject({
      code: 'TSA_UNAVAILABLE',
    });
  }, 120_000);
});

describe('counter-signatures and archive renewal', () => {
  it('a counter-signature keeps the earlier B-LTA signature valid at every level, now and in five years', async () => {
    const first = await signPdf(pdf, signerFor('clerk-good', pki.tsa.url), OPTIONS);
    const both = await countersignPdf(first, signerFor('official-stp', pki.tsa.url), {
      ...OPTIONS,
      name: 'Đặng Thị Lan',
    });
    const now = await signatureVerdicts(both);
    expect(now.map((v) => [v.indication, v.level])).toEqual([
      ['TOTAL-PASSED', 'B-LTA'],
      ['TOTAL-PASSED', 'B-LTA'],
    ]);
    const later = await signatureVerdicts(both, { at: new Date(Date.now() + 5 * YEAR), online: false });
    expect(later.map((v) => v.indication)).toEqual(['TOTAL-PASSED', 'TOTAL-PASSED']);
    // /verify agrees, revision analysis included: the DSS and timestamps after the first signature are allowed.
    expect(await verdictsOf(both)).toEqual([
      ['signature', 'TOTAL-PASSED', 'B-LTA'],
      ['document-timestamp', 'TOTAL-PASSED', 'B-LTA'],
      ['signature', 'TOTAL-PASSED', 'B-LTA'],
      ['document-timestamp', 'TOTAL-PASSED', 'B-LTA'],
    ]);
  }, 180_000);

  it('renews a stored copy before its TSA certificate expires, so it still validates after', async () => {
    const shortTsa = await pki.startTsa({ name: 'ngắn hạn', validFor: YEAR });
    const signed = await signPdf(pdf, signerFor('clerk-good', shortTsa.url), OPTIONS);
    const database = await createTestDatabase();
    try {
      const files = createFileStore({ dir: join(dir, 'files'), maxBytes: 10_000_000 });
      const stored = await files.put(database.db, { bytes: signed, allowed: ['application/pdf'] });
      const [row] = await database.db
        .insert(documents)
        .values({ componentCode: 'TP01', source: 'scan', signedFileSha256: stored.sha256 })
        .returning({ id: documents.id });
      const longTerm = { tsa: { url: pki.tsa.url }, revocationTimeoutMs: 2_000 };
      // Today the deadline is a year off: nothing to do.
      expect(await renewArchives(database.db, { files, longTerm })).toMatchObject({ renewed: 0 });
      const threeYears = new Date(Date.now() + 3 * YEAR);
      const [unrenewed] = await signatureVerdicts(signed, { at: threeYears, online: false });
      expect(unrenewed?.indication).toBe('INDETERMINATE');

      pki.clock.shift(0.9 * YEAR);
      const renewedAt = new Date(Date.now() + 0.9 * YEAR);
      expect(await renewArchives(database.db, { files, longTerm, now: renewedAt })).toMatchObject({
        renewed: 1,
      });
      // A second run finds nothing left to do.
      expect(await renewArchives(database.db, { files, longTerm, now: renewedAt })).toMatchObject({
        renewed: 0,
      });
      pki.clock.shift(-0.9 * YEAR);
      const [after] = await database.db
        .select({ sha256: documents.signedFileSha256 })
        .from(documents)
        .where(eq(documents.id, row!.id));
      expect(after?.sha256).not.toBe(stored.sha256);
      const renewed = new Uint8Array(await files.get(after!.sha256!));
      expect(findSignatures(renewed).map((s) => s.kind)).toEqual([
        'signature',
        'document-timestamp',
        'document-timestamp',
      ]);
      const verdicts = await validate(renewed, { at: threeYears, online: false });
      expect(verdicts.map((v) => v.indication)).toEqual(['TOTAL-PASSED', 'TOTAL-PASSED', 'TOTAL-PASSED']);
      // The verifier alone finds the first TSA's certificate expired; the renewal's timestamp proves it was not.
      expect(await verdictsOf(renewed, threeYears)).toEqual([
        ['signature', 'TOTAL-PASSED', 'B-LTA'],
        ['document-timestamp', 'TOTAL-PASSED', 'B-LTA'],
        ['document-timestamp', 'TOTAL-PASSED', 'B-LTA'],
      ]);
      expect(await verdictsOf(signed, threeYears)).not.toContainEqual(['signature', 'TOTAL-PASSED', 'B-LTA']);
    } finally {
      await database.close();
    }
  }, 240_000);
});

describe('with the responders down', () => {
  let signed: Uint8Array;

  beforeAll(async () => {
    signed = await signPdf(pdf, signerFor('clerk-good', pki.tsa.url), OPTIONS);
  }, 120_000);

  it('the CRL says revoked when the OCSP responder is down', async () => {
    const plain = await signPdf(pdf, signerFor('clerk-revoked'), OPTIONS);
    const crlRequests = pki.counts.crl;
    await pki.stopOcsp();
    const [verdict] = await signatureVerdicts(plain);
    expect(verdict).toMatchObject({ indication: 'TOTAL-FAILED', subIndication: 'REVOKED' });
    expect(pki.counts.crl).toBeGreaterThan(crlRequests);
  }, 120_000);

  it('five years on, the clerk expired and later revoked, validates TOTAL-PASSED with the responders stopped', async () => {
    pki.revoke(pki.clerks['clerk-good']!.certificate, new Date(Date.now() + 3 * YEAR), 4);
    const fiveYears = new Date(Date.now() + 5 * YEAR);
    // With the responders up and their clock five years on, they say "revoked (in year 3)": after the proof.
    pki.clock.shift(5 * YEAR);
    const online = await signatureVerdicts(signed, { at: fiveYears });
    expect(online[0]?.indication).toBe('TOTAL-PASSED');
    expect(online[0]?.revocation.some((r) => r.status === 'revoked')).toBe(true);
    pki.clock.shift(-5 * YEAR);

    await pki.stopRevocation();
    const requests = { ...pki.counts };
    const verdicts = await validate(signed, { at: fiveYears });
    expect(verdicts.map((v) => [v.kind, v.indication])).toEqual([
      ['signature', 'TOTAL-PASSED'],
      ['document-timestamp', 'TOTAL-PASSED'],
    ]);
    expect(verdicts[0]?.revocation.every((r) => r.from === 'document')).toBe(true);
    // /verify's verdict, with the server's validation time moved five years on.
    expect(await verdictsOf(signed, fiveYears)).toEqual([
      ['signature', 'TOTAL-PASSED', 'B-LTA'],
      ['document-timestamp', 'TOTAL-PASSED', 'B-LTA'],
    ]);
    expect(pki.counts).toEqual(requests);
    // Without the B-LTA data the same signature at that time cannot be proven.
    const [, , c, d] = findSignatures(signed)[0]!.byteRange;
    const bare = signed.subarray(0, c + d);
    const [alone] = await signatureVerdicts(bare, { at: fiveYears, online: false });
    expect(alone?.indication).toBe('INDETERMINATE');
  }, 120_000);

  it('a baseline-B signature whose status nobody can tell: INDETERMINATE TRY_LATER, never passed', async () => {
    const [, , c, d] = findSignatures(signed)[0]!.byteRange;
    const [verdict] = await signatureVerdicts(signed.subarray(0, c + d));
    expect(verdict).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER' });
  });
});
