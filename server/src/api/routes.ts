import { ERRORS } from '@postdesk/shared';
import { Hono } from 'hono';
import { AGENCY_OPENAPI_PATHS, agencyApiRoutes } from '../agency-api/http';
import { AGENCY_API_COMPONENTS, AGENCY_WEBHOOK_DOC } from '../agency-api/openapi';
import type { AppDeps } from '../app';
import type { AppVariables } from '../http/middleware';
import { jsonError } from '../http/staff-session';
import { PORTAL_INBOUND_OPENAPI_PATHS, portalInboundRoutes } from '../integrations/portal/inbound';
import { PAYMENTS_OPENAPI_PATHS, paymentApiRoutes } from '../payments/http';

/** The OpenAPI document of the machine API; each integration adds its paths here as it lands. */
const openApi = {
  openapi: '3.1.0',
  info: { title: 'PostDesk integration API', version: '0.1.0' },
  paths: {
    '/api/health': {
      get: {
        summary: 'Liveness of the API',
        responses: { '200': { description: 'The API answers', content: { 'application/json': {} } } },
      },
    },
    ...AGENCY_OPENAPI_PATHS,
    ...PAYMENTS_OPENAPI_PATHS,
    ...PORTAL_INBOUND_OPENAPI_PATHS,
  },
  webhooks: {
    agencyDossierForwarded: {
      post: { ...AGENCY_WEBHOOK_DOC, responses: { '200': { description: 'Stored' } } },
    },
  },
  components: AGENCY_API_COMPONENTS,
};

/** `/api/*`: machine integrations (portal, agencies, payment gateway). Errors are JSON with a code and both languages. */
export const apiRoutes = (deps: AppDeps) => {
  const api = new Hono<{ Variables: AppVariables }>();
  api.get('/health', (c) => c.json({ status: 'ok' }));
  api.get('/openapi.json', (c) => c.json(openApi));
  api.route('/agency', agencyApiRoutes(deps));
  api.route('/payments', paymentApiRoutes(deps));
  api.route('/portal', portalInboundRoutes(deps));
  // A mounted sub-app's notFound is not consulted; a catch-all route keeps unknown /api paths out of the web app.
  api.all('*', (c) =>
    c.json({ code: 'NOT_FOUND', message: ERRORS.NOT_FOUND.vi, messageEn: ERRORS.NOT_FOUND.en }, 404),
  );
  api.onError(jsonError);
  return api;
};
