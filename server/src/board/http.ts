import { appError, INDICATORS, type Role } from '@postdesk/shared';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../app';
import { jsonError, requireStaff, type StaffVariables } from '../http/staff-session';
import { loadHolidayTables } from '../intake/holidays';
import { supervisedOffices } from './facts';
import { renderMonthlyReport } from './report-pdf';
import {
  courierFigures,
  monthFigures,
  monthOf,
  monthPeriod,
  namesOf,
  narrowOffices,
  summarize,
} from './service';
import { buildTable, toCsv, toXlsx } from './tables';

const SUPERVISOR: Role[] = ['supervisor'];

const query = z.object({
  month: z
    .string()
    .regex(/^\d{4}-\d{2}$/)
    .optional(),
  groupBy: z.enum(['office', 'agency', 'commune', 'procedure', 'none']).default('office'),
  officeId: z.uuid().optional(),
  key: z.string().max(64).optional(),
  indicator: z.enum([...INDICATORS, 'postal']).optional(),
});

const download = (bytes: Uint8Array | string, type: string, filename: string, inline = false) =>
  new Response(typeof bytes === 'string' ? bytes : Buffer.from(bytes), {
    headers: {
      'content-type': type,
      'content-disposition': `${inline ? 'inline' : 'attachment'}; filename="${filename}"`,
      'cache-control': 'private, no-store',
    },
  });

/** `/reports/*`: tables as CSV and XLSX, the monthly report as PDF (supervisors, their offices only). */
export const reportRoutes = (deps: AppDeps) => {
  const app = new Hono<{ Variables: StaffVariables }>();
  app.onError((err, c) => jsonError(err, c));
  app.use('*', requireStaff(deps.db, SUPERVISOR));

  const parse = (c: { req: { query: () => Record<string, string> } }) => {
    const q = query.safeParse(c.req.query());
    if (!q.success)
      throw appError('VALIDATION_FAILED', { fields: q.error.issues.map((i) => i.path.join('.')) });
    return q.data;
  };

  app.get('/monthly.pdf', async (c) => {
    const q = parse(c);
    const now = new Date();
    const supervised = supervisedOffices(c.get('user').memberships);
    const officeIds = narrowOffices(supervised, q.officeId);
    const month = q.month ?? monthOf(now);
    const summary = summarize(
      await monthFigures(deps.readDb ?? deps.db, { officeIds, month, groupBy: q.groupBy, now }),
    );
    const courier = await courierFigures(deps.readDb ?? deps.db, {
      officeIds,
      period: monthPeriod(month, now),
      holidays: await loadHolidayTables(deps.readDb ?? deps.db),
    });
    const names = await namesOf(deps.readDb ?? deps.db, 'office', officeIds);
    const scopeName = q.officeId ? (names[q.officeId] ?? '') : `${officeIds.length} đơn vị được giám sát`;
    const bytes = await renderMonthlyReport({ summary, courier, scopeName, generatedAt: now });
    return download(bytes, 'application/pdf', `bao-cao-chi-so-${month}.pdf`, true);
  });

  app.get('/:table{[a-z]+\\.(csv|xlsx)}', async (c) => {
    const [name, ext] = c.req.param('table').split('.') as [string, 'csv' | 'xlsx'];
    const q = parse(c);
    const now = new Date();
    const officeIds = narrowOffices(supervisedOffices(c.get('user').memberships), q.officeId);
    const month = q.month ?? monthOf(now);
    monthPeriod(month, now);
    const table = await buildTable(deps.readDb ?? deps.db, name, {
      officeIds,
      month,
      groupBy: q.groupBy,
      ...(q.key ? { key: q.key } : {}),
      ...(q.indicator ? { indicator: q.indicator } : {}),
      now,
    });
    const file = `${name}-${month}.${ext}`;
    return ext === 'csv'
      ? download(toCsv(table), 'text/csv; charset=utf-8', file)
      : download(
          await toXlsx(table),
          'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          file,
        );
  });

  return app;
};
