import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer } from '../helpers/app';
import { createTestDatabase } from '../helpers/db';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: ReturnType<typeof createTestServer>;
beforeAll(async () => {
  database = await createTestDatabase();
  server = createTestServer(database.db);
});
afterAll(() => database.close());

describe('health', () => {
  it('answers ok with the database reachable', async () => {
    const res = await server.app.request('/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
    expect(res.headers.get('x-request-id')).toMatch(/^[\w-]{8,}$/);
    const ready = await server.app.request('/ready');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', database: 'ok', objectStore: 'ok' });
  });

  it('the machine API answers JSON errors in both languages', async () => {
    const res = await server.app.request('/api/nothing-here');
    expect(res.status).toBe(404);
    const body = (await res.json()) as { code: string; message: string; messageEn: string };
    expect(body.code).toBe('NOT_FOUND');
    expect(body.message.length).toBeGreaterThan(0);
    expect(body.messageEn.length).toBeGreaterThan(0);
    expect((await server.app.request('/api/openapi.json')).status).toBe(200);
  });
});

describe('the seeded catalogue through tRPC', () => {
  it('lists at least 15 procedures in force with agency, fees and processing time', async () => {
    const caller = await server.callerAs(null);
    const list = await caller.catalog.procedures();
    expect(list.length).toBeGreaterThanOrEqual(15);
    for (const p of list) {
      expect(p.code).toMatch(/^\d\.\d{6}$/);
      expect(p.agency.name.length).toBeGreaterThan(0);
      expect(p.processingWorkingDays).toBeGreaterThan(0);
    }
    const agencies = new Set(list.map((p) => p.agency.code));
    expect(agencies.size).toBeGreaterThanOrEqual(4);
  });

  it('finds the criminal record certificate by a word of its name', async () => {
    const caller = await server.callerAs(null);
    const list = await caller.catalog.procedures({ q: 'lý lịch tư pháp' });
    expect(list.length).toBeGreaterThan(0);
    expect(list[0]!.name).toMatch(/lý lịch tư pháp/i);
  });

  it.each([
    ['ly lich tu phap', '3.000333'],
    ['Lý lịch tư pháp', '3.000333'],
    ['đổi bằng lái', '3.000347'],
    ['doi bang lai', '3.000347'],
    ['ho chieu', '1.001456'],
    ['khai sinh', '1.001193'],
    ['3.000347', '3.000347'],
  ])('ranks the right procedure first for %j', async (q, code) => {
    const caller = await server.callerAs(null);
    const list = await caller.catalog.procedures({ q });
    expect(list[0]?.code).toBe(code);
  });

  it('puts every procedure whose code starts with the typed prefix before the rest', async () => {
    const caller = await server.callerAs(null);
    const list = await caller.catalog.procedures({ q: '3.000' });
    const firstOther = list.findIndex((p) => !p.code.startsWith('3.000'));
    expect(list.filter((p) => p.code.startsWith('3.000')).length).toBeGreaterThanOrEqual(3);
    if (firstOther >= 0) expect(list.slice(firstOther).every((p) => !p.code.startsWith('3.000'))).toBe(true);
  });

  it('filters by level and agency', async () => {
    const caller = await server.callerAs(null);
    const commune = await caller.catalog.procedures({ level: 'commune' });
    expect(commune.length).toBeGreaterThan(0);
    expect(commune.every((p) => p.level === 'commune')).toBe(true);
    const agency = commune[0]!.agency.code;
    const byAgency = await caller.catalog.procedures({ agencyCode: agency });
    expect(byAgency.every((p) => p.agency.code === agency)).toBe(true);
  });

  it('a query matching nothing returns an empty list, not everything', async () => {
    const caller = await server.callerAs(null);
    expect(await caller.catalog.procedures({ q: 'xyzzy qwerty' })).toEqual([]);
  });

  it('shows one procedure with its components and legal basis', async () => {
    const caller = await server.callerAs(null);
    const [first] = await caller.catalog.procedures();
    const detail = await caller.catalog.procedure({ code: first!.code });
    expect(detail.components.length).toBeGreaterThan(0);
    expect(detail.legalBasis.length).toBeGreaterThan(0);
    expect(['original', 'copy', 'original_or_certified_copy']).toContain(detail.components[0]!.form);
  });

  it('an unknown procedure code is PROCEDURE_NOT_FOUND; a malformed one PROCEDURE_CODE_INVALID', async () => {
    const caller = await server.callerAs(null);
    await expect(caller.catalog.procedure({ code: '9.999999' })).rejects.toMatchObject({
      cause: { code: 'PROCEDURE_NOT_FOUND' },
    });
    await expect(caller.catalog.procedure({ code: 'abc' })).rejects.toMatchObject({
      cause: { code: 'PROCEDURE_CODE_INVALID' },
    });
  });

  it('has one province with at least 20 communes and offices of every kind', async () => {
    const caller = await server.callerAs(null);
    const communes = await caller.catalog.communes();
    expect(communes.length).toBeGreaterThanOrEqual(20);
    expect(new Set(communes.map((c) => c.provinceCode)).size).toBe(1);
    const offices = await caller.catalog.offices();
    const kinds = offices.map((o) => o.kind);
    expect(kinds.filter((k) => k === 'post_office').length).toBeGreaterThanOrEqual(3);
    expect(kinds).toContain('service_centre');
    expect(kinds.filter((k) => k === 'agency' || k === 'commune_committee').length).toBeGreaterThanOrEqual(4);
  });
});
