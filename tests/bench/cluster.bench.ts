// Cluster on one machine: PostDesk's compiled server (dist/server/main.js) as several processes behind nginx,
// on one PostgreSQL, one Redis and one S3-protocol store. Intake through the real HTTP path at fixed arrival
// rates (open loop: requests leave on the clock whether or not earlier ones are done), throughput and
// p50/p95/p99, for 1 web process and for 2 in the same run; then one dossier received through web process A,
// scanned, signed and forwarded through web process B, with every page and the signed PDF fetched through both.
//
// Roles: CLUSTER_ROLES=split starts `web` and `worker` processes (`node main.js web|worker`, a separate
// `migrate` step first); the default `all` starts processes that do both (the only role before roles exist).
// nginx (Debian) is the proxy; the bench installs it with apt-get when it is missing.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { freePort } from '../helpers/processes';
import { startS3 } from '../helpers/s3';
import { benchDatabase } from './pg';
import {
  atRate,
  builtServer,
  type Child,
  child,
  intakeInput,
  login,
  type Procedure,
  sleep,
  startRedis,
  startServerProcess,
  trpc,
  waitFor,
} from './server-process';

const RATES = (process.env.CLUSTER_RATES ?? '10,25,50').split(',').map(Number);
const SECONDS = Number(process.env.CLUSTER_SECONDS ?? 10);
const ROLES = process.env.CLUSTER_ROLES === 'split' ? 'split' : 'all';

const ensureNginx = () => {
  try {
    execFileSync('nginx', ['-v'], { stdio: 'ignore' });
  } catch {
    process.stdout.write('nginx is missing: installing it with apt-get (Debian package nginx-light)\n');
    execFileSync('apt-get', ['install', '-y', '-qq', 'nginx-light'], { stdio: 'inherit' });
  }
};

/** nginx in the foreground on `port`, round-robin over the web processes. */
const startNginx = async (port: number, upstreams: number[], dir: string) => {
  const conf = join(dir, `nginx-${port}.conf`);
  writeFileSync(
    conf,
    `worker_processes 1;
pid ${dir}/nginx-${port}.pid;
error_log ${dir}/nginx-${port}.error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  upstream postdesk { ${upstreams.map((p) => `server 127.0.0.1:${p};`).join(' ')} keepalive 32; }
  server {
    listen 127.0.0.1:${port};
    client_max_body_size 30m;
    location / {
      proxy_pass http://postdesk;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
    }
  }
}
`,
  );
  const nginx = child(`nginx-${port}`, 'nginx', ['-c', conf, '-p', dir, '-g', 'daemon off;'], {}, dir);
  await waitFor(`http://127.0.0.1:${port}/health`, nginx.proc, nginx.log);
  return nginx;
};

const scanPage = async (label: string) =>
  new Uint8Array(
    await sharp({ create: { width: 1240, height: 1754, channels: 3, background: '#f4f1ea' } })
      .composite([
        {
          input: Buffer.from(
            `<svg xmlns="http://www.w3.org/2000/svg" width="1240" height="1754"><text x="120" y="200" font-size="40" font-family="DejaVu Sans">${label}</text></svg>`,
          ),
        },
      ])
      .greyscale()
      .jpeg({ quality: 85 })
      .toBuffer(),
  );

export const run = async () => {
  const database = await benchDatabase();
  if (!database) {
    process.stdout.write('PostgreSQL not reachable on 127.0.0.1:5432, skipped\n');
    return;
  }
  ensureNginx();
  const main = builtServer();
  const dir = mkdtempSync(join(tmpdir(), 'pd-cluster-'));
  const s3 = await startS3();
  const redis = await startRedis(dir);
  const running: Child[] = [redis.proc];
  const env = {
    NODE_ENV: 'development',
    HOST: '127.0.0.1',
    DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${database.name}`,
    REDIS_URL: `redis://127.0.0.1:${redis.port}`,
    DATA_DIR: join(dir, 'data'),
    SEED_DEMO: 'false',
    LOG_LEVEL: 'warn',
    TRUST_PROXY: 'true',
    ...s3.env,
  };
  const startServer = async (name: string, role: 'all' | 'web' | 'worker') => {
    const server = await startServerProcess(name, role, env, dir);
    running.push(server.proc);
    return server;
  };
  /** `webs` processes that take requests (and, with roles `all`, also run jobs), plus as many workers with `split`. */
  const startCluster = async (webs: number, tag: string) => {
    if (ROLES === 'split') {
      execFileSync(process.execPath, [main, 'migrate'], { env: { ...process.env, ...env }, stdio: 'ignore' });
    }
    const web: { port: number; proc: Child }[] = [];
    for (let i = 0; i < webs; i++)
      web.push(await startServer(`${tag}-web${i}`, ROLES === 'split' ? 'web' : 'all'));
    const workers: { port: number; proc: Child }[] = [];
    if (ROLES === 'split')
      for (let i = 0; i < webs; i++) workers.push(await startServer(`${tag}-worker${i}`, 'worker'));
    const proxyPort = await freePort();
    const proxy = await startNginx(
      proxyPort,
      web.map((w) => w.port),
      dir,
    );
    running.push(proxy);
    return {
      base: `http://127.0.0.1:${proxyPort}`,
      web,
      stop: async () => {
        for (const p of [proxy, ...web.map((w) => w.proc), ...workers.map((w) => w.proc)]) await p.stop();
      },
    };
  };

  try {
    process.stdout.write(
      `roles: ${ROLES === 'split' ? 'web + worker processes' : '"all" processes (web and jobs in each)'}; ` +
        `rates ${RATES.join(', ')} dossiers/s for ${SECONDS} s each; nginx round robin; PostgreSQL, Redis, s3rver\n`,
    );
    const rows: string[] = [];
    for (const webs of [1, 2]) {
      const cluster = await startCluster(webs, `c${webs}`);
      const cookie = await login(cluster.base);
      const api = trpc(cluster.base, cookie);
      const procedure = await api.query<Procedure>('catalog.procedure', { code: '3.000333' });
      const commune = (await api.query<{ code: string }[]>('catalog.communes', undefined))[0]!.code;
      for (let i = 0; i < 20; i++) await api.mutate('intake.submit', intakeInput(procedure, commune));
      for (const rate of RATES) {
        const r = await atRate(
          () => api.mutate('intake.submit', intakeInput(procedure, commune)),
          rate,
          SECONDS,
        );
        rows.push(
          `${String(webs).padStart(4)} web  ${String(rate).padStart(5)}/s  ${r.throughput.toFixed(1).padStart(8)}/s  ` +
            `${r.p50.toFixed(0).padStart(6)}  ${r.p95.toFixed(0).padStart(6)}  ${r.p99.toFixed(0).padStart(6)} ms  ` +
            `${String(r.errors).padStart(4)} errors`,
        );
        process.stdout.write(`${rows.at(-1)}\n`);
      }
      if (webs === 2)
        await crossProcessDossier(cluster.web[0]!.port, cluster.web[1]!.port, procedure, commune);
      await cluster.stop();
    }
    process.stdout.write('\nprocesses  offered  completed      p50     p95     p99\n');
    for (const row of rows) process.stdout.write(`${row}\n`);
  } finally {
    for (const p of running.reverse()) await p.stop();
    await s3.close();
    await database.drop();
  }
};

