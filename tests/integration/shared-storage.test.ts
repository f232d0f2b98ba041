import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentPages, documents, files } from '../../server/src/db/schema';
import { digitizePageJob } from '../../server/src/digitize/job';
import { createSigner, type Signer } from '../../server/src/signing';
import { createTestServer } from '../helpers/app';
import { createTestDatabase } from '../helpers/db';
import { intakeFor } from '../helpers/intake';
import { startS3 } from '../helpers/s3';

type Server = ReturnType<typeof createTestServer>;

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let s3: Awaited<ReturnType<typeof startS3>>;
let commune: string;
let signings = 0;

/** The demo's software keys, counting every signature made with a clerk's key. */
const countingSigner = (): Signer => {
  const base = createSigner({ NODE_ENV: 'test', DATA_DIR: mkdtempSync(join(tmpdir(), 'pd-sig-')) });
  return {
    ...base,
    forKey: (label, holder) => {
      const key = base.forKey(label, holder);
      return {
        ...key,
        sign: (data, options) => {
          signings += 1;
          return key.sign(data, options);
        },
      };
    },
  };
};

const page = async (label: string) =>
  new Uint8Array(
    await sharp({ create: { width: 620, height: 877, channels: 3, background: '#f4f1ea' } })
      .composite([
        {
          input: Buffer.from(
            `<svg xmlns="http://www.w3.org/2000/svg" width="620" height="877"><text x="60" y="120" font-size="28" font-family="DejaVu Sans">${label}</text></svg>`,
          ),
        },
      ])
      .jpeg({ quality: 80 })
      .toBuffer(),
  );

const login = async (server: Server, username = 'gdv.hang') => {
  const res = await server.app.request('/trpc/auth.login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ json: { username, password: 'postdesk-demo' } }),
  });
  return res.headers.get('set-cookie')!.split(';')[0]!;
};

const upload = (
  server: Server,
  cookie: string,
  target: { dossierId: string; code: string },
  bytes: Uint8Array,
  key?: string,
) => {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)]), 'scan.jpg');
  return server.app.request(`/desk/dossiers/${target.dossierId}/components/${target.code}/pages`, {
    method: 'POST',
    body: form,
    headers: { cookie, ...(key ? { 'idempotency-key': key } : {}) },
  });
};

/** A dossier received at gdv.hang's desk through `server`, and its first required component. */
const received = async (server: Server) => {
  const clerk = await server.callerAs('gdv.hang');
  const procedure = await clerk.catalog.procedure({ code: '3.000333' });
  const input = intakeFor(procedure, commune, {
    absent: procedure.components.filter((c) => !c.required).map((c) => c.code),
  });
  input.applicant.citizenId = `0461950${String(Math.floor(Math.random() * 1e5)).padStart(5, '0')}`;
  const result = await clerk.intake.submit(input);
  return { dossierId: result.dossierId, code: procedure.components.find((c) => c.required)!.code };
};

const pagesOf = async (dossierId: string, code: string) => {
  const [doc] = await database.db
    .select()
    .from(documents)
    .where(eq(documents.dossierId, dossierId))
    .then((docs) => docs.filter((d) => d.componentCode === code && d.source === 'scan'));
  if (!doc) return [];
  return database.db.select().from(documentPages).where(eq(documentPages.documentId, doc.id));
};

beforeAll(async () => {
  database = await createTestDatabase();
  s3 = await startS3();
  const probe = createTestServer(database.db);
  commune = (await (await probe.callerAs('gdv.hang')).catalog.communes())[0]!.code;
});
afterAll(async () => {
  await s3.close();
  await database.close();
});

