import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { PDFDocument, PDFHexString, PDFName, PDFString, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentPages, documents, files } from '../../server/src/db/schema';
import { createTestServer } from '../helpers/app';
import { createTestDatabase } from '../helpers/db';
import { intakeFor } from '../helpers/intake';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: ReturnType<typeof createTestServer>;
let cookie: string;
const dir = mkdtempSync(join(tmpdir(), 'pd-pdf-uploads-'));

const login = async (username: string) => {
  const res = await server.app.request('/trpc/auth.login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ json: { username, password: 'postdesk-demo' } }),
  });
  return res.headers.get('set-cookie')!.split(';')[0]!;
};

const upload = (app: typeof server.app, dossierId: string, code: string, bytes: Uint8Array) => {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)]), 'tai-lieu.pdf');
  return app.request(`/desk/dossiers/${dossierId}/components/${code}/pages`, {
    method: 'POST',
    body: form,
    headers: { cookie },
  });
};

const receive = async () => {
  const clerk = await server.callerAs('gdv.hang');
  const procedure = await clerk.catalog.procedure({ code: '3.000333' });
  const input = intakeFor(procedure, (await clerk.catalog.communes())[0]!.code);
  input.applicant.citizenId = `0461950${String(Math.floor(Math.random() * 1e5)).padStart(5, '0')}`;
  const { dossierId } = await clerk.intake.submit(input);
  const codes = procedure.components.filter((c) => c.required).map((c) => c.code);
  return { dossierId, code: codes[0]!, other: codes[1]! };
};

const blankPages = async (count: number) => {
  const doc = await PDFDocument.create();
  for (let i = 0; i < count; i += 1) doc.addPage([595.28, 841.89]);
  return new Uint8Array(await doc.save());
};

const pagesOf = async (dossierId: string) =>
  (
    await database.db
      .select({ id: documentPages.id })
      .from(documentPages)
      .innerJoin(documents, eq(documents.id, documentPages.documentId))
      .where(eq(documents.dossierId, dossierId))
  ).length;

/** An A4 page that runs scripts on opening, on page view and on click, and carries an attached file. */
const boobyTrapped = async () => {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595.28, 841.89]);
  page.drawText('Giay to co ma doc', {
    x: 60,
    y: 760,
    size: 16,
    font: await doc.embedFont(StandardFonts.Helvetica),
  });
  const ctx = doc.context;
  const js = (marker: string) =>
    ctx.obj({ Type: 'Action', S: 'JavaScript', JS: PDFString.of(`app.alert("${marker}")`) });
  doc.catalog.set(PDFName.of('OpenAction'), ctx.register(js('pwned-openaction')));
  doc.catalog.set(
    PDFName.of('Names'),
    ctx.obj({ JavaScript: ctx.obj({ Names: [PDFString.of('x'), ctx.register(js('pwned-names'))] }) }),
  );
  doc.catalog.set(
    PDFName.of('AcroForm'),
    ctx.obj({ Fields: [], XFA: ctx.register(ctx.stream('<xdp:xdp>pwned-xfa</xdp:xdp>')) }),
  );
  page.node.set(PDFName.of('AA'), ctx.obj({ O: ctx.register(js('pwned-page-open')) }));
  const attached = ctx.register(ctx.stream('pwned-attachment', { Type: 'EmbeddedFile' }));
  const annots = ctx.obj([
    ctx.register(ctx.obj({ Type: 'Annot', Subtype: 'Link', Rect: [50, 50, 300, 100], A: js('pwned-link') })),
    ctx.register(
      ctx.obj({
        Type: 'Annot',
        Subtype: 'FileAttachment',
        Rect: [300, 50, 320, 70],
        FS: ctx.obj({ Type: 'Filespec', F: PDFString.of('a.exe'), EF: ctx.obj({ F: attached }) }),
      }),
    ),
    ctx.register(
      ctx.obj({
        Type: 'Annot',
        Subtype: 'Link',
        Rect: [50, 120, 300, 160],
        A: ctx.obj({ S: 'Launch', F: PDFHexString.fromText('cmd.exe') }),
      }),
    ),
  ]);
  page.node.set(PDFName.of('Annots'), annots);
  return new Uint8Array(await doc.save({ useObjectStreams: false }));
};

