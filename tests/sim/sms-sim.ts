// An SMS provider's HTTP API as a real server on 127.0.0.1: it takes {to, text, ref, channel} with a bearer
// key, stores each `ref` once (a repeat is answered 409 "already accepted"), and can fail on demand.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type SmsSimMessage = { to: string; text: string; ref: string; channel: string; receivedAt: Date };

export type SmsSim = {
  url: string;
  key: string;
  /** Messages accepted, once per ref, in arrival order. */
  received: SmsSimMessage[];
  /** Requests that reached the server, whatever it answered. */
  requests: number;
  /** The next `n` requests are answered 503 and not stored. */
  failNext: (n: number) => void;
  /** The next `n` requests are answered 400 (a number the provider refuses). */
  rejectNext: (n: number) => void;
  /** Texts sent to one phone, oldest first. */
  to: (phone: string) => string[];
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

export const startSmsSim = async (opts: { key?: string } = {}): Promise<SmsSim> => {
  const key = opts.key ?? 'sim-provider-key-0001';
  const byRef = new Map<string, SmsSimMessage>();
  let fail = 0;
  let reject = 0;
  const sim = {
    received: [] as SmsSimMessage[],
    requests: 0,
  };
  const server = createServer(async (req, res) => {
    sim.requests += 1;
    const body = await readBody(req);
    if (req.method !== 'POST') return answer(res, 405, { error: 'method' });
    if (req.headers.authorization !== `Bearer ${key}`) return answer(res, 401, { error: 'bad key' });
    if (fail > 0) {
      fail -= 1;
      return answer(res, 503, { error: 'busy' });
    }
    if (reject > 0) {
      reject -= 1;
      return answer(res, 400, { error: 'number refused' });
    }
    let parsed: { to?: string; text?: string; ref?: string; channel?: string };
    try {
      parsed = JSON.parse(body);
    } catch {
      return answer(res, 400, { error: 'json' });
    }
    if (!parsed.to || !parsed.text || !parsed.ref) return answer(res, 400, { error: 'fields' });
    if (byRef.has(parsed.ref)) return answer(res, 409, { error: 'already accepted' });
    const message = {
      to: parsed.to,
      text: parsed.text,
      ref: parsed.ref,
      channel: parsed.channel ?? 'sms',
      receivedAt: new Date(),
    };
    byRef.set(parsed.ref, message);
    sim.received.push(message);
    return answer(res, 200, { id: `sim-${sim.received.length}` });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(sim, {
    url: `http://127.0.0.1:${port}/sms`,
    key,
    failNext: (n: number) => {
      fail = n;
    },
    rejectNext: (n: number) => {
      reject = n;
    },
    to: (phone: string) => sim.received.filter((m) => m.to === phone).map((m) => m.text),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
};
