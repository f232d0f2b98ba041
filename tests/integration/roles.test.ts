// `postdesk migrate | web | worker` as real processes: the release step, a web process that adds jobs but never
// runs one, a worker that runs them and keeps the periodic ones as BullMQ job schedulers, /health and /ready
// (503 naming Redis when it is down), and a clean stop on SIGTERM.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/db';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
const children: ChildProcess[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
}, 120_000);
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await database?.close();
});

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

const start = async (role: string, env: Record<string, string>) => {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts', role], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: database.url,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: mkdtempSync(join(tmpdir(), `postdesk-${role}-`)),
      SEED_DEMO: 'false',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (d) => {
    output += String(d);
  });
  child.stderr!.on('data', (d) => {
    output += String(d);
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, base: `http://127.0.0.1:${port}`, output: () => output, exited };
};

const answering = async (base: string, child: ChildProcess) => {
  for (const end = Date.now() + 90_000; Date.now() < end; ) {
    if (child.exitCode !== null) return false;
    if (
      await fetch(`${base}/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
};

describe('process roles', () => {
  it('migrate applies nothing on an up-to-date database and exits 0', async () => {
    const p = await start('migrate', {});
    expect(await p.exited, p.output()).toBe(0);
  }, 120_000);

  it('web adds jobs and runs none; worker runs them and keeps the schedulers; both stop on SIGTERM', async () => {
    const prefix = `{pdt-${randomBytes(3).toString('hex')}}`;
    const env = { REDIS_URL: 'redis://127.0.0.1:6379', REDIS_PREFIX: prefix };
    const [web, worker] = await Promise.all([start('web', env), start('worker', env)]);
    expect(await answering(web.base, web.child), web.output()).toBe(true);
    expect(await answering(worker.base, worker.child), worker.output()).toBe(true);
    for (const p of [web, worker]) {
      const ready = await fetch(`${p.base}/ready`);
      expect(ready.status, p.output()).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'ready', database: 'ok', redis: 'ok' });
    }
    // The worker process answers only its probes.
    expect((await fetch(`${worker.base}/trpc/catalog.communes`)).status).toBe(404);
    expect((await fetch(`${web.base}/trpc/catalog.communes`)).status).toBe(200);

    const queue = new Queue('digitize_page', { connection: { host: '127.0.0.1', port: 6379 }, prefix });
    const recover = new Queue('recover_pages', { connection: { host: '127.0.0.1', port: 6379 }, prefix });
    try {
      // One worker consumes the page queue: the web process did not start one.
      expect(await queue.getWorkersCount()).toBe(1);
      expect(await recover.getJobScheduler('every:recover_pages')).toMatchObject({ every: 60_000 });
    } finally {
      await queue.close();
      await recover.close();
    }
    web.child.kill('SIGTERM');
    worker.child.kill('SIGTERM');
    expect(await web.exited).toBe(0);
    expect(await worker.exited).toBe(0);
  }, 180_000);

  it('/ready answers 503 naming Redis when Redis is down, while /health (liveness) says ok', async () => {
    const nothing = await freePort();
    const web = await start('web', { REDIS_URL: `redis://127.0.0.1:${nothing}`, REDIS_PREFIX: '{pdt-down}' });
    expect(await answering(web.base, web.child), web.output()).toBe(true);
    const ready = await fetch(`${web.base}/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'unavailable', down: ['redis'], database: 'ok' });
    expect((await fetch(`${web.base}/health`)).status).toBe(200);
    web.child.kill('SIGTERM');
    expect(await web.exited).toBe(0);
  }, 120_000);
});
