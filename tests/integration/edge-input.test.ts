import { Writable } from 'node:stream';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicants, auditLog } from '../../server/src/db/schema';
import { createLogger } from '../../server/src/logger';
import { createTestServer } from '../helpers/app';
import { createTestDatabase } from '../helpers/db';
import { intakeFor } from '../helpers/intake';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: ReturnType<typeof createTestServer>;
const lines: string[] = [];
let clerkCookie: string;
let communeCode: string;
let lltp: Parameters<typeof intakeFor>[0];

beforeAll(async () => {
  database = await createTestDatabase();
  const sink = new Writable({
    write: (chunk, _enc, done) => {
      lines.push(String(chunk));
      done();
    },
  });
  server = createTestServer(database.db, { log: createLogger('debug', sink) });
  const clerk = await server.callerAs('gdv.hang');
  lltp = await clerk.catalog.procedure({ code: '3.000333' });
  communeCode = (await clerk.catalog.communes())[0]!.code;
  const login = await server.app.request('/trpc/auth.login', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.5.0.1' },
    body: JSON.stringify({ json: { username: 'gdv.hang', password: 'postdesk-demo' } }),
  });
  clerkCookie = login.headers.get('set-cookie')!.split(';')[0]!;
});
afterAll(() => database.close());

type TrpcError = {
  error: {
    json: {
      message: string;
      data: { appCode: string; httpStatus: number; details: { fields?: { path: string }[] } | null };
    };
  };
};

const submitRaw = (body: BodyInit, headers: Record<string, string> = {}) =>
  server.app.request('/trpc/intake.submit', {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: clerkCookie, ...headers },
    body,
  });

const applicantCount = async () =>
  (await database.db.select({ n: sql<number>`count(*)::int` }).from(applicants))[0]!.n;

describe('text nobody types is refused at the door', () => {
  it('a NUL byte in a name is a 400 naming the field, nothing is stored and the log holds no personal data', async () => {
    const before = await applicantCount();
    lines.length = 0;
    const input = intakeFor(lltp, communeCode, {});
    input.applicant = {
      ...input.applicant,
      citizenId: '046195007777',
      phone: '0905 777 888',
      fullName: 'Lê Văn\u0000 Tý',
    };
    const res = await submitRaw(JSON.stringify({ json: input }));
    expect(res.status).toBe(400);
    const body = (await res.json()) as TrpcError;
    expect(body.error.json.data.appCode).toBe('TEXT_INVALID');
    expect(body.error.json.data.details!.fields![0]!.path).toBe('applicant.fullName');
    expect(body.error.json.message).toContain('ký tự');
    expect(await applicantCount()).toBe(before);
    const log = lines.join('');
    expect(log).toContain('"status":400');
    for (const personal of ['046195007777', '0905777888', '0905 777 888', 'Lê Văn', '12 Lê Lợi'])
      expect(log).not.toContain(personal);
  });

  it('bidi controls in a name and a lone surrogate are refused the same way', async () => {
    for (const fullName of ['Nguyễn \u202EnăV A', 'Trần \uD800 B', 'Phạm\u200F C']) {
      const input = intakeFor(lltp, communeCode);
      input.applicant = { ...input.applicant, fullName };
      const res = await submitRaw(JSON.stringify({ json: input }));
      expect(res.status).toBe(400);
      expect(((await res.json()) as TrpcError).error.json.data.appCode).toBe('TEXT_INVALID');
    }
  });

  it('bytes that are not UTF-8 are refused, not turned into U+FFFD and stored', async () => {
    const before = await applicantCount();
    const input = intakeFor(lltp, communeCode);
    const json = JSON.stringify({ json: input }).replace('Trần Thị Mỹ Hạnh', 'XXXX');
    const bytes = new TextEncoder().encode(json);
    const at = json.indexOf('XXXX');
    const broken = new Uint8Array([...bytes.slice(0, at), 0xc3, 0x28, 0xff, 0xfe, ...bytes.slice(at + 4)]);
    const res = await submitRaw(broken);
    expect(res.status).toBe(400);
    expect(((await res.json()) as TrpcError).error.json.data.appCode).toBe('TEXT_INVALID');
    expect(await applicantCount()).toBe(before);
  });

  it('ordinary Vietnamese text, tabs and line breaks pass', async () => {
    const input = intakeFor(lltp, communeCode);
    input.applicant = {
      ...input.applicant,
      fullName: 'Nguyễn Thị Ánh Tuyết',
      address: { line: 'Số 7,\tkiệt 12\nđường Nguyễn Huệ', communeCode },
    };
    const res = await submitRaw(JSON.stringify({ json: input }));
    expect(res.status).toBe(200);
  });
});

