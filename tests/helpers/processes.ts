import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type AddressInfo, Socket } from 'node:net';

/** A TCP port nobody listens on right now, for a server or process a test starts. */
export const freePort = () =>
  new Promise<number>((done) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => done(port));
    });
  });

/** Polls `check` until it holds or `ms` pass; says which (a condition, never a fixed wait). */
export const until = async (check: () => Promise<boolean> | boolean, ms = 30_000) => {
  for (const end = Date.now() + ms; Date.now() < end; ) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
};

const redisAnswers = (port: number) =>
  new Promise<boolean>((done) => {
    const socket = new Socket();
    socket.once('error', () => done(false));
    socket.connect(port, '127.0.0.1', () => {
      socket.write('PING\r\n');
      socket.once('data', (d) => {
        socket.destroy();
        done(String(d).includes('PONG'));
      });
    });
  });

/**
 * A private, empty redis-server on `port` that a test may kill and restart without touching the machine's
 * shared Redis (nothing saved, so a restart comes back empty as after a real loss).
 */
export const startPrivateRedis = async (port: number) => {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  if (!(await until(() => redisAnswers(port), 10_000))) throw new Error('private redis-server did not start');
  return child;
};

/** Kills a child process and resolves once it is gone. */
export const killed = (child: ChildProcess) =>
  new Promise<void>((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done();
    child.once('exit', () => done());
    child.kill('SIGKILL');
  });
