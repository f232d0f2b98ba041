import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../server/src/logger';

const capture = () => {
  const lines: string[] = [];
  const sink = new Writable({
    write: (chunk, _enc, done) => {
      lines.push(String(chunk));
      done();
    },
  });
  return { log: createLogger('info', sink), text: () => lines.join('') };
};

describe('logs', () => {
  it('a failed query is logged with its SQL but never its parameters', async () => {
    const { log, text } = capture();
    const { createTestDatabase } = await import('../helpers/db');
    const { sql } = await import('drizzle-orm');
    const database = await createTestDatabase();
    try {
      const err = await database.db
        .execute(sql`select * from no_such_table where citizen_id = ${'046095001234'}`)
        .then(
          () => null,
          (e: Error) => e,
        );
      expect(String(err?.message)).toContain('046095001234');
      log.error({ err: err!.message, stack: err!.stack }, 'request failed');
      log.error({ err }, 'request failed');
      log.error(err!.message);
    } finally {
      await database.close();
    }
    const out = text();
    expect(out).toContain('no_such_table');
    expect(out).not.toContain('046095001234');
  });

  it('never carry a citizen id, phone, password, name or address, even nested two deep', () => {
    const { log, text } = capture();
    log.info(
      {
        password: 'mat-khau',
        applicant: { citizenId: '046095001234', phone: '0905123456', fullName: 'Nguyễn Văn A' },
        input: { applicant: { address: '12 Lê Lợi, Phú Xuân' } },
        dossierId: 'a4f0c2d1',
      },
      'intake',
    );
    const out = text();
    for (const secret of ['mat-khau', '046095001234', '0905123456', 'Nguyễn Văn A', '12 Lê Lợi'])
      expect(out).not.toContain(secret);
    expect(out).toContain('a4f0c2d1');
    expect(out).toContain('[redacted]');
  });

  it('a request log line carries the request id, the path and the status, and no query string', async () => {
    const { log, text } = capture();
    const { Hono } = await import('hono');
    const { requestContext } = await import('../../server/src/http/middleware');
    const app = new Hono().use('*', requestContext(log)).get('/track', (c) => c.text('ok'));
    await app.request('/track?phone=0905123456', { headers: { 'x-request-id': 'req-12345678' } });
    const line = JSON.parse(text().trim()) as Record<string, unknown>;
    expect(line).toMatchObject({ requestId: 'req-12345678', path: '/track', status: 200 });
    expect(text()).not.toContain('0905123456');
  });
});

describe('logs, at any depth', () => {
  it('redact personal keys six levels down, in arrays, and in any case', () => {
    const { log, text } = capture();
    log.info(
      {
        job: {
          payload: {
            tasks: [{ stop: { contact: { contactPhone: '0905111222', ContactName: 'Võ Thị Sáu' } } }],
          },
        },
        a: {
          b: { c: { d: { e: { citizen_id: '046095009999', deliveryAddress: { line: '3 Trần Phú' } } } } },
        },
        dossierId: 'd-0001',
      },
      'deep',
    );
    const out = text();
    for (const secret of ['0905111222', 'Võ Thị Sáu', '046095009999', '3 Trần Phú'])
      expect(out).not.toContain(secret);
    expect(out).toContain('d-0001');
  });

  it('scrub phone numbers, citizen ids, e-mails and query parameters out of error text', () => {
    const { log, text } = capture();
    const failed = new Error(
      'Failed query: insert into "applicants" ("citizen_id", "full_name", "phone") values ($1, $2, $3)\nparams: 046195001234,Nguyễn Văn A,0905123456',
    );
    log.error({ err: failed, note: 'write to an.nguyen@example.vn or +84905123456' }, 'procedure failed');
    log.warn('could not text 0912 345 678 / 0912345678');
    const out = text();
    for (const secret of [
      '046195001234',
      'Nguyễn Văn A',
      '0905123456',
      'an.nguyen@example.vn',
      '+84905123456',
      '0912345678',
    ])
      expect(out).not.toContain(secret);
    expect(out).toContain('insert into');
  });
});
