// The national public-service portal's sync endpoint as a real HTTP server on 127.0.0.1, with the faults an
// integration must survive: 500s, a held response (timeout), a request delivered twice, a rejected message,
// slow answers and dropped connections.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type PortalSimMessage = {
  key: string;
  service: string;
  isUpdating?: boolean;
  data: Record<string, unknown>[];
  receivedAt: Date;
};

type Reject = {
  status: number;
  body: string;
  match: (body: Record<string, unknown>, key: string) => boolean;
};

export type PortalSim = {
  url: string;
  /** Every message stored, once per idempotency key, in arrival order. */
  received: PortalSimMessage[];
  /** Requests that reached the server, whatever it answered (repeats included). */
  requests: number;
  /** Requests answered `already received` (a repeat of a stored key). */
  repeats: number;
  /** The next `n` requests are answered 500 and not stored. */
  failNext: (n: number) => void;
  /** The next `n` requests are stored but never answered until `close()` (the caller times out). */
  holdNext: (n: number) => void;
  /** The next `n` requests are processed twice, as when a flaky proxy replays them. */
  duplicateNext: (n: number) => void;
  /** Answers 400 to messages matching `match` until `accept()`. */
  reject: (match: Reject['match'], body?: string) => void;
  accept: () => void;
  /** Fails each request with probability `rate` (500), for the benchmark's unhealthy portal. */
  failRandomly: (rate: number) => void;
  /** Each answer waits this long first (a slow portal). */
  slowMs: (ms: number) => void;
  /** The next `n` requests lose their connection before any answer; nothing is stored. */
  dropNext: (n: number) => void;
  /** Called with each newly stored message (the benchmark measures acknowledgement lag with it). */
  onStored: (fn: ((m: PortalSimMessage) => void) | null) => void;
  /** Progress events (`CapNhatTienDoHoSoMC`) for one dossier code, in arrival order. */
  progressOf: (code: string) => Record<string, unknown>[];
  /** Dossier records (`DongBoHoSoMC`) for one dossier code, in arrival order. */
  recordsOf: (code: string) => Record<string, unknown>[];
  close: () => Promise<void>;
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

export const startPortalSim = async (): Promise<PortalSim> => {
  const byKey = new Map<string, PortalSimMessage>();
  const held = new Set<ServerResponse>();
  let failing = 0;
  let holding = 0;
  let duplicating = 0;
  let failRate = 0;
  let slow = 0;
  let dropping = 0;
  let stored: ((m: PortalSimMessage) => void) | null = null;
  let rejecting: Reject | null = null;

  /** What the portal does with one arrival of a request; returns the answer it gives. */
  const process = (key: string, body: Record<string, unknown>): { status: number; body: unknown } => {
    sim.requests += 1;
    if (byKey.has(key)) {
      sim.repeats += 1;
      return { status: 200, body: { error_code: '00', message: 'already received' } };
    }
    if (rejecting?.match(body, key))
      return { status: 400, body: { error_code: '99', message: rejecting.body } };
    byKey.set(key, {
      key,
      service: String(body.service),
      isUpdating: body.isUpdating as boolean | undefined,
      data: (body.data as Record<string, unknown>[]) ?? [],
      receivedAt: new Date(),
    });
    sim.received.push(byKey.get(key)!);
    stored?.(byKey.get(key)!);
    return { status: 200, body: { error_code: '00', message: 'OK' } };
  };

  const server = createServer(async (req, res) => {
    const raw = await readBody(req);
    if (slow > 0) await new Promise((r) => setTimeout(r, slow));
    if (dropping > 0) {
      dropping -= 1;
      sim.requests += 1;
      req.socket.destroy();
      return;
    }
    const key = req.headers['idempotency-key'];
    if (req.method !== 'POST' || typeof key !== 'string' || key === '') {
      answer(res, 400, { error_code: '01', message: 'Idempotency-Key header required' });
      return;
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      answer(res, 400, { error_code: '02', message: 'body is not JSON' });
      return;
    }
    if (failing > 0 || (failRate > 0 && Math.random() < failRate)) {
      if (failing > 0) failing -= 1;
      sim.requests += 1;
      answer(res, 500, { error_code: '500', message: 'Hệ thống đang bận' });
      return;
    }
    if (holding > 0) {
      holding -= 1;
      process(key, body);
      held.add(res);
      return;
    }
    if (duplicating > 0) {
      duplicating -= 1;
      process(key, body);
    }
    const result = process(key, body);
    answer(res, result.status, result.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const ofCode = (service: string, code: string) =>
    sim.received.filter((m) => m.service === service).flatMap((m) => m.data.filter((d) => d.MaHoSo === code));

  const sim: PortalSim = {
    url: `http://127.0.0.1:${port}/`,
    received: [],
    requests: 0,
    repeats: 0,
    failNext: (n) => {
      failing = n;
    },
    holdNext: (n) => {
      holding = n;
    },
    duplicateNext: (n) => {
      duplicating = n;
    },
    reject: (match, body = 'Dữ liệu không hợp lệ') => {
      rejecting = { status: 400, body, match };
    },
    accept: () => {
      rejecting = null;
    },
    failRandomly: (rate) => {
      failRate = rate;
    },
    slowMs: (ms) => {
      slow = ms;
    },
    dropNext: (n) => {
      dropping = n;
    },
    onStored: (fn) => {
      stored = fn;
    },
    progressOf: (code) => ofCode('CapNhatTienDoHoSoMC', code),
    recordsOf: (code) => ofCode('DongBoHoSoMC', code),
    close: async () => {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return sim;
};
