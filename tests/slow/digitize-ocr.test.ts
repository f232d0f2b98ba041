// Optional OCR at the scanning station: tesseract (vie) in its own job, the text stored for search and laid
// invisibly over the 1-bit page; signing never waits for it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentPages, documents } from '../../server/src/db/schema';
import { foldText } from '../../server/src/digitize/pages';
import { makeScan } from '../fixtures/scans/synthetic';
import { createTestServer } from '../helpers/app';
import { createTestDatabase } from '../helpers/db';
import { intakeFor } from '../helpers/intake';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: ReturnType<typeof createTestServer>;
let clerk: Awaited<ReturnType<ReturnType<typeof createTestServer>['callerAs']>>;
let cookie: string;
let dir: string;

const upload = (dossierId: string, code: string, bytes: Uint8Array) => {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)]), 'scan.jpg');
  return server.app.request(`/desk/dossiers/${dossierId}/components/${code}/pages`, {
    method: 'POST',
    body: form,
    headers: { cookie },
  });
};

const save = (name: string, bytes: Uint8Array) => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};

const pdftotext = (path: string) =>
  execFileSync('pdftotext', ['-enc', 'UTF-8', path, '-'], { encoding: 'utf8' });

const pageRow = async (id: string) =>
  (await database.db.select().from(documentPages).where(eq(documentPages.id, id)))[0]!;

beforeAll(async () => {
  database = await createTestDatabase();
  server = createTestServer(database.db);
  clerk = await server.callerAs('gdv.hang');
  const res = await server.app.request('/trpc/auth.login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ json: { username: 'gdv.hang', password: 'postdesk-demo' } }),
  });
  cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  dir = mkdtempSync(join(tmpdir(), 'pd-ocr-'));
});
afterAll(() => database.close());

const receive = async () => {
  const procedure = await clerk.catalog.procedure({ code: '3.000333' });
  const commune = (await clerk.catalog.communes())[0]!.code;
  const input = intakeFor(procedure, commune, {
    absent: procedure.components.filter((c) => !c.required).map((c) => c.code),
  });
  input.applicant.citizenId = `0461950${String(Math.floor(Math.random() * 1e5)).padStart(5, '0')}`;
  const result = await clerk.intake.submit(input);
  return {
    dossierId: result.dossierId,
    codes: procedure.components.filter((c) => c.required).map((c) => c.code),
  };
};

