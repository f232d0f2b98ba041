import type { Role } from '@postdesk/shared';

/** The data the requests name: one dossier of the Huế post office, forwarded to its agency, and its files. */
export type RouteFixture = {
  dossierId: string;
  dossierCode: string;
  componentCode: string;
  officeId: string;
  signedSha256: string;
  billCode: string;
  proofId: string;
  jpeg: Uint8Array;
  signedPdf: Uint8Array;
};

export type RouteRequest = {
  path: string;
  method?: string;
  body?: () => BodyInit;
  json?: unknown;
  headers?: Record<string, string>;
};

/**
 * Who gets past a route's gate:
 * - `anyone`: public (health, the receipt of an unguessable bill code, the web apps' files);
 * - roles: staff by session cookie; `scoped` = a holder of the role at another office (or another agency)
 *   is refused too;
 * - `agency-key`: the agency API's bearer key, and only the dossier's own agency (no session counts);
 * - `partner-signature`: machine callbacks signed by the partner; a session or agency key counts for nothing,
 *   every caller gets what an anonymous one gets;
 * - `citizen-session`: only the citizen's own e-ID session (cookie `pd_citizen`) opens it; a staff session or
 *   an agency key counts for nothing (tests/integration/eid-sign-in.test.ts covers the citizen's side);
 * - `middleware` and `trpc`: not a handler of its own (guards mounted on a prefix; the tRPC matrix covers
 *   /trpc); `not-found`: the API's catch-all.
 */
/** A route with a gate of its own: the request to send and what an allowed caller may get (default 200). */
export type GateRule = { request: (f: RouteFixture) => RouteRequest; passes?: number[] } & (
  | { allow: 'anyone' }
  | { allow: Role[]; scoped: boolean }
  | {
      allow: 'agency-key';
      /** A list every agency may ask for: another agency's key gets its own (without this dossier). */
      everyAgency?: boolean;
      /** The body is checked before the dossier is looked up: another agency's key may hear 400 (nothing done). */
      validatesFirst?: boolean;
    }
);

export type RouteRule =
  | GateRule
  | {
      allow: 'partner-signature' | 'not-found' | 'citizen-session';
      request: (f: RouteFixture) => RouteRequest;
    }
  | { allow: 'middleware' | 'trpc' };

export const isGate = (rule: RouteRule): rule is GateRule =>
  Array.isArray(rule.allow) || rule.allow === 'anyone' || rule.allow === 'agency-key';

const STAFF: Role[] = ['clerk', 'supervisor', 'agency_official', 'admin'];
/** Any status but the gate's refusals: a request with a deliberately incomplete body passes the gate. */
const PAST_THE_GATE = [200, 201, 400, 409, 413, 422];

const form = (fields: Record<string, string | Blob>) => () => {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  return data;
};

const agencyAction = (action: string): RouteRule => ({
  allow: 'agency-key',
  request: (f) => ({
    path: `/api/agency/dossiers/${f.dossierCode}/${action}`,
    method: 'POST',
    json: {},
    headers: { 'idempotency-key': `route-matrix-${action}-${Math.random().toString(36).slice(2, 12)}` },
  }),
  passes: PAST_THE_GATE,
  // `accept` takes no body, so another agency's key meets the dossier look-up and nothing else.
  validatesFirst: action !== 'accept',
});

/**
 * Every route of the Hono app (`app.routes`, method and path as Hono lists them) with who may call it. A
 * route missing here fails the matrix until someone decides its access.
 */
