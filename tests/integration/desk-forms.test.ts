import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer } from '../helpers/app';
import { createTestDatabase } from '../helpers/db';
import { intakeFor } from '../helpers/intake';
import { inspectPdf } from '../helpers/pdf';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: ReturnType<typeof createTestServer>;
let clerk: Awaited<ReturnType<ReturnType<typeof createTestServer>['callerAs']>>;
let lltp: Awaited<ReturnType<typeof clerk.catalog.procedure>>;
let commune: string;

const cookieFor = async (username: string) => {
  const res = await server.app.request('/trpc/auth.login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ json: { username, password: 'postdesk-demo' } }),
  });
  return res.headers.get('set-cookie')!.split(';')[0]!;
};

const get = (url: string, cookie?: string) => server.app.request(url, { headers: cookie ? { cookie } : {} });

const dmy = (d: Date) => {
  const v = new Date(d.getTime() + 7 * 3_600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(v.getUTCDate())}/${p(v.getUTCMonth() + 1)}/${v.getUTCFullYear()}`;
};

beforeAll(async () => {
  database = await createTestDatabase();
  server = createTestServer(database.db);
  clerk = await server.callerAs('gdv.hang');
  lltp = await clerk.catalog.procedure({ code: '3.000333' });
  commune = (await clerk.catalog.communes())[0]!.code;
});
afterAll(() => database.close());

describe('the desk’s PDF forms over HTTP', () => {
  it('Mẫu 01: two A5 copies with the code, the applicant, the components, the due date and delivery by post', async () => {
    const result = await clerk.intake.submit(
      intakeFor(lltp, commune, {
        returnMethod: 'post',
        delivery: { address: { line: '45 Hùng Vương', communeCode: commune }, window: 'any' },
      }),
    );
    const res = await get(result.forms[0]!.url, await cookieFor('gdv.hang'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const pdf = inspectPdf(new Uint8Array(await res.arrayBuffer()));
    expect(pdf.qpdfOk).toBe(true);
    expect(pdf.pages).toBe(2);
    expect(Math.round(pdf.width)).toBe(420);
    expect(pdf.flat).toContain(result.code!);
    expect(pdf.flat).toContain('Trần Thị Mỹ Hạnh');
    for (const c of lltp.components.filter((c) => c.required))
      expect(pdf.flat).toContain(c.name.slice(0, 25));
    expect(pdf.flat).toContain(dmy(result.dueAt!));
    expect(pdf.flat).toMatch(/bưu chính/i);
    expect(pdf.flat).toContain('45 Hùng Vương');
  });

  it('Mẫu 02 lists what is missing; Mẫu 03 gives the reason', async () => {
    const cookie = await cookieFor('gdv.hang');
    const required = lltp.components.find((c) => c.required)!;
    const supplement = await clerk.intake.submit(
      intakeFor(lltp, commune, { outcome: 'request_supplement', absent: [required.code] }),
    );
    const m02 = inspectPdf(new Uint8Array(await (await get(supplement.forms[0]!.url, cookie)).arrayBuffer()));
    expect(m02.qpdfOk).toBe(true);
    expect(m02.flat).toContain(required.name.slice(0, 25));
    expect(m02.flat).toMatch(/BỔ SUNG/);

    const refusal = await clerk.intake.submit(
      intakeFor(lltp, commune, { outcome: 'refuse', reason: 'Hồ sơ không thuộc phạm vi tiếp nhận' }),
    );
    const m03 = inspectPdf(new Uint8Array(await (await get(refusal.forms[0]!.url, cookie)).arrayBuffer()));
    expect(m03.flat).toContain('Hồ sơ không thuộc phạm vi tiếp nhận');
    expect(m03.flat).toMatch(/TỪ CHỐI/);
  });

  it('Mẫu 06 for today lists the day’s dossiers; the guidance sheet is one page', async () => {
    const cookie = await cookieFor('gdv.hang');
    const received = await clerk.intake.submit(intakeFor(lltp, commune));
    const book = inspectPdf(new Uint8Array(await (await get('/forms/tracking-book', cookie)).arrayBuffer()));
    expect(book.qpdfOk).toBe(true);
    expect(book.width).toBeGreaterThan(book.height);
    expect(book.flat).toContain(received.code!);
    const guidance = inspectPdf(
      new Uint8Array(await (await get(`/forms/guidance/${lltp.code}`, cookie)).arrayBuffer()),
    );
    expect(guidance.pages).toBe(1);
    expect(guidance.flat).toContain(lltp.name.slice(0, 30));
  });

  it('another office’s clerk gets a not-found page, a stranger a sign-in page, and no PDF', async () => {
    const result = await clerk.intake.submit(intakeFor(lltp, commune));
    const other = await get(result.forms[0]!.url, await cookieFor('gdv.quang'));
    expect(other.status).toBe(404);
    expect(other.headers.get('content-type')).toMatch(/text\/html/);
    expect(await other.text()).toMatch(/Không tìm thấy hồ sơ/i);
    const anonymous = await get(result.forms[0]!.url);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.text()).toMatch(/đăng nhập/i);
    const citizenAgency = await get(`/forms/tracking-book?from=2026-13-01`, await cookieFor('gdv.hang'));
    expect(citizenAgency.status).toBe(400);
  });
});
