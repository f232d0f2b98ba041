import { Hono } from 'hono';
import type { AppDeps } from '../app';
import type { AppVariables } from '../http/middleware';

/** OpenAPI paths of `/api/agency/*`, merged into the API's document. */
export const AGENCY_OPENAPI_PATHS: Record<string, unknown> = {};

/** `/api/agency/*`: agencies' own systems pull forwarded dossiers and post decisions, with an API key. */
export const agencyApiRoutes = (_deps: AppDeps) => new Hono<{ Variables: AppVariables }>();