describe('two servers', () => {
  it('with one S3 bucket: a page uploaded through A is shown, signed and downloaded through B', async () => {
    const a = createTestServer(database.db, { env: s3.env, signer: countingSigner() });
    const b = createTestServer(database.db, { env: s3.env, signer: countingSigner() });
    const target = await received(a);
    const res = await upload(a, await login(a), target, await page('Trang một'));
    expect(res.status).toBe(201);
    await a.jobs.idle();

    const clerkB = await b.callerAs('gdv.hang');
    const cookieB = await login(b);
    const view = await clerkB.digitize.dossier({ dossierId: target.dossierId });
    const component = view.components.find((c) => c.code === target.code)!;
    expect(component.pages).toHaveLength(1);
    const thumb = await b.app.request(component.pages[0]!.thumbUrl!, { headers: { cookie: cookieB } });
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get('content-type')).toBe('image/jpeg');

    const signed = await clerkB.digitize.finishComponent({ documentId: component.documentId! });
    expect(signed.replayed).toBe(false);
    const after = await (await a.callerAs('gdv.hang')).digitize.dossier({ dossierId: target.dossierId });
    const pdf = await a.app.request(after.components.find((c) => c.code === target.code)!.signedUrl!, {
      headers: { cookie: await login(a) },
    });
    expect(pdf.status).toBe(200);
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
  }, 60_000);

  it('with separate directories: B says the file is missing from storage, not "someone else changed it"', async () => {
    const a = createTestServer(database.db);
    const b = createTestServer(database.db);
    const target = await received(a);
    await upload(a, await login(a), target, await page('Trang riêng'));
    await a.jobs.idle();
    const clerkB = await b.callerAs('gdv.hang');
    const view = await clerkB.digitize.dossier({ dossierId: target.dossierId });
    const component = view.components.find((c) => c.code === target.code)!;
    const thumb = await b.app.request(component.pages[0]!.thumbUrl!, { headers: { cookie: await login(b) } });
    expect(thumb.status).toBe(503);
    const body = (await thumb.json()) as { code: string; message: string; messageEn: string };
    expect(body.code).toBe('FILE_MISSING');
    expect(body.messageEn).toMatch(/missing from the file storage/);
    expect(body.messageEn).not.toMatch(/someone else/i);
    const err = await clerkB.digitize.finishComponent({ documentId: component.documentId! }).catch((e) => e);
    expect(err.cause?.code).toBe('FILE_MISSING');
  }, 60_000);
});

describe('a retried upload', () => {
  let server: Server;
  let cookie: string;
  beforeAll(async () => {
    server = createTestServer(database.db, { env: s3.env });
    cookie = await login(server);
  });

  it('with the same key after its job could not be queued (Redis away): one page, processed', async () => {
    const target = await received(server);
    const bytes = await page('Thử lại');
    const key = randomUUID();
    const enqueue = server.jobs.enqueue;
    server.jobs.enqueue = async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
    };
    const first = await upload(server, cookie, target, bytes, key);
    server.jobs.enqueue = enqueue;
    expect(first.status).toBe(500);
    const again = await upload(server, cookie, target, bytes, key);
    expect(again.status).toBe(200);
    const body = (await again.json()) as { pageIds: string[]; replayed: boolean };
    expect(body.replayed).toBe(true);
    await server.jobs.idle();
    const rows = await pagesOf(target.dossierId, target.code);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: body.pageIds[0], state: 'ready' });
  }, 60_000);

  it('sent three times at once with one key: one page; another key is another page', async () => {
    const target = await received(server);
    const bytes = await page('Cùng lúc');
    const key = randomUUID();
    const answers = await Promise.all([1, 2, 3].map(() => upload(server, cookie, target, bytes, key)));
    expect(answers.map((r) => r.status).sort()).toEqual([200, 200, 201]);
    const ids = await Promise.all(
      answers.map(async (r) => ((await r.json()) as { pageIds: string[] }).pageIds),
    );
    expect(new Set(ids.flat()).size).toBe(1);
    expect(await pagesOf(target.dossierId, target.code)).toHaveLength(1);
    // The clerk really scanning the same sheet twice is two pages: a new file, a new key.
    expect((await upload(server, cookie, target, bytes, randomUUID())).status).toBe(201);
    expect(await pagesOf(target.dossierId, target.code)).toHaveLength(2);
    await server.jobs.idle();
  }, 60_000);

  it('the same key with other bytes is refused and adds nothing; a key that is not a UUID is refused', async () => {
    const target = await received(server);
    const key = randomUUID();
    expect((await upload(server, cookie, target, await page('Một'), key)).status).toBe(201);
    const other = await upload(server, cookie, target, await page('Khác'), key);
    expect(other.status).toBe(409);
    expect(((await other.json()) as { code: string }).code).toBe('IDEMPOTENCY_CONFLICT');
    const bad = await upload(server, cookie, target, await page('Hai'), 'page-1');
    expect(bad.status).toBe(400);
    expect(await pagesOf(target.dossierId, target.code)).toHaveLength(1);
    await server.jobs.idle();
  }, 60_000);
});

