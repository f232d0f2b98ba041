import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentPages, documents, dossiers, files, memberships, users } from '../../server/src/db/schema';
import { finishComponent } from '../../server/src/digitize/finish';
import { digitizePageJob } from '../../server/src/digitize/job';
import { resumeUnfinishedPages } from '../../server/src/digitize/pages';
import { closeTokens, createSigner, type DevPki, type Signer, setupDevPki } from '../../server/src/signing';
import { pkcs11js } from '../../server/src/signing/token';
import { createTestServer } from '../helpers/app';
import { createTestDatabase } from '../helpers/db';
import { intakeFor } from '../helpers/intake';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: ReturnType<typeof createTestServer>;
let clerk: Awaited<ReturnType<ReturnType<typeof createTestServer>['callerAs']>>;
let cookie: string;
let commune: string;

/** An A4 page at 300 dpi (scaled down 1/2 to keep tests quick) with Vietnamese text, slightly skewed. */
const textPage = async (label: string) => {
  const lines = Array.from(
    { length: 24 },
    (_, i) =>
      `<text x="120" y="${200 + i * 60}" font-size="34" font-family="DejaVu Sans">Dòng ${i + 1}: Cộng hòa xã hội chủ nghĩa Việt Nam — ${label}</text>`,
  ).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1240" height="1754"><rect width="100%" height="100%" fill="#f4f1ea"/>${lines}</svg>`;
  return new Uint8Array(
    await sharp(Buffer.from(svg))
      .rotate(1.5, { background: '#ffffff' })
      .greyscale()
      .jpeg({ quality: 85 })
      .toBuffer(),
  );
};

const upload = (dossierId: string, code: string, bytes: Uint8Array, name = 'scan.jpg', who = cookie) => {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)]), name);
  return server.app.request(`/desk/dossiers/${dossierId}/components/${code}/pages`, {
    method: 'POST',
    body: form,
    headers: { cookie: who },
  });
};

const login = async (username: string) => {
  const res = await server.app.request('/trpc/auth.login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ json: { username, password: 'postdesk-demo' } }),
  });
  return res.headers.get('set-cookie')!.split(';')[0]!;
};

const receive = async (
  procedureCode: string,
  citizenId: string,
  reuse?: { code: string; documentId: string },
) => {
  const procedure = await clerk.catalog.procedure({ code: procedureCode });
  const input = intakeFor(procedure, commune, {
    absent: procedure.components.filter((c) => !c.required).map((c) => c.code),
  });
  input.applicant.citizenId = citizenId;
  if (reuse)
    input.components = input.components.map((c) =>
      c.code === reuse.code ? { ...c, present: false, reuseDocumentId: reuse.documentId } : c,
    );
  return { procedure, result: await clerk.intake.submit(input) };
};

const citizenId = () => `0461950${String(Math.floor(Math.random() * 1e5)).padStart(5, '0')}`;

let pki: DevPki;

beforeAll(async () => {
  database = await createTestDatabase();
  // The clerk's key lives on a SoftHSM2 token, as it would on a USB token at the desk.
  pki = await setupDevPki({
    dir: mkdtempSync(join(tmpdir(), 'pd-dig-pki-')),
    tokenLabel: `pd-dig-${randomBytes(3).toString('hex')}`,
    // One token, one key per clerk, labelled as users.signingKeyLabel says (the seed: the username).
    clerks: [
      { keyLabel: 'gdv.hang', fullName: 'Nguyễn Thị Thu Hằng', office: 'Bưu điện thành phố Huế' },
      { keyLabel: 'gdv.linh', fullName: 'Tôn Nữ Khánh Linh', office: 'Bưu điện thành phố Huế' },
    ],
  });
  // No PKCS11_KEY_LABEL: the desk signs with the key of the clerk who finishes the component.
  const signer = createSigner({
    NODE_ENV: 'test',
    PKCS11_MODULE: pki.module,
    PKCS11_TOKEN_LABEL: pki.tokenLabel,
    PKCS11_PIN: pki.pin,
  });
  server = createTestServer(database.db, { signer });
  clerk = await server.callerAs('gdv.hang');
  cookie = await login('gdv.hang');
  commune = (await clerk.catalog.communes())[0]!.code;
});
afterAll(async () => {
  closeTokens();
  await database.close();
});

