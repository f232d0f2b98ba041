// Signing: milliseconds per RSA-2048 signature on a SoftHSM2 token (mean, p95 over 50), and per document
// (placeholder + re-save + CMS + signature) for a 1-page PDF and a 10-page scan-sized PDF (≈100 KB image a page).
// Target (issue 4): a signature ≤ 20 ms per document.
// Then (issue 14) signing throughput at PAdES B-B and at B-LTA (signature timestamp, DSS with OCSP answers,
// document timestamp) against the local test PKI's TSA and OCSP responder over HTTP, and verify time per
// document with the long-term evidence (responders up, then stopped).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fontkit from '@pdf-lib/fontkit';
import {
  concatTransformationMatrix,
  drawObject,
  PDFDocument,
  PDFName,
  popGraphicsState,
  pushGraphicsState,
} from 'pdf-lib';
import {
  buildCadesSignature,
  closeTokens,
  createSigner,
  longTermVerifyOptions,
  setupDevPki,
  signPdf,
  signPdfDocument,
  verifyPdf,
} from '../../server/src/signing';
import { startTestPki } from '../sim/pki';

const ROUNDS = 50;
const DOC_ROUNDS = 20;
const LTA_ROUNDS = 10;
const OPTIONS = { reason: 'Chứng thực bản điện tử', location: 'Huế', name: 'Nguyễn Thị Thu Hà' };

const stats = (times: number[]) => {
  const sorted = [...times].sort((a, b) => a - b);
  const mean = times.reduce((s, t) => s + t, 0) / times.length;
  const p95 = sorted[Math.min(sorted.length - 1, Math.floor(0.95 * sorted.length))] ?? 0;
  return `mean ${mean.toFixed(2)} ms, p95 ${p95.toFixed(2)} ms`;
};

const time = async (rounds: number, fn: () => Promise<unknown>) => {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < rounds; i += 1) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return times;
};

/** A4 pages with a line of Vietnamese text and, for scan-sized pages, a 316×316 8-bit grey noise image. */
const makePdf = async (pages: number, imageBytes: number) => {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const font = await doc.embedFont(readFileSync(resolve('server/assets/fonts/NotoSans-Regular.ttf')), {
    subset: true,
  });
  for (let i = 1; i <= pages; i += 1) {
    const page = doc.addPage([595.28, 841.89]);
    page.drawText(`Giấy khai sinh — trang ${i}`.normalize('NFC'), { x: 50, y: 780, size: 16, font });
    if (imageBytes > 0) {
      const side = Math.floor(Math.sqrt(imageBytes));
      const image = doc.context.register(
        doc.context.stream(randomBytes(side * side), {
          Type: 'XObject',
          Subtype: 'Image',
          Width: side,
          Height: side,
          ColorSpace: 'DeviceGray',
          BitsPerComponent: 8,
        }),
      );
      page.node.setXObject(PDFName.of('Scan'), image);
      page.pushOperators(
        pushGraphicsState(),
        concatTransformationMatrix(495, 0, 0, 700, 50, 50),
        drawObject('Scan'),
        popGraphicsState(),
      );
    }
  }
  return doc.save();
};

