import { Hono } from 'hono';
import type { AppDeps } from '../app';
import type { AppVariables } from '../http/middleware';

/** `/reports/*`: tables as CSV and XLSX, the monthly report as PDF (supervisors). */
export const reportRoutes = (_deps: AppDeps) => new Hono<{ Variables: AppVariables }>();
