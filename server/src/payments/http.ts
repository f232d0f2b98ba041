import { Hono } from 'hono';
import type { AppDeps } from '../app';
import type { AppVariables } from '../http/middleware';

/** OpenAPI paths of `/api/payments/*`, merged into the API's document. */
export const PAYMENTS_OPENAPI_PATHS: Record<string, unknown> = {};

/** `/api/payments/*`: the payment gateway's callbacks. */
export const paymentApiRoutes = (_deps: AppDeps) => new Hono<{ Variables: AppVariables }>();

/** `/pay/*` files for people: receipts as PDF. */
export const paymentFileRoutes = (_deps: AppDeps) => new Hono<{ Variables: AppVariables }>();
