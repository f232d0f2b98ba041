// An agency's own system as a real HTTP server on 127.0.0.1: it receives PostDesk's signed webhooks (checks the
// HMAC and the 5-minute window, refuses replays) and, as a client, pulls its dossiers from /api/agency with its
// API key and posts accept / supplement / decision / result / apology. Faults on the receiving side: slow
// answers, 500s, held answers (the sender times out), dropped connections, and sending a request twice.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createReplayGuard,
  DELIVERY_HEADER,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  verifySignature,
} from '../../server/src/agency-api/webhooks';

export type AgencyWebhook = {
  delivery: string;
  body: {
    id: string;
    attempt: number;
    event: string;
    occurredAt: string;
    agencyCode: string;
    dossier: { code: string; dueAt: string | null; url: string };
  };
  receivedAt: Date;
};

export type AgencySimRefusal = { reason: string; status: number };

export type AgencySim = {
  /** Where PostDesk should send webhooks (the agency's configured URL). */
  webhookUrl: string;
  /** Webhooks accepted, once per delivery id, in arrival order. */
  webhooks: AgencyWebhook[];
  /** Requests that reached the webhook endpoint, whatever the answer. */
  requests: number;
  /** Arrivals of a delivery already stored (a retry after a lost answer): answered 200, not stored again. */
  repeats: number;
  /** Requests refused: bad signature, stale timestamp, replayed signature. */
  refused: AgencySimRefusal[];
  faults: {
    /** Each answer waits this long first. */
    slowMs: (ms: number) => void;
    /** The next `n` webhooks are answered 500 and not stored. */
    failNext: (n: number) => void;
    /** The next `n` webhooks are stored but never answered (the sender times out). */
    holdNext: (n: number) => void;
    /** The next `n` webhooks are dropped: the connection is destroyed before any answer, nothing stored. */
    dropNext: (n: number) => void;
  };
  /** Called for each newly stored webhook (e.g. to pull the dossier and accept it). */
  onWebhook: (fn: ((w: AgencyWebhook) => Promise<void> | void) | null) => void;
  /** The agency's API client against PostDesk. */
  client: AgencyClient;
  close: () => Promise<void>;
};

export type ApiAnswer<T = Record<string, unknown>> = {
  status: number;
  body: T;
  headers: Headers;
};

export type AgencyClient = {
  list: (state?: string, opts?: { limit?: number; after?: string }) => Promise<ApiAnswer>;
  get: (code: string) => Promise<ApiAnswer>;
  /** Downloads a file link of the dossier (absolute URL from the API's answer). */
  download: (url: string) => Promise<{ status: number; bytes: Uint8Array; type: string | null }>;
  /**
   * POSTs an action with an Idempotency-Key (a fresh one unless given). `twice: true` sends the very same
   * request twice at once, as a system that retried too eagerly.
   */
  post: (
    code: string,
    action: 'accept' | 'supplement-request' | 'decision' | 'result' | 'apology' | 'stop',
    body: unknown,
    opts?: { key?: string; twice?: boolean; multipart?: FormData },
  ) => Promise<ApiAnswer & { second?: ApiAnswer }>;
};

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

const answer = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

const header = (req: IncomingMessage, name: string) => {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
};

