import { Hono } from 'hono';
import type { AppDeps } from '../../app';
import type { AppVariables } from '../../http/middleware';

/** OpenAPI paths of `/api/portal/*`, merged into the API's document. */
export const PORTAL_INBOUND_OPENAPI_PATHS: Record<string, unknown> = {};

/** `/api/portal/*`: online dossiers the portal sends us (postal pickup or delivery requests). */
export const portalInboundRoutes = (_deps: AppDeps) => new Hono<{ Variables: AppVariables }>();