describe('digitizing a received dossier at the desk', () => {
  it('scans every component, signs each PDF, and the dossier becomes digitized; the copies are reused by the next dossier', async () => {
    const owner = citizenId();
    const { procedure, result } = await receive('3.000333', owner);
    const required = procedure.components.filter((c) => c.required);
    for (const [i, component] of required.entries()) {
      for (let p = 0; p < 2 + i; p++) {
        const res = await upload(
          result.dossierId,
          component.code,
          await textPage(`${component.code} trang ${p + 1}`),
        );
        expect(res.status).toBe(201);
      }
    }
    await server.jobs.idle();
    const view = await clerk.digitize.dossier({ dossierId: result.dossierId });
    const pages = view.components.flatMap((c) => c.pages);
    expect(pages).toHaveLength(5);
    expect(pages.every((p) => p.state === 'ready' && p.thumbUrl)).toBe(true);
    const thumb = await server.app.request(pages[0]!.thumbUrl!, { headers: { cookie } });
    expect(thumb.headers.get('content-type')).toBe('image/jpeg');

    // Reorder the second component's pages, then finish and sign both components.
    const second = view.components.find((c) => c.code === required[1]!.code)!;
    await clerk.digitize.reorderPages({
      documentId: second.documentId!,
      pageIds: [...second.pages.map((p) => p.id)].reverse(),
    });
    for (const component of view.components.filter((c) => c.documentId)) {
      const signed = await clerk.digitize.finishComponent({ documentId: component.documentId! });
      expect(signed.digitizedCode).toMatch(
        new RegExp(`^${owner}\\.3\\.000333\\.${component.code}\\.\\d{2}$`),
      );
    }
    const after = await clerk.digitize.dossier({ dossierId: result.dossierId });
    const dir = mkdtempSync(join(tmpdir(), 'pd-dig-'));
    for (const component of after.components.filter((c) => c.signedUrl)) {
      const res = await server.app.request(component.signedUrl!, { headers: { cookie } });
      expect(res.headers.get('content-type')).toBe('application/pdf');
      const path = join(dir, `${component.code}.pdf`);
      writeFileSync(path, new Uint8Array(await res.arrayBuffer()));
      expect(() => execFileSync('qpdf', ['--check', path], { stdio: 'pipe' })).not.toThrow();
      const sig = execFileSync('pdfsig', ['-nssdir', `sql:${pki.nssDir}`, path], { encoding: 'utf8' });
      expect(sig).toContain('Signature is Valid.');
      expect(sig).toContain('Certificate is Trusted.');
      expect(sig).toContain('Nguyễn Thị Thu Hằng');
      expect(sig).toContain('ETSI.CAdES.detached');
      expect(execFileSync('pdfinfo', [path], { encoding: 'utf8' })).toMatch(
        new RegExp(`Keywords:.*${result.code!.replace(/\./g, '\\.')}`),
      );
      // PDF/A-2b, signed as such: the XMP claims it and carries the codes a records system searches by.
      const xmp = execFileSync('qpdf', ['--show-object=trailer', path], { encoding: 'utf8' });
      expect(xmp).toMatch(/\/ID \[ <[0-9a-f]{32}> <[0-9a-f]{32}> \]/i);
      const bytes = readFileSync(path).toString('utf8');
      expect(bytes).toContain('<pdfaid:part>2</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance>');
      expect(bytes).toContain(`<postdesk:DossierCode>${result.code}</postdesk:DossierCode>`);
      expect(bytes).toContain(`<postdesk:ComponentCode>${component.code}</postdesk:ComponentCode>`);
      expect(bytes).toMatch(
        new RegExp(`<postdesk:DigitizedCode>${owner}\\.3\\.000333\\.${component.code}\\.\\d{2}<`),
      );
      expect(bytes).toContain('/S /GTS_PDFA1');
    }
    expect((await clerk.digitize.complete({ dossierId: result.dossierId })).state).toBe('digitized');

    // A second procedure (certifying a signature) for the same citizen offers the signed id-card copy; reusing it needs no scan.
    const signature = await clerk.catalog.procedure({ code: '2.000884' });
    const found = await clerk.intake.lookupApplicant({ citizenId: owner, procedureCode: signature.code });
    const idCard = found.reusable.find((r) => r.digitizedCode.includes('.3.000333.'));
    expect(idCard).toBeDefined();
    const next = await receive('2.000884', owner, {
      code: idCard!.componentCode,
      documentId: idCard!.documentId,
    });
    const nextView = await clerk.digitize.dossier({ dossierId: next.result.dossierId });
    expect(nextView.components.find((c) => c.code === idCard!.componentCode)).toMatchObject({ reused: true });
  }, 120_000);

  it('a page processed twice (a worker killed and the job re-run) is still one page with one result', async () => {
    const { procedure, result } = await receive('3.000333', citizenId());
    const code = procedure.components.find((c) => c.required)!.code;
    const res = await upload(result.dossierId, code, await textPage('lặp lại'));
    const { pageIds } = (await res.json()) as { pageIds: string[] };
    await server.jobs.idle();
    const [before] = await database.db.select().from(documentPages).where(eq(documentPages.id, pageIds[0]!));
    const job = digitizePageJob({ db: database.db, files: server.files });
    await Promise.all([
      job.handler({ pageId: pageIds[0]!, revision: 0 }),
      job.handler({ pageId: pageIds[0]!, revision: 0 }),
    ]);
    const rows = await database.db
      .select()
      .from(documentPages)
      .where(eq(documentPages.documentId, before!.documentId));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ state: 'ready', pagePdfSha256: before!.pagePdfSha256 });

    // A worker killed in the middle leaves the page `processing` with no result: the re-run (BullMQ hands
    // the stalled job to another worker) finishes it, still as the one page.
    await database.db
      .update(documentPages)
      .set({ state: 'processing', pagePdfSha256: null, thumbSha256: null })
      .where(eq(documentPages.id, pageIds[0]!));
    await job.handler({ pageId: pageIds[0]!, revision: 0 });
    const resumed = await database.db
      .select()
      .from(documentPages)
      .where(eq(documentPages.documentId, before!.documentId));
    expect(resumed).toHaveLength(1);
    expect(resumed[0]).toMatchObject({ state: 'ready', error: null });
    expect(resumed[0]!.pagePdfSha256).toMatch(/^[0-9a-f]{64}$/);
  }, 60_000);

  it('pages left waiting by a stopped server are processed after the restart, once', async () => {
    const { procedure, result } = await receive('3.000333', citizenId());
    const code = procedure.components.find((c) => c.required)!.code;
    const res = await upload(result.dossierId, code, await textPage('khởi động lại'));
    const { pageIds } = (await res.json()) as { pageIds: string[] };
    await server.jobs.idle();
    // The in-process queue died with the old server: the page is left as it was when the job was taken.
    await database.db
      .update(documentPages)
      .set({ state: 'processing', pagePdfSha256: null, thumbSha256: null })
      .where(eq(documentPages.id, pageIds[0]!));
    const restarted = createTestServer(database.db, { env: { FILES_DIR: server.env.filesDir } });
    expect(await resumeUnfinishedPages(database.db, restarted.jobs)).toBeGreaterThanOrEqual(1);
    await restarted.jobs.idle();
    const [page] = await database.db.select().from(documentPages).where(eq(documentPages.id, pageIds[0]!));
    expect(page).toMatchObject({ state: 'ready', error: null });
    const siblings = await database.db
      .select()
      .from(documentPages)
      .where(eq(documentPages.documentId, page!.documentId));
    expect(siblings).toHaveLength(1);
  }, 60_000);
});