export const agencyClient = (opts: { apiUrl: string; apiKey: string }): AgencyClient => {
  const base = opts.apiUrl.replace(/\/$/, '');
  const auth = { authorization: `Bearer ${opts.apiKey}` };
  const call = async (url: string, init: RequestInit = {}): Promise<ApiAnswer> => {
    const res = await fetch(url, { ...init, headers: { ...auth, ...(init.headers ?? {}) } });
    const text = await res.text();
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      body = { raw: text };
    }
    return { status: res.status, body, headers: res.headers };
  };
  return {
    list: (state = 'forwarded', o = {}) => {
      const q = new URLSearchParams({ state });
      if (o.limit) q.set('limit', String(o.limit));
      if (o.after) q.set('after', o.after);
      return call(`${base}/api/agency/dossiers?${q}`);
    },
    get: (code) => call(`${base}/api/agency/dossiers/${encodeURIComponent(code)}`),
    download: async (url) => {
      const res = await fetch(url.replace(/^https?:\/\/[^/]+/, base), { headers: auth });
      return {
        status: res.status,
        bytes: new Uint8Array(await res.arrayBuffer()),
        type: res.headers.get('content-type'),
      };
    },
    post: async (code, action, body, o = {}) => {
      const key = o.key ?? `sim-${randomUUID()}`;
      const send = () =>
        call(`${base}/api/agency/dossiers/${encodeURIComponent(code)}/${action}`, {
          method: 'POST',
          headers: {
            'idempotency-key': key,
            ...(o.multipart ? {} : { 'content-type': 'application/json' }),
          },
          body: o.multipart ?? JSON.stringify(body),
        });
      if (!o.twice) return send();
      const [first, second] = await Promise.all([send(), send()]);
      return { ...first, second };
    },
  };
};

export const startAgencySim = async (opts: {
  /** The webhook secret PostDesk signs with (set on the agency's webhook). */
  secret: string;
  /** PostDesk's base URL and this agency's API key, for the client. */
  apiUrl?: string;
  apiKey?: string;
}): Promise<AgencySim> => {
  const replays = createReplayGuard();
  const byDelivery = new Map<string, AgencyWebhook>();
  const held = new Set<ServerResponse>();
  let slowMs = 0;
  let failing = 0;
  let holding = 0;
  let dropping = 0;
  let handler: ((w: AgencyWebhook) => Promise<void> | void) | null = null;

  const server = createServer(async (req, res) => {
    const raw = await readBody(req);
    sim.requests += 1;
    if (slowMs > 0) await new Promise((r) => setTimeout(r, slowMs));
    if (dropping > 0) {
      dropping -= 1;
      req.socket.destroy();
      return;
    }
    if (failing > 0) {
      failing -= 1;
      answer(res, 500, { error: 'hệ thống đang bảo trì' });
      return;
    }
    const check = verifySignature({
      secret: opts.secret,
      body: raw,
      timestamp: header(req, TIMESTAMP_HEADER),
      signature: header(req, SIGNATURE_HEADER),
    });
    if (!check.ok) {
      sim.refused.push({ reason: check.reason, status: 401 });
      answer(res, 401, { error: `signature ${check.reason}` });
      return;
    }
    const delivery = header(req, DELIVERY_HEADER) ?? '';
    if (!replays.firstTime(header(req, SIGNATURE_HEADER)!, check.timestamp)) {
      // The very same signed request a second time: a replay (or a proxy's duplicate); never processed twice.
      sim.refused.push({ reason: 'replay', status: 409 });
      answer(res, 409, { error: 'replayed request' });
      return;
    }
    if (byDelivery.has(delivery)) {
      // A retry of a message already stored (our earlier answer was lost): acknowledge, change nothing.
      sim.repeats += 1;
      answer(res, 200, { ok: true, duplicate: true });
      return;
    }
    const webhook: AgencyWebhook = {
      delivery,
      body: JSON.parse(raw) as AgencyWebhook['body'],
      receivedAt: new Date(),
    };
    byDelivery.set(delivery, webhook);
    sim.webhooks.push(webhook);
    if (holding > 0) {
      holding -= 1;
      held.add(res);
      return;
    }
    answer(res, 200, { ok: true });
    if (handler) await handler(webhook);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const sim: AgencySim = {
    webhookUrl: `http://127.0.0.1:${port}/postdesk/webhook`,
    webhooks: [],
    requests: 0,
    repeats: 0,
    refused: [],
    faults: {
      slowMs: (ms) => {
        slowMs = ms;
      },
      failNext: (n) => {
        failing = n;
      },
      holdNext: (n) => {
        holding = n;
      },
      dropNext: (n) => {
        dropping = n;
      },
    },
    onWebhook: (fn) => {
      handler = fn;
    },
    client: agencyClient({ apiUrl: opts.apiUrl ?? 'http://127.0.0.1:1', apiKey: opts.apiKey ?? '' }),
    close: async () => {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return sim;
};