export const run = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pd-bench-signing-'));
  try {
    const pki = await setupDevPki({ dir, tokenLabel: 'pd-bench' });
    const token = createSigner({ NODE_ENV: 'test', ...pki.env });
    const software = createSigner({ NODE_ENV: 'development', DATA_DIR: join(dir, 'data') });
    const toBeSigned = new Uint8Array(randomBytes(120));

    const tokenTimes = await time(ROUNDS, () => token.sign(toBeSigned));
    process.stdout.write(`token signature (SoftHSM2, RSA-2048, sequential): ${stats(tokenTimes)}\n`);
    const start = performance.now();
    await Promise.all(Array.from({ length: ROUNDS }, () => token.sign(toBeSigned)));
    process.stdout.write(
      `token signature, ${ROUNDS} at once through the session queue: ${((performance.now() - start) / ROUNDS).toFixed(2)} ms each\n`,
    );
    process.stdout.write(
      `software key signature: ${stats(await time(ROUNDS, () => software.sign(toBeSigned)))}\n`,
    );

    const [certificate, chain] = await Promise.all([token.certificate(), token.chain()]);
    const content = new Uint8Array(randomBytes(1_000_000));
    const cmsTimes = await time(ROUNDS, () =>
      buildCadesSignature({ content, certificate, chain, sign: (data) => token.sign(data) }),
    );
    process.stdout.write(`CMS (1 MB signed content, token signature): ${stats(cmsTimes)}\n`);

    for (const [label, pages, imageBytes] of [
      ['1-page text PDF', 1, 0],
      ['10-page scan-sized PDF', 10, 100_000],
    ] as const) {
      const pdf = await makePdf(pages, imageBytes);
      const times = await time(DOC_ROUNDS, () => signPdf(pdf, token, OPTIONS));
      process.stdout.write(
        `signPdf ${label} (${Math.round(pdf.length / 1024)} KB; load + placeholder + save + CMS + token): ${stats(times)}\n`,
      );
      const inAssembly: number[] = [];
      for (let i = 0; i <= DOC_ROUNDS; i += 1) {
        const doc = await PDFDocument.load(pdf);
        const begin = performance.now();
        await signPdfDocument(doc, token, OPTIONS);
        if (i > 0) inAssembly.push(performance.now() - begin);
      }
      process.stdout.write(
        `signPdfDocument ${label} (placeholder + the one save + CMS + token): ${stats(inAssembly)}\n`,
      );
    }
    // SoftHSM2 reads its configuration when the module is initialized: finish with the first token first.
    closeTokens();
    await longTermSigning(join(dir, 'ltv'));
  } finally {
    closeTokens();
    rmSync(dir, { recursive: true, force: true });
  }
};

const throughput = async (rounds: number, fn: () => Promise<unknown>) => {
  await fn();
  const start = performance.now();
  for (let i = 0; i < rounds; i += 1) await fn();
  return (rounds * 1000) / (performance.now() - start);
};

const longTermSigning = async (dir: string) => {
  const clerk = { keyLabel: 'bench-clerk', fullName: 'Nguyễn Thị Thu Hà', office: 'Bưu điện Phú Mậu' };
  const pki = await startTestPki({ dir, clerks: [clerk], tokenLabel: 'pd-bench-ltv' });
  try {
    const signer = (tsa?: string) =>
      createSigner({
        NODE_ENV: 'test',
        ...pki.token.env,
        PKCS11_KEY_LABEL: clerk.keyLabel,
        ...(tsa ? { TSA_URL: tsa } : {}),
      });
    const pdf = await makePdf(1, 0);
    const bb = await throughput(DOC_ROUNDS, () => signPdf(pdf, signer(), OPTIONS));
    process.stdout.write(
      `signing throughput, PAdES B-B (1-page PDF, token): ${bb.toFixed(1)} signatures/s\n`,
    );
    const ltaSigner = signer(pki.tsa.url);
    const before = { ocsp: pki.counts.ocsp, tsa: pki.tsa.requests };
    const lta = await throughput(LTA_ROUNDS, () => signPdf(pdf, ltaSigner, OPTIONS));
    process.stdout.write(
      `signing throughput, PAdES B-LTA (local TSA + OCSP over HTTP): ${lta.toFixed(2)} signatures/s ` +
        `(${((pki.counts.ocsp - before.ocsp) / (LTA_ROUNDS + 1)).toFixed(1)} OCSP and ` +
        `${((pki.tsa.requests - before.tsa) / (LTA_ROUNDS + 1)).toFixed(1)} TSA requests each)\n`,
    );
    const signed = await signPdf(pdf, ltaSigner, OPTIONS);
    const online = await time(DOC_ROUNDS, () =>
      verifyPdf(signed, { trustRoots: [pki.root], ...longTermVerifyOptions(2_000) }),
    );
    process.stdout.write(`verifyPdf B-LTA document, responders up (OCSP asked): ${stats(online)}\n`);
    await pki.stopRevocation();
    const offline = await time(DOC_ROUNDS, () =>
      verifyPdf(signed, { trustRoots: [pki.root], ...longTermVerifyOptions(2_000) }),
    );
    process.stdout.write(`verifyPdf B-LTA document, responders down (DSS only): ${stats(offline)}\n`);
  } finally {
    await pki.close();
  }
};