export const ROUTE_ACCESS: Record<string, RouteRule> = {
  'ALL /*': { allow: 'middleware' },
  'GET /health': { allow: 'anyone', request: () => ({ path: '/health' }) },
  'GET /ready': { allow: 'anyone', request: () => ({ path: '/ready' }) },
  'ALL /trpc/*': { allow: 'trpc' },

  'GET /api/health': { allow: 'anyone', request: () => ({ path: '/api/health' }) },
  'GET /api/openapi.json': { allow: 'anyone', request: () => ({ path: '/api/openapi.json' }) },
  'ALL /api/agency/*': { allow: 'middleware' },
  'GET /api/agency/dossiers': {
    allow: 'agency-key',
    request: () => ({ path: '/api/agency/dossiers' }),
    everyAgency: true,
  },
  'GET /api/agency/dossiers/:code': {
    allow: 'agency-key',
    request: (f) => ({ path: `/api/agency/dossiers/${f.dossierCode}` }),
  },
  'GET /api/agency/dossiers/:code/files/:sha256': {
    allow: 'agency-key',
    request: (f) => ({ path: `/api/agency/dossiers/${f.dossierCode}/files/${f.signedSha256}` }),
  },
  'POST /api/agency/dossiers/:code/accept': agencyAction('accept'),
  'POST /api/agency/dossiers/:code/supplement-request': agencyAction('supplement-request'),
  'POST /api/agency/dossiers/:code/decision': agencyAction('decision'),
  'POST /api/agency/dossiers/:code/result': agencyAction('result'),
  'POST /api/agency/dossiers/:code/apology': agencyAction('apology'),
  'POST /api/agency/dossiers/:code/stop': agencyAction('stop'),
  'POST /api/payments/callback': {
    allow: 'partner-signature',
    request: (f) => ({ path: '/api/payments/callback', method: 'POST', json: { billCode: f.billCode } }),
  },
  'POST /api/portal/dossiers': {
    allow: 'partner-signature',
    request: () => ({ path: '/api/portal/dossiers', method: 'POST', json: {} }),
  },
  'ALL /api/*': { allow: 'not-found', request: () => ({ path: '/api/no-such-route' }) },

  'ALL /forms/*': { allow: 'middleware' },
  'GET /forms/guidance/:code': {
    allow: STAFF,
    scoped: false,
    request: () => ({ path: '/forms/guidance/3.000333' }),
  },
  'GET /forms/dossiers/:id/:form{mau02-agency|mau03-agency|mau04|mau05}': {
    allow: STAFF,
    scoped: true,
    request: (f) => ({ path: `/forms/dossiers/${f.dossierId}/mau05` }),
  },
  'GET /forms/dossiers/:id/:form': {
    allow: STAFF,
    scoped: true,
    request: (f) => ({ path: `/forms/dossiers/${f.dossierId}/mau01` }),
  },
  'GET /forms/tracking-book': {
    allow: ['clerk', 'supervisor'],
    scoped: true,
    request: (f) => ({ path: `/forms/tracking-book?office=${f.officeId}` }),
  },

  'ALL /desk/*': { allow: 'middleware' },
  'POST /desk/dossiers/:dossierId/components/:code/pages': {
    allow: ['clerk'],
    scoped: true,
    request: (f) => ({
      path: `/desk/dossiers/${f.dossierId}/components/${f.componentCode}/pages`,
      method: 'POST',
      body: form({ file: new Blob([new Uint8Array(f.jpeg)]) }),
    }),
    // Digitizing is closed once the dossier is forwarded: the clerk of the office gets past the gate to hear it.
    passes: [201, 409],
  },
  'POST /desk/verify': {
    allow: STAFF,
    scoped: false,
    request: (f) => ({
      path: '/desk/verify',
      method: 'POST',
      body: form({ file: new Blob([new Uint8Array(f.signedPdf)]) }),
    }),
  },
  // Files of the offices the caller belongs to (an admin's office is the service centre's).
  'GET /desk/files/:sha256': {
    allow: ['clerk', 'supervisor', 'agency_official'],
    scoped: true,
    request: (f) => ({ path: `/desk/files/${f.signedSha256}` }),
  },

  'ALL /agency-desk/*': { allow: 'middleware' },
  'GET /agency-desk/dossiers/:id/files/:sha256': {
    allow: STAFF,
    scoped: true,
    request: (f) => ({ path: `/agency-desk/dossiers/${f.dossierId}/files/${f.signedSha256}` }),
  },
  'GET /agency-desk/dossiers/:id/files/:sha256/pages/:n': {
    allow: STAFF,
    scoped: true,
    request: (f) => ({ path: `/agency-desk/dossiers/${f.dossierId}/files/${f.signedSha256}/pages/1?dpi=40` }),
  },
  'POST /agency-desk/dossiers/:id/decide': {
    allow: ['agency_official'],
    scoped: true,
    request: (f) => ({
      path: `/agency-desk/dossiers/${f.dossierId}/decide`,
      method: 'POST',
      body: form({ outcome: 'refused', reasons: 'Thiếu giấy tờ' }),
    }),
    passes: PAST_THE_GATE,
  },
  'POST /agency-desk/dossiers/:id/release': {
    allow: ['agency_official'],
    scoped: true,
    request: (f) => ({
      path: `/agency-desk/dossiers/${f.dossierId}/release`,
      method: 'POST',
      body: form({}),
    }),
    passes: PAST_THE_GATE,
  },

  'POST /field/uploads': {
    allow: ['courier'],
    scoped: false,
    request: (f) => ({
      path: '/field/uploads',
      method: 'POST',
      body: () => new Blob([new Uint8Array(f.jpeg)]),
    }),
    passes: [201],
  },
  // The courier who made the proof, staff of the receiving office, the deciding agency.
  'GET /field/proofs/:file': {
    allow: ['courier', 'clerk', 'supervisor', 'agency_official'],
    scoped: true,
    request: (f) => ({ path: `/field/proofs/${f.proofId}.pdf` }),
  },

  'ALL /reports/*': { allow: 'middleware' },
  'GET /reports/monthly.pdf': {
    allow: ['supervisor'],
    scoped: true,
    request: (f) => ({ path: `/reports/monthly.pdf?officeId=${f.officeId}` }),
  },
  'GET /reports/:table{[a-z]+\\.(csv|xlsx)}': {
    allow: ['supervisor'],
    scoped: true,
    request: (f) => ({ path: `/reports/deadlines.csv?officeId=${f.officeId}` }),
  },

  // Whoever holds the unguessable bill code (printed for the payer) may fetch the receipt.
  // The e-ID sign-in: the browser goes to the provider and comes back (here unconfigured: back to /my with why).
  'GET /auth/eid/start': { allow: 'anyone', request: () => ({ path: '/auth/eid/start' }), passes: [302] },
  'GET /auth/eid/callback': {
    allow: 'anyone',
    request: () => ({ path: '/auth/eid/callback?code=x&state=y' }),
    passes: [302],
  },
  'GET /citizen/documents/:id': {
    allow: 'citizen-session',
    request: (f) => ({ path: `/citizen/documents/${f.dossierId}` }),
  },
  'GET /receipts/:file': { allow: 'anyone', request: (f) => ({ path: `/receipts/${f.billCode}.pdf` }) },

  // The web apps' files: the same for everyone, no data in them.
  'ALL /courier/*': { allow: 'middleware' },
  'GET /courier/*': { allow: 'anyone', request: () => ({ path: '/courier/' }), passes: [200, 503] },
  'GET /*': { allow: 'anyone', request: () => ({ path: '/' }), passes: [200, 503] },
};