/** The clerk gdv.hang's user id and office, to call finishComponent as the router does. */
const deskOf = async (username: string) => {
  const [hang] = await database.db
    .select({ userId: users.id, officeId: memberships.officeId, fullName: users.fullName })
    .from(users)
    .innerJoin(memberships, eq(memberships.userId, users.id))
    .where(eq(users.username, 'gdv.hang'));
  const [who] = await database.db
    .select({ userId: users.id, fullName: users.fullName })
    .from(users)
    .where(eq(users.username, username));
  return { officeId: hang!.officeId, userId: who!.userId, clerkName: who!.fullName };
};

/** A received dossier with one scanned, processed page in each of its first two required components. */
const scannedDossier = async () => {
  const { procedure, result } = await receive('3.000333', citizenId());
  const codes = procedure.components.filter((c) => c.required).map((c) => c.code);
  for (const code of codes.slice(0, 2)) await upload(result.dossierId, code, await textPage(code));
  await server.jobs.idle();
  const view = await clerk.digitize.dossier({ dossierId: result.dossierId });
  return view.components.filter((c) => c.documentId).map((c) => c.documentId!);
};

const pdfsigOf = async (documentId: string) => {
  const [doc] = await database.db.select().from(documents).where(eq(documents.id, documentId));
  const path = join(mkdtempSync(join(tmpdir(), 'pd-dig-sig-')), 'signed.pdf');
  writeFileSync(path, await server.files.get(doc!.signedFileSha256!));
  return execFileSync('pdfsig', ['-nssdir', `sql:${pki.nssDir}`, path], { encoding: 'utf8' });
};