describe('OCR of a scanned page', () => {
  it('stores the Vietnamese text, lays it invisibly over a small 1-bit page, and the signed copy keeps it', async () => {
    const { dossierId, codes } = await receive();
    const res = await upload(
      dossierId,
      codes[0]!,
      await makeScan({ skew: 1.4, fontSize: 54, lines: 42, noise: 14, seed: 7 }),
    );
    const { pageIds } = (await res.json()) as { pageIds: string[] };
    // Asked for while the page may still be in processing: it is read as soon as the page is ready.
    await clerk.digitize.changePage({ pageId: pageIds[0]!, ocr: true });
    expect(['requested', 'done']).toContain((await pageRow(pageIds[0]!)).ocrState);
    await server.jobs.idle();

    const page = await pageRow(pageIds[0]!);
    expect(page).toMatchObject({ state: 'ready', ocrState: 'done', chosenMode: 'bilevel' });
    expect(page.ocrText).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(foldText(page.ocrText!)).toContain('ho, chu dem, ten nguoi yeu cau');

    const pagePdf = await server.files.get(page.pagePdfSha256!);
    expect(pagePdf.byteLength).toBeLessThan(100 * 1024);
    const path = save('page.pdf', pagePdf);
    expect(() => execFileSync('qpdf', ['--check', path], { stdio: 'pipe' })).not.toThrow();
    const text = pdftotext(path);
    expect(text).toContain('Nguyễn Thị Thu');
    expect(text).toContain('phường Phú Hội');
    // The layer is invisible: the page renders exactly as without it (same 1-bit image, nothing drawn).
    expect(execFileSync('pdfimages', ['-list', path], { encoding: 'utf8' })).toMatch(/ccitt/);

    // The clerk finds the page by words, without marks or case.
    const found = await clerk.digitize.dossier({ dossierId, search: 'phu hoi' });
    expect(found.matches).toHaveLength(1);
    expect(found.matches[0]).toMatchObject({ pageId: pageIds[0], componentCode: codes[0], number: 1 });
    expect(found.matches[0]!.hits[0]!.match).toBe('Phú Hội');
    expect((await clerk.digitize.dossier({ dossierId, search: 'giấy phép lái xe' })).matches).toEqual([]);

    // Signed after OCR: the signed copy is searchable too, and valid.
    const view = await clerk.digitize.dossier({ dossierId });
    const documentId = view.components.find((c) => c.code === codes[0])!.documentId!;
    await clerk.digitize.finishComponent({ documentId });
    const [doc] = await database.db.select().from(documents).where(eq(documents.id, documentId));
    const signedPath = save('signed.pdf', await server.files.get(doc!.signedFileSha256!));
    expect(pdftotext(signedPath)).toContain('Nguyễn Thị Thu');
    expect(() => execFileSync('qpdf', ['--check', signedPath], { stdio: 'pipe' })).not.toThrow();
    expect(execFileSync('pdfsig', [signedPath], { encoding: 'utf8' })).toContain('Signature is Valid.');
  }, 180_000);

  it('never holds up signing: a component finished with OCR pending is signed, and the text still arrives for search', async () => {
    const { dossierId, codes } = await receive();
    const res = await upload(dossierId, codes[1]!, await makeScan({ skew: -1.1, noise: 14, seed: 8 }));
    const { pageIds } = (await res.json()) as { pageIds: string[] };
    await server.jobs.idle();
    await clerk.digitize.changePage({ pageId: pageIds[0]!, ocr: true });
    const view = await clerk.digitize.dossier({ dossierId });
    const documentId = view.components.find((c) => c.code === codes[1])!.documentId!;
    await clerk.digitize.finishComponent({ documentId });
    const [signed] = await database.db.select().from(documents).where(eq(documents.id, documentId));
    expect(signed!.signedFileSha256).toMatch(/^[0-9a-f]{64}$/);

    await server.jobs.idle();
    const page = await pageRow(pageIds[0]!);
    expect(page.ocrState).toBe('done');
    expect((await clerk.digitize.dossier({ dossierId, search: 'Nguyen Thi Thu' })).matches).toHaveLength(1);
    // The signed copy is not touched by the late text (that would break its signature).
    const [after] = await database.db.select().from(documents).where(eq(documents.id, documentId));
    expect(after!.signedFileSha256).toBe(signed!.signedFileSha256);
  }, 180_000);

  it('switched off again: the text is forgotten and the page is processed anew without the layer', async () => {
    const { dossierId, codes } = await receive();
    const res = await upload(
      dossierId,
      codes[0]!,
      await makeScan({ skew: 0.8, noise: 10, seed: 9, lines: 12 }),
    );
    const { pageIds } = (await res.json()) as { pageIds: string[] };
    await clerk.digitize.changePage({ pageId: pageIds[0]!, ocr: true });
    await server.jobs.idle();
    expect((await pageRow(pageIds[0]!)).ocrState).toBe('done');
    await clerk.digitize.changePage({ pageId: pageIds[0]!, ocr: false });
    await server.jobs.idle();
    const page = await pageRow(pageIds[0]!);
    expect(page).toMatchObject({ state: 'ready', ocrState: null, ocrText: null, revision: 1 });
    expect(pdftotext(save('plain.pdf', await server.files.get(page.pagePdfSha256!))).trim()).toBe('');
    expect((await clerk.digitize.dossier({ dossierId })).components.flatMap((c) => c.pages)[0]).toMatchObject(
      {
        ocrState: null,
      },
    );
  }, 180_000);
});
