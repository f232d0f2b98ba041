import { AGENCY_VISIBLE_STATES } from './dossiers';

const error = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/AgencyApiError' } } },
});

const errorSchema = {
  type: 'object',
  required: ['code', 'message', 'messageEn'],
  properties: {
    code: { type: 'string', examples: ['DOSSIER_NOT_FOUND'] },
    message: { type: 'string', description: 'Vietnamese: what went wrong and what to do' },
    messageEn: { type: 'string', description: 'English: what went wrong and what to do' },
    details: { description: 'Specifics (fields, reasons); never personal data' },
    requestId: { type: 'string' },
  },
};

const security = [{ agencyApiKey: [] }];
const codeParam = {
  name: 'code',
  in: 'path',
  required: true,
  schema: { type: 'string' },
  description: 'Dossier code, e.g. H42.01-230815-0001',
};
const idempotencyParam = {
  name: 'Idempotency-Key',
  in: 'header',
  required: true,
  schema: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,100}$' },
  description:
    'One key per action. Resending the same request with the same key returns the first answer (header ' +
    'Idempotent-Replayed: true) and changes nothing; the same key with another request is refused (422). ' +
    'Answers are kept for 30 days; after that a key may be used again.',
};

const common = {
  '401': error('AGENCY_API_KEY_INVALID: missing, unknown or revoked key'),
  '404': error(
    'DOSSIER_NOT_FOUND: no such dossier for this agency (another agency’s dossier answers the same)',
  ),
  '429': error('RATE_LIMITED: too many requests for this key'),
};

const actionResponses = {
  '200': {
    description: 'Done (or the stored answer of the same request)',
    content: { 'application/json': { schema: { $ref: '#/components/schemas/ActionAnswer' } } },
  },
  '400': error('VALIDATION_FAILED / AGENCY_API_IDEMPOTENCY_KEY_REQUIRED / a missing field'),
  ...common,
  '409': error(
    'TRANSITION_NOT_ALLOWED or AGENCY_ALREADY_DECIDED: the dossier is not in a state for this action',
  ),
  '422': error('AGENCY_API_IDEMPOTENCY_MISMATCH, or a refused result PDF (unsigned, tampered, untrusted)'),
};

const post = (summary: string, description: string, body: Record<string, unknown> | null) => ({
  post: {
    summary,
    description,
    security,
    parameters: [codeParam, idempotencyParam],
    ...(body ? { requestBody: { required: true, content: body } } : {}),
    responses: actionResponses,
  },
});

const json = (schema: Record<string, unknown>) => ({ 'application/json': { schema } });

