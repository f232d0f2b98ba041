import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordEvent } from '../../server/src/dossiers/engine';
import { createTestServer } from '../helpers/app';
import { createTestDatabase } from '../helpers/db';
import { intakeFor } from '../helpers/intake';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: ReturnType<typeof createTestServer>;
let received: { code: string };

beforeAll(async () => {
  database = await createTestDatabase();
  server = createTestServer(database.db);
  const clerk = await server.callerAs('gdv.hang');
  const lltp = await clerk.catalog.procedure({ code: '3.000333' });
  const commune = (await clerk.catalog.communes())[0]!.code;
  const r = await clerk.intake.submit(intakeFor(lltp, commune));
  received = { code: r.code! };
});
afterAll(() => database.close());

const track = (input: { code: string; phone: string }, ip = '10.2.0.1') =>
  server.app.request('/trpc/citizen.track', {
    method: 'POST',
    headers: { 'x-forwarded-for': ip, 'content-type': 'application/json' },
    body: JSON.stringify({ json: input }),
  });

type Body = {
  result?: { data: { json: Record<string, unknown> } };
  error?: { json: { message: string; data: { appCode: string } } };
};

describe('tracking a dossier with the code and the phone on file', () => {
  it('shows the state in plain words, the due time and the timeline, and nothing about the applicant', async () => {
    const res = await track({ code: received.code, phone: '0905 123 456' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Body;
    const data = body.result!.data.json;
    expect(data).toMatchObject({ code: received.code, state: 'received', progress: 'on_time' });
    expect((data.stateWords as { vi: string }).vi).toBe('Hồ sơ đã được tiếp nhận');
    expect((data.timeline as { vi: string }[]).map((t) => t.vi)).toEqual([
      'Tiếp nhận hồ sơ và hẹn ngày trả kết quả',
    ]);
    const text = JSON.stringify(data);
    for (const personal of ['Trần Thị Mỹ Hạnh', '046195001234', '0905123456', '12 Lê Lợi'])
      expect(text).not.toContain(personal);
  });

  it('tells the citizen what to bring when the agency asks for a supplement, and that the clock is paused', async () => {
    const clerk = await server.callerAs('gdv.hang');
    const lltp = await clerk.catalog.procedure({ code: '3.000333' });
    const commune = (await clerk.catalog.communes())[0]!.code;
    const r = await clerk.intake.submit(intakeFor(lltp, commune));
    const clerkActor = { kind: 'clerk' as const, role: 'clerk' as const };
    const agencyActor = { kind: 'agency_official' as const, role: 'agency_official' as const };
    for (const [event, actor, payload] of [
      ['complete_digitization', clerkActor, {}],
      ['forward', clerkActor, {}],
      ['accept', agencyActor, {}],
      ['request_supplement', agencyActor, { missing: [{ item: 'Bản sao sổ hộ khẩu cũ' }] }],
    ] as const) {
      await recordEvent(database.db, { dossierId: r.dossierId, event, actor, payload });
    }
    const caller = await server.callerAs(null);
    const tracked = await caller.citizen.track({ code: r.code!, phone: '0905123456' });
    expect(tracked.stateWords.vi).toBe('Cơ quan giải quyết yêu cầu bổ sung giấy tờ');
    expect(tracked.asks).toEqual({ kind: 'supplement', items: [{ item: 'Bản sao sổ hộ khẩu cũ' }] });
    expect(tracked.timeline.map((t) => t.vi)).toEqual([
      'Tiếp nhận hồ sơ và hẹn ngày trả kết quả',
      'Số hóa hồ sơ',
      'Chuyển hồ sơ đến cơ quan giải quyết',
      'Cơ quan bắt đầu giải quyết',
      'Cơ quan yêu cầu bổ sung giấy tờ',
    ]);
  });

  it('travels as POST, so the phone never appears in a URL', async () => {
    const res = await server.app.request(
      `/trpc/citizen.track?input=${encodeURIComponent(JSON.stringify({ json: { code: received.code, phone: '0905123456' } }))}`,
    );
    expect(res.status).toBe(405);
  });

  it('answers a wrong phone exactly like an unknown code', async () => {
    const wrongPhone = (await (await track({ code: received.code, phone: '0912 000 111' })).json()) as Body;
    const [agency, day] = received.code.split(/-(?=\d{6}-)/);
    const unknownCode = (await (
      await track({ code: `${agency}-${day!.slice(0, 6)}-9999`, phone: '0905 123 456' })
    ).json()) as Body;
    expect(wrongPhone.error!.json.data.appCode).toBe('TRACK_NOT_FOUND');
    expect(unknownCode.error!.json).toEqual(wrongPhone.error!.json);
  });

  it('stops an address that tries many codes', async () => {
    const codes = new Set<string>();
    for (let i = 0; i < 35; i++) {
      const body = (await (
        await track({ code: `H57.90.01-261124-${String(1000 + i)}`, phone: '0912345678' }, '10.2.9.9')
      ).json()) as Body;
      codes.add(body.error!.json.data.appCode);
    }
    expect(codes).toEqual(new Set(['TRACK_NOT_FOUND', 'RATE_LIMITED']));
    // Another address, with another phone, is not affected (the guessed phone has its own budget too).
    expect((await track({ code: received.code, phone: '0905123456' }, '10.2.9.10')).status).toBe(200);
  });

  it('a malformed code or phone says what is wrong with it', async () => {
    const caller = await server.callerAs(null);
    await expect(caller.citizen.track({ code: 'abc', phone: '0905123456' })).rejects.toMatchObject({
      cause: { code: 'DOSSIER_CODE_INVALID' },
    });
    await expect(caller.citizen.track({ code: received.code, phone: '12' })).rejects.toMatchObject({
      cause: { code: 'PHONE_INVALID' },
    });
  });
});