describe('finish & sign', () => {
  it('twice in a row: the second returns the first signature; at once: one signature between them', async () => {
    const server = createTestServer(database.db, { env: s3.env, signer: countingSigner() });
    const cookie = await login(server);
    const clerk = await server.callerAs('gdv.hang');
    const docIdOf = async (target: { dossierId: string; code: string }) => {
      await upload(server, cookie, target, await page(`Ký ${target.dossierId.slice(0, 8)}`), randomUUID());
      await server.jobs.idle();
      const view = await clerk.digitize.dossier({ dossierId: target.dossierId });
      return view.components.find((c) => c.code === target.code)!.documentId!;
    };
    const signedFile = async (documentId: string) =>
      (await database.db.select().from(documents).where(eq(documents.id, documentId)))[0]!.signedFileSha256;

    const one = await docIdOf(await received(server));
    signings = 0;
    const first = await clerk.digitize.finishComponent({ documentId: one });
    const sha = await signedFile(one);
    const second = await clerk.digitize.finishComponent({ documentId: one });
    expect(second).toEqual({ ...first, replayed: true });
    expect(await signedFile(one)).toBe(sha);
    expect(signings).toBe(1);

    const two = await docIdOf(await received(server));
    signings = 0;
    const other = await server.callerAs('gdv.hang');
    const both = await Promise.all([
      clerk.digitize.finishComponent({ documentId: two }),
      other.digitize.finishComponent({ documentId: two }),
    ]);
    expect(signings).toBe(1);
    expect(both.map((r) => r.replayed).sort()).toEqual([false, true]);
    expect(both[0]!.digitizedCode).toBe(both[1]!.digitizedCode);
    const pdfs = await database.db
      .select()
      .from(files)
      .where(eq(files.sha256, (await signedFile(two))!));
    expect(pdfs).toHaveLength(1);
  }, 60_000);
});

describe('the object store down during an upload', () => {
  it('refuses with STORAGE_UNAVAILABLE (503, both languages) and adds no page', async () => {
    const down = await startS3();
    const server = createTestServer(database.db, { env: down.env });
    const cookie = await login(server);
    const target = await received(server);
    await down.stop();
    const res = await upload(server, cookie, target, await page('Kho hỏng'), randomUUID());
    expect(res.status).toBe(503);
    const body = (await res.json()) as { code: string; message: string; messageEn: string };
    expect(body.code).toBe('STORAGE_UNAVAILABLE');
    expect(body.message).toMatch(/Kho lưu trữ tệp/);
    expect(body.messageEn).toMatch(/nothing was half-stored/);
    expect(await pagesOf(target.dossierId, target.code)).toHaveLength(0);
    await down.close();
  }, 60_000);

  it('a page processed while the store is away stays queued for a retry, not failed', async () => {
    const store = await startS3();
    const server = createTestServer(database.db, { env: store.env });
    const target = await received(server);
    const res = await upload(server, await login(server), target, await page('Chờ kho'), randomUUID());
    const { pageIds } = (await res.json()) as { pageIds: string[] };
    await server.jobs.idle();
    await database.db
      .update(documentPages)
      .set({ state: 'queued', pagePdfSha256: null, thumbSha256: null })
      .where(eq(documentPages.id, pageIds[0]!));
    await store.stop();
    const job = digitizePageJob({ db: database.db, files: server.files });
    await expect(job.handler({ pageId: pageIds[0]!, revision: 0 })).rejects.toMatchObject({
      code: 'STORAGE_UNAVAILABLE',
    });
    const [row] = await database.db.select().from(documentPages).where(eq(documentPages.id, pageIds[0]!));
    expect(row).toMatchObject({ state: 'queued', error: null });
    await store.close();
  }, 60_000);
});
