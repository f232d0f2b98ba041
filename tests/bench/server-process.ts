// What the HTTP benchmarks share: PostDesk's compiled server (dist/server/main.js) started as a child process
// with its output in a log file, signed in over HTTP, called through tRPC's HTTP wire format, and intake sent
// at a fixed arrival rate (open loop) or by a fixed number of clients (closed loop).
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../helpers/processes';
import { intakeFor } from '../helpers/intake';
import { percentile } from './pg';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A child process whose output goes to a log file; stopped with SIGTERM (then SIGKILL) by its own pid. */
export const child = (
  name: string,
  cmd: string,
  args: string[],
  env: Record<string, string>,
  logDir: string,
) => {
  const log = join(logDir, `${name}.log`);
  const proc = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = createWriteStream(log);
  proc.stdout?.pipe(out);
  proc.stderr?.pipe(out);
  return {
    name,
    proc,
    log,
    stop: async () => {
      if (proc.exitCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await Promise.race([exited, sleep(15_000)]);
      if (proc.exitCode === null) proc.kill('SIGKILL');
    },
  };
};
export type Child = ReturnType<typeof child>;

export const waitFor = async (url: string, proc: ChildProcess, log: string) => {
  for (let i = 0; i < 240; i++) {
    if (proc.exitCode !== null) throw new Error(`process exited: ${readFileSync(log, 'utf8').slice(-2000)}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await sleep(500);
  }
  throw new Error(`${url} never answered`);
};

let built = false;
/** Builds what is stale (once per run) and returns the compiled server's entry point. */
export const builtServer = () => {
  if (!built)
    execFileSync(process.execPath, [join(ROOT, 'scripts/build.mjs'), '--stale'], { stdio: 'inherit' });
  built = true;
  return join(ROOT, 'dist/server/main.js');
};

/** The compiled server in role `role` on a free port, answering /health. */
export const startServerProcess = async (
  name: string,
  role: 'all' | 'web' | 'worker',
  env: Record<string, string>,
  logDir: string,
) => {
  const port = await freePort();
  const proc = child(
    name,
    process.execPath,
    ['--enable-source-maps', builtServer(), role],
    { ...env, PORT: String(port) },
    logDir,
  );
  await waitFor(`http://127.0.0.1:${port}/health`, proc.proc, proc.log);
  return { port, proc };
};

/** A private redis-server for one benchmark run, nothing saved. */
export const startRedis = async (logDir: string) => {
  const port = await freePort();
  const redis = child(
    'redis',
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {},
    logDir,
  );
  return { port, proc: redis };
};

type Json = Record<string, unknown>;

export const trpc = (base: string, cookie: string) => ({
  mutate: async <T>(path: string, input: unknown): Promise<T> => {
    const res = await fetch(`${base}/trpc/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ json: input }),
    });
    const body = (await res.json()) as { result?: { data: { json: T } }; error?: Json };
    if (!res.ok || !body.result) throw new Error(`${path}: ${res.status} ${JSON.stringify(body.error)}`);
    return body.result.data.json;
  },
  query: async <T>(path: string, input: unknown): Promise<T> => {
    const q = encodeURIComponent(JSON.stringify({ json: input }));
    const res = await fetch(`${base}/trpc/${path}?input=${q}`, { headers: { cookie } });
    const body = (await res.json()) as { result?: { data: { json: T } }; error?: Json };
    if (!res.ok || !body.result) throw new Error(`${path}: ${res.status} ${JSON.stringify(body.error)}`);
    return body.result.data.json;
  },
});

export const login = async (base: string, username = 'gdv.hang') => {
  const res = await fetch(`${base}/trpc/auth.login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ json: { username, password: 'postdesk-demo' } }),
  });
  if (!res.ok) throw new Error(`login ${res.status}`);
  return res.headers.get('set-cookie')!.split(';')[0]!;
};

export type Procedure = Parameters<typeof intakeFor>[0] & {
  components: { code: string; required: boolean }[];
};

let citizenSeq = 0;
/** A complete walk-in intake of `procedure` (required components only) for a new citizen id each time. */
export const intakeInput = (procedure: Procedure, commune: string) => {
  const input = intakeFor(procedure, commune, {
    absent: procedure.components.filter((c) => !c.required).map((c) => c.code),
  });
  citizenSeq += 1;
  input.applicant.citizenId = `04619${String(process.pid % 100).padStart(2, '0')}${String(citizenSeq).padStart(5, '0')}`;
  return input;
};

export type Latencies = {
  done: number;
  errors: number;
  throughput: number;
  p50: number;
  p95: number;
  p99: number;
};

const summarize = (latencies: number[], errors: number, elapsedS: number): Latencies => {
  latencies.sort((a, b) => a - b);
  return {
    done: latencies.length,
    errors,
    throughput: latencies.length / elapsedS,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
  };
};

/**
 * Open loop: `send` leaves on the clock at `rate` per second for `seconds`, whether or not earlier ones are done;
 * latency is measured from when each was due, so a stall counts in full.
 */
export const atRate = async (send: () => Promise<unknown>, rate: number, seconds: number) => {
  const total = Math.round(rate * seconds);
  const latencies: number[] = [];
  let errors = 0;
  const start = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    inflight.push(
      send().then(
        () => {
          latencies.push(performance.now() - due);
        },
        () => {
          errors += 1;
        },
      ),
    );
  }
  await Promise.all(inflight);
  return summarize(latencies, errors, (performance.now() - start) / 1000);
};

/** Closed loop: `clients` callers, each sending its next request when the last is answered, for `seconds`. */
export const byClients = async (send: () => Promise<unknown>, clients: number, seconds: number) => {
  const latencies: number[] = [];
  let errors = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < end) {
        const sent = performance.now();
        try {
          await send();
          latencies.push(performance.now() - sent);
        } catch {
          errors += 1;
        }
      }
    }),
  );
  return summarize(latencies, errors, (performance.now() - start) / 1000);
};