/** The paths of `/api/agency/*` (merged into `/api/openapi.json`). Components are inlined per path. */
export const AGENCY_API_OPENAPI: Record<string, unknown> = {
  '/api/agency/dossiers': {
    get: {
      summary: 'Dossiers handed to the agency',
      description:
        'The calling key’s agency’s dossiers in the given states (default `forwarded`: waiting for the ' +
        'agency), oldest hand-over first, with their data and links to the signed component PDFs.',
      security,
      parameters: [
        {
          name: 'state',
          in: 'query',
          schema: { type: 'string', default: 'forwarded' },
          description: `Comma-separated: ${AGENCY_VISIBLE_STATES.join(', ')}`,
        },
        { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100, default: 50 } },
        {
          name: 'after',
          in: 'query',
          schema: { type: 'string' },
          description: 'The `next` of the previous page',
        },
      ],
      responses: {
        '200': {
          description: 'A page of dossiers',
          content: json({
            type: 'object',
            properties: {
              dossiers: { type: 'array', items: { $ref: '#/components/schemas/AgencyDossier' } },
              next: { type: ['string', 'null'] },
            },
          }),
        },
        '400': error('VALIDATION_FAILED: unknown state'),
        ...common,
      },
    },
  },
  '/api/agency/dossiers/{code}': {
    get: {
      summary: 'One dossier of the agency',
      security,
      parameters: [codeParam],
      responses: {
        '200': {
          description: 'The dossier',
          content: json({ $ref: '#/components/schemas/AgencyDossier' }),
        },
        ...common,
      },
    },
  },
  '/api/agency/dossiers/{code}/files/{sha256}': {
    get: {
      summary: 'A signed component PDF or the result PDF of the dossier',
      security,
      parameters: [codeParam, { name: 'sha256', in: 'path', required: true, schema: { type: 'string' } }],
      responses: {
        '200': { description: 'The PDF', content: { 'application/pdf': {} } },
        ...common,
      },
    },
  },
  '/api/agency/dossiers/{code}/accept': post(
    'Accept the dossier for review (forwarded → in_review)',
    'Accepting a dossier already in review is answered as done.',
    json({ type: 'object' }),
  ),
  '/api/agency/dossiers/{code}/supplement-request': post(
    'Ask for a supplement (Mẫu 02 goes back through the desk; the clock pauses)',
    'Everything missing, listed once: a second request counts the dossier as late.',
    json({
      type: 'object',
      required: ['items'],
      properties: {
        items: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            required: ['item'],
            properties: { item: { type: 'string' }, note: { type: 'string' } },
          },
        },
        officialName: { type: 'string' },
      },
    }),
  ),
  '/api/agency/dossiers/{code}/decision': post(
    'Decide (in_review → decided): approve with the signed result PDF, or refuse with reasons',
    'The result PDF must carry a valid signature from a trusted CA; an unsigned or modified PDF is refused ' +
      'and nothing changes. Send JSON with `resultPdfBase64`, or multipart/form-data with the fields and the ' +
      'file `result`.',
    {
      ...json({
        type: 'object',
        required: ['outcome'],
        properties: {
          outcome: { enum: ['approved', 'refused'] },
          reasons: { type: 'array', items: { type: 'string' }, description: 'Required when refused' },
          resultNumber: { type: 'string', examples: ['123/GCN-UBND'] },
          paperResult: { type: 'boolean', description: 'A paper result is also to be collected by the post' },
          resultPdfBase64: { type: 'string', contentEncoding: 'base64' },
        },
      }),
      'multipart/form-data': {
        schema: {
          type: 'object',
          properties: {
            outcome: { enum: ['approved', 'refused'] },
            reasons: { type: 'array', items: { type: 'string' } },
            resultNumber: { type: 'string' },
            paperResult: { type: 'boolean' },
            result: { type: 'string', format: 'binary' },
          },
        },
      },
    },
  ),
  '/api/agency/dossiers/{code}/result': post(
    'Release the result to the post (decided → result_ready), optionally with the signed result PDF',
    'When the citizen chose delivery by post, a courier task is created.',
    json({
      type: 'object',
      properties: { paperResult: { type: 'boolean' }, resultPdfBase64: { type: 'string' } },
    }),
  ),
  '/api/agency/dossiers/{code}/apology': post(
    'Apologise and set a new due time (Mẫu 04)',
    'At least one working day before the current due time, at most once per dossier.',
    json({
      type: 'object',
      required: ['reason', 'newDueAt'],
      properties: { reason: { type: 'string' }, newDueAt: { type: 'string', format: 'date-time' } },
    }),
  ),
  '/api/agency/dossiers/{code}/stop': post(
    'Stop processing (in review or awaiting payment → stopped)',
    'With a written reason, which the citizen reads on the tracking page. The dossier ends; the portal sees status 8.',
    json({ type: 'object', required: ['reason'], properties: { reason: { type: 'string' } } }),
  ),
};

/** Components referenced above; routes.ts may merge them into the document's `components`. */
export const AGENCY_API_COMPONENTS = {
  securitySchemes: {
    agencyApiKey: {
      type: 'http',
      scheme: 'bearer',
      description: 'The agency’s API key (`pdk_…`), issued once by the PostDesk administrator',
    },
  },
  schemas: {
    AgencyApiError: errorSchema,
    AgencyDossier: {
      type: 'object',
      properties: {
        code: { type: 'string' },
        state: { enum: [...AGENCY_VISIBLE_STATES] },
        portalStatus: { type: ['integer', 'null'], description: 'TrangThaiHoSo 1–10' },
        procedure: { type: 'object', properties: { code: { type: 'string' }, name: { type: 'string' } } },
        receivedAt: { type: ['string', 'null'], format: 'date-time' },
        dueAt: { type: ['string', 'null'], format: 'date-time' },
        forwardedAt: { type: ['string', 'null'], format: 'date-time' },
        supplementCount: { type: 'integer' },
        applicant: { type: ['object', 'null'] },
        components: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              code: { type: 'string' },
              name: { type: 'string' },
              file: {
                type: ['object', 'null'],
                properties: { sha256: { type: 'string' }, url: { type: 'string' } },
              },
            },
          },
        },
        result: { type: ['object', 'null'] },
        links: { type: 'object' },
      },
    },
    ActionAnswer: {
      type: 'object',
      properties: {
        result: {
          type: 'object',
          properties: { state: { type: 'string' }, replayed: { type: 'boolean' } },
        },
        dossier: { $ref: '#/components/schemas/AgencyDossier' },
      },
    },
  },
};

/** Signed webhooks PostDesk sends to an agency's URL (documented with the API). */
export const AGENCY_WEBHOOK_DOC = {
  description:
    'POST with a JSON body {id, attempt, event: "dossier.forwarded", occurredAt, agencyCode, dossier: {code, dueAt, url}}. ' +
    'Headers: X-PostDesk-Delivery (unique per message; the same on a retry), X-PostDesk-Timestamp (unix seconds), ' +
    'X-PostDesk-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<raw body>" with the agency’s webhook secret>. ' +
    'Refuse a bad signature or a timestamp more than 5 minutes off; answer 2xx once stored (a retry may come).',
};