const setLabel = (username: string, label: string | null) =>
  database.db.update(users).set({ signingKeyLabel: label }).where(eq(users.username, username));

describe('each clerk signs with a key of their own', () => {
  it('picks the key by the clerk’s label, so pdfsig names who signed; no key of one’s own says ask the admin', async () => {
    const [first, second] = await scannedDossier();
    await finishComponent(database.db, {
      documentId: first!,
      ...(await deskOf('gdv.linh')),
      files: server.files,
      signer: server.signer,
    });
    const byLinh = await pdfsigOf(first!);
    expect(byLinh).toContain('Tôn Nữ Khánh Linh');
    expect(byLinh).toContain('Signature is Valid.');
    expect(byLinh).not.toContain('Nguyễn Thị Thu Hằng');

    // A label with no key behind it on the token, then no label at all: the same clear error, nothing signed.
    for (const label of ['gdv.khongco', null]) {
      await setLabel('gdv.hang', label);
      await expect(clerk.digitize.finishComponent({ documentId: second! })).rejects.toMatchObject({
        cause: { code: 'TOKEN_NOT_FOUND', details: { reason: 'no_signing_key' } },
      });
    }
    await setLabel('gdv.hang', 'gdv.hang');
    const [unsigned] = await database.db.select().from(documents).where(eq(documents.id, second!));
    expect(unsigned!.signedFileSha256).toBeNull();
    await clerk.digitize.finishComponent({ documentId: second! });
    expect(await pdfsigOf(second!)).toContain('Nguyễn Thị Thu Hằng');
  }, 90_000);
});

describe('the token at signing time', () => {
  it('a wrong PIN typed at the desk: TOKEN_PIN_INVALID, nothing signed; the right one signs', async () => {
    const [documentId] = await scannedDossier();
    await expect(
      clerk.digitize.finishComponent({ documentId: documentId!, pin: '9999' }),
    ).rejects.toMatchObject({
      cause: { code: 'TOKEN_PIN_INVALID' },
    });
    const [doc] = await database.db.select().from(documents).where(eq(documents.id, documentId!));
    expect(doc!.signedFileSha256).toBeNull();
    await clerk.digitize.finishComponent({ documentId: documentId!, pin: pki.pin });
    expect(await pdfsigOf(documentId!)).toContain('Signature is Valid.');
  }, 90_000);

  it('a token pulled out in the middle of signing: TOKEN_REMOVED, pages kept, no retry loop; signing again works', async () => {
    const [documentId] = await scannedDossier();
    const pagesBefore = await database.db
      .select()
      .from(documentPages)
      .where(eq(documentPages.documentId, documentId!));
    // The PDF is assembled and hashed; just before the token signs, the PKCS#11 module is finalized under
    // us (what a driver does when the token leaves its reader): every session and login is gone.
    let signAttempts = 0;
    const pulling: Signer = {
      ...server.signer,
      forKey: (label, holder) => {
        const own = server.signer.forKey(label, holder);
        return {
          ...own,
          sign: (data, options) => {
            signAttempts += 1;
            const other = new pkcs11js.PKCS11();
            other.load(pki.module);
            other.C_Finalize();
            return own.sign(data, options);
          },
        };
      },
    };
    await expect(
      finishComponent(database.db, {
        documentId: documentId!,
        ...(await deskOf('gdv.hang')),
        files: server.files,
        signer: pulling,
      }),
    ).rejects.toMatchObject({ code: 'TOKEN_REMOVED' });
    expect(signAttempts).toBe(1);
    const [doc] = await database.db.select().from(documents).where(eq(documents.id, documentId!));
    expect(doc!.signedFileSha256).toBeNull();
    const pagesAfter = await database.db
      .select()
      .from(documentPages)
      .where(eq(documentPages.documentId, documentId!));
    expect(pagesAfter).toEqual(pagesBefore);

    // The token is back (the module loads afresh): the clerk signs again and it works.
    await clerk.digitize.finishComponent({ documentId: documentId! });
    const sig = await pdfsigOf(documentId!);
    expect(sig).toContain('Signature is Valid.');
    expect(sig).toContain('Certificate is Trusted.');
  }, 90_000);
});

