// Archival output: a signed copy is PDF/A-2b (ISO 19005-2 level B) made before the signature, so the
// signatures over it stay valid at B-LTA. No PDF/A validator is installable here (veraPDF is not in Debian
// or npm): the test asserts the objects the standard requires, lets LittleCMS read the output intent's
// profile, and has qpdf, pdfinfo, pdfsig and pdftoppm read the file.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fontkit from '@pdf-lib/fontkit';
import {
  PDFArray,
  PDFDict,
  PDFDocument,
  type PDFHexString,
  PDFName,
  PDFRawStream,
  PDFRef,
  StandardFonts,
} from 'pdf-lib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closeTokens,
  createSigner,
  longTermVerifyOptions,
  type Signer,
  signPdf,
  verifyPdf,
} from '../../server/src/signing';
import { findSignatures } from '../../server/src/signing/incremental';
import { type ArchivalMeta, makeArchival, POSTDESK_XMP_NS } from '../../server/src/signing/pdfa';
import { srgbIccProfile } from '../../server/src/signing/srgb-icc';
import { startTestPki, type TestPki } from '../sim/pki';

const CLERK = { keyLabel: 'clerk-pdfa', fullName: 'Hồ Thị Lưu Trữ', office: 'Bưu điện Văn hóa xã Phú Mậu' };
const OPTIONS = { reason: 'Số hóa hồ sơ', location: 'Phú Mậu, Huế', name: CLERK.fullName };
const META: ArchivalMeta = {
  title: 'Giấy khai sinh — 000.00.01.H57-261208-0001',
  author: 'Bưu điện Văn hóa xã Phú Mậu',
  subject: 'Bản điện tử thành phần hồ sơ GKS của hồ sơ 000.00.01.H57-261208-0001',
  createdAt: new Date('2026-12-08T02:00:00.400Z'),
  dossierCode: '000.00.01.H57-261208-0001',
  componentCode: 'GKS',
  digitizedCode: '046190000123.1.000893.GKS.01',
  kind: 'digitized-copy',
  language: 'vi-VN',
};

let dir: string;
let pki: TestPki;
let signer: Signer;

const write = (name: string, bytes: Uint8Array) => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};

/** A scanned page (colour JPEG at 300 dpi, as the pipeline makes) and a text page with an embedded font. */
const scannedDocument = async () => {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const jpeg = await sharp({
    create: { width: 620, height: 877, channels: 3, background: { r: 250, g: 246, b: 235 } },
  })
    .composite([
      {
        input: Buffer.from(
          '<svg width="620" height="877"><rect x="40" y="40" width="540" height="60" fill="#c00"/></svg>',
        ),
      },
    ])
    .jpeg()
    .toBuffer();
  const image = await doc.embedJpg(jpeg);
  doc.addPage([595.28, 841.89]).drawImage(image, { x: 0, y: 0, width: 595.28, height: 841.89 });
  const font = await doc.embedFont(readFileSync(resolve('server/assets/fonts/NotoSans-Regular.ttf')), {
    subset: true,
  });
  doc.addPage([595.28, 841.89]).drawText('Họ và tên: Tôn Nữ Thị Hoàng Oanh'.normalize('NFC'), {
    x: 50,
    y: 780,
    size: 14,
    font,
  });
  return doc.save();
};

const catalogOf = (doc: PDFDocument) => doc.catalog;

const metadataOf = (doc: PDFDocument) => {
  const stream = doc.context.lookup(catalogOf(doc).get(PDFName.of('Metadata')));
  expect(stream).toBeInstanceOf(PDFRawStream);
  const raw = stream as PDFRawStream;
  return { dict: raw.dict, xmp: Buffer.from(raw.contents).toString('utf8') };
};

/** The last trailer of the file (an incremental update's, when there are some). */
const lastTrailer = (bytes: Uint8Array) => {
  const text = Buffer.from(bytes).toString('latin1');
  return text.slice(text.lastIndexOf('trailer'));
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pd-pdfa-'));
  pki = await startTestPki({ dir, clerks: [CLERK], tokenLabel: 'pd-pdfa' });
  signer = createSigner({
    NODE_ENV: 'test',
    ...pki.token.env,
    PKCS11_KEY_LABEL: CLERK.keyLabel,
    TSA_URL: pki.tsa.url,
    REVOCATION_TIMEOUT_MS: '2000',
  });
}, 120_000);

afterAll(async () => {
  await pki?.close();
  closeTokens();
  rmSync(dir, { recursive: true, force: true });
});

