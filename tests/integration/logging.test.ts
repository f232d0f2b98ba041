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