describe('bad scans get a clear error and change nothing', () => {
  it('a PDF that is really HTML, a corrupt JPEG, an oversized file; other pages are kept', async () => {
    const { procedure, result } = await receive('3.000333', citizenId());
    const code = procedure.components.find((c) => c.required)!.code;
    expect((await upload(result.dossierId, code, await textPage('giữ lại'))).status).toBe(201);
    const html = await upload(
      result.dossierId,
      code,
      new TextEncoder().encode('<!doctype html><html><body>not a pdf</body></html>'),
      'scan.pdf',
    );
    expect(html.status).toBeGreaterThanOrEqual(400);
    expect(((await html.json()) as { code: string }).code).toMatch(/PDF_INVALID|SCAN_TYPE_NOT_ALLOWED/);
    const good = await textPage('hỏng');
    const corrupt = await upload(result.dossierId, code, good.slice(0, 2000));
    expect(corrupt.status).toBe(422);
    expect(((await corrupt.json()) as { code: string; message: string }).code).toBe('IMAGE_INVALID');
    // Whole, but with scrambled bytes in the middle of its picture data: refused too, not signed as grey.
    const scrambled = new Uint8Array(good);
    const from = Math.floor(scrambled.length * 0.4);
    for (let i = from; i < from + 300; i += 1) scrambled[i] = (scrambled[i]! * 7 + 13) & 255;
    const damaged = await upload(result.dossierId, code, scrambled);
    expect(damaged.status).toBe(422);
    const refusal = (await damaged.json()) as { code: string; message: string };
    expect(refusal.code).toBe('IMAGE_INVALID');
    expect(refusal.message).toMatch(/ảnh quét/);
    // Nothing of it stored: no file, no page pointing at it.
    const sha256 = createHash('sha256').update(scrambled).digest('hex');
    expect(await database.db.select().from(files).where(eq(files.sha256, sha256))).toEqual([]);
    expect(
      await database.db.select().from(documentPages).where(eq(documentPages.originalSha256, sha256)),
    ).toEqual([]);
    const huge = await upload(result.dossierId, code, new Uint8Array(26 * 1024 * 1024));
    expect(huge.status).toBe(413);
    await server.jobs.idle();
    const view = await clerk.digitize.dossier({ dossierId: result.dossierId });
    expect(view.components.flatMap((c) => c.pages).map((p) => p.state)).toEqual(['ready']);
  }, 60_000);

  it('a clerk of another office cannot upload to, or see, this desk’s dossier', async () => {
    const { procedure, result } = await receive('3.000333', citizenId());
    const other = await login('gdv.quang');
    const res = await upload(
      result.dossierId,
      procedure.components[0]!.code,
      await textPage('x'),
      'scan.jpg',
      other,
    );
    expect(res.status).toBe(404);
    const theirs = await server.callerAs('gdv.quang');
    await expect(theirs.digitize.dossier({ dossierId: result.dossierId })).rejects.toMatchObject({
      cause: { code: 'DOSSIER_NOT_FOUND' },
    });
    const [row] = await database.db.select().from(documents).where(eq(documents.dossierId, result.dossierId));
    expect(row).toBeUndefined();
    const [d] = await database.db.select().from(dossiers).where(eq(dossiers.id, result.dossierId));
    expect(d!.state).toBe('received');
  });
});