/** Every object of a PDF written out plainly (no object streams, no compression), as qpdf sees it. */
const plainText = (bytes: Uint8Array) => {
  const input = join(dir, `in-${Math.random().toString(36).slice(2)}.pdf`);
  const output = `${input}.qdf`;
  writeFileSync(input, bytes);
  const run = spawnSync('qpdf', ['--qdf', '--object-streams=disable', input, output]);
  expect(run.status === 0 || run.status === 3).toBe(true);
  return readFileSync(output, 'latin1');
};

const ACTIVE = [
  'pwned',
  '/JavaScript',
  '/JS',
  '/OpenAction',
  '/AA',
  '/EmbeddedFile',
  '/XFA',
  '/Launch',
  'FileAttachment',
];

beforeAll(async () => {
  database = await createTestDatabase();
  server = createTestServer(database.db);
  cookie = await login('gdv.hang');
});
afterAll(() => database.close());

describe('active content in an uploaded PDF', () => {
  it('is gone from the clerk-signed copy: no script, action, attachment or XFA survives', async () => {
    const trap = await boobyTrapped();
    // The file we upload does carry all of it.
    const before = plainText(trap);
    for (const marker of ACTIVE) expect(before, marker).toContain(marker);

    const { dossierId, code } = await receive();
    expect((await upload(server.app, dossierId, code, trap)).status).toBe(201);
    await server.jobs.idle();
    const clerk = await server.callerAs('gdv.hang');
    const view = await clerk.digitize.dossier({ dossierId });
    const component = view.components.find((c) => c.code === code)!;
    expect(component.pages.map((p) => p.state)).toEqual(['ready']);
    await clerk.digitize.finishComponent({ documentId: component.documentId! });

    const [doc] = await database.db.select().from(documents).where(eq(documents.id, component.documentId!));
    const signed = await server.files.get(doc!.signedFileSha256!);
    const after = plainText(signed);
    for (const marker of ACTIVE) expect(after, marker).not.toContain(marker);
    // Still the page the citizen handed in, and still a well-formed PDF.
    expect(spawnSync('pdftotext', ['-', '-'], { input: signed, encoding: 'utf8' }).stdout).toContain(
      'Giay to co ma doc',
    );
    expect(after).toContain('/ByteRange');
  }, 90_000);
});

describe('page limits', () => {
  it('a 4,000-page PDF is refused at once with PDF_TOO_MANY_PAGES: no page, no job, no file', async () => {
    const { dossierId, code } = await receive();
    const bomb = await blankPages(4000);
    const filesBefore = (await database.db.select({ sha: files.sha256 }).from(files)).length;
    const res = await upload(server.app, dossierId, code, bomb);
    expect(res.status).toBe(413);
    const body = (await res.json()) as { code: string; message: string; details: Record<string, unknown> };
    expect(body).toMatchObject({ code: 'PDF_TOO_MANY_PAGES', details: { pages: 4000, limit: 200 } });
    expect(body.message).toContain('tách tệp');
    expect(await pagesOf(dossierId)).toBe(0);
    expect((await database.db.select({ sha: files.sha256 }).from(files)).length).toBe(filesBefore);
  }, 60_000);

  it('each upload and the whole dossier stay within the configured limits', async () => {
    const small = createTestServer(database.db, {
      env: { DIGITIZE_MAX_PAGES_PER_UPLOAD: '3', DIGITIZE_MAX_PAGES_PER_DOSSIER: '5' },
    });
    const { dossierId, code, other } = await receive();
    expect((await upload(small.app, dossierId, code, await blankPages(4))).status).toBe(413);
    expect((await upload(small.app, dossierId, code, await blankPages(3))).status).toBe(201);
    // Three more would make six in the dossier, even in another component.
    const over = await upload(small.app, dossierId, other, await blankPages(3));
    expect(over.status).toBe(413);
    expect(await over.json()).toMatchObject({ details: { per: 'dossier', already: 3, limit: 5 } });
    expect((await upload(small.app, dossierId, other, await blankPages(2))).status).toBe(201);
    expect(await pagesOf(dossierId)).toBe(5);
    await small.jobs.idle();
  }, 60_000);
});