describe('the sRGB output-intent profile', () => {
  it('is read by LittleCMS, and maps sRGB white, red and black to their CIELAB (D50) values', () => {
    const path = write('srgb.icc', srgbIccProfile());
    const out = spawnSync('transicc', ['-i', path, '-o', '*Lab', '-n'], {
      input: '255 255 255\n255 0 0\n0 0 0\n',
      encoding: 'utf8',
    });
    expect(out.status).toBe(0);
    const lab = out.stdout
      .trim()
      .split('\n')
      .slice(-3)
      .map((line) => line.trim().split(/\s+/).map(Number));
    const close = (got: number[], want: number[]) =>
      got.every((v, i) => Math.abs(v - want[i]!) < 0.1) ? want : got;
    expect(close(lab[0]!, [100, 0, 0])).toEqual([100, 0, 0]);
    expect(close(lab[1]!, [54.29, 80.82, 69.9])).toEqual([54.29, 80.82, 69.9]);
    expect(close(lab[2]!, [0, 0, 0])).toEqual([0, 0, 0]);
  });
});

describe('a scanned copy signed at B-LTA as PDF/A-2b', () => {
  let signed: Uint8Array;
  let path: string;

  beforeAll(async () => {
    signed = await signPdf(await scannedDocument(), signer, { ...OPTIONS, archival: META });
    path = write('archival.pdf', signed);
  }, 120_000);

  it('claims PDF/A-2b in XMP, with the dossier, component and digitized codes in a declared PostDesk schema', async () => {
    const doc = await PDFDocument.load(signed, { updateMetadata: false });
    const { dict, xmp } = metadataOf(doc);
    expect(dict.get(PDFName.of('Type'))).toBe(PDFName.of('Metadata'));
    expect(dict.get(PDFName.of('Subtype'))).toBe(PDFName.of('XML'));
    expect(dict.has(PDFName.of('Filter'))).toBe(false);
    expect(xmp).toContain('<pdfaid:part>2</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance>');
    expect(xmp).toContain(`<postdesk:DossierCode>${META.dossierCode}</postdesk:DossierCode>`);
    expect(xmp).toContain('<postdesk:ComponentCode>GKS</postdesk:ComponentCode>');
    expect(xmp).toContain(`<postdesk:DigitizedCode>${META.digitizedCode}</postdesk:DigitizedCode>`);
    // Custom properties must be declared as an extension schema, each property by name.
    expect(xmp).toContain(`<pdfaSchema:namespaceURI>${POSTDESK_XMP_NS}</pdfaSchema:namespaceURI>`);
    for (const name of ['DossierCode', 'ComponentCode', 'DigitizedCode', 'DocumentKind'])
      expect(xmp).toContain(`<pdfaProperty:name>${name}</pdfaProperty:name>`);
    // The information dictionary says what the XMP says.
    expect(xmp).toContain(`<rdf:li xml:lang="x-default">${META.title}</rdf:li>`);
    expect(doc.getTitle()).toBe(META.title);
    expect(xmp).toContain(`<rdf:li>${META.author}</rdf:li>`);
    expect(doc.getAuthor()).toBe(META.author);
    expect(xmp).toContain(`<pdf:Keywords>${doc.getKeywords()}</pdf:Keywords>`);
    expect(xmp).toContain('<xmp:CreateDate>2026-12-08T02:00:00Z</xmp:CreateDate>');
    expect(doc.getCreationDate()?.toISOString()).toBe('2026-12-08T02:00:00.000Z');
    expect(xmp).toContain('<pdf:Producer>PostDesk</pdf:Producer>');
    expect(doc.getProducer()).toBe('PostDesk');
  });

  it('has the sRGB output intent, embedded fonts, and the document ID in its last trailer', async () => {
    const doc = await PDFDocument.load(signed, { updateMetadata: false });
    const intents = doc.catalog.lookup(PDFName.of('OutputIntents'), PDFArray);
    expect(intents.size()).toBe(1);
    const intent = intents.lookup(0, PDFDict);
    expect(intent.get(PDFName.of('S'))).toBe(PDFName.of('GTS_PDFA1'));
    const profile = doc.context.lookup(intent.get(PDFName.of('DestOutputProfile')));
    expect((profile as PDFRawStream).dict.get(PDFName.of('N'))?.toString()).toBe('3');
    const fonts = [...doc.context.enumerateIndirectObjects()]
      .map(([, o]) => o)
      .filter(
        (o): o is PDFDict =>
          o instanceof PDFDict && o.get(PDFName.of('Type')) === PDFName.of('FontDescriptor'),
      );
    expect(fonts.length).toBeGreaterThan(0);
    expect(fonts.every((f) => f.has(PDFName.of('FontFile2')))).toBe(true);
    const id = doc.context.trailerInfo.ID as PDFArray;
    const [first, second] = [id.get(0), id.get(1)] as PDFHexString[];
    expect(first?.asString()).toMatch(/^[0-9A-F]{32}$/);
    expect(second?.asString()).toBe(first?.asString());
    // The DSS and document-timestamp updates keep it (PDF/A reads the last trailer).
    expect(findSignatures(signed).map((s) => s.kind)).toEqual(['signature', 'document-timestamp']);
    expect(lastTrailer(signed)).toContain(`/ID [ <${first?.asString()}> <${first?.asString()}> ]`);
    const { xmp } = metadataOf(doc);
    expect(xmp).toContain(
      `uuid:${first!
        .asString()
        .toLowerCase()
        .replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-')}`,
    );
  });

  it('is accepted by qpdf, read by pdfinfo, and every signature stays valid for pdfsig and /verify', async () => {
    expect(spawnSync('qpdf', ['--check', path]).status).toBe(0);
    const info = spawnSync('pdfinfo', [path], { encoding: 'utf8' }).stdout;
    // (pdfinfo's "PDF subtype" line comes from a non-standard information-dictionary key, not from XMP.)
    expect(info).toContain('Metadata Stream: yes');
    expect(info).toContain('Custom Metadata: no');
    expect(info).toMatch(new RegExp(`Title: +${META.title}`));
    const sig = spawnSync('pdfsig', [path], { encoding: 'utf8' }).stdout;
    // poppler 22 lists the document timestamp but does not check ETSI.RFC3161 ones, and does not build the
    // chain through the DSS; /verify below checks both, with the test PKI's root as the only trust anchor.
    const [clerkSig, docTimestamp] = sig.split(/Signature #\d:/).slice(1);
    expect(clerkSig).toContain('Signature Validation: Signature is Valid.');
    expect(docTimestamp).toContain('PostDesk Test TSA');
    expect(sig).toContain(CLERK.fullName);
    const verified = await verifyPdf(signed, { trustRoots: [pki.root], ...longTermVerifyOptions(1_000) });
    expect(verified.modifiedAfterSigning).toBe(false);
    expect(verified.signatures.map((s) => [s.kind, s.indication, s.longTerm?.level])).toEqual([
      ['signature', 'TOTAL-PASSED', 'B-LTA'],
      ['document-timestamp', 'TOTAL-PASSED', 'B-LTA'],
    ]);
  });

  it('renders as the scan was: the red band on the cream paper', async () => {
    const out = spawnSync('pdftoppm', ['-r', '36', '-f', '1', '-l', '1', '-png', path, join(dir, 'page')]);
    expect(out.status).toBe(0);
    const { data, info } = await sharp(join(dir, 'page-1.png')).raw().toBuffer({ resolveWithObject: true });
    const pixel = (xFrac: number, yFrac: number) => {
      const at =
        (Math.round(yFrac * info.height) * info.width + Math.round(xFrac * info.width)) * info.channels;
      return [...data.subarray(at, at + 3)];
    };
    // The band is 40–100 px down a 877 px scan; the paper is (250, 246, 235).
    const [r, g, b] = pixel(0.5, 70 / 877);
    expect(r).toBeGreaterThan(180);
    expect(Math.max(g!, b!)).toBeLessThan(60);
    expect(pixel(0.5, 0.6).every((v) => v > 220)).toBe(true);
  });
});

describe('a file that cannot be PDF/A-2b', () => {
  it('does not claim it when a font is not embedded, and says which; the metadata is still written', async () => {
    const doc = await PDFDocument.create();
    const helvetica = await doc.embedFont(StandardFonts.Helvetica);
    doc.addPage().drawText('Result', { font: helvetica, x: 50, y: 700 });
    const result = await makeArchival(doc, { ...META, kind: 'result' });
    expect(result.pdfa).toBe(false);
    expect(result.issues).toEqual(['font not embedded: Helvetica']);
    const { xmp } = metadataOf(doc);
    expect(xmp).not.toContain('pdfaid:part');
    expect(xmp).toContain('<postdesk:DocumentKind>result</postdesk:DocumentKind>');
    expect(doc.catalog.get(PDFName.of('OutputIntents'))).toBeInstanceOf(PDFArray);
    expect(doc.catalog.get(PDFName.of('Metadata'))).toBeInstanceOf(PDFRef);
  });
});
