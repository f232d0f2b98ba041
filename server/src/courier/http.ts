import { Hono } from 'hono';
import type { AppDeps } from '../app';
import type { AppVariables } from '../http/middleware';

/** `/field/*`: the courier app's uploads (photos, signatures) and proof PDFs. */
export const courierFieldRoutes = (_deps: AppDeps) => new Hono<{ Variables: AppVariables }>();