const failedLogins = async () =>
  (
    await database.db
      .select({ n: sql<number>`count(*)::int` })
      .from(auditLog)
      .where(eq(auditLog.action, 'login_failed'))
  )[0]!.n;

describe('request bodies are limited on every route', () => {
  it('a 3 MB tRPC body is refused with 413 in the project’s error shape before anything reads it', async () => {
    const before = await failedLogins();
    const res = await server.app.request('/trpc/auth.login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.5.0.2' },
      body: JSON.stringify({ json: { username: 'gdv.hang', password: 'x'.repeat(3 * 1024 * 1024) } }),
    });
    expect(res.status).toBe(413);
    const body = (await res.json()) as TrpcError;
    expect(body.error.json.data.appCode).toBe('BODY_TOO_LARGE');
    expect(body.error.json.message).toContain('quá lớn');
    expect(await failedLogins()).toBe(before);
  });

  it('a batched call (what the apps send) gets one 413 answer per call, so the app shows the message', async () => {
    const res = await server.app.request('/trpc/citizen.track,citizen.track?batch=1', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.5.0.3' },
      body: JSON.stringify({ 0: { json: { code: 'x', phone: 'y'.repeat(2 * 1024 * 1024) } } }),
    });
    expect(res.status).toBe(413);
    const body = (await res.json()) as TrpcError[];
    expect(body.map((b) => b.error.json.data.appCode)).toEqual(['BODY_TOO_LARGE', 'BODY_TOO_LARGE']);
  });

  it('a streamed body without a length is cut off at the limit too', async () => {
    const chunk = new Uint8Array(256 * 1024).fill(0x20);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull: (controller) => {
        if (sent >= 64) return controller.close();
        sent++;
        controller.enqueue(chunk);
      },
    });
    const res = await server.app.request('/trpc/intake.submit', {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: clerkCookie },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(sent).toBeLessThan(64);
  });

  it('a machine API route answers 413 in the API error shape', async () => {
    const res = await server.app.request('/api/payments/callback', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pad: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({
      code: 'BODY_TOO_LARGE',
      messageEn: expect.stringContaining('too large'),
    });
  });

  it('upload routes keep their larger limit (a 2 MB scan is not refused for its size)', async () => {
    const form = new FormData();
    form.set('file', new File([new Uint8Array(2 * 1024 * 1024)], 'scan.jpg', { type: 'image/jpeg' }));
    const res = await server.app.request('/desk/verify', {
      method: 'POST',
      headers: { cookie: clerkCookie },
      body: form,
    });
    expect(res.status).not.toBe(413);
    expect(((await res.json()) as { code: string }).code).toBe('PDF_INVALID');
  });
});

describe('the machine APIs refuse the same text', () => {
  it('a NUL inside a JSON body to /api is a 400 in the API error shape', async () => {
    const res = await server.app.request('/api/portal/dossiers', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ MaHoSo: 'X-1', ChuHoSo: 'Lê\u0000 Văn' }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      code: 'TEXT_INVALID',
      details: { fields: [{ path: 'ChuHoSo' }] },
    });
  });
});