/** Received through A, scanned, signed, completed and forwarded through B; every file fetched through both. */
const crossProcessDossier = async (portA: number, portB: number, procedure: Procedure, commune: string) => {
  const a = `http://127.0.0.1:${portA}`;
  const b = `http://127.0.0.1:${portB}`;
  const cookie = await login(a);
  const viaA = trpc(a, cookie);
  const viaB = trpc(b, cookie);
  const received = await viaA.mutate<{ dossierId: string; code: string }>(
    'intake.submit',
    intakeInput(procedure, commune),
  );
  const required = procedure.components.filter((c) => c.required).map((c) => c.code);
  let sent = 0;
  for (const [i, code] of required.entries()) {
    for (let p = 0; p < 2; p++) {
      const form = new FormData();
      form.append('file', new Blob([await scanPage(`${received.code} ${code} trang ${p + 1}`)]), 'scan.jpg');
      const res = await fetch(`${b}/desk/dossiers/${received.dossierId}/components/${code}/pages`, {
        method: 'POST',
        body: form,
        headers: { cookie, 'idempotency-key': randomUUID() },
      });
      if (res.status !== 201) throw new Error(`upload ${i}/${p}: ${res.status} ${await res.text()}`);
      sent += 1;
    }
  }
  type View = {
    components: {
      code: string;
      documentId: string | null;
      signedUrl: string | null;
      pages: { state: string; thumbUrl: string | null }[];
    }[];
  };
  let view: View;
  for (let i = 0; ; i++) {
    view = await viaB.query<View>('digitize.dossier', { dossierId: received.dossierId });
    const pages = view.components.flatMap((c) => c.pages);
    if (pages.length === sent && pages.every((p) => p.state === 'ready')) break;
    if (pages.some((p) => p.state === 'failed') || i > 600)
      throw new Error(`pages: ${JSON.stringify(pages)}`);
    await sleep(500);
  }
  for (const c of view.components.filter((c) => c.documentId))
    await viaB.mutate('digitize.finishComponent', { documentId: c.documentId });
  await viaB.mutate('digitize.complete', { dossierId: received.dossierId });
  await viaB.mutate('agency.forward', { dossierId: received.dossierId });
  const after = await viaA.query<View>('digitize.dossier', { dossierId: received.dossierId });
  const urls = after.components.flatMap((c) => [
    ...c.pages.map((p) => p.thumbUrl!),
    ...(c.signedUrl ? [c.signedUrl] : []),
  ]);
  let found = 0;
  for (const base of [a, b])
    for (const url of urls)
      if ((await fetch(`${base}${url}`, { headers: { cookie } })).status === 200) found += 1;
  const dossier = await viaA.query<{ state: string }>('dossiers.get', { idOrCode: received.dossierId });
  const chain = await viaB.query<{ chainIntact: boolean }>('dossiers.timeline', {
    idOrCode: received.dossierId,
  });
  process.stdout.write(
    `\ndossier ${received.code}: received via web A, ${sent} pages scanned, ${after.components.filter((c) => c.signedUrl).length} components signed and forwarded via web B` +
      ` (state ${dossier.state}, event chain ${chain.chainIntact ? 'intact' : 'BROKEN'}); files found through A and B: ${found}/${urls.length * 2}\n`,
  );
};
