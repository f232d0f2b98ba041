import { Hono } from 'hono';
import type { AppDeps } from '../app';
import type { AppVariables } from '../http/middleware';

/** `/agency-desk/*`: the agency official's uploads (signed result PDFs) and the dossier's files. */
export const agencyDeskRoutes = (_deps: AppDeps) => new Hono<{ Variables: AppVariables }>();
